// Production: A100 profile, zone-redundant storage, purge protection, longer retention.
// minReplicas stays 0 (GPU cost); set 1 when first-scene latency matters more than idle cost.
using 'main.bicep'

param environmentName = 'prod'
param namePrefix = readEnvironmentVariable('LANDSLIDE_NAME_PREFIX', 'landslide')
param gpuProfileType = 'Consumption-GPU-NC24-A100'
param inferenceMinReplicas = 0
param inferenceMaxReplicas = 4
param inferenceConcurrentRequests = 8
param functionsMaximumInstanceCount = 100
param functionsInstanceMemoryMB = 4096
param storageSku = 'Standard_ZRS'
param blobSoftDeleteDays = 30
param logRetentionDays = 90
param keyVaultSoftDeleteDays = 90
param keyVaultPurgeProtection = true
param registrySku = 'Standard'
param trainingTriggerType = 'Manual'
param functionsImage = readEnvironmentVariable('LANDSLIDE_FUNCTIONS_IMAGE', '')
param inferenceImage = readEnvironmentVariable('LANDSLIDE_INFERENCE_IMAGE', '')
param trainingImage = readEnvironmentVariable('LANDSLIDE_TRAINING_IMAGE', '')
param alertWebhookUrl = readEnvironmentVariable('LANDSLIDE_ALERT_WEBHOOK_URL', '')
param alertWebhookSecret = readEnvironmentVariable('LANDSLIDE_ALERT_WEBHOOK_SECRET', '')
param inferenceApiKey = readEnvironmentVariable('LANDSLIDE_INFERENCE_API_KEY', '')
param tags = {
  costCenter: 'landslide-prod'
}
