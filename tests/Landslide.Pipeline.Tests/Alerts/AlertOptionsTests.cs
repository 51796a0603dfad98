using Landslide.Pipeline.Alerts;
using Landslide.Pipeline.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Landslide.Pipeline.Tests.Alerts;

/// <summary>Alert settings as the Bicep sets them, bound and validated the way the hosts do it.</summary>
public sealed class AlertOptionsTests
{
    [Fact]
    public void EmptyWebhookUrl_MeansNoWebhook_AndPassesValidation()
    {
        var options = Bind(new() { ["Alerts:Webhooks:0:Url"] = string.Empty, ["Alerts:Webhooks:0:Secret"] = string.Empty });

        var hook = Assert.Single(options.Webhooks);
        Assert.False(hook.IsEnabled);
    }

    [Fact]
    public void WebhookUrlWithoutSecret_FailsValidation_NamingTheSetting()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind(new() { ["Alerts:Webhooks:0:Url"] = "https://example.org/hook" }));

        Assert.Contains("Alerts:Webhooks:0:Secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Signature_IsHmacSha256OfTheBody_Hex()
    {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        var signature = AlertSignature.Sign("what do ya want for nothing?"u8, "Jefe");

        Assert.Equal("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", signature);
        Assert.True(AlertSignature.Verify("what do ya want for nothing?"u8, "Jefe", signature));
        Assert.False(AlertSignature.Verify("what do ya want for nothing!"u8, "Jefe", signature));
    }

    private static AlertOptions Bind(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddLogging()
            .AddLandslidePipeline();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<AlertOptions>>().Value;
    }
}
