#!/usr/bin/env bash
# tests/parallel/kill_rank.sh AEZOO MPIEXEC MNIST WORK_DIR: one process of `mpirun -np 2 aezoo
# train` killed with SIGKILL mid-run: the job must end (no process left waiting for it), the last
# checkpoint must be intact, and a resume on 2 processes must give the uninterrupted run's model
# byte for byte.
set -euo pipefail
aezoo=$1 mpiexec=$2 mnist=$3 work=$4
if [ ! -e "$mnist/train-images-idx3-ubyte.gz" ]; then echo "SKIPPED: MNIST not found at $mnist"; exit 0; fi
rm -rf "$work" && mkdir -p "$work"
train=(train --model sparse-kl --hidden 20 --optimizer adam --batch-size 50 --data "mnist:$mnist" --limit 300
       --iterations 400 --checkpoint-every 1 --progress quiet --seed 3)
"$mpiexec" -n 2 "$aezoo" "${train[@]}" --out "$work/whole" > "$work/whole.out" 2>&1

"$mpiexec" -n 2 "$aezoo" "${train[@]}" --out "$work/killed" > "$work/killed.out" 2>&1 &
launcher=$!
for _ in $(seq 600); do [ -e "$work/killed/checkpoint.npz" ] && break; sleep 0.05; done
sleep 0.2
victim=""
for stat in /proc/[0-9]*/stat; do  # a process of the job: a child of the launcher
  read -r pid _ _ ppid _ < "$stat" 2>/dev/null || continue
  [ "$ppid" = "$launcher" ] && victim=$pid
done
[ -n "$victim" ] || { echo "FAILED: no process of the job found (it ended before the kill?)"; cat "$work/killed.out"; exit 1; }
kill -9 "$victim"
for _ in $(seq 300); do kill -0 "$launcher" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$launcher" 2>/dev/null; then
  echo "FAILED: the job still runs 30 s after one of its processes was killed"; kill -9 "$launcher"; exit 1
fi
if wait "$launcher"; then echo "FAILED: mpirun reported success after a process was killed"; exit 1; fi
step=$(grep -c . "$work/killed/log.csv" || true)
echo "killed process $victim; the job ended; log.csv has $((step - 1)) rows; resuming"
"$mpiexec" -n 2 "$aezoo" "${train[@]}" --resume --out "$work/killed" > "$work/resumed.out" 2>&1 ||
  { echo "FAILED: the resume failed:"; cat "$work/resumed.out"; exit 1; }
cmp "$work/whole/model.npz" "$work/killed/model.npz" ||
  { echo "FAILED: the resumed run's model.npz differs from the uninterrupted run's"; exit 1; }
echo "passed: the resumed model equals the uninterrupted run's byte for byte"
