#!/usr/bin/env bash
# End to end, compiled against interpreted: examples 1 to 7 on the 1M-row
# activity data set (80 JSON files, all in one batch), each run by the JIT
# (SQLC_EXEC=jit) and by the interpreted twin (SQLC_EXEC=interpret) in
# alternating rounds. Prints, per example, the median wall time and CPU time
# (user + system) of the whole `sqlc run` process each way, and the JIT's
# speed-up. CPU time is the steadier figure on a shared machine.
#
#     benches/peers/jit_vs_interpret.sh [ROUNDS]        (default 5)
#
# Needs target/release/sqlc (cargo build --release); makes the data set with
# `sqlc gen` into ${SQLC_CACHE:-~/.cache/sqlc}/peers-data (as run.sh does).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
rounds=${1:-5}
. "$here/common.sh"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for n in 1 2 3 4 5 6 7; do
  sed 's/, *maxFilesPerTrigger *= *1//' "$root/examples/sql/ex$n.sql" >"$work/ex$n.sql"
done

python3 - "$sqlc" "$data" "$work" "$rounds" <<'EOF'
import os, resource, statistics, subprocess, sys, time

sqlc, data, work, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
modes = ["jit", "interpret"]
wall = {}
cpu = {}

def run(n, mode):
    env = dict(os.environ, SQLC_EXEC=mode)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(
        [sqlc, "run", f"{work}/ex{n}.sql", "--available-now", "--quiet", "--var", f"data={data}"],
        env=env, stdout=subprocess.DEVNULL, check=True)
    t1 = time.perf_counter()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    wall.setdefault((n, mode), []).append(t1 - t0)
    cpu.setdefault((n, mode), []).append(used)

for r in range(rounds):
    for n in range(1, 8):
        # Alternate which goes first, so neither always runs on a warmer cache.
        for mode in (modes if r % 2 == 0 else modes[::-1]):
            run(n, mode)

med = lambda xs: statistics.median(xs)
print(f"{'example':<8} {'JIT wall':>9} {'interp wall':>12} {'speed-up':>9} {'JIT cpu':>9} {'interp cpu':>11} {'speed-up':>9}")
for n in range(1, 8):
    jw, iw = med(wall[(n, 'jit')]), med(wall[(n, 'interpret')])
    jc, ic = med(cpu[(n, 'jit')]), med(cpu[(n, 'interpret')])
    print(f"ex{n:<6} {jw:>8.3f}s {iw:>11.3f}s {iw / jw:>8.2f}x {jc:>8.3f}s {ic:>10.3f}s {ic / jc:>8.2f}x")
EOF
