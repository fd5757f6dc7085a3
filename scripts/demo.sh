#!/usr/bin/env bash
# The collection's main job on an embedded default: starts a real local Foxops server and the StockTrim
# sandbox on 127.0.0.1, then runs the example playbooks against them: a dry run first (--check --diff),
# the real run, and a second real run that must change nothing.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
ensure_venv
activate

DEMO=$BUILD/demo
rm -rf "$DEMO"; mkdir -p "$DEMO"
SANDBOX_PID=
cleanup() {
  python tests/harness/foxops_server.py stop --workdir "$DEMO/foxops" >/dev/null 2>&1 || true
  [[ -n "$SANDBOX_PID" ]] && kill "$SANDBOX_PID" 2>/dev/null || true
}
trap cleanup EXIT

log "starting the real Foxops server (the first run builds its own Python environment)"
eval "$(python tests/harness/foxops_server.py start --workdir "$DEMO/foxops")"
export FOXOPS_URL FOXOPS_TOKEN
echo "Foxops at $FOXOPS_URL"

log "starting the StockTrim sandbox"
export STOCKTRIM_API_AUTH_ID=demo-tenant
STOCKTRIM_API_AUTH_SIGNATURE=demo-signature-$RANDOM$RANDOM
export STOCKTRIM_API_AUTH_SIGNATURE
python tests/sandbox/stocktrim_sandbox.py --port 0 --auth-id "$STOCKTRIM_API_AUTH_ID" \
  --auth-signature "$STOCKTRIM_API_AUTH_SIGNATURE" --port-file "$DEMO/sandbox.port" >"$DEMO/sandbox.log" 2>&1 &
SANDBOX_PID=$!
for _ in $(seq 1 100); do [[ -s "$DEMO/sandbox.port" ]] && break; sleep 0.1; done
[[ -s "$DEMO/sandbox.port" ]] || { cat "$DEMO/sandbox.log"; echo "the sandbox did not start"; exit 1; }
export STOCKTRIM_URL="http://127.0.0.1:$(cat "$DEMO/sandbox.port")"
echo "StockTrim sandbox at $STOCKTRIM_URL"

export FOXOPS_HARNESS="$ROOT/tests/harness/foxops_server.py" FOXOPS_WORKDIR="$DEMO/foxops"
play() { ansible-playbook -i localhost, "$@"; }
for playbook in examples/foxops_demo.yml examples/stocktrim_demo.yml; do
  [[ -f "$playbook" ]] || continue
  log "$playbook: dry run (--check --diff)"
  play --check --diff "$playbook"
  log "$playbook: real run (--diff)"
  play --diff "$playbook"
  log "$playbook: second run, which must change nothing"
  play "$playbook" | tee "$DEMO/second-run.txt"
  grep -Eq 'changed=0 ' "$DEMO/second-run.txt" || { echo "the second run of $playbook changed something"; exit 1; }
done
log "demo finished: both services were driven from playbooks; the second runs changed nothing"
