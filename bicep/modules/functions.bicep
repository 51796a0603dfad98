// The Functions app on the Flex Consumption plan (Linux, .NET isolated), with its own host storage
// account (AzureWebJobsStorage + the deployment package container) so that the data account's roles
// stay narrow. Every app setting here is listed in docs/SETTINGS.md; tests/Landslide.Infrastructure.Tests
// checks the two agree, and that the code reads exactly these.

@description('Azure region.')
param location string

@description('Base name shared by every resource of this deployment.')
param baseName string

@description('Host storage account name (3-24 lowercase letters and digits, globally unique).')
@minLength(3)
@maxLength(24)
param hostStorageAccountName string

param tags object

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

@description('Key Vault name and secret names for Key Vault references.')
param keyVaultName string
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
param halo int
param overlap int
param threshold string
param minAreaM2 string

@description('Most instances the plan scales out to (Functions scale-out per queue).')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int

@description('Memory per instance; chunk reads are bounded by the chunk size.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('.NET version of the isolated worker.')
param dotnetVersion string

var deploymentContainerName = 'app-package'

// Built-in role definition ids (stable across clouds).
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

// The host owns this account outright (leases, blob receipts, timer state, deployment package).
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

resource hostBlobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: hostStorage
  name: 'default'
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: hostBlobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
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

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-${baseName}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: 'func-${baseName}'
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${hostStorage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: dotnetVersion
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      // Keep this list literal: the settings test reads the names from the compiled template.
      appSettings: [
        // Read by the Functions host and the Azure SDKs, not by our code.
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
        {
          name: 'InferenceClient__ApiKey'
          value: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${inferenceApiKeySecretName})'
        }
        { name: 'Pipeline__ChunkSize', value: string(chunkSize) }
        { name: 'Pipeline__Halo', value: string(halo) }
        { name: 'Pipeline__Overlap', value: string(overlap) }
        { name: 'Pipeline__Threshold', value: threshold }
        { name: 'Pipeline__MinAreaM2', value: minAreaM2 }
        { name: 'Alerts__Webhooks__0__Url', value: alertWebhookUrl }
        {
          name: 'Alerts__Webhooks__0__Secret'
          value: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${alertWebhookSecretName})'
        }
        { name: 'Training__JobResourceId', value: trainingJobResourceId }
      ]
    }
  }
  dependsOn: [
    // The host cannot start (or read its package) before its roles exist.
    hostRoleAssignments
    deploymentContainer
  ]
}

output name string = site.name
output defaultHostName string = site.properties.defaultHostName
output hostStorageAccountName string = hostStorage.name
output deploymentContainerUrl string = '${hostStorage.properties.primaryEndpoints.blob}${deploymentContainerName}'
