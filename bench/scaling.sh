#!/usr/bin/env bash
# bench/scaling.sh [BUILD_DIR [ROUNDS [EPOCHS]]]: data parallel scaling on this machine, in one run:
# bench/scaling.cpp's epoch times on 1 process x 1 thread, 2 processes x 1 thread (mpirun) and
# 1 process x 2 threads (OpenBLAS's), the three taken in turn ROUNDS times (default 3) so that a slow
# spell of a shared machine falls on all of them; each figure is its configuration's best. Then the
# efficiency T1 / (2 T2) and the two-thread speed-up T1 / T.
set -euo pipefail
build=${1:-build} rounds=${2:-3} epochs=${3:-3}
bench=$build/aezoo_bench_scaling
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1  # as root, in a container
times=$(mktemp)
for round in $(seq "$rounds"); do
  OPENBLAS_NUM_THREADS=1 "$bench" "$epochs" | sed "s/^/one|/" >> "$times"
  OPENBLAS_NUM_THREADS=1 mpirun -np 2 --bind-to core "$bench" "$epochs" | sed "s/^/two|/" >> "$times"
  OPENBLAS_NUM_THREADS=2 "$bench" "$epochs" | sed "s/^/threads|/" >> "$times"
done
grep '^two|' "$times" | grep -v '|#\||model' | head -2 | cut -d'|' -f2-5,7 | sed 's/^/# /'
echo "# model | examples | global batch | parameters | MB sent per step per process (2 processes)"
echo
echo "model | 1 process x 1 thread (s) | 2 processes x 1 thread (s) | efficiency T1 / (2 T2) | 1 process x 2 threads (s) | its speed-up T1 / T"
awk -F'|' '$2 !~ /^#|^model/ {
    key = $2; t = $6 + 0
    if (!(key in seen)) { seen[key] = 1; order[++n] = key }
    if (!((key, $1) in best) || t < best[key, $1]) best[key, $1] = t
  }
  END {
    for (i = 1; i <= n; i++) {
      k = order[i]; a = best[k, "one"]; b = best[k, "two"]; c = best[k, "threads"]
      printf "%s| %.3f | %.3f | %.0f%% | %.3f | %.2fx\n", k, a, b, 100 * a / (2 * b), c, a / c
    }
  }' "$times"
rm -f "$times"
