// One user-assigned identity per workload, so each gets only the roles it needs (roles.bicep).

@description('Azure region.')
param location string

@description('Identity names: functions, inference, training.')
param functionsName string
param inferenceName string
param trainingName string

param tags object

resource functions 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: functionsName
  location: location
  tags: tags
}

resource inference 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: inferenceName
  location: location
  tags: tags
}

resource training 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: trainingName
  location: location
  tags: tags
}

output functionsId string = functions.id
output functionsClientId string = functions.properties.clientId
output functionsPrincipalId string = functions.properties.principalId
output inferenceId string = inference.id
output inferenceClientId string = inference.properties.clientId
output inferencePrincipalId string = inference.properties.principalId
output trainingId string = training.id
output trainingClientId string = training.properties.clientId
output trainingPrincipalId string = training.properties.principalId
