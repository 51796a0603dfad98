using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Landslide.Pipeline.Hosting;

/// <summary>
/// Where `landslide serve` (and drop/status/results) get their settings, highest first: the command line, environment
/// variables with the LANDSLIDE_ prefix (LANDSLIDE_Serve__Storage, LANDSLIDE_Alerts__Webhooks__0__Secret,
/// LANDSLIDE_Pipeline__BandProfile), an appsettings-style JSON file (--settings FILE), then the defaults. Sections
/// Pipeline, Alerts and Training are the Functions app's; section Serve holds what only the local host has.
/// </summary>
public static class ServeConfiguration
{
    public const string EnvironmentPrefix = "LANDSLIDE_";
    public const string Section = "Serve";
    public const string StorageKey = "Serve:Storage";
    public const string StartAzuriteKey = "Serve:StartAzurite";
    public const string AzuriteDebugKey = "Serve:AzuriteDebug";
    public const string InferenceUrlKey = "Serve:InferenceUrl";
    public const string InferenceApiKeyKey = "Serve:InferenceApiKey";
    public const string ModelKey = "Serve:Model";
    public const string RetrainEveryKey = "Serve:RetrainEvery";
    private const string WebhooksPrefix = "Alerts:Webhooks:";

    /// <summary>
    /// Merges the sources. When <paramref name="webhooks"/> is not empty the command line's webhooks replace the
    /// lower sources' URLs (slot i = the i-th --webhook); a slot whose secret is not on the command line keeps the
    /// secret the environment or file gives for that slot, so secrets can stay out of the process list.
    /// </summary>
    /// <exception cref="FileNotFoundException">The settings file does not exist.</exception>
    /// <exception cref="OptionsValidationException">Unpaired webhook secrets, or a settings file that is not JSON.</exception>
    public static IConfigurationRoot Build(
        string? settingsFile,
        IReadOnlyDictionary<string, string?> commandLine,
        IReadOnlyList<string> webhooks,
        IReadOnlyList<string> webhookSecrets,
        IDictionary<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        ArgumentNullException.ThrowIfNull(webhooks);
        ArgumentNullException.ThrowIfNull(webhookSecrets);
        if (webhookSecrets.Count > webhooks.Count)
        {
            throw Invalid($"{webhookSecrets.Count} --webhook-secret for {webhooks.Count} --webhook: each secret pairs with the --webhook in the same position");
        }

        var lower = new ConfigurationBuilder();
        if (settingsFile is not null)
        {
            var path = Path.GetFullPath(settingsFile);
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"settings file not found: {path}", path);
            }

            lower.AddJsonFile(path, optional: false, reloadOnChange: false);
        }

        if (environment is null)
        {
            lower.AddEnvironmentVariables(EnvironmentPrefix);
        }
        else
        {
            lower.AddInMemoryCollection(environment
                .Where(e => e.Key.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase))
                .Select(e => KeyValuePair.Create(e.Key[EnvironmentPrefix.Length..].Replace("__", ":", StringComparison.Ordinal), e.Value)));
        }

        IConfigurationRoot built;
        try
        {
            built = lower.Build();
        }
        catch (InvalidDataException e)
        {
            throw Invalid($"settings file '{settingsFile}' is not valid JSON: {e.InnerException?.Message ?? e.Message}");
        }

        var merged = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in built.AsEnumerable())
        {
            if (value is not null)
            {
                merged[key] = value;
            }
        }

        if (webhooks.Count > 0)
        {
            foreach (var key in merged.Keys.Where(k => k.StartsWith(WebhooksPrefix, StringComparison.OrdinalIgnoreCase)).ToList())
            {
                var rest = key[WebhooksPrefix.Length..];
                var slot = int.TryParse(rest.Split(':')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : int.MaxValue;
                if (slot >= webhooks.Count || rest.EndsWith(":Url", StringComparison.OrdinalIgnoreCase))
                {
                    merged.Remove(key);
                }
            }

            for (var i = 0; i < webhooks.Count; i++)
            {
                merged[FormattableString.Invariant($"{WebhooksPrefix}{i}:Url")] = webhooks[i];
                if (i < webhookSecrets.Count)
                {
                    merged[FormattableString.Invariant($"{WebhooksPrefix}{i}:Secret")] = webhookSecrets[i];
                }
            }
        }

        foreach (var (key, value) in commandLine)
        {
            if (value is not null)
            {
                merged[key] = value;
            }
        }

        return new ConfigurationBuilder().AddInMemoryCollection(merged).Build();
    }

    /// <summary>The storage connection string: Serve:Storage, else the local Azurite emulator.</summary>
    public static string Storage(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration[StorageKey] is { Length: > 0 } storage ? storage : "UseDevelopmentStorage=true";
    }

    /// <summary>The host's settings; everything outside section Serve is passed on as the Functions app's settings.</summary>
    /// <exception cref="OptionsValidationException">A value that does not parse (URL, interval, flag).</exception>
    public static ServeSettings ToSettings(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        Uri? inferenceUrl = null;
        if (configuration[InferenceUrlKey] is { Length: > 0 } url)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out inferenceUrl) || inferenceUrl.Scheme is not ("http" or "https"))
            {
                throw Invalid($"--inference-url '{url}' is not an absolute http(s) URL");
            }
        }

        TimeSpan? retrain = null;
        if (configuration[RetrainEveryKey] is { Length: > 0 } every)
        {
            if (!TimeSpan.TryParse(every, CultureInfo.InvariantCulture, out var interval) || interval <= TimeSpan.Zero)
            {
                throw Invalid($"--retrain-every '{every}' is not a positive interval such as 01:00:00");
            }

            retrain = interval;
        }

        var passOn = configuration.AsEnumerable()
            .Where(e => e.Value is not null && !e.Key.StartsWith(Section + ":", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(e => e.Key, e => e.Value, StringComparer.OrdinalIgnoreCase);
        return new ServeSettings
        {
            Storage = Storage(configuration),
            StartAzurite = Flag(configuration, StartAzuriteKey),
            AzuriteDebug = Flag(configuration, AzuriteDebugKey),
            InferenceUrl = inferenceUrl,
            InferenceApiKey = configuration[InferenceApiKeyKey] is { Length: > 0 } key ? key : null,
            ModelPath = configuration[ModelKey] is { Length: > 0 } model ? Path.GetFullPath(model) : null,
            RetrainInterval = retrain,
            Configuration = passOn,
        };
    }

    private static bool Flag(IConfiguration configuration, string key) =>
        configuration[key] is { Length: > 0 } value
            && (bool.TryParse(value, out var flag) ? flag : throw Invalid($"{key} '{value}' is not true or false"));

    private static OptionsValidationException Invalid(string message) =>
        new(nameof(ServeSettings), typeof(ServeSettings), [message]);
}
