// Key Vault (RBAC, no access policies) for the inference API key and the webhook secrets.
// A secret is written only when a value is passed, so a redeploy without values keeps what is there
// (deploy.sh generates the API key once; rotation is described in docs/DEPLOY.md).

@description('Azure region.')
param location string

@description('Key Vault name (3-24 characters, globally unique).')
@minLength(3)
@maxLength(24)
param vaultName string

@description('Days a deleted vault or secret can be recovered.')
@minValue(7)
@maxValue(90)
param softDeleteRetentionInDays int

@description('Purge protection cannot be turned off again once on; use it in production.')
param enablePurgeProtection bool

@secure()
@description('Inference API key; empty keeps the current secret.')
param inferenceApiKey string

@secure()
@description('HMAC secret of alert webhook 0; empty keeps the current secret.')
param alertWebhookSecret string

@description('Secret name of the inference API key (roles.bicep scopes a role to it).')
param inferenceApiKeySecretName string

param tags object

var alertWebhookSecretName = 'alert-webhook-0-secret'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: vaultName
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: softDeleteRetentionInDays
    // ARM rejects false here: the property may only be omitted or true.
    enablePurgeProtection: enablePurgeProtection ? true : null
    publicNetworkAccess: 'Enabled'
  }
}

resource inferenceApiKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(inferenceApiKey)) {
  parent: vault
  name: inferenceApiKeySecretName
  properties: {
    value: inferenceApiKey
    contentType: 'text/plain'
  }
}

resource alertWebhookSecretResource 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(alertWebhookSecret)) {
  parent: vault
  name: alertWebhookSecretName
  properties: {
    value: alertWebhookSecret
    contentType: 'text/plain'
  }
}

output vaultName string = vault.name
output vaultUri string = vault.properties.vaultUri
output inferenceApiKeySecretName string = inferenceApiKeySecretName
output alertWebhookSecretName string = alertWebhookSecretName
