#!/usr/bin/env bash
# Spark's GPU discovery script (the one Spark documents, examples/src/main/scripts/getGpusResources.sh):
# prints this host's GPUs as Spark's resource JSON, e.g. {"name": "gpu", "addresses":["0","1"]}.
# scripts/submit --gpus-per-executor N points spark.executor.resource.gpu.discoveryScript here; on a
# standalone cluster give it to each Worker as spark.worker.resource.gpu.discoveryScript (docs/cluster.md,
# "GPUs"). Needs nvidia-smi on the host.
set -euo pipefail
command -v nvidia-smi >/dev/null || { echo "gpu-discovery: nvidia-smi not found on $(hostname): no NVIDIA driver here" >&2; exit 1; }
addrs=$(nvidia-smi --query-gpu=index --format=csv,noheader | sed -e ':a' -e 'N' -e '$!ba' -e 's/\n/","/g')
echo "{\"name\": \"gpu\", \"addresses\":[\"$addrs\"]}"
