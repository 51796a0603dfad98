// Event Grid system topic on the data account, and the route of new scenes: BlobCreated events under scenes/ go
// to the storage queue 'scenes-arrived', which the Functions app's SceneArrivedFromQueue function consumes.
// Azure Functions on Container Apps cannot take the blob trigger's Event Grid webhook (it has no blobs_extension
// system key to put in the URL), so the queue, not a webhook, is the endpoint. The topic delivers with its own
// system-assigned identity, which may only add messages to that one queue (shared keys are off on the account).

@description('Azure region (the storage account\'s).')
param location string

@description('Base name shared by every resource of this deployment.')
param baseName string

@description('Data storage account name; the queue below must exist in it (storage.bicep).')
param storageAccountName string

param tags object

var queueName = 'scenes-arrived'
// Storage Queue Data Message Sender: add messages, nothing else.
var queueMessageSender = 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a'

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName

  resource queueService 'queueServices' existing = {
    name: 'default'

    resource scenesArrived 'queues' existing = {
      name: queueName
    }
  }
}

resource topic 'Microsoft.EventGrid/systemTopics@2022-06-15' = {
  name: 'evgt-${baseName}-storage'
  location: location
  tags: tags
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    source: account.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

resource topicMaySend 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account::queueService::scenesArrived.id, topic.id, queueMessageSender)
  scope: account::queueService::scenesArrived
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', queueMessageSender)
    principalId: topic.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource scenesCreated 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2022-06-15' = {
  parent: topic
  name: 'scenes-blob-created'
  properties: {
    deliveryWithResourceIdentity: {
      identity: {
        type: 'SystemAssigned'
      }
      destination: {
        endpointType: 'StorageQueue'
        properties: {
          resourceId: account.id
          queueName: queueName
          // A week: a scene uploaded while the app is broken still starts once it is fixed.
          queueMessageTimeToLiveInSeconds: 604800
        }
      }
    }
    eventDeliverySchema: 'EventGridSchema'
    filter: {
      includedEventTypes: [
        'Microsoft.Storage.BlobCreated'
      ]
      subjectBeginsWith: '/blobServices/default/containers/scenes/blobs/'
    }
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
  }
  // Event Grid checks at creation that its identity may write to the queue.
  dependsOn: [
    topicMaySend
  ]
}

output systemTopicName string = topic.name
output subscriptionName string = scenesCreated.name
output queueName string = queueName
