#!/usr/bin/env bash
# Side by side: examples 1, 2 and 3 on the 1M-row activity data set (80 JSON
# files) in sqlc (all files in one batch, and one file per trigger), DuckDB
# and Polars, several rounds in turn; prints the median of each and sqlc's
# speed-up over each peer. sqlc is timed as a whole process (start-up,
# planning, reading, output); DuckDB and Polars by their query alone inside
# their process (timed in peers.py), so start-up favours them.
#
#     benches/peers/run.sh [ROUNDS]        (default 5)
#
# Needs target/release/sqlc (cargo build --release) and python3 with venv;
# DuckDB and Polars come from PyPI into ${SQLC_CACHE:-~/.cache/sqlc}/peers-venv.
# SQLC_EXEC=interpret runs sqlc's interpreted twin instead of the JIT.
# SQLC_BASE=PATH also times another sqlc binary (a build to compare with:
# before and after a change) on all files at once, in the same rounds.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
rounds=${1:-5}
. "$here/common.sh"
venv=$cache/peers-venv
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import duckdb, polars' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet duckdb polars
fi

# The examples as the project ships them (one file per trigger), and with
# the per-trigger limit removed (all files in one batch).
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for n in 1 2 3; do
  cp "$root/examples/sql/ex$n.sql" "$work/ex$n-per-file.sql"
  sed 's/, *maxFilesPerTrigger *= *1//' "$root/examples/sql/ex$n.sql" >"$work/ex$n-all.sql"
done

base=${SQLC_BASE:-}
time_sqlc() { # script [binary] → seconds
  local t0 t1
  t0=$(date +%s.%N)
  "${2:-$sqlc}" run "$1" --available-now --var "data=$data" >/dev/null 2>&1
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l
}

results=$work/results.tsv
for r in $(seq "$rounds"); do
  for n in 1 2 3; do
    printf "sqlc_all\tex%s\t%s\n" "$n" "$(time_sqlc "$work/ex$n-all.sql")" >>"$results"
    printf "sqlc_per_file\tex%s\t%s\n" "$n" "$(time_sqlc "$work/ex$n-per-file.sql")" >>"$results"
    if [ -n "$base" ]; then
      printf "base_all\tex%s\t%s\n" "$n" "$(time_sqlc "$work/ex$n-all.sql" "$base")" >>"$results"
    fi
  done
  "$venv/bin/python" "$here/peers.py" "$data" >>"$results"
  echo "round $r of $rounds done (load: $(cut -d' ' -f1-3 /proc/loadavg))" >&2
done
"$venv/bin/python" "$here/peers.py" --report "$results"
