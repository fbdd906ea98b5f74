#!/usr/bin/env bash
# The demo: import the example bench and two example systems, add oracle and empty, score, rank.
set -euo pipefail
cd "$(dirname "$0")/.."
UAAP=${UAAP:-.venv/bin/uaap}
export UAAP_HOME=${UAAP_HOME:-$PWD/.uaap}

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "import the example bench (examples/bench: 3 clips made by examples/make_example_bench.py)"
$UAAP bench import examples/bench --name example
step "import two example systems (one careful, one sloppy with malformed input)"
$UAAP predictions import examples/predictions/careful --system careful --bench example
$UAAP predictions import examples/predictions/sloppy --system sloppy --bench example
$UAAP predictions builtin oracle --bench example
$UAAP predictions builtin empty --bench example
step "score every system (soundscape-v1; cached per clip: run make demo again to see it)"
$UAAP score --system all --bench example
step "leaderboard"
$UAAP leaderboard --bench example
step "by event type"
$UAAP leaderboard --bench example --by type
step "ask anything in SQL"
$UAAP sql "select system_id, clip_id, item, message from errors where step = 'import_predictions' order by all limit 5"
echo
echo "warehouse: $UAAP_HOME/uaap.duckdb"
