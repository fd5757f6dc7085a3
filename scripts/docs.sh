#!/usr/bin/env bash
# Builds the documentation site into build/docs/html: every plugin page (antsibull-docs, after its lint of the
# plugin documentation), the guides in docs/ and the changelog, with Sphinx. Installs its tools from
# lock/docs-py3.11.txt itself (scripts/envs.py). Usage: scripts/docs.sh [--lint-only]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
ensure_venv
activate
DOCS_VENV=$(env_path docs)  # lock/docs-py3.11.txt, hash-checked
SITE=$BUILD/docs
export PATH="$DOCS_VENV/bin:$PATH"

log "antsibull-docs lint-collection-docs --plugin-docs"
(cd "$DEV_COLLECTIONS/ansible_collections/apiops/platforms" && antsibull-docs lint-collection-docs --plugin-docs .)
[[ "${1:-}" == "--lint-only" ]] && exit 0

log "building the site in $SITE"
rm -rf "$SITE"; mkdir -p "$SITE"
cp -r docs/site/. "$SITE/"
chmod og-w "$SITE/rst"
antsibull-docs --config-file "$SITE/antsibull-docs.cfg" collection --use-current --dest-dir "$SITE/rst" \
  apiops.platforms >"$SITE/antsibull-docs.log" 2>&1 || { cat "$SITE/antsibull-docs.log"; exit 1; }
mkdir -p "$SITE/rst/docs/guides" "$SITE/rst/changes"
cp docs/*.md "$SITE/rst/docs/"
cp docs/guides/*.md "$SITE/rst/docs/guides/"
if [[ -f CHANGELOG.rst ]]; then cp CHANGELOG.rst "$SITE/rst/changes/changelog.rst"
else
  # no release yet: the fragments of the coming release, as antsibull-changelog would release them
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  cp -r changelogs galaxy.yml "$tmp/"
  version=$(sed -nE 's/^version: *([^ ]+).*/\1/p' galaxy.yml)
  (cd "$tmp" && antsibull-changelog release --version "$version" --date "$(date +%F)" >/dev/null 2>&1)
  python - "$tmp/CHANGELOG.rst" "$SITE/rst/changes/changelog.rst" <<'PY'
import sys
lines = open(sys.argv[1]).read().splitlines()
marks = [i for i, line in enumerate(lines) if line.startswith("===")]
at = (marks[1] if marks and marks[0] == 0 else marks[0]) + 1  # after the title (and its overline)
note = ["", ".. note::", "   Not released yet: the changes since the last release, from the changelog fragments.", ""]
open(sys.argv[2], "w").write("\n".join(lines[:at] + note + lines[at:]) + "\n")
PY
fi
sphinx-build -q -W --keep-going -c "$SITE" "$SITE/rst" "$SITE/html"
echo "site built: $SITE/html/index.html"
