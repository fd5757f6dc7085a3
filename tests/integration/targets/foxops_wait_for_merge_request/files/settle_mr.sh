#!/bin/sh
# Usage: settle_mr.sh PYTHON HARNESS WORKDIR REPOSITORY merge|close
# Waits (up to a minute) for an open merge request of REPOSITORY on the local hoster, then merges or closes it,
# as a reviewer would while a module waits for it.
python=$1 harness=$2 workdir=$3 repository=$4 action=$5
i=0
while [ "$i" -lt 120 ]; do
  id=$("$python" "$harness" mr list --workdir "$workdir" "$repository" | "$python" -c '
import json, sys
print(next((str(mr["id"]) for mr in json.load(sys.stdin) if mr["status"] == "open"), ""))')
  if [ -n "$id" ]; then
    exec "$python" "$harness" mr "$action" --workdir "$workdir" "$repository" "$id"
  fi
  sleep 0.5
  i=$((i + 1))
done
echo "no open merge request in $repository" >&2
exit 1
