// Container Apps environment with a serverless GPU workload profile, the GPU inference app (scales on
// concurrent HTTP requests, to zero by default) and the training job (GPU, manual or scheduled). The Functions app
// (functions.bicep) runs in the same environment on the Consumption profile.

@description('Azure region (must offer serverless GPUs for the chosen profile).')
param location string

@description('Base name shared by every resource of this deployment.')
param baseName string

param tags object

@description('Log Analytics workspace receiving container logs (name known before deployment).')
param workspaceName string

@description('Serverless GPU profile for inference and training.')
@allowed([
  'Consumption-GPU-NC8as-T4'
  'Consumption-GPU-NC24-A100'
])
param gpuProfileType string

@description('Registry login server; empty when the images are public (e.g. the placeholder).')
param registryLoginServer string

@description('Inference image; empty deploys a placeholder until infra/deploy.sh has built the real one.')
param inferenceImage string

@description('Training image; empty deploys a placeholder.')
param trainingImage string

@description('Port the inference server listens on.')
param inferencePort int

@minValue(0)
@maxValue(30)
param inferenceMinReplicas int

@minValue(1)
@maxValue(30)
param inferenceMaxReplicas int

@description('Concurrent requests per replica before another replica is added.')
@minValue(1)
param inferenceConcurrentRequests int

@allowed([
  'Manual'
  'Schedule'
])
param trainingTriggerType string

@description('Cron (5 fields, UTC) of the job when trainingTriggerType is Schedule.')
param trainingCron string

@minValue(600)
param trainingReplicaTimeoutSeconds int

@description('Identities (resource id and client id) of the inference app and the training job.')
param inferenceIdentityId string
param inferenceIdentityClientId string
param trainingIdentityId string
param trainingIdentityClientId string

@description('Name and principal id of the Functions identity, which may start the training job.')
param functionsIdentityName string
param functionsPrincipalId string

@description('Data account blob endpoint (models/ and training/).')
param dataBlobEndpoint string

@description('Data account queue endpoint: the training job queues its model event on "alerts".')
param dataQueueEndpoint string

@description('Retrain settings of the training job (Training__*): width when training from scratch, epochs, held-out share of labelled pairs, promotion tolerance, fine-tune or from scratch.')
param trainingWidth int = 128
param trainingEpochs int = 65
param trainingHeldOutShare string = '0.2'

@description('Folds of the out-of-fold threshold choice of a retrain (0 keeps the parent model\'s threshold).')
@minValue(0)
@maxValue(20)
param trainingThresholdFolds int = 5
param trainingPromotionTolerance string = '0.01'
param trainingFromScratch bool = false

@description('Key Vault URI and the inference API key secret name.')
param keyVaultUri string
param inferenceApiKeySecretName string

// Public sample image that listens on 80, used before the real images exist.
var placeholderImage = 'mcr.microsoft.com/k8se/quickstart:latest'
var gpuProfileName = 'gpu'
// Whole serverless GPU profile per replica: T4 = 8 vCPU / 56 GiB, A100 = 24 vCPU / 220 GiB.
var gpuSizes = {
  'Consumption-GPU-NC8as-T4': {
    cpu: '8.0'
    memory: '56Gi'
  }
  'Consumption-GPU-NC24-A100': {
    cpu: '24.0'
    memory: '220Gi'
  }
}
var gpuSize = gpuSizes[gpuProfileType]
var apiKeySecretRef = 'inference-api-key'

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: workspaceName
}

resource environment 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: 'cae-${baseName}'
  location: location
  tags: tags
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: workspace.properties.customerId
        sharedKey: workspace.listKeys().primarySharedKey
      }
    }
    workloadProfiles: [
      {
        name: 'Consumption'
        workloadProfileType: 'Consumption'
      }
      {
        name: gpuProfileName
        workloadProfileType: gpuProfileType
      }
    ]
  }
}

resource inference 'Microsoft.App/containerApps@2024-03-01' = {
  name: 'ca-${baseName}-inference'
  location: location
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${inferenceIdentityId}': {}
    }
  }
  properties: {
    environmentId: environment.id
    workloadProfileName: gpuProfileName
    configuration: {
      activeRevisionsMode: 'Single'
      ingress: {
        external: true
        targetPort: empty(inferenceImage) ? 80 : inferencePort
        transport: 'auto'
        allowInsecure: false
      }
      registries: empty(registryLoginServer)
        ? []
        : [
            {
              server: registryLoginServer
              identity: inferenceIdentityId
            }
          ]
      secrets: [
        {
          name: apiKeySecretRef
          keyVaultUrl: '${keyVaultUri}secrets/${inferenceApiKeySecretName}'
          identity: inferenceIdentityId
        }
      ]
    }
    template: {
      // The server reads the blob registry itself (InferenceServer__ModelSource=Blob) with the app's identity (no
      // account keys: shared-key is off): it polls models/current.json and hot-swaps a newly promoted model
      // without a restart. The EmptyDir is its download cache (InferenceServer__ModelsRoot).
      volumes: [
        {
          name: 'models'
          storageType: 'EmptyDir'
        }
      ]
      containers: [
        {
          name: 'inference'
          image: empty(inferenceImage) ? placeholderImage : inferenceImage
          resources: {
            cpu: json(gpuSize.cpu)
            memory: gpuSize.memory
          }
          // Names of src/Landslide.InferenceServer (InferenceServerOptions, section "InferenceServer").
          env: [
            { name: 'InferenceServer__ModelsRoot', value: '/models' }
            { name: 'InferenceServer__ModelSource', value: 'Blob' }
            { name: 'InferenceServer__Blob__ServiceUri', value: dataBlobEndpoint }
            { name: 'InferenceServer__Blob__ClientId', value: inferenceIdentityClientId }
            { name: 'AZURE_CLIENT_ID', value: inferenceIdentityClientId }
            { name: 'InferenceServer__AuthMode', value: 'ApiKey' }
            { name: 'InferenceServer__ApiKeys__0', secretRef: apiKeySecretRef }
            { name: 'ASPNETCORE_HTTP_PORTS', value: string(inferencePort) }
          ]
          volumeMounts: [
            {
              volumeName: 'models'
              mountPath: '/models'
            }
          ]
        }
      ]
      scale: {
        minReplicas: inferenceMinReplicas
        maxReplicas: inferenceMaxReplicas
        rules: [
          {
            name: 'http-concurrency'
            http: {
              metadata: {
                concurrentRequests: string(inferenceConcurrentRequests)
              }
            }
          }
        ]
      }
    }
  }
}

resource trainingJob 'Microsoft.App/jobs@2024-03-01' = {
  name: 'caj-${baseName}-training'
  location: location
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${trainingIdentityId}': {}
    }
  }
  properties: {
    environmentId: environment.id
    workloadProfileName: gpuProfileName
    configuration: {
      triggerType: trainingTriggerType
      replicaTimeout: trainingReplicaTimeoutSeconds
      replicaRetryLimit: 1
      manualTriggerConfig: trainingTriggerType == 'Manual'
        ? {
            parallelism: 1
            replicaCompletionCount: 1
          }
        : null
      scheduleTriggerConfig: trainingTriggerType == 'Schedule'
        ? {
            cronExpression: trainingCron
            parallelism: 1
            replicaCompletionCount: 1
          }
        : null
      registries: empty(registryLoginServer)
        ? []
        : [
            {
              server: registryLoginServer
              identity: trainingIdentityId
            }
          ]
    }
    template: {
      containers: [
        {
          name: 'training'
          image: empty(trainingImage) ? placeholderImage : trainingImage
          resources: {
            cpu: json(gpuSize.cpu)
            memory: gpuSize.memory
          }
          // Reads training/ and writes models/ in blob storage with its identity: no volumes.
          args: ['train', '--storage', 'managedidentity', '--device', 'cuda']
          env: [
            { name: 'AZURE_CLIENT_ID', value: trainingIdentityClientId }
            { name: 'Storage__blobServiceUri', value: dataBlobEndpoint }
            { name: 'Storage__queueServiceUri', value: dataQueueEndpoint }
            { name: 'Storage__clientId', value: trainingIdentityClientId }
            { name: 'Training__Width', value: string(trainingWidth) }
            { name: 'Training__Epochs', value: string(trainingEpochs) }
            { name: 'Training__HeldOutShare', value: trainingHeldOutShare }
            { name: 'Training__ThresholdFolds', value: string(trainingThresholdFolds) }
            { name: 'Training__PromotionTolerance', value: trainingPromotionTolerance }
            { name: 'Training__FromScratch', value: string(trainingFromScratch) }
          ]
        }
      ]
    }
  }
}

// Least privilege for the retrain timer: start this job and read its executions, nothing else.
resource jobStarterRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(resourceGroup().id, baseName, 'training-job-starter')
  properties: {
    roleName: 'Landslide training job starter (${baseName}, ${guid(resourceGroup().id)})'
    description: 'Start the landslide training Container Apps job and read its executions.'
    type: 'CustomRole'
    permissions: [
      {
        actions: [
          'Microsoft.App/jobs/read'
          'Microsoft.App/jobs/start/action'
          'Microsoft.App/jobs/executions/read'
        ]
        notActions: []
      }
    ]
    assignableScopes: [
      resourceGroup().id
    ]
  }
}

resource functionsMayStartJob 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(trainingJob.id, functionsIdentityName, 'training-job-starter')
  scope: trainingJob
  properties: {
    roleDefinitionId: jobStarterRole.id
    principalId: functionsPrincipalId
    principalType: 'ServicePrincipal'
  }
}

output environmentName string = environment.name
output environmentId string = environment.id
output inferenceAppName string = inference.name
output inferenceUrl string = 'https://${inference.properties.configuration.ingress.fqdn}'
output trainingJobName string = trainingJob.name
output trainingJobId string = trainingJob.id
