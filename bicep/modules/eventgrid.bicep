// Event Grid system topic on the data account. The BlobCreated subscription for scenes/ is created by
// infra/post-deploy.sh once the app is deployed: its webhook URL carries the blob extension's system
// key, which exists only after the Functions host has started with the blob trigger.

@description('Azure region (the storage account\'s).')
param location string

@description('Base name shared by every resource of this deployment.')
param baseName string

@description('Data storage account name.')
param storageAccountName string

param tags object

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource topic 'Microsoft.EventGrid/systemTopics@2022-06-15' = {
  name: 'evgt-${baseName}-storage'
  location: location
  tags: tags
  properties: {
    source: account.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

output systemTopicName string = topic.name
