#!/usr/bin/env bash
# Runs every test of the collection: sanity, unit (also under the newer ansible-core versions), sandbox and
# harness, integration (real Foxops server and the StockTrim sandbox), ansible-lint, changelog lint, and build +
# install + smoke playbook.
# Usage: scripts/test.sh [step ...]
#   steps: sanity units floors matrix sandbox integration lint changelog docs build ee demo (default: all)
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
STEPS=("$@")
[[ ${#STEPS[@]} -gt 0 ]] || STEPS=(sanity units floors matrix sandbox integration lint changelog docs build ee demo)
RESULTS=$BUILD/test-results
rm -rf "$RESULTS"; mkdir -p "$RESULTS"
GATES=$RESULTS/gates.txt; : > "$GATES"
started=$(date +%s)

ensure_venv || { echo "could not create the tool environment"; echo "0 passed, 1 failed"; exit 1; }
activate

gate() {  # gate NAME COMMAND...: a pass/fail check counted in the summary
  local name=$1; shift
  log "$name"
  local t0=$(date +%s)
  if "$@"; then echo "passed $name $(( $(date +%s) - t0 ))s" >> "$GATES"
  else echo "failed $name $(( $(date +%s) - t0 ))s" >> "$GATES"; fi
}

pytest_step() {  # pytest_step NAME PATH [args]: counted test by test from its JUnit report
  local name=$1; shift
  log "$name"
  local t0=$(date +%s)
  python -m pytest -p no:cacheprovider -q -ra --junitxml="$RESULTS/$name.xml" "$@"
  local rc=$?
  echo "ran $name $(( $(date +%s) - t0 ))s rc=$rc" >> "$GATES"
  if [[ $rc -ne 0 && ! -s "$RESULTS/$name.xml" ]]; then echo "failed $name-run" >> "$GATES"; fi
}

sanity() {
  python "$ROOT/scripts/ansible_test_offline.py" >/dev/null || return 1
  stage || return 1
  if find "$ROOT/tests" -path '*/sanity/ignore-*.txt' | grep -q .; then echo "sanity ignore files are not allowed"; return 1; fi
  (cd "$STAGE" && ansible-test sanity --venv --python 3.11 --color no)
}

floors() {  # the unit tests with the lowest versions of the run-time dependencies requirements.txt declares
  local venv=$BUILD/floors-venv pins tools
  pins=$(sed -nE 's/^([A-Za-z0-9_.-]+)>=([0-9][^,; ]*).*/\1==\2/p' "$ROOT/requirements.txt")
  tools=$(grep -E '^(ansible-core|pytest|hypothesis)==' "$ROOT/tests/requirements-dev.txt")
  [[ -x "$venv/bin/python" ]] || "$PY" -m venv "$venv" || return 1
  # shellcheck disable=SC2086  # one requirement a word
  if ! "$venv/bin/python" -m pip install -q --disable-pip-version-check $tools $pins >"$BUILD/floors-pip.log" 2>&1; then
    grep -v "is ignored: it is neither a file nor a directory" "$BUILD/floors-pip.log" | tail -20
    return 1
  fi
  echo "run-time dependencies at their declared floors:" $pins
  PATH="$venv/bin:$PATH" "$venv/bin/python" -m pytest -p no:cacheprovider -q tests/unit
}

matrix() {  # one gate per newer ansible-core minor version the collection claims: sanity and the unit tests
  local python reqs minor
  python=$(newer_python) || { echo "ansible-core 2.20 and later need Python >= 3.12 (see the message above)"
    for reqs in "$ROOT"/tests/matrix/ansible-core-*.txt; do
      minor=$(basename "$reqs" .txt); echo "failed ${minor} 0s" >> "$GATES"; done
    return 0; }
  echo "interpreter: $python"
  stage || return 1
  for reqs in "$ROOT"/tests/matrix/ansible-core-*.txt; do
    minor=$(basename "$reqs" .txt)
    gate "$minor" matrix_version "$BUILD/matrix/$minor" "$reqs" "$python"
  done
}

matrix_version() {  # matrix_version VENV REQUIREMENTS PYTHON: sanity (no ignore entries) and units in that venv
  local venv=$1 reqs=$2 python=$3 core pyver rc=0
  ensure_side_venv "$venv" "$reqs" "$python" || { echo "could not install $reqs"; return 1; }
  read -r core pyver < <(env -u PYTHONPATH "$venv/bin/python" -c \
    'import sys, ansible.release; print(ansible.release.__version__, "%d.%d" % sys.version_info[:2])')
  "$venv/bin/python" "$ROOT/scripts/ansible_test_offline.py" >/dev/null || return 1
  if find "$STAGE/tests" -path '*/sanity/ignore-*.txt' | grep -q .; then echo "sanity ignore files are not allowed"; return 1; fi
  echo "ansible-core $core, Python $pyver: sanity"
  (cd "$STAGE" && PATH="$venv/bin:$PATH" ansible-test sanity --venv --python "$pyver" --color no) || rc=1
  echo "ansible-core $core, Python $pyver: units"
  # four workers: the unit tests mostly wait on sockets and timers, not on the CPU (a third of the time)
  PATH="$venv/bin:$PATH" "$venv/bin/python" -m pytest -p no:cacheprovider -q --tb=short -n 4 tests/unit || rc=1
  return $rc
}

build_and_install() {  # build_and_install OUT INST: the collection's tarball in OUT, installed into INST
  local out=$1 inst=$2
  rm -rf "$out" "$inst"; mkdir -p "$out" "$inst"
  stage || return 1
  (cd "$STAGE" && ansible-galaxy collection build --force --output-path "$out") || return 1
  ansible-galaxy collection install --force -p "$inst" "$out"/apiops-platforms-*.tar.gz
}

build_and_smoke() {
  local inst=$BUILD/installed
  build_and_install "$BUILD/dist" "$inst" || return 1
  ANSIBLE_COLLECTIONS_PATH="$inst" PYTHONPATH= python "$ROOT/tests/smoke/run_smoke.py" --collections "$inst"
}

execution_environment() {  # the EE definition gives ansible-builder a build context, and the built collection
  # declares its Python dependencies where ansible-builder reads them
  local venv=$BUILD/ee-venv ctx=$BUILD/ee-context inst=$BUILD/ee-installed found want
  if [[ ! -x "$venv/bin/ansible-builder" ]]; then
    "$PY" -m venv "$venv" || return 1
    "$venv/bin/python" -m pip install -q --disable-pip-version-check "$(grep -E '^ansible-builder==' "$ROOT/tests/requirements-ee.txt")" \
      >"$BUILD/ee-pip.log" 2>&1 || { grep -v "is ignored: it is neither" "$BUILD/ee-pip.log" | tail -20; return 1; }
  fi
  build_and_install "$BUILD/ee-dist" "$inst" >/dev/null || return 1
  [[ -f "$inst/ansible_collections/apiops/platforms/meta/execution-environment.yml" ]] \
    || { echo "the built collection has no meta/execution-environment.yml"; return 1; }
  rm -rf "$ctx"
  "$venv/bin/ansible-builder" create -f "$ROOT/execution-environment/execution-environment.yml" --context "$ctx" --output-filename Containerfile || return 1
  grep -q "ansible-galaxy collection install" "$ctx/Containerfile" && grep -q "apiops.platforms" "$ctx/_build/requirements.yml" \
    || { echo "ansible-builder made no build context that installs apiops.platforms"; return 1; }
  found=$("$venv/bin/ansible-builder" introspect --sanitize "$inst") || return 1
  echo "$found"
  for want in $(sed -E 's/[<>=!~ ].*//' "$ROOT/requirements.txt"); do
    grep -Eq "^- '$want[<>=!~ ][^#]*# from collection apiops.platforms'" <<<"$found" \
      || { echo "ansible-builder does not see the dependency $want of apiops.platforms"; return 1; }
  done
  if docker info >/dev/null 2>&1 || podman info >/dev/null 2>&1; then
    echo "a container runtime is here: build the image with: ansible-builder build -f execution-environment/execution-environment.yml"
  else
    echo "no container runtime on this machine: the build context is checked, the image is not built"
  fi
}

for step in "${STEPS[@]}"; do
  case $step in
    sanity) gate sanity sanity ;;
    units) pytest_step units tests/unit ;;
    floors) gate floors floors ;;
    matrix) matrix || echo "failed matrix" >> "$GATES" ;;
    sandbox) pytest_step sandbox tests/sandbox_tests tests/harness_tests ;;
    integration) pytest_step integration tests/integration ;;
    lint) gate ansible-lint ansible-lint --profile production --nocolor ;;
    changelog) gate changelog antsibull-changelog lint ;;
    docs) gate docs bash "$ROOT/scripts/docs.sh" ;;
    build) gate build-install-smoke build_and_smoke ;;
    ee) gate execution-environment execution_environment ;;
    demo) gate demo bash "$ROOT/scripts/demo.sh" ;;
    *) echo "unknown step $step"; echo "failed unknown-step-$step" >> "$GATES" ;;
  esac
done

log "summary ($(( $(date +%s) - started ))s)"
python "$ROOT/scripts/summary.py" "$RESULTS"
