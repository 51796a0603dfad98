#!/usr/bin/env bash
# Checks a deployment end to end before the first scene, and says what is wrong if it is not ready:
#   1. the Functions app answers GET /api/health with 200: storage reachable and GDAL loaded in its image
#      (the first call may wait for a cold start: the app scales to zero);
#   2. the Event Grid subscription 'scenes-blob-created' (BlobCreated under scenes/ -> queue 'scenes-arrived')
#      is provisioned. It is part of the Bicep: Azure Functions on Container Apps has no blob-extension webhook
#      key, so Event Grid delivers to the queue the SceneArrivedFromQueue function reads.
#   infra/post-deploy.sh RESOURCE_GROUP DEPLOYMENT_NAME
# Exit codes: 0 ready, 1 a check failed (the message says which), 2 usage.
set -euo pipefail

rg="${1:?usage: post-deploy.sh RESOURCE_GROUP DEPLOYMENT_NAME}"
deployment="${2:?usage: post-deploy.sh RESOURCE_GROUP DEPLOYMENT_NAME}"
output() { az deployment group show --resource-group "$rg" --name "$deployment" --query "properties.outputs.$1.value" --output tsv; }

app_url="$(output functionAppUrl)"
topic="$(output eventGridSystemTopicName)"

health=""
for attempt in $(seq 1 30); do
  if health="$(curl --silent --show-error --fail --max-time 60 "$app_url/api/health" 2>&1)"; then
    break
  fi
  echo "post-deploy.sh: waiting for $app_url/api/health ($attempt/30): $health" >&2
  health=""
  sleep 10
done
[[ -n "$health" ]] || { echo "post-deploy.sh: the Functions app is not healthy; see its logs: az containerapp logs show -g $rg -n $(output functionAppName)" >&2; exit 1; }
echo "post-deploy.sh: Functions app healthy: $health"

state="$(az eventgrid system-topic event-subscription show --resource-group "$rg" --system-topic-name "$topic" \
  --name scenes-blob-created --query provisioningState --output tsv)"
[[ "$state" == "Succeeded" ]] || { echo "post-deploy.sh: Event Grid subscription scenes-blob-created is '$state', not Succeeded" >&2; exit 1; }
echo "post-deploy.sh: BlobCreated under scenes/ reaches queue $(output scenesArrivedQueue); upload a scene to start a run"
