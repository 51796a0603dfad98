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
            new HashSet<string?> { "scenes-arrived", "scenes-arrived-poison", "chunks", "chunks-poison", "finalize", "finalize-poison", "alerts", "alerts-poison", "alerts-deadletter" },
            queues.ToHashSet());
        Assert.Contains("'runs'", ArmTemplate.Property(table, "name").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Microsoft.App/containerApps")]
    [InlineData("Microsoft.App/jobs")]
    public void EveryWorkload_RunsAsAUserAssignedIdentity(string type)
    {
        var workloads = ArmTemplate.Resources(fixture.Load("main.json"), type);

        Assert.NotEmpty(workloads);
        Assert.All(workloads, w => Assert.Equal("UserAssigned", ArmTemplate.Property(w, "identity", "type").GetString()));
    }

    [Fact]
    public void FunctionApp_IsAFunctionsContainerApp_InTheInferenceEnvironment_PullingItsImageWithItsIdentity()
    {
        var main = fixture.Load("main.json");
        var functions = FunctionsApp(main);
        var environment = Assert.Single(ArmTemplate.Resources(main, "Microsoft.App/managedEnvironments"));

        Assert.Empty(ArmTemplate.Resources(main, "Microsoft.Web/sites"));
        Assert.Empty(ArmTemplate.Resources(main, "Microsoft.Web/serverfarms"));
        Assert.Equal("Consumption", ArmTemplate.Property(functions, "properties", "workloadProfileName").GetString());
        Assert.Contains("environmentId", ArmTemplate.Property(functions, "properties", "environmentId").GetString(), StringComparison.Ordinal);
        Assert.Contains("Consumption", ArmTemplate.Property(environment, "properties", "workloadProfiles").GetRawText(), StringComparison.Ordinal);
        // Event-driven scaling on Container Apps needs ingress; the Functions host listens on 80.
        Assert.Equal(80, ArmTemplate.Property(functions, "properties", "configuration", "ingress", "targetPort").GetInt32());
        Assert.Contains("identityId", ArmTemplate.Property(functions, "properties", "configuration", "registries").GetRawText(), StringComparison.Ordinal);
        Assert.Equal(0, ArmTemplate.Property(functions, "properties", "template", "scale", "minReplicas").GetInt32());

        // The functions identity may pull from the registry (AcrPull for all three workloads).
        var acrPull = Assert.Single(
            ArmTemplate.Resources(fixture.Load(Path.Combine("modules", "roles.json")), "Microsoft.Authorization/roleAssignments"),
            r => ArmTemplate.Property(r, "name").GetString()!.Contains("acrPull", StringComparison.Ordinal));
        Assert.Contains("parameters('functionsPrincipalId')", ArmTemplate.Property(acrPull, "properties", "principalId").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void NewScenes_ReachTheScenesArrivedQueue_ThroughEventGrid_WithTheTopicsOwnIdentity()
    {
        var eventGrid = fixture.Load(Path.Combine("modules", "eventgrid.json"));
        var topic = Assert.Single(ArmTemplate.Resources(eventGrid, "Microsoft.EventGrid/systemTopics"));
        var subscription = Assert.Single(ArmTemplate.Resources(eventGrid, "Microsoft.EventGrid/systemTopics/eventSubscriptions"));
        var role = Assert.Single(ArmTemplate.Resources(eventGrid, "Microsoft.Authorization/roleAssignments"));
        var delivery = ArmTemplate.Property(subscription, "properties", "deliveryWithResourceIdentity");

        Assert.Equal("SystemAssigned", ArmTemplate.Property(topic, "identity", "type").GetString());
        Assert.Equal("SystemAssigned", ArmTemplate.Property(delivery, "identity", "type").GetString());
        Assert.Equal("StorageQueue", ArmTemplate.Property(delivery, "destination", "endpointType").GetString());
        Assert.Equal("scenes-arrived", ArmTemplate.Property(eventGrid, "variables", "queueName").GetString());
        Assert.Equal(["Microsoft.Storage.BlobCreated"], ArmTemplate.Property(subscription, "properties", "filter", "includedEventTypes").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("/blobServices/default/containers/scenes/blobs/", ArmTemplate.Property(subscription, "properties", "filter", "subjectBeginsWith").GetString());
        // Storage Queue Data Message Sender, scoped to the queue: the topic can add messages there and nowhere else.
        Assert.Equal("c6a89b2d-59bc-44d0-9896-0f6e12d7b80a", ArmTemplate.Property(eventGrid, "variables", "queueMessageSender").GetString());
        Assert.Contains("queues", ArmTemplate.Property(role, "scope").GetString(), StringComparison.Ordinal);
        Assert.Contains("scenes-arrived", fixture.Load(Path.Combine("modules", "storage.json")).GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Inference_RunsOnTheGpuProfile_ScalesOnConcurrency_AndToZeroByDefault()
    {
        var main = fixture.Load("main.json");
        var app = Assert.Single(ArmTemplate.Resources(main, "Microsoft.App/containerApps"), a => !a.TryGetProperty("kind", out _));
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

        foreach (var name in new[] { "scenesUrl", "resultsUrl", "functionAppName", "functionAppUrl", "scenesArrivedQueue", "inferenceUrl", "trainingJobName", "keyVaultName", "registryLoginServer", "eventGridSystemTopicName", "storageAccountName" })
        {
            Assert.True(outputs.TryGetProperty(name, out _), $"output {name} missing");
        }
    }

    private static JsonElement FunctionsApp(JsonElement main) =>
        Assert.Single(ArmTemplate.Resources(main, "Microsoft.App/containerApps"), a => a.TryGetProperty("kind", out var kind) && kind.GetString() == "functionapp");

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
