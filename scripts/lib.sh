# Shared shell helpers for the project's scripts (sourced, not run).
# Needs nothing beyond Python 3.11+, git and a POSIX shell: everything else is installed here.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=$ROOT/.venv                               # set by ensure_venv
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

# The tool environment of make test and make demo: installed from lock/dev-py3.11.txt (hash-checked) by
# scripts/envs.py into the cache, keyed by the lock's hash and the interpreter; .venv links to it. Sets VENV.
ensure_venv() {
  local venv
  venv=$("$PY" "$ROOT/scripts/envs.py" path dev) || return 1
  VENV=$venv
  [[ -z ${APIOPS_LOCK_DIR:-} ]] || return 0  # locks of elsewhere (make upgrade-check): .venv stays as it is
  if [[ -d "$ROOT/.venv" && ! -L "$ROOT/.venv" ]]; then rm -rf "$ROOT/.venv"; fi  # a venv of an older checkout
  ln -sfn "$VENV" "$ROOT/.venv"
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

# env_path NAME [PYTHON]: the folder of the locked environment NAME (scripts/envs.py), built when missing.
env_path() {
  "$PY" "$ROOT/scripts/envs.py" path "$1" ${2:+--python "$2"}
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

# stage [NAME]: copy the tracked and untracked-but-not-ignored files into the ansible_collections layout that
# ansible-test insists on (a symlink does not satisfy it), and set STAGE to it. Each NAME has a copy of its own,
# so stages that run side by side never share one.
stage() {
  local root=$STAGE_ROOT${1:+-$1}
  STAGE=$root/ansible_collections/apiops/platforms
  rm -rf "$root"
  mkdir -p "$STAGE"
  (cd "$ROOT" && git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
     [[ -e "$f" ]] && printf '%s\0' "$f"; done | xargs -0 cp --parents -t "$STAGE")
}
