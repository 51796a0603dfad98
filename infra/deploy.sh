#!/usr/bin/env bash
# Deploys the landslide pipeline into one resource group with one command:
#   infra/deploy.sh dev|prod RESOURCE_GROUP LOCATION [--build-images] [--what-if]
# 1. creates the group; on the first deployment generates the inference API key and the alert webhook secret
#    (kept in Key Vault afterwards; the container apps read them from there);
# 2. deploys bicep/main.bicep with bicep/main.<env>.bicepparam (placeholder images where none exist yet);
# 3. builds the Functions image (infra/functions/Dockerfile: the app + GDAL) in the registry with `az acr build`
#    (no local Docker), unless LANDSLIDE_FUNCTIONS_IMAGE names one; with --build-images also the GPU inference and
#    training images; then redeploys with those images;
# 4. runs infra/post-deploy.sh, which waits until the Functions app answers healthy (GDAL loaded) and the Event Grid
#    route of scenes/ to the 'scenes-arrived' queue is provisioned.
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

# Secrets are generated on the first deployment only: afterwards an empty value keeps the vault's secret. The
# container apps reference both secrets, so both must exist before the apps are created.
random_secret() { openssl rand -base64 48 | tr -d '\n/+=' | cut -c1-48; }
existing_vault="$(az keyvault list --resource-group "$rg" --query '[0].name' --output tsv 2>/dev/null || true)"
if [[ -z "$existing_vault" ]]; then
  if [[ -z "${LANDSLIDE_INFERENCE_API_KEY:-}" ]]; then LANDSLIDE_INFERENCE_API_KEY="$(random_secret)"; export LANDSLIDE_INFERENCE_API_KEY; fi
  if [[ -z "${LANDSLIDE_ALERT_WEBHOOK_SECRET:-}" ]]; then LANDSLIDE_ALERT_WEBHOOK_SECRET="$(random_secret)"; export LANDSLIDE_ALERT_WEBHOOK_SECRET; fi
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

registry="$(output registryName)"
login_server="$(output registryLoginServer)"
tag="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || date -u +%Y%m%d%H%M%S)"
if [[ -z "${LANDSLIDE_FUNCTIONS_IMAGE:-}" ]]; then
  az acr build --registry "$registry" --image "landslide-functions:$tag" --file "$root/infra/functions/Dockerfile" "$root"
  export LANDSLIDE_FUNCTIONS_IMAGE="$login_server/landslide-functions:$tag"
fi
if $build_images; then
  az acr build --registry "$registry" --image "landslide-inference:$tag" --file "$root/infra/inference/Dockerfile" "$root"
  az acr build --registry "$registry" --image "landslide-training:$tag" --file "$root/infra/training/Dockerfile" "$root"
  export LANDSLIDE_INFERENCE_IMAGE="$login_server/landslide-inference:$tag"
  export LANDSLIDE_TRAINING_IMAGE="$login_server/landslide-training:$tag"
fi
unset LANDSLIDE_INFERENCE_API_KEY LANDSLIDE_ALERT_WEBHOOK_SECRET # already in the vault
deploy

"$root/infra/post-deploy.sh" "$rg" "$name"
az deployment group show --resource-group "$rg" --name "$name" --query properties.outputs --output table
