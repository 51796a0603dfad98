using System.Text.Json;

namespace Landslide.Infrastructure.Tests;

/// <summary>What an operator would check in the compiled template: keys off, identities on, GPU scale to zero.</summary>
[Collection(BicepCollection.Name)]
public sealed class TemplateTests(BicepCheckFixture fixture)
{
    [Fact]
    public void EveryStorageAccount_HasSharedKeyAccessOff()
    {
        var accounts = ArmTemplate.Resources(fixture.Load("main.json"), "Microsoft.Storage/storageAccounts");

        Assert.Equal(2, accounts.Count(a => a.TryGetProperty("properties", out _)));
        foreach (var account in accounts.Where(a => a.TryGetProperty("properties", out _)))
        {
            Assert.False(ArmTemplate.Property(account, "properties", "allowSharedKeyAccess").GetBoolean());
        }
    }

    [Fact]
    public void DataAccount_HasThePipelinesContainersQueuesAndTable()
    {
        var storage = fixture.Load(Path.Combine("modules", "storage.json"));
        var containers = ArmTemplate.Property(storage, "variables", "containerNames").EnumerateArray().Select(e => e.GetString());
        var queues = ArmTemplate.Property(storage, "variables", "queueNames").EnumerateArray().Select(e => e.GetString()).ToList();
        var table = Assert.Single(ArmTemplate.Resources(storage, "Microsoft.Storage/storageAccounts/tableServices/tables"));

        Assert.Equal(["models", "results", "scenes", "training", "work"], containers.Order(StringComparer.Ordinal));
        Assert.Superset(
            new HashSet<string?> { "chunks", "chunks-poison", "finalize", "finalize-poison", "alerts", "alerts-poison", "alerts-deadletter" },
            queues.ToHashSet());
        Assert.Contains("'runs'", ArmTemplate.Property(table, "name").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Microsoft.Web/sites")]
    [InlineData("Microsoft.App/containerApps")]
    [InlineData("Microsoft.App/jobs")]
    public void EveryWorkload_RunsAsAUserAssignedIdentity(string type)
    {
        var workloads = ArmTemplate.Resources(fixture.Load("main.json"), type);

        Assert.NotEmpty(workloads);
        Assert.All(workloads, w => Assert.Equal("UserAssigned", ArmTemplate.Property(w, "identity", "type").GetString()));
    }

    [Fact]
    public void FunctionApp_IsOnFlexConsumption()
    {
        var plan = Assert.Single(ArmTemplate.Resources(fixture.Load("main.json"), "Microsoft.Web/serverfarms"));

        Assert.Equal("FC1", ArmTemplate.Property(plan, "sku", "name").GetString());
        Assert.Equal("FlexConsumption", ArmTemplate.Property(plan, "sku", "tier").GetString());
    }

    [Fact]
    public void Inference_RunsOnTheGpuProfile_ScalesOnConcurrency_AndToZeroByDefault()
    {
        var main = fixture.Load("main.json");
        var app = Assert.Single(ArmTemplate.Resources(main, "Microsoft.App/containerApps"));
        var job = Assert.Single(ArmTemplate.Resources(main, "Microsoft.App/jobs"));
        var environment = Assert.Single(ArmTemplate.Resources(main, "Microsoft.App/managedEnvironments"));
        var profiles = ArmTemplate.Property(environment, "properties", "workloadProfiles").EnumerateArray().ToList();
        var rule = Assert.Single(ArmTemplate.Property(app, "properties", "template", "scale", "rules").EnumerateArray());

        var gpu = Assert.Single(profiles, p => ArmTemplate.Property(p, "workloadProfileType").GetString() != "Consumption");
        Assert.Equal(ArmTemplate.Property(gpu, "name").GetString(), ArmTemplate.Property(app, "properties", "workloadProfileName").GetString());
        Assert.Equal(ArmTemplate.Property(gpu, "name").GetString(), ArmTemplate.Property(job, "properties", "workloadProfileName").GetString());
        Assert.True(ArmTemplate.Property(rule, "http", "metadata").TryGetProperty("concurrentRequests", out _));
        Assert.Equal(0, ArmTemplate.Property(main, "parameters", "inferenceMinReplicas", "defaultValue").GetInt32());
        Assert.All(
            ArmTemplate.Property(main, "parameters", "gpuProfileType", "allowedValues").EnumerateArray(),
            v => Assert.StartsWith("Consumption-GPU-", v.GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public void Roles_GrantScenesReadOnly_AndNoBroadRoles()
    {
        var roles = fixture.Load(Path.Combine("modules", "roles.json"));
        var roleIds = ArmTemplate.Property(roles, "variables", "roleIds");
        var grants = ArmTemplate.Property(roles, "variables", "containerGrants").EnumerateArray().ToList();
        var text = fixture.Load("main.json").GetRawText();

        var scenesGrants = grants.Where(g => ArmTemplate.Property(g, "container").GetString() == "scenes").ToList();
        Assert.NotEmpty(scenesGrants);
        Assert.All(scenesGrants, g => Assert.Contains("roleIds').blobReader", ArmTemplate.Property(g, "role").GetString(), StringComparison.Ordinal));
        Assert.Equal("2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", ArmTemplate.Property(roleIds, "blobReader").GetString());
        // Owner, Contributor, User Access Administrator never appear.
        Assert.DoesNotContain("8e3af657-a8ff-443c-a75c-2fe8c4bcb635", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("b24988ac-6180-42dd-ba84-4f8c2dfd4aec", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void KeyVault_UsesRbac()
    {
        var vault = Assert.Single(ArmTemplate.Resources(fixture.Load("main.json"), "Microsoft.KeyVault/vaults"), v => v.TryGetProperty("properties", out _));

        Assert.True(ArmTemplate.Property(vault, "properties", "enableRbacAuthorization").GetBoolean());
    }

    [Fact]
    public void Outputs_NameEveryEndpointTheDocsUse()
    {
        var outputs = ArmTemplate.Property(fixture.Load("main.json"), "outputs");

        foreach (var name in new[] { "scenesUrl", "resultsUrl", "functionAppName", "functionAppUrl", "inferenceUrl", "trainingJobName", "keyVaultName", "registryLoginServer", "eventGridSystemTopicName", "storageAccountName" })
        {
            Assert.True(outputs.TryGetProperty(name, out _), $"output {name} missing");
        }
    }

    [Fact]
    public void ParameterFiles_DevScalesGpuToZero_ProdProtectsSecrets()
    {
        var dev = ArmTemplate.Property(fixture.Load("main.dev.parameters.json"), "parameters");
        var prod = ArmTemplate.Property(fixture.Load("main.prod.parameters.json"), "parameters");

        Assert.Equal(0, ArmTemplate.Property(dev, "inferenceMinReplicas", "value").GetInt32());
        Assert.Equal("dev", ArmTemplate.Property(dev, "environmentName", "value").GetString());
        Assert.Equal("prod", ArmTemplate.Property(prod, "environmentName", "value").GetString());
        Assert.True(ArmTemplate.Property(prod, "keyVaultPurgeProtection", "value").GetBoolean());
        Assert.Equal(JsonValueKind.String, ArmTemplate.Property(prod, "gpuProfileType", "value").ValueKind);
    }
}
