#!/usr/bin/env bash
# Install the pinned site toolchain (package.json + package-lock.json here) outside the repository, into
# $I18N_SITE_DIR (default ~/.cache/i18n-site), where tests/site_toolchain.py looks for it. Re-running with
# an unchanged lock file does nothing.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="${I18N_SITE_DIR:-$HOME/.cache/i18n-site}"
mkdir -p "$dir"
if [ -d "$dir/node_modules" ] && cmp -s "$here/package-lock.json" "$dir/package-lock.json"; then
  exit 0
fi
cp "$here/package.json" "$here/package-lock.json" "$dir/"
(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error --cache "$dir/.npm-cache")
