#!/usr/bin/env bash
# Deploys the landslide pipeline into one resource group with one command:
#   infra/deploy.sh dev|prod RESOURCE_GROUP LOCATION [--build-images] [--what-if]
# 1. creates the group, generates the inference API key once (kept in Key Vault afterwards);
# 2. deploys bicep/main.bicep with bicep/main.<env>.bicepparam;
# 3. with --build-images: builds infra/inference and infra/training in the registry (az acr build, no local
#    Docker) and redeploys with those images;
# 4. publishes the Functions app (zip) when src/Landslide.Functions exists, then runs infra/post-deploy.sh.
# Needs: az CLI >= 2.60 logged in with Owner (or Contributor + User Access Administrator) on the subscription.
set -euo pipefail

env="${1:?usage: deploy.sh dev|prod RESOURCE_GROUP LOCATION [--build-images] [--what-if]}"
rg="${2:?resource group}"
location="${3:?location}"
shift 3
build_images=false what_if=false
for arg in "$@"; do
  case "$arg" in
    --build-images) build_images=true ;;
    --what-if) what_if=true ;;
    *) echo "deploy.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done
[[ "$env" == dev || "$env" == prod ]] || { echo "deploy.sh: environment must be dev or prod" >&2; exit 2; }

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
params="$root/bicep/main.$env.bicepparam"
name="landslide-$env-$(date -u +%Y%m%d%H%M%S)"

az group create --name "$rg" --location "$location" --output none

# The API key is generated on the first deployment only: afterwards an empty value keeps the vault's secret.
existing_vault="$(az keyvault list --resource-group "$rg" --query '[0].name' --output tsv 2>/dev/null || true)"
if [[ -z "$existing_vault" && -z "${LANDSLIDE_INFERENCE_API_KEY:-}" ]]; then
  LANDSLIDE_INFERENCE_API_KEY="$(openssl rand -base64 48 | tr -d '\n/+=' | cut -c1-48)"
  export LANDSLIDE_INFERENCE_API_KEY
fi

deploy() {
  if $what_if; then
    az deployment group what-if --resource-group "$rg" --name "$name" --parameters "$params"
    exit 0
  fi
  az deployment group create --resource-group "$rg" --name "$name" --parameters "$params" --output none
}
output() { az deployment group show --resource-group "$rg" --name "$name" --query "properties.outputs.$1.value" --output tsv; }

deploy

if $build_images; then
  registry="$(output registryName)"
  login_server="$(output registryLoginServer)"
  tag="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || date -u +%Y%m%d%H%M%S)"
  az acr build --registry "$registry" --image "landslide-inference:$tag" --file "$root/infra/inference/Dockerfile" "$root"
  az acr build --registry "$registry" --image "landslide-training:$tag" --file "$root/infra/training/Dockerfile" "$root"
  export LANDSLIDE_INFERENCE_IMAGE="$login_server/landslide-inference:$tag"
  export LANDSLIDE_TRAINING_IMAGE="$login_server/landslide-training:$tag"
  unset LANDSLIDE_INFERENCE_API_KEY # already in the vault
  deploy
fi

app="$(output functionAppName)"
if [[ -f "$root/src/Landslide.Functions/Landslide.Functions.csproj" ]]; then
  publish="$(mktemp -d)"
  dotnet publish "$root/src/Landslide.Functions" --configuration Release --output "$publish/app" --artifacts-path "$publish/art"
  (cd "$publish/app" && zip -qr "$publish/app.zip" .)
  az functionapp deployment source config-zip --resource-group "$rg" --name "$app" --src "$publish/app.zip"
  "$root/infra/post-deploy.sh" "$rg" "$name"
else
  echo "deploy.sh: src/Landslide.Functions not found; skipped publishing and the Event Grid subscription" >&2
fi

az deployment group show --resource-group "$rg" --name "$name" --query properties.outputs --output table
