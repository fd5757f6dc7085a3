#!/usr/bin/env bash
# Runs every test of the collection: sanity, unit (also under the newer ansible-core versions and at the run-time
# dependencies' floors), sandbox and harness, integration (real Foxops server and the StockTrim sandbox),
# ansible-lint, changelog lint, docs, build + install + smoke playbook, the execution environment and the demo.
# Usage: scripts/test.sh [stage ...]
#   stages: sanity units floors matrix (= core-2.20 core-2.21) sandbox integration lint changelog docs build ee demo
#   (default: all); also soak (not in all: the model-based test with random seeds, longer). Stages share no server, no copy of the collection and no output folder, so they run side by
#   side, APIOPS_JOBS at a time (default: one more than the CPUs, as most stages wait on servers and
#   subprocesses part of the time); each one's output is shown whole when it ends, then the summary with every
#   stage's time.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
CORES=$(cd "$ROOT/lock" && ls core-*.in | sed -E 's/^core-(.*)\.in$/core-\1/')  # the newer ansible-core versions
ALL=(integration sanity $CORES demo lint units sandbox docs floors build ee changelog)  # the longest first
STEPS=() ASKED=("$@")
[[ $# -gt 0 ]] || ASKED=("${ALL[@]}")
for step in "${ASKED[@]}"; do
  if [[ $step == matrix ]]; then STEPS+=($CORES); else STEPS+=("$step"); fi
done
JOBS=${APIOPS_JOBS:-$(( $(nproc) + 1 ))}
RESULTS=${APIOPS_RESULTS:-$BUILD/test-results}
export APIOPS_RESULTS=$RESULTS  # the model-based test writes the counts of what it ran under logs/
LOGS=$RESULTS/logs
rm -rf "$RESULTS"; mkdir -p "$LOGS"
GATES=$RESULTS/gates.txt; : > "$GATES"
# ansible-test keeps its sanity environments and its pip bootstrap under ~/.ansible/test: here they live in the
# project's cache folder instead, so a fresh clone reuses them as it reuses the locked environments.
CACHE=$("$PY" -c 'import sys; sys.path.insert(0, "scripts"); import envs; print(envs.cache_dir())')
ANSIBLE_TEST_HOME=$CACHE/ansible-test-home
started=$(date +%s)

ensure_venv || { echo "could not create the tool environment"; echo "0 passed, 1 failed"; exit 1; }
activate

# The minimum number of tests each pytest stage must run: fewer (a file not collected, a suite skipped) fails it.
# sandbox: 94 run when the StockTrim OpenAPI spec is not beside the project (its contract tests are then skipped,
# saying why), 158 when it is
declare -A MIN=([units]=620 [sandbox]=90 [integration]=80 [soak]=2)

pytest_stage() {  # pytest_stage NAME WORKERS PATH...: counted test by test from its JUnit report; any exit != 0 fails
  local name=$1 workers=$2; shift 2
  local t0=$(date +%s) rc
  python -m pytest -p no:cacheprovider -q -ra -n "$workers" --junitxml="$RESULTS/$name.xml" "$@"
  rc=$?
  echo "ran $name $(( $(date +%s) - t0 ))s rc=$rc min=${MIN[$name]:-1}" >> "$GATES"
  return $rc
}

ansible_test() {  # ansible_test VENV_BIN ARGS...: ansible-test from VENV_BIN in $STAGE, offline, its home in the cache
  local bin=$1; shift
  HOME=$ANSIBLE_TEST_HOME "$bin/python" "$ROOT/scripts/ansible_test_offline.py" >/dev/null || return 1
  if find "$STAGE/tests" -path '*/sanity/ignore-*.txt' | grep -q .; then echo "sanity ignore files are not allowed"; return 1; fi
  (cd "$STAGE" && HOME=$ANSIBLE_TEST_HOME PATH="$bin:$PATH" ansible-test "$@" --color no)
}

sanity() {
  stage sanity || return 1
  ansible_test "$VENV/bin" sanity --venv --python 3.11
}

floors() {  # the unit tests with the lowest versions of the run-time dependencies requirements.txt declares
  local venv
  "$PY" "$ROOT/scripts/envs.py" check-floors || return 1
  venv=$(env_path floors) || return 1
  PATH="$venv/bin:$PATH" "$venv/bin/python" -m pytest -p no:cacheprovider -q -n 2 tests/unit
}

core() {  # core ENV: sanity (no ignore entries) and the units with a newer ansible-core, in its locked ENV
  local env=$1 python venv ver pyver rc=0
  python=$(newer_python) || { echo "$env needs Python >= 3.12 (see the message above)"; return 1; }
  venv=$(env_path "$env" "$python") || return 1
  read -r ver pyver < <(env -u PYTHONPATH "$venv/bin/python" -c \
    'import sys, ansible.release; print(ansible.release.__version__, "%d.%d" % sys.version_info[:2])')
  stage "$env" || return 1
  echo "ansible-core $ver, Python $pyver: sanity"
  ansible_test "$venv/bin" sanity --venv --python "$pyver" || rc=1
  echo "ansible-core $ver, Python $pyver: units"
  # the unit tests mostly wait on sockets and timers, not on the CPU
  PATH="$venv/bin:$PATH" "$venv/bin/python" -m pytest -p no:cacheprovider -q --tb=short -n 2 tests/unit || rc=1
  return $rc
}

build_and_install() {  # build_and_install NAME OUT INST: the collection's tarball in OUT, installed into INST
  local name=$1 out=$2 inst=$3
  rm -rf "$out" "$inst"; mkdir -p "$out" "$inst"
  stage "$name" || return 1
  (cd "$STAGE" && ansible-galaxy collection build --force --output-path "$out") || return 1
  ansible-galaxy collection install --force -p "$inst" "$out"/apiops-platforms-*.tar.gz
}

build_and_smoke() {
  local inst=$BUILD/installed
  build_and_install build "$BUILD/dist" "$inst" || return 1
  ANSIBLE_COLLECTIONS_PATH="$inst" PYTHONPATH= python "$ROOT/tests/smoke/run_smoke.py" --collections "$inst"
}

execution_environment() {  # the EE definition gives ansible-builder a build context, and the built collection
  # declares its Python dependencies where ansible-builder reads them
  local venv ctx=$BUILD/ee-context inst=$BUILD/ee-installed found want
  venv=$(env_path ee) || return 1
  build_and_install ee "$BUILD/ee-dist" "$inst" >/dev/null || return 1
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
    echo "definition checked, image not built: build it with ansible-builder build" > "$RESULTS/execution-environment.note"
  else
    echo "no container runtime on this machine: the build context is checked, the image is not built"
    echo "definition checked, image not built: no container runtime" > "$RESULTS/execution-environment.note"
  fi
}

gate() {  # gate NAME COMMAND...: a pass/fail check counted in the summary, with the note it left, if any
  local name=$1 t0=$(date +%s) status=passed; shift
  "$@" || status=failed
  echo "$status $name $(( $(date +%s) - t0 ))s $(cat "$RESULTS/$name.note" 2>/dev/null)" >> "$GATES"
  [[ $status == passed ]]
}

run_step() {  # run_step STEP: one stage, its output in $LOGS/STEP.log, its processor time in cpu.txt
  local rc=0
  stage_body "$1" || rc=$?
  times > "$LOGS/$1.times"  # in this shell (a builtin, no subshell): the second line is what the stage ran
  echo "$1 $(sed -n 2p "$LOGS/$1.times")" >> "$RESULTS/cpu.txt"
  return $rc
}

stage_body() {
  case $1 in
    sanity) gate sanity sanity ;;
    units) pytest_stage units 2 tests/unit ;;
    soak) APIOPS_SOAK=1 pytest_stage soak 2 tests/unit/plugins/modules/test_model_based.py ;;
    floors) gate floors floors ;;
    core-*) gate "$1" core "$1" ;;
    sandbox) pytest_stage sandbox 2 tests/sandbox_tests tests/harness_tests ;;
    integration) pytest_stage integration 4 tests/integration ;;
    lint) gate ansible-lint ansible-lint --offline --profile production --nocolor ;;
    changelog) gate changelog antsibull-changelog lint ;;
    docs) gate docs bash "$ROOT/scripts/docs.sh" ;;
    build) gate build-install-smoke build_and_smoke ;;
    ee) gate execution-environment execution_environment ;;
    demo) gate demo bash "$ROOT/scripts/demo.sh" ;;
    *) echo "unknown stage $1"; echo "failed unknown-stage-$1 0s" >> "$GATES"; return 1 ;;
  esac
}

# Run the stages JOBS at a time; show each one's output whole when it ends.
declare -A RUNNING=()
show() {  # show PID: the output of the stage that ran as PID
  local step=${RUNNING[$1]}
  log "$step"
  cat "$LOGS/$step.log"
  unset "RUNNING[$1]"
}
for step in "${STEPS[@]}"; do
  while (( ${#RUNNING[@]} >= JOBS )); do
    wait -n -p done_pid; show "$done_pid"
  done
  run_step "$step" >"$LOGS/$step.log" 2>&1 &
  RUNNING[$!]=$step
done
while (( ${#RUNNING[@]} > 0 )); do
  wait -n -p done_pid; show "$done_pid"
done

log "summary ($(( $(date +%s) - started ))s, $JOBS stages at a time)"
python "$ROOT/scripts/summary.py" "$RESULTS"
