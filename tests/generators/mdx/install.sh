#!/usr/bin/env bash
# Install the pinned MDX compiler (package.json + package-lock.json here) outside the repository, into
# ${I18N_GENERATORS_DIR:-~/.cache/i18n-generators}/mdx, where tests/generators/mdx_toolchain.py looks for it.
# Re-running with an unchanged lock file does nothing; `installed.lock` is written only after `npm ci`
# succeeded, so an interrupted install is done again.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="${I18N_GENERATORS_DIR:-$HOME/.cache/i18n-generators}/mdx"
mkdir -p "$dir"
if [ -d "$dir/node_modules" ] && cmp -s "$here/package-lock.json" "$dir/installed.lock"; then
  exit 0
fi
rm -f "$dir/installed.lock"
cp "$here/package.json" "$here/package-lock.json" "$dir/"
(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error --cache "$dir/.npm-cache")
cp "$here/package-lock.json" "$dir/installed.lock"
