// The whole landslide pipeline in one resource group (docs/ARCHITECTURE.md): data storage, one Container Apps environment
// running the Functions app (a container with GDAL, kind 'functionapp'), the GPU inference app and the training
// job, Key Vault, registry, monitoring, and the Event Grid route of new scenes to the 'scenes-arrived' queue.
// Deploy with infra/deploy.sh; see docs/DEPLOY.md.
targetScope = 'resourceGroup'

@description('Environment name; part of every resource name.')
@allowed([
  'dev'
  'prod'
])
param environmentName string

@description('Short lowercase prefix (letters and digits) for resource names.')
@minLength(2)
@maxLength(10)
param namePrefix string = 'landslide'

@description('Azure region; must offer Container Apps serverless GPUs.')
param location string = resourceGroup().location

param tags object = {}

// Storage and monitoring
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param storageSku string = 'Standard_LRS'

@minValue(0)
@maxValue(365)
param blobSoftDeleteDays int = 7

@minValue(30)
@maxValue(730)
param logRetentionDays int = 30

// Functions
@description('Most Functions replicas (queue-driven scale-out is capped here).')
@minValue(1)
@maxValue(1000)
param functionsMaximumInstanceCount int = 40

@description('Memory per Functions replica, with 1 vCPU per 2 GiB.')
@allowed([
  2048
  4096
  8192
])
param functionsInstanceMemoryMB int = 2048

@description('Functions image (infra/functions/Dockerfile); empty deploys a placeholder until deploy.sh has built it.')
param functionsImage string = ''

@description('NCRONTAB (6 fields, UTC) of the RetrainSchedule timer, which checks training/ for new labels.')
param retrainSchedule string = '0 0 2 * * *'

@description('Chunk edge in pixels: the unit of parallelism and of worker memory.')
@minValue(256)
@maxValue(8192)
param chunkSize int = 2048

@description('Pixels shared by neighbouring 128 px tiles.')
@minValue(0)
@maxValue(96)
param overlap int = 32

@description('Probability threshold of the mask (invariant-culture decimal); empty = the model\'s threshold, as `landslide map` does.')
param threshold string = ''

@description('Smallest polygon kept, in square metres (invariant-culture decimal); empty = the model manifest\'s min_area_m2, else 800, as `landslide map` does.')
param minAreaM2 string = ''

@description('Alert webhook 0; empty disables alerts.')
param alertWebhookUrl string = ''

@secure()
@description('HMAC secret of alert webhook 0; empty keeps the Key Vault secret as it is.')
param alertWebhookSecret string = ''

// GPU inference and training
@allowed([
  'Consumption-GPU-NC8as-T4'
  'Consumption-GPU-NC24-A100'
])
param gpuProfileType string = 'Consumption-GPU-NC8as-T4'

@description('Inference image (e.g. myacr.azurecr.io/landslide-inference:1.0); empty deploys a placeholder.')
param inferenceImage string = ''

@description('Training image; empty deploys a placeholder.')
param trainingImage string = ''

param inferencePort int = 8080

@description('GPU replicas kept warm; 0 scales to zero when idle (first request then waits for a cold start).')
@minValue(0)
@maxValue(30)
param inferenceMinReplicas int = 0

@minValue(1)
@maxValue(30)
param inferenceMaxReplicas int = 2

@description('Concurrent requests per replica before another replica starts.')
@minValue(1)
param inferenceConcurrentRequests int = 4

@secure()
@description('Inference API key; empty keeps the Key Vault secret as it is (deploy.sh creates it once).')
param inferenceApiKey string = ''

@description('Manual: the RetrainSchedule function starts the job when new labels arrive. Schedule: the job also runs on trainingCron.')
@allowed([
  'Manual'
  'Schedule'
])
param trainingTriggerType string = 'Manual'

@description('Cron (5 fields, UTC) used when trainingTriggerType is Schedule.')
param trainingCron string = '0 3 * * 0'

@minValue(600)
param trainingReplicaTimeoutSeconds int = 28800

// Key Vault
@minValue(7)
@maxValue(90)
param keyVaultSoftDeleteDays int = 7

param keyVaultPurgeProtection bool = false

@allowed([
  'Basic'
  'Standard'
  'Premium'
])
param registrySku string = 'Basic'

var baseName = '${namePrefix}-${environmentName}'
var compactPrefix = toLower(replace(namePrefix, '-', ''))
var suffix = take(uniqueString(resourceGroup().id, namePrefix, environmentName), 8)
// Names are computed here, before deployment, so What-If sees every resource id (what-if-short-circuiting).
var names = {
  storage: take('st${compactPrefix}${environmentName}${suffix}', 24)
  hostStorage: take('fn${compactPrefix}${environmentName}${suffix}', 24)
  keyVault: take('kv${compactPrefix}${environmentName}${suffix}', 24)
  registry: take('cr${compactPrefix}${environmentName}${suffix}', 50)
  workspace: 'log-${baseName}'
  appInsights: 'appi-${baseName}'
  functionsIdentity: 'id-${baseName}-functions'
  inferenceIdentity: 'id-${baseName}-inference'
  trainingIdentity: 'id-${baseName}-training'
}
var inferenceApiKeySecretName = 'inference-api-key'
var allTags = union(tags, {
  application: 'landslide'
  environment: environmentName
})

module identities 'modules/identities.bicep' = {
  name: 'identities'
  params: {
    location: location
    functionsName: names.functionsIdentity
    inferenceName: names.inferenceIdentity
    trainingName: names.trainingIdentity
    tags: allTags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    workspaceName: names.workspace
    appInsightsName: names.appInsights
    retentionInDays: logRetentionDays
    tags: allTags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    accountName: names.storage
    skuName: storageSku
    blobSoftDeleteDays: blobSoftDeleteDays
    tags: allTags
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    location: location
    vaultName: names.keyVault
    softDeleteRetentionInDays: keyVaultSoftDeleteDays
    enablePurgeProtection: keyVaultPurgeProtection
    inferenceApiKey: inferenceApiKey
    alertWebhookSecret: alertWebhookSecret
    inferenceApiKeySecretName: inferenceApiKeySecretName
    tags: allTags
  }
}

module registry 'modules/registry.bicep' = {
  name: 'registry'
  params: {
    location: location
    registryName: names.registry
    skuName: registrySku
    tags: allTags
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  params: {
    storageAccountName: names.storage
    keyVaultName: names.keyVault
    inferenceApiKeySecretName: inferenceApiKeySecretName
    registryName: names.registry
    functionsIdentityName: names.functionsIdentity
    inferenceIdentityName: names.inferenceIdentity
    trainingIdentityName: names.trainingIdentity
    functionsPrincipalId: identities.outputs.functionsPrincipalId
    inferencePrincipalId: identities.outputs.inferencePrincipalId
    trainingPrincipalId: identities.outputs.trainingPrincipalId
  }
  // The names are known up front; the resources must still exist before roles are scoped to them.
  dependsOn: [
    storage
    keyVault
    registry
  ]
}

module containerApps 'modules/containerapps.bicep' = {
  name: 'containerapps'
  params: {
    location: location
    baseName: baseName
    tags: allTags
    workspaceName: names.workspace
    gpuProfileType: gpuProfileType
    // Images from the registry are pulled with the apps' identities; the placeholder is public.
    registryLoginServer: empty(inferenceImage) && empty(trainingImage) ? '' : registry.outputs.loginServer
    inferenceImage: inferenceImage
    trainingImage: trainingImage
    inferencePort: inferencePort
    inferenceMinReplicas: inferenceMinReplicas
    inferenceMaxReplicas: inferenceMaxReplicas
    inferenceConcurrentRequests: inferenceConcurrentRequests
    trainingTriggerType: trainingTriggerType
    trainingCron: trainingCron
    trainingReplicaTimeoutSeconds: trainingReplicaTimeoutSeconds
    inferenceIdentityId: identities.outputs.inferenceId
    inferenceIdentityClientId: identities.outputs.inferenceClientId
    trainingIdentityId: identities.outputs.trainingId
    trainingIdentityClientId: identities.outputs.trainingClientId
    functionsIdentityName: names.functionsIdentity
    functionsPrincipalId: identities.outputs.functionsPrincipalId
    dataBlobEndpoint: storage.outputs.blobEndpoint
    dataQueueEndpoint: storage.outputs.queueEndpoint
    keyVaultUri: keyVault.outputs.vaultUri
    inferenceApiKeySecretName: keyVault.outputs.inferenceApiKeySecretName
  }
  // The apps resolve their Key Vault secret and pull images at creation: their roles must exist first.
  dependsOn: [
    roles
    monitoring
  ]
}

module functions 'modules/functions.bicep' = {
  name: 'functions'
  params: {
    location: location
    baseName: baseName
    hostStorageAccountName: names.hostStorage
    tags: allTags
    environmentId: containerApps.outputs.environmentId
    image: functionsImage
    // The Functions image is pulled from the registry with the Functions identity; the placeholder is public.
    registryLoginServer: empty(functionsImage) ? '' : registry.outputs.loginServer
    identityId: identities.outputs.functionsId
    identityClientId: identities.outputs.functionsClientId
    identityName: names.functionsIdentity
    identityPrincipalId: identities.outputs.functionsPrincipalId
    appInsightsName: names.appInsights
    dataBlobEndpoint: storage.outputs.blobEndpoint
    dataQueueEndpoint: storage.outputs.queueEndpoint
    dataTableEndpoint: storage.outputs.tableEndpoint
    keyVaultUri: keyVault.outputs.vaultUri
    inferenceApiKeySecretName: keyVault.outputs.inferenceApiKeySecretName
    alertWebhookSecretName: keyVault.outputs.alertWebhookSecretName
    inferenceUrl: containerApps.outputs.inferenceUrl
    alertWebhookUrl: alertWebhookUrl
    trainingJobResourceId: containerApps.outputs.trainingJobId
    retrainSchedule: retrainSchedule
    chunkSize: chunkSize
    overlap: overlap
    threshold: threshold
    minAreaM2: minAreaM2
    maximumInstanceCount: functionsMaximumInstanceCount
    instanceMemoryMB: functionsInstanceMemoryMB
  }
  dependsOn: [
    roles
    monitoring
  ]
}

module eventGrid 'modules/eventgrid.bicep' = {
  name: 'eventgrid'
  params: {
    location: location
    baseName: baseName
    storageAccountName: names.storage
    tags: allTags
  }
  dependsOn: [
    storage
  ]
}

// Everything docs/DEPLOY.md and infra/post-deploy.sh need.
output storageAccountName string = storage.outputs.accountName
output blobEndpoint string = storage.outputs.blobEndpoint
output scenesUrl string = '${storage.outputs.blobEndpoint}scenes'
output resultsUrl string = '${storage.outputs.blobEndpoint}results'
output modelsUrl string = '${storage.outputs.blobEndpoint}models'
output trainingDataUrl string = '${storage.outputs.blobEndpoint}training'
output alertsDeadLetterQueue string = 'alerts-deadletter'
output functionAppName string = functions.outputs.name
output functionAppUrl string = 'https://${functions.outputs.fqdn}'
output scenesArrivedQueue string = eventGrid.outputs.queueName
output functionsIdentityClientId string = identities.outputs.functionsClientId
output inferenceAppName string = containerApps.outputs.inferenceAppName
output inferenceUrl string = containerApps.outputs.inferenceUrl
output trainingJobName string = containerApps.outputs.trainingJobName
output containerAppsEnvironmentName string = containerApps.outputs.environmentName
output keyVaultName string = keyVault.outputs.vaultName
output keyVaultUri string = keyVault.outputs.vaultUri
output registryName string = registry.outputs.registryName
output registryLoginServer string = registry.outputs.loginServer
output appInsightsName string = monitoring.outputs.appInsightsName
output logAnalyticsWorkspaceName string = monitoring.outputs.workspaceName
output eventGridSystemTopicName string = eventGrid.outputs.systemTopicName
