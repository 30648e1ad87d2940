#!/usr/bin/env bash
# results/run.sh N: runs result N of the reproduction suite with its exact command, times it, and
# leaves its pictures and figures.md in results/N-name/ (logs in results/N-name/logs/, not committed).
# Run from anywhere; MNIST is read from $MNIST (default ../shared/data/mnist/ relative to the repo root).
# Build first: cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && make -C build -j2 aezoo_reproduce
# The whole script is one function, read in full before it runs: editing this file while a result
# is running (they take up to 30 minutes) must not change what the running bash does next.
main() {
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
MNIST="${MNIST:-../shared/data/mnist/}"
bin="${AEZOO_REPRODUCE:-build/aezoo_reproduce}"
case "${1:-}" in
  1) name=1-sparse-mnist;   args=(--seed 1) ;;
  2) name=2-self-taught;    args=(--seed 1 --float32 --raw-baseline) ;;
  3) name=3-stacked;        args=(--seed 1 --float32) ;;
  4) name=4-k-sparse-centered; args=(--seed 1 --float32 --center --k 25,10 --epochs 30) ;;
  4-k40) name=4-k-sparse-centered-k40; args=(--seed 1 --float32 --center --k 40,70 --epochs 10) ;;
  4-raw) name=4-k-sparse;   args=(--seed 1 --float32 --k 25,40,10 --epochs 10) ;;
  4-validation) name=4-k-sparse-validation; args=(--seed 1 --float32 --validation --center --k 25,40,10 --epochs 30 --softmax-lambda 1e-4,1e-5) ;;
  4-validation-10) name=4-k-sparse-validation-10-epochs; args=(--seed 1 --float32 --validation --center --k 25,40,10 --epochs 10 --softmax-lambda 1e-4,1e-5) ;;
  4-validation-k25-60) name=4-k-sparse-validation-k25-60-epochs; args=(--seed 1 --float32 --validation --center --k 25 --epochs 60 --softmax-lambda 1e-4,1e-5) ;;
  4-validation-raw) name=4-k-sparse-validation-raw; args=(--seed 1 --float32 --validation --k 25 --epochs 10 --softmax-lambda 1e-4,1e-5) ;;
  5) name=5-denoising;      args=(--seed 1 --float32 --epochs 5) ;;
  6) name=6-contractive;    args=(--seed 1 --float32 --epochs 5) ;;
  4-k70) name=4-k-sparse-k70; args=(--seed 1 --float32 --k 70 --epochs 10) ;;
  7) name=7-linear-pca;     args=(--seed 1) ;;
  8) name=8-deep;           args=(--seed 1 --float32) ;;
  8-long) name=8-deep-30-epochs; args=(--seed 1 --float32 --epochs 30) ;;
  8-100) name=8-deep-100-epochs; args=(--seed 1 --float32 --epochs 100 --pretrain-epochs 10) ;;
  6-long) name=6-contractive-30-epochs; args=(--seed 1 --float32 --epochs 30) ;;
  5-long) name=5-denoising-30-epochs; args=(--seed 1 --float32 --epochs 30) ;;
  4-long) name=4-k-sparse-k25-50-epochs; args=(--seed 1 --float32 --k 25 --epochs 50) ;;
  *) echo "usage: results/run.sh N [extra flags]   (N = 1..8, 4-raw, 4-validation, 4-validation-10, 4-validation-k25-60, 4-validation-raw, 4-k40, 4-k70, 4-long, 5-long, 6-long, 8-long, 8-100; see results/README.md)" >&2; exit 2 ;;
esac
n="${1%%-*}"; shift
out="results/$name"
mkdir -p "$out"
cmd=("$bin" "$n" --mnist "$MNIST" --out "$out" "${args[@]}" "$@")
echo "+ ${cmd[*]}"
start=$(date +%s)
"${cmd[@]}" 2>&1 | tee "$out/logs.txt"
status=${PIPESTATUS[0]}
end=$(date +%s)
echo >> "$out/figures.md"; echo "wall time (run.sh): $((end - start)) s, $(nproc) cores, $(date -u +%FT%TZ)" | tee -a "$out/figures.md"
exit "$status"
}
main "$@"
