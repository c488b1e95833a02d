#!/usr/bin/env bash
# Quick start: prepares the machine (scripts/setup.sh), builds dist/kubelet and runs it on the
# pods of examples/ (an nginx pod). Extra arguments go to the kubelet.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
npm run build
exec dist/kubelet --pod-manifest-path="$PWD/examples" "$@"
