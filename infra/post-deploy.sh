#!/usr/bin/env bash
# After the Functions app is published: subscribes the storage system topic's BlobCreated events for scenes/
# to the SceneArrived blob trigger (Event Grid source). Needs the blob extension's system key, which exists
# only once the host has started with a blob trigger - hence not in Bicep.
#   infra/post-deploy.sh RESOURCE_GROUP DEPLOYMENT_NAME [FUNCTION_NAME]     (FUNCTION_NAME default SceneArrived)
#   infra/post-deploy.sh --print-endpoint HOST KEY [FUNCTION_NAME]          (prints the webhook URL only)
set -euo pipefail

endpoint() {
  printf 'https://%s/runtime/webhooks/blobs?functionName=Host.Functions.%s&code=%s\n' "$1" "${3:-SceneArrived}" "$2"
}

if [[ "${1:-}" == "--print-endpoint" ]]; then
  endpoint "${2:?host}" "${3:?key}" "${4:-}"
  exit 0
fi

rg="${1:?usage: post-deploy.sh RESOURCE_GROUP DEPLOYMENT_NAME [FUNCTION_NAME]}"
deployment="${2:?deployment name}"
function_name="${3:-SceneArrived}"
output() { az deployment group show --resource-group "$rg" --name "$deployment" --query "properties.outputs.$1.value" --output tsv; }

app="$(output functionAppName)"
topic="$(output eventGridSystemTopicName)"
host="$(az functionapp show --resource-group "$rg" --name "$app" --query defaultHostName --output tsv)"

# The key appears a little after the first start with the blob extension loaded.
key=""
for attempt in $(seq 1 30); do
  key="$(az functionapp keys list --resource-group "$rg" --name "$app" --query systemKeys.blobs_extension --output tsv 2>/dev/null || true)"
  [[ -n "$key" && "$key" != "None" ]] && break
  echo "post-deploy.sh: waiting for the blobs_extension system key ($attempt/30)" >&2
  sleep 10
done
[[ -n "$key" && "$key" != "None" ]] || { echo "post-deploy.sh: no blobs_extension key on $app: is the SceneArrived blob trigger deployed?" >&2; exit 1; }

az eventgrid system-topic event-subscription create \
  --resource-group "$rg" \
  --system-topic-name "$topic" \
  --name scenes-blob-created \
  --endpoint-type webhook \
  --endpoint "$(endpoint "$host" "$key" "$function_name")" \
  --included-event-types Microsoft.Storage.BlobCreated \
  --subject-begins-with /blobServices/default/containers/scenes/blobs/ \
  --max-delivery-attempts 30 \
  --event-ttl 1440 \
  --output none
echo "post-deploy.sh: BlobCreated on scenes/ now reaches $app/$function_name"
