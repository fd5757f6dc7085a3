# Shared shell helpers for the project's scripts (sourced, not run).
# Needs nothing beyond Python 3.11+, git and a POSIX shell: everything else is installed here.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${APIOPS_VENV:-$ROOT/.venv}
BUILD=$ROOT/build
DEV_COLLECTIONS=$BUILD/dev                     # symlinked layout for pytest and ansible-playbook
# A real copy for ansible-test, outside this work tree (inside it, git would report the copy as ignored).
STAGE_ROOT=${APIOPS_STAGE:-${TMPDIR:-/tmp}/apiops-platforms-stage-$(printf '%s' "$ROOT" | sha1sum | cut -c1-8)}
STAGE=$STAGE_ROOT/ansible_collections/apiops/platforms
PY=${APIOPS_PYTHON:-python3}

# A heading: bold on a terminal, plain text when the output goes to a file or a pipe (LOG_COLOUR=1 or 0 decides
# instead, for output captured first and shown later).
log() {
  local bold=${LOG_COLOUR:-}
  if [[ -z $bold ]]; then if [[ -t 1 ]]; then bold=1; else bold=0; fi; fi
  if [[ $bold == 1 ]]; then printf '\n\033[1m== %s\033[0m\n' "$*"; else printf '\n== %s\n' "$*"; fi
}

ensure_venv() {
  local stamp="$VENV/.requirements.sha"
  local want
  want=$(cat "$ROOT/tests/requirements-dev.txt" | sha256sum | cut -d' ' -f1)
  if [[ -x "$VENV/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    return 0
  fi
  log "creating the tool environment in $VENV"
  "$PY" -m venv "$VENV"
  mkdir -p "$BUILD"
  if ! "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$ROOT/tests/requirements-dev.txt" \
      >"$BUILD/pip-install.log" 2>&1; then
    grep -v "is ignored: it is neither a file nor a directory" "$BUILD/pip-install.log" | tail -20
    return 1
  fi
  echo "$want" > "$stamp"
}

# Print the path of a Python >= 3.12, searched the way the Foxops harness searches ($FOXOPS_PYTHON, pyenv's
# versions newest first, python3.13/python3.12 on PATH).
newer_python() {
  PYTHONPATH="$ROOT/tests/harness" "$PY" -c '
import sys
import foxops_server
try:
    print(foxops_server.find_python()[0])
except foxops_server.FoxopsHarnessError as error:
    sys.exit(str(error))'
}

# ensure_side_venv DIR REQUIREMENTS PYTHON: a venv in DIR with REQUIREMENTS installed by PYTHON, rebuilt only
# when the requirements file or the interpreter changes.
ensure_side_venv() {
  local venv=$1 reqs=$2 python=$3 stamp="$1/.requirements.sha" want
  want=$( { cat "$reqs"; echo "$python"; } | sha256sum | cut -d' ' -f1)
  if [[ -x "$venv/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    return 0
  fi
  rm -rf "$venv"
  "$python" -m venv "$venv" || return 1
  if ! env -u PYTHONPATH "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$reqs" \
      >"$venv.pip.log" 2>&1; then
    grep -v "is ignored: it is neither a file nor a directory" "$venv.pip.log" | tail -20
    return 1
  fi
  echo "$want" > "$stamp"
}

activate() {
  export PATH="$VENV/bin:$PATH"
  mkdir -p "$DEV_COLLECTIONS/ansible_collections/apiops"
  ln -sfn "$ROOT" "$DEV_COLLECTIONS/ansible_collections/apiops/platforms"
  export PYTHONPATH="$DEV_COLLECTIONS${PYTHONPATH:+:$PYTHONPATH}"
  export ANSIBLE_COLLECTIONS_PATH="$DEV_COLLECTIONS"
  export ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0 ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false
  export ANSIBLE_HOME="$BUILD/ansible-home"
}

# Copy the tracked and untracked-but-not-ignored files into the ansible_collections layout
# that ansible-test insists on (a symlink does not satisfy it).
stage() {
  rm -rf "$STAGE_ROOT"
  mkdir -p "$STAGE"
  (cd "$ROOT" && git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
     [[ -e "$f" ]] && printf '%s\0' "$f"; done | xargs -0 cp --parents -t "$STAGE")
}
