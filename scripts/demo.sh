#!/usr/bin/env bash
# The demo: every stage of uaap on the embedded defaults (configs/demo.yaml), then the results.
#   - import the example bench and two example systems (one careful, one sloppy with malformed input)
#   - build a small soundscape bench offline and annotate it with the shipped expert pipelines
#   - add oracle and empty, score everything, export Parquet, write the HTML reports
# Run it again: nothing is recomputed (every step is a cached Prefect task).
set -euo pipefail
cd "$(dirname "$0")/.."
UAAP=${UAAP:-.venv/bin/uaap}
export UAAP_HOME=${UAAP_HOME:-$PWD/.uaap}

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "run the whole plan as one Prefect flow (configs/demo.yaml)"
status=0
$UAAP nightly --plan configs/demo.yaml || status=$?   # a failed step is listed above; show what finished
step "leaderboard of the example bench (imported predictions)"
$UAAP leaderboard --bench example
step "leaderboard of the soundscape bench (expert pipelines)"
$UAAP leaderboard --bench demo-soundscape
step "by event type"
$UAAP leaderboard --bench demo-soundscape --by type
step "what was in the bench"
$UAAP bench stats demo-soundscape
step "ask anything in SQL: the malformed input the sloppy system sent"
$UAAP sql "select clip_id, item, message from errors where system_id = 'sloppy' order by all limit 5"
echo
echo "warehouse: $UAAP_HOME/uaap.duckdb    reports: $UAAP_HOME/reports/<bench>/index.html    parquet: $UAAP_HOME/export/"
exit "$status"
