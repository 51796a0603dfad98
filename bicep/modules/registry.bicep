// Container registry for the inference and training images (pushed by infra/deploy.sh with `az acr build`).
// Admin user off: the container apps pull with their identities (AcrPull in roles.bicep).

@description('Azure region.')
param location string

@description('Registry name (5-50 letters and digits, globally unique).')
@minLength(5)
@maxLength(50)
param registryName string

@allowed([
  'Basic'
  'Standard'
  'Premium'
])
param skuName string

param tags object

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: registryName
  location: location
  tags: tags
  sku: {
    name: skuName
  }
  properties: {
    adminUserEnabled: false
    publicNetworkAccess: 'Enabled'
  }
}

output registryName string = registry.name
output loginServer string = registry.properties.loginServer
