using Landslide.InferenceServer.Admission;
using Microsoft.Extensions.Options;

namespace Landslide.InferenceServer;

/// <summary>
/// The cross-field rules of <see cref="InferenceServerOptions"/>, each failure saying what to set (the server prints
/// them on one line and exits when it refuses to start).
/// </summary>
internal sealed class InferenceServerOptionsValidator : IValidateOptions<InferenceServerOptions>
{
    private const string Section = InferenceServerOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, InferenceServerOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ModelsRoot))
        {
            failures.Add($"set {Section}:ModelsRoot to the models folder (Folder source) or a local cache folder (Blob source)");
        }

        if (options.AuthMode == AuthMode.ApiKey)
        {
            if (options.ApiKeys.Count == 0)
            {
                failures.Add($"set {Section}:ApiKeys:0 to a key of at least {InferenceServerOptions.MinApiKeyLength} characters (AuthMode ApiKey)");
            }

            for (var i = 0; i < options.ApiKeys.Count; i++)
            {
                if ((options.ApiKeys[i]?.Trim().Length ?? 0) < InferenceServerOptions.MinApiKeyLength)
                {
                    failures.Add($"{Section}:ApiKeys:{i} is shorter than {InferenceServerOptions.MinApiKeyLength} characters; set a longer random key");
                }
            }
        }
        else
        {
            if (string.IsNullOrWhiteSpace(options.EntraAuthority) || string.IsNullOrWhiteSpace(options.EntraAudience))
            {
                failures.Add($"set {Section}:EntraAuthority and {Section}:EntraAudience (AuthMode EntraId)");
            }

            if (!options.EntraRequiredRoles.Concat(options.EntraRequiredScopes).Any(v => !string.IsNullOrWhiteSpace(v)))
            {
                failures.Add($"set {Section}:EntraRequiredRoles:0 (an app role) or {Section}:EntraRequiredScopes:0 (a scope) that callers must hold (AuthMode EntraId)");
            }
        }

        if (options.ModelSource == ModelSourceKind.Blob)
        {
            var blob = options.Blob;
            var hasConnectionString = !string.IsNullOrWhiteSpace(blob.ConnectionString);
            if (hasConnectionString == (blob.ServiceUri is not null))
            {
                failures.Add($"set exactly one of {Section}:Blob:ConnectionString (local) or {Section}:Blob:ServiceUri (Azure, DefaultAzureCredential) (ModelSource Blob)");
            }

            if (blob.ServiceUri is { IsAbsoluteUri: false })
            {
                failures.Add($"set {Section}:Blob:ServiceUri to an absolute URI such as https://<account>.blob.core.windows.net");
            }

            if (string.IsNullOrWhiteSpace(blob.Container) || blob.Container.Length is < 3 or > 63 || blob.Container.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')))
            {
                failures.Add($"set {Section}:Blob:Container to a container name (3-63 lowercase letters, digits, '-'); default models");
            }
        }

        var oneRequest = MemoryBudget.BytesFor(options.MaxTilesPerRequest);
        if (options.MaxBufferedBytes < oneRequest)
        {
            failures.Add($"set {Section}:MaxBufferedBytes to at least {oneRequest} (one request of MaxTilesPerRequest = {options.MaxTilesPerRequest} tiles)");
        }

        if (options.MaxBatchWait < TimeSpan.Zero || options.ModelPollInterval <= TimeSpan.Zero || options.RequestHeadersTimeout <= TimeSpan.Zero)
        {
            failures.Add($"set {Section}:MaxBatchWait >= 0 and {Section}:ModelPollInterval, {Section}:RequestHeadersTimeout > 0");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
