#!/usr/bin/env bash
# MkDocs + Material + pymdown-extensions, pinned in requirements.txt, in their own venv outside the
# repository: ${I18N_GENERATORS_DIR:-~/.cache/i18n-generators}/mkdocs. Does nothing when that venv already
# holds exactly these pins. The tests (tests/test_generator_mkdocs.py) run <venv>/bin/mkdocs from there.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dest="${I18N_GENERATORS_DIR:-${HOME:-/root}/.cache/i18n-generators}/mkdocs"
stamp="$dest/.requirements.txt"
if [ -x "$dest/bin/mkdocs" ] && [ -f "$stamp" ] && cmp -s "$stamp" "$here/requirements.txt"; then
  exit 0
fi
rm -rf "$dest"
mkdir -p "$(dirname "$dest")"
python3 -m venv "$dest"
PIP_DISABLE_PIP_VERSION_CHECK=1 "$dest/bin/pip" install -q -r "$here/requirements.txt"
cp "$here/requirements.txt" "$stamp"
