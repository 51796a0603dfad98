// Data-plane roles, each on the narrowest scope that works:
//   Functions  reads scenes/, models/, training/; writes results/, work/; uses the pipeline queues and
//              the runs table; reads the vault's secrets (it needs every one: API key + webhook secrets);
//              pulls its image.
//   Inference  reads models/; reads only the inference API key secret; pulls images.
//   Training   reads training/; writes models/ (model versions, checkpoints, current.json); sends its
//              model.promoted / model.rejected event to the alerts queue only; pulls images.
// Starting the training job is granted in containerapps.bicep, where the job is.

@description('Data storage account name.')
param storageAccountName string

@description('Key Vault name and the inference API key secret name (the secret must exist).')
param keyVaultName string
param inferenceApiKeySecretName string

@description('Registry name.')
param registryName string

@description('Identity names (stable role assignment names) and principal ids.')
param functionsIdentityName string
param inferenceIdentityName string
param trainingIdentityName string
param functionsPrincipalId string
param inferencePrincipalId string
param trainingPrincipalId string

var roleIds = {
  blobReader: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
  blobContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  queueContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  queueSender: 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a'
  tableContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  acrPull: '7f951dda-4ed3-4680-a7ca-43fe172d538d'
}

// Who may do what on which container. Scenes are read-only for everyone: the pipeline never alters input.
var containerGrants = [
  { container: 'scenes', identity: functionsIdentityName, principalId: functionsPrincipalId, role: roleIds.blobReader }
  { container: 'results', identity: functionsIdentityName, principalId: functionsPrincipalId, role: roleIds.blobContributor }
  { container: 'work', identity: functionsIdentityName, principalId: functionsPrincipalId, role: roleIds.blobContributor }
  { container: 'models', identity: functionsIdentityName, principalId: functionsPrincipalId, role: roleIds.blobReader }
  { container: 'training', identity: functionsIdentityName, principalId: functionsPrincipalId, role: roleIds.blobReader }
  { container: 'models', identity: inferenceIdentityName, principalId: inferencePrincipalId, role: roleIds.blobReader }
  { container: 'training', identity: trainingIdentityName, principalId: trainingPrincipalId, role: roleIds.blobReader }
  { container: 'models', identity: trainingIdentityName, principalId: trainingPrincipalId, role: roleIds.blobContributor }
]

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName

  resource blobService 'blobServices' existing = {
    name: 'default'
  }

  resource tableService 'tableServices' existing = {
    name: 'default'

    resource runs 'tables' existing = {
      name: 'runs'
    }
  }
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = [
  for grant in containerGrants: {
    parent: account::blobService
    name: grant.container
  }
]

resource containerRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (grant, i) in containerGrants: {
    name: guid(containers[i].id, grant.identity, grant.role)
    scope: containers[i]
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', grant.role)
      principalId: grant.principalId
      principalType: 'ServicePrincipal'
    }
  }
]

// Queue-level scopes would need one assignment per queue (poison queues included); the account's queues
// all belong to the Functions pipeline, and no other identity has queue access.
resource functionsQueues 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, functionsIdentityName, roleIds.queueContributor)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.queueContributor)
    principalId: functionsPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource alertsQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' existing = {
  name: '${storageAccountName}/default/alerts'
}

// The training job queues its model event for the AlertDispatcher function: send to "alerts", nothing else.
resource trainingAlertsSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(alertsQueue.id, trainingIdentityName, roleIds.queueSender)
  scope: alertsQueue
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.queueSender)
    principalId: trainingPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource functionsRunsTable 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account::tableService::runs.id, functionsIdentityName, roleIds.tableContributor)
  scope: account::tableService::runs
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.tableContributor)
    principalId: functionsPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName

  resource inferenceApiKey 'secrets' existing = {
    name: inferenceApiKeySecretName
  }
}

resource functionsSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, functionsIdentityName, roleIds.keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.keyVaultSecretsUser)
    principalId: functionsPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource inferenceApiKeyReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault::inferenceApiKey.id, inferenceIdentityName, roleIds.keyVaultSecretsUser)
  scope: vault::inferenceApiKey
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.keyVaultSecretsUser)
    principalId: inferencePrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' existing = {
  name: registryName
}

resource acrPulls 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for puller in [
    { identity: functionsIdentityName, principalId: functionsPrincipalId }
    { identity: inferenceIdentityName, principalId: inferencePrincipalId }
    { identity: trainingIdentityName, principalId: trainingPrincipalId }
  ]: {
    name: guid(registry.id, puller.identity, roleIds.acrPull)
    scope: registry
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.acrPull)
      principalId: puller.principalId
      principalType: 'ServicePrincipal'
    }
  }
]
