// Development: smallest GPU, scale to zero, short retention. Secrets come from the environment
// (infra/deploy.sh sets them); empty keeps what Key Vault already holds.
using 'main.bicep'

param environmentName = 'dev'
param namePrefix = readEnvironmentVariable('LANDSLIDE_NAME_PREFIX', 'landslide')
param gpuProfileType = 'Consumption-GPU-NC8as-T4'
param inferenceMinReplicas = 0
param inferenceMaxReplicas = 1
param functionsMaximumInstanceCount = 10
param storageSku = 'Standard_LRS'
param logRetentionDays = 30
param keyVaultPurgeProtection = false
param functionsImage = readEnvironmentVariable('LANDSLIDE_FUNCTIONS_IMAGE', '')
param inferenceImage = readEnvironmentVariable('LANDSLIDE_INFERENCE_IMAGE', '')
param trainingImage = readEnvironmentVariable('LANDSLIDE_TRAINING_IMAGE', '')
param alertWebhookUrl = readEnvironmentVariable('LANDSLIDE_ALERT_WEBHOOK_URL', '')
param alertWebhookSecret = readEnvironmentVariable('LANDSLIDE_ALERT_WEBHOOK_SECRET', '')
param inferenceApiKey = readEnvironmentVariable('LANDSLIDE_INFERENCE_API_KEY', '')
param tags = {
  costCenter: 'landslide-dev'
}
