#!/usr/bin/env bash
# The backup schedule of the one-machine cluster (no systemd here): an incremental backup every
# BACKUP_INCR_MINUTES, a full one every BACKUP_FULL_HOURS. On servers: deploy/systemd/ejournal-backup-*.timer.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
INCR=${BACKUP_INCR_MINUTES:-60}
FULL=${BACKUP_FULL_HOURS:-24}
last_full=$(date +%s)
while sleep "$((INCR * 60))"; do
  if [ $(( $(date +%s) - last_full )) -ge $((FULL * 3600)) ]; then
    "$ROOT/deploy/cluster.sh" backup full && last_full=$(date +%s)
  else
    "$ROOT/deploy/cluster.sh" backup incr
  fi
done
