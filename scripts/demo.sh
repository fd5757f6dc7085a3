#!/usr/bin/env bash
# The collection's main job on an embedded default: starts a real local Foxops server and the StockTrim
# sandbox on 127.0.0.1, then drives both from the example playbooks, in two steps per service:
#   Foxops: examples/foxops_demo.yml (a fleet of three incarnations, created on template v1.0.0), then
#     examples/foxops_rollout_demo.yml (the role foxops_template_rollout moves two of them to v2.0.0; a
#     manual change made in between to the third is reset);
#   StockTrim: examples/stocktrim_demo.yml (suppliers and the product catalogue), then
#     examples/stocktrim_orders_demo.yml (draft purchase orders from the order plan, a purchase order, a sales
#     order, the stock count).
# Each step has a dry run (--check --diff) and the real run (--diff); then both playbooks of the service run a
# second time in one ansible-playbook run. Every run prints its plan (the callback apiops.platforms.plan: what the
# collection's tasks would change, or changed) and writes it as JSON. The two services are independent, so their runs go side by side; the StockTrim
# runs are shown after the Foxops ones. Each run prints one line per change; the closing table shows, per task,
# what the dry run predicted, what the real run changed and that the second run changed nothing. The demo fails
# when a dry run did not predict its real run (its record, or its plan: the plan of each dry run must equal the plan
# of its real run, the fields a module declares unpredicted aside), when a real run left a task with nothing to do, when the second
# run changed anything, when a task failed, or when any warning appeared.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
ensure_venv
activate

# Colour only on a terminal. Part of the output is captured in files first, so Ansible is told, not left to guess.
if [[ -t 1 ]]; then export ANSIBLE_FORCE_COLOR=1 LOG_COLOUR=1; unset ANSIBLE_NOCOLOR
else export ANSIBLE_NOCOLOR=1 LOG_COLOUR=0; fi
export ANSIBLE_STDOUT_CALLBACK=demo_summary ANSIBLE_CALLBACK_PLUGINS="$ROOT/scripts/demo/callback_plugins"
export ANSIBLE_DEPRECATION_WARNINGS=true ANSIBLE_PIPELINING=true
export ANSIBLE_CALLBACKS_ENABLED=apiops.platforms.plan

DEMO=$BUILD/demo
rm -rf "$DEMO"; mkdir -p "$DEMO/records" "$DEMO/plans"
now_ms() { local t=${EPOCHREALTIME/[.,]/}; echo $(( t / 1000 )); }
STARTED=$(now_ms)
seconds_since() { local t; t=$(( $(now_ms) - $1 )); echo "$(( t / 1000 )).$(( t % 1000 / 100 ))s"; }
SANDBOX_PID= STOCKTRIM_PID=
cleanup() {
  python tests/harness/foxops_server.py stop --workdir "$DEMO/foxops" >/dev/null 2>&1 || true
  if [[ -n "$STOCKTRIM_PID" ]]; then kill "$STOCKTRIM_PID" 2>/dev/null || true; fi
  if [[ -n "$SANDBOX_PID" ]]; then kill "$SANDBOX_PID" 2>/dev/null || true; fi
}
trap cleanup EXIT

# run NAME PHASE TITLE PLAYBOOK...: one ansible-playbook run, its record in $DEMO/records; anything it writes on
# stderr (a warning of Ansible itself, an error) is shown and fails the demo.
run() {
  local name=$1 phase=$2 title=$3 options=() t0 rc=0
  shift 3
  case $phase in check) options=(--check --diff) ;; real) options=(--diff) ;; esac
  log "$title"
  t0=$(now_ms)
  DEMO_PHASE=$phase DEMO_RECORD="$DEMO/records/$name.json" APIOPS_PLAN_FILE="$DEMO/plans/$name.json" \
    ansible-playbook -i localhost, "${options[@]}" "$@" 2>"$DEMO/$name.err" || rc=1
  # anything on stderr fails the demo and is quoted, but a warning a third-party package printed at interpreter
  # start, which is reported under its own heading as not the collection's
  if [[ -s "$DEMO/$name.err" ]]; then python scripts/demo/report.py --stderr "$DEMO/$name.err" || rc=1; fi
  echo "  ($(seconds_since "$t0"))"
  return $rc
}

# The StockTrim side: its sandbox starts in a moment, so its runs begin while the Foxops server still starts.
stocktrim() {
  local ok=true
  run stocktrim-1-check check "StockTrim, step 1, dry run (--check --diff): the catalogue" \
    examples/stocktrim_demo.yml || ok=false
  run stocktrim-1-real real "StockTrim, step 1, real run (--diff)" examples/stocktrim_demo.yml || ok=false
  run stocktrim-2-check check "StockTrim, step 2, dry run (--check --diff): orders and the stock count" \
    examples/stocktrim_orders_demo.yml || ok=false
  run stocktrim-2-real real "StockTrim, step 2, real run (--diff)" examples/stocktrim_orders_demo.yml || ok=false
  run stocktrim-second second "StockTrim, second run of both playbooks: must change nothing" \
    examples/stocktrim_demo.yml examples/stocktrim_orders_demo.yml || ok=false
  [[ $ok == true ]]
}

log "starting the StockTrim sandbox and the real Foxops server (the first run builds its own Python environment)"
export STOCKTRIM_API_AUTH_ID=demo-tenant
STOCKTRIM_API_AUTH_SIGNATURE=demo-signature-$RANDOM$RANDOM
export STOCKTRIM_API_AUTH_SIGNATURE
# A tenant that can read its sales orders back (on one that cannot, the sales order module warns and writes).
python tests/sandbox/stocktrim_sandbox.py --port 0 --auth-id "$STOCKTRIM_API_AUTH_ID" --sales-orders-readable \
  --auth-signature "$STOCKTRIM_API_AUTH_SIGNATURE" --port-file "$DEMO/sandbox.port" >"$DEMO/sandbox.log" 2>&1 &
SANDBOX_PID=$!
python tests/harness/foxops_server.py start --workdir "$DEMO/foxops" --repos billing,checkout,search \
  >"$DEMO/foxops.env" 2>"$DEMO/foxops.log" &
FOXOPS_STARTER=$!
for _ in $(seq 1 200); do [[ -s "$DEMO/sandbox.port" ]] && break; sleep 0.05; done
[[ -s "$DEMO/sandbox.port" ]] || { cat "$DEMO/sandbox.log"; echo "the sandbox did not start"; exit 1; }
export STOCKTRIM_URL="http://127.0.0.1:$(cat "$DEMO/sandbox.port")"
echo "StockTrim sandbox at $STOCKTRIM_URL"
stocktrim >"$DEMO/stocktrim.out" 2>&1 &
STOCKTRIM_PID=$!
wait "$FOXOPS_STARTER" || { cat "$DEMO/foxops.log"; echo "the Foxops server did not start"; exit 1; }
cat "$DEMO/foxops.log"
eval "$(cat "$DEMO/foxops.env")"
export FOXOPS_URL FOXOPS_TOKEN

# The Foxops side.
OK=true
run foxops-1-check check "Foxops, step 1, dry run (--check --diff): the fleet" examples/foxops_demo.yml || OK=false
run foxops-1-real real "Foxops, step 1, real run (--diff): the fleet" examples/foxops_demo.yml || OK=false
log "Foxops: meanwhile somebody edits the rendered README.md of search by hand"
python tests/harness/foxops_server.py commit --workdir "$DEMO/foxops" --message "Edit the README by hand" \
  search README.md "Search, tuned by hand" >/dev/null || { echo "the hand edit failed"; OK=false; }
run foxops-2-check check "Foxops, step 2, dry run (--check --diff): a template rollout and a reset" \
  examples/foxops_rollout_demo.yml || OK=false
run foxops-2-real real "Foxops, step 2, real run (--diff)" examples/foxops_rollout_demo.yml || OK=false
run foxops-second second "Foxops, second run of both playbooks: must change nothing" \
  examples/foxops_demo.yml examples/foxops_rollout_demo.yml || OK=false
FOXOPS_DONE=$(seconds_since "$STARTED")

wait "$STOCKTRIM_PID" || OK=false
STOCKTRIM_PID=
cat "$DEMO/stocktrim.out"

log "what each run did"
python scripts/demo/report.py "$DEMO/records" "$DEMO/plans" || OK=false
echo "time: $(seconds_since "$STARTED") (the Foxops side done after $FOXOPS_DONE)"
if [[ $OK != true ]]; then echo "the demo FAILED (see above)"; exit 1; fi
log "demo finished: every dry run predicted its real run (its plan too), the second run changed nothing, no warnings"
