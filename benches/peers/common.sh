# Sourced by the peers harnesses: the sqlc binary and the 1M-row activity
# data set (80 JSON files, made once with `sqlc gen` and cached). Sets
# root, cache, data and sqlc.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cache=${SQLC_CACHE:-$HOME/.cache/sqlc}
data=$cache/peers-data/activity-1000000-80
sqlc=$root/target/release/sqlc

[ -x "$sqlc" ] || { echo "build sqlc first: cargo build --release" >&2; exit 1; }
if [ ! -f "$data/_done" ]; then
  rm -rf "$data"
  "$sqlc" gen activity "$data" --rows 1000000 --files 80 >/dev/null
  touch "$data/_done"
fi
