// The data account: scenes in, results out, the pipeline's queues and its run table.
// Shared-key access is off: every caller uses an Entra ID identity (roles.bicep).

@description('Azure region.')
param location string

@description('Globally unique storage account name (3-24 lowercase letters and digits).')
@minLength(3)
@maxLength(24)
param accountName string

@description('Storage redundancy.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param skuName string

@description('Days a deleted blob can be restored (0 turns soft delete off).')
@minValue(0)
@maxValue(365)
param blobSoftDeleteDays int

param tags object

// Containers, queues and the table named in docs/ARCHITECTURE.md; the code uses these names as constants.
var containerNames = [
  'scenes'
  'results'
  'work'
  'models'
  'training'
]

// Each trigger queue has its poison queue (created by the runtime on demand; created here so roles and
// alerts can be set on them up front). scenes-arrived receives Event Grid's BlobCreated events of scenes/
// (eventgrid.bicep); webjobs-blobtrigger-poison is where a blob trigger (local hosting) parks scenes that
// failed five times.
var queueNames = [
  'scenes-arrived'
  'scenes-arrived-poison'
  'chunks'
  'chunks-poison'
  'finalize'
  'finalize-poison'
  'alerts'
  'alerts-poison'
  'alerts-deadletter'
  'webjobs-blobtrigger-poison'
]

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: accountName
  location: location
  tags: tags
  sku: {
    name: skuName
  }
  kind: 'StorageV2'
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    deleteRetentionPolicy: {
      enabled: blobSoftDeleteDays > 0
      // The API wants 1-365 even when disabled.
      days: max(blobSoftDeleteDays, 1)
    }
  }
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [
  for name in containerNames: {
    parent: blobService
    name: name
    properties: {
      publicAccess: 'None'
    }
  }
]

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [
  for name in queueNames: {
    parent: queueService
    name: name
  }
]

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource runsTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = {
  parent: tableService
  name: 'runs'
}

// Intermediate chunk rasters are only needed until the run is finalized.
resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'expire-work'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [
                'blockBlob'
              ]
              prefixMatch: [
                'work/'
              ]
            }
            actions: {
              baseBlob: {
                delete: {
                  daysAfterModificationGreaterThan: 7
                }
              }
            }
          }
        }
      ]
    }
  }
  dependsOn: [
    containers
  ]
}

output accountName string = account.name
output accountId string = account.id
output blobEndpoint string = account.properties.primaryEndpoints.blob
output queueEndpoint string = account.properties.primaryEndpoints.queue
output tableEndpoint string = account.properties.primaryEndpoints.table
output containerNames string[] = containerNames
output queueNames string[] = queueNames
output tableName string = runsTable.name
