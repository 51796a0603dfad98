// The Functions app as a container: Azure Functions on Azure Container Apps (Microsoft.App/containerApps of kind
// 'functionapp') in the environment that runs the GPU inference app. The image (infra/functions/Dockerfile) adds the
// GDAL runtime every stage loads, which no code-only Functions plan provides (docs/ARCHITECTURE.md, "Functions
// hosting"). The app has its own host storage account (AzureWebJobsStorage) so that the data account's roles stay
// narrow. Container Apps configures the KEDA scale rules from the triggers itself.
//
// Scenes arrive through a queue: this hosting has no blob-extension webhook key for Event Grid to call, so
// eventgrid.bicep routes BlobCreated events of scenes/ to the storage queue 'scenes-arrived', which the
// SceneArrivedFromQueue function consumes.
//
// Every environment variable here is listed in docs/SETTINGS.md; tests/Landslide.Infrastructure.Tests checks the
// two agree, and that the code reads exactly these.

@description('Azure region.')
param location string

@description('Base name shared by every resource of this deployment.')
param baseName string

@description('Host storage account name (3-24 lowercase letters and digits, globally unique).')
@minLength(3)
@maxLength(24)
param hostStorageAccountName string

param tags object

@description('Resource id of the Container Apps environment (containerapps.bicep).')
param environmentId string

@description('Functions image (e.g. myacr.azurecr.io/landslide-functions:1.0); empty deploys a public placeholder.')
param image string

@description('Registry login server the image is pulled from with the Functions identity; empty for public images.')
param registryLoginServer string

@description('Resource id of the Functions user-assigned identity.')
param identityId string

@description('Client id of the Functions user-assigned identity.')
param identityClientId string

@description('Name and principal id of the Functions user-assigned identity.')
param identityName string
param identityPrincipalId string

@description('Application Insights component name.')
param appInsightsName string

@description('Blob, queue and table endpoints of the data account (connection "Storage").')
param dataBlobEndpoint string
param dataQueueEndpoint string
param dataTableEndpoint string

@description('Key Vault URI and the secret names the app reads through Container Apps Key Vault secrets.')
param keyVaultUri string
param inferenceApiKeySecretName string
param alertWebhookSecretName string

@description('Base URL of the inference container app.')
param inferenceUrl string

@description('Alert webhook 0 URL; empty disables the slot.')
param alertWebhookUrl string

@description('Resource id of the training Container Apps job the retrain timer starts.')
param trainingJobResourceId string

@description('NCRONTAB (6 fields) of the RetrainSchedule timer.')
param retrainSchedule string

@description('Pipeline settings (docs/SETTINGS.md).')
param chunkSize int
param overlap int
param threshold string
param minAreaM2 string

@description('Most replicas the app scales out to (queue-driven).')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int

@description('Memory per replica (with 1 vCPU per 2 GiB); chunk reads are bounded by the chunk size.')
@allowed([
  2048
  4096
  8192
])
param instanceMemoryMB int

// Public Functions sample image that listens on 80, used until infra/deploy.sh has built the real one.
var placeholderImage = 'mcr.microsoft.com/azure-functions/dotnet8-quickstart-demo:1.0'
// Consumption workload profile sizes: 1 vCPU per 2 GiB.
var sizes = {
  '2048': {
    cpu: '1.0'
    memory: '2Gi'
  }
  '4096': {
    cpu: '2.0'
    memory: '4Gi'
  }
  '8192': {
    cpu: '4.0'
    memory: '8Gi'
  }
}
var size = sizes[string(instanceMemoryMB)]
var inferenceApiKeyRef = 'inference-api-key'
var alertWebhookSecretRef = 'alert-webhook-0-secret'

// Built-in role definition ids (stable across clouds).
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

// The host owns this account outright (leases, timer state, keys, queue-trigger bookkeeping).
var hostRoles = [
  roles.storageBlobDataOwner
  roles.storageQueueDataContributor
  roles.storageTableDataContributor
]

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource hostStorage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: hostStorageAccountName
  location: location
  tags: tags
  sku: {
    name: 'Standard_LRS'
  }
  kind: 'StorageV2'
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
  }
}

resource hostRoleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in hostRoles: {
    name: guid(hostStorage.id, identityName, roleId)
    scope: hostStorage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
      principalId: identityPrincipalId
      principalType: 'ServicePrincipal'
    }
  }
]

resource telemetryPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, identityName, roles.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource app 'Microsoft.App/containerApps@2025-07-01' = {
  name: 'func-${baseName}'
  location: location
  tags: tags
  kind: 'functionapp'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    environmentId: environmentId
    workloadProfileName: 'Consumption'
    configuration: {
      activeRevisionsMode: 'Single'
      // Event-driven scaling of Functions on Container Apps needs ingress; the host listens on 80. Only
      // /api/health is anonymous; GetRun needs a function key.
      ingress: {
        external: true
        targetPort: 80
        transport: 'auto'
        allowInsecure: false
      }
      registries: empty(registryLoginServer)
        ? []
        : [
            {
              server: registryLoginServer
              identity: identityId
            }
          ]
      // Key Vault secrets resolved by Container Apps with the Functions identity; the code sees the values.
      secrets: [
        {
          name: inferenceApiKeyRef
          keyVaultUrl: '${keyVaultUri}secrets/${inferenceApiKeySecretName}'
          identity: identityId
        }
        {
          name: alertWebhookSecretRef
          keyVaultUrl: '${keyVaultUri}secrets/${alertWebhookSecretName}'
          identity: identityId
        }
      ]
    }
    template: {
      containers: [
        {
          name: 'functions'
          image: empty(image) ? placeholderImage : image
          resources: {
            cpu: json(size.cpu)
            memory: size.memory
          }
          // Keep this list literal: the settings test reads the names from the compiled template.
          env: [
            // Read by the Functions host and the Azure SDKs, not by our code.
            { name: 'FUNCTIONS_WORKER_RUNTIME', value: 'dotnet-isolated' }
            { name: 'AzureWebJobsStorage__blobServiceUri', value: hostStorage.properties.primaryEndpoints.blob }
            { name: 'AzureWebJobsStorage__queueServiceUri', value: hostStorage.properties.primaryEndpoints.queue }
            { name: 'AzureWebJobsStorage__tableServiceUri', value: hostStorage.properties.primaryEndpoints.table }
            { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
            { name: 'AzureWebJobsStorage__clientId', value: identityClientId }
            { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsights.properties.ConnectionString }
            { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identityClientId};Authorization=AAD' }
            { name: 'AZURE_CLIENT_ID', value: identityClientId }
            // Read by our code (trigger connection "Storage", options sections, %RETRAIN_SCHEDULE%).
            { name: 'Storage__blobServiceUri', value: dataBlobEndpoint }
            { name: 'Storage__queueServiceUri', value: dataQueueEndpoint }
            { name: 'Storage__tableServiceUri', value: dataTableEndpoint }
            { name: 'Storage__credential', value: 'managedidentity' }
            { name: 'Storage__clientId', value: identityClientId }
            { name: 'RETRAIN_SCHEDULE', value: retrainSchedule }
            { name: 'InferenceClient__BaseAddress', value: inferenceUrl }
            { name: 'InferenceClient__ApiKey', secretRef: inferenceApiKeyRef }
            { name: 'Pipeline__ChunkSize', value: string(chunkSize) }
            { name: 'Pipeline__Overlap', value: string(overlap) }
            { name: 'Pipeline__Threshold', value: threshold }
            { name: 'Pipeline__MinAreaM2', value: minAreaM2 }
            { name: 'Alerts__Webhooks__0__Url', value: alertWebhookUrl }
            { name: 'Alerts__Webhooks__0__Secret', secretRef: alertWebhookSecretRef }
            { name: 'Training__JobResourceId', value: trainingJobResourceId }
          ]
        }
      ]
      scale: {
        minReplicas: 0
        maxReplicas: maximumInstanceCount
      }
    }
  }
  dependsOn: [
    // The host cannot start before it may use its storage.
    hostRoleAssignments
  ]
}

output name string = app.name
output fqdn string = app.properties.configuration.ingress.fqdn
output hostStorageAccountName string = hostStorage.name
