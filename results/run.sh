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
aezoo="${AEZOO:-build/aezoo}"
# Results run with the aezoo program itself: each command is a line of figures.md.
cli_result() {
  local out="results/$1"; shift
  mkdir -p "$out/logs"
  local start=$(date +%s)
  { echo "| step | command |"; echo "| --- | --- |"; } > "$out/commands.md"
  while (($#)); do
    local cmd="$1"; shift
    echo "+ $cmd"
    echo "| $(( $(grep -c '^| [0-9]' "$out/commands.md") + 1 )) | \`${cmd//|/\\|}\` |" >> "$out/commands.md"
    eval "$cmd" 2>&1 | tee -a "$out/logs.txt"
    [ "${PIPESTATUS[0]}" -eq 0 ] || exit 1
  done
  local end=$(date +%s)
  echo >> "$out/figures.md"; echo "wall time (run.sh): $((end - start)) s, $(nproc) cores, $(date -u +%FT%TZ)" | tee -a "$out/figures.md"
  exit 0
}
case "${1:-}" in
  8-cli) out=results/8-deep-cli; cli_result 8-deep-cli \
    "$aezoo train --model deep --hidden 1000,500,250,30 --activations sigmoid,sigmoid,sigmoid,linear --optimizer adam --batch-size 128 --learning-rate 1e-3 --pretrain-epochs 10 --epochs 100 --float32 --seed 1 --data mnist:$MNIST --no-checkpoint --progress lines --force --out $out/logs/run" \
    "cp $out/logs/run/reconstructions.png $out/logs/run/filters.png $out/logs/run/training.svg $out/" \
    "$aezoo evaluate $out/logs/run/model.npz --data mnist:$MNIST --split test --out $out/figures.md" ;;
  6-finetune) out=results/6-contractive-fine-tuned; cli_result 6-contractive-fine-tuned \
    "$aezoo train --model contractive --hidden 1000 --lambda 0.1 --optimizer adam --batch-size 128 --learning-rate 1e-3 --epochs 30 --float32 --seed 1 --data mnist:$MNIST --no-checkpoint --progress lines --force --out $out/logs/cae" \
    "$aezoo train --model basic --hidden 1000 --loss cross-entropy --tied true --optimizer adam --batch-size 128 --learning-rate 1e-3 --epochs 30 --float32 --seed 1 --data mnist:$MNIST --no-checkpoint --progress lines --force --out $out/logs/basic" \
    "$aezoo evaluate $out/logs/cae/model.npz --data mnist:$MNIST --split test --out $out/cae-figures.md" \
    "$aezoo evaluate $out/logs/basic/model.npz --data mnist:$MNIST --split test --out $out/basic-figures.md" \
    "$aezoo finetune $out/logs/cae/model.npz --data mnist:$MNIST --optimizer adam --learning-rate 1e-3 --batch-size 128 --epochs 10 --head-iterations 200 --progress lines --force --out $out/logs/cae-classifier" \
    "$aezoo finetune $out/logs/basic/model.npz --data mnist:$MNIST --optimizer adam --learning-rate 1e-3 --batch-size 128 --epochs 10 --head-iterations 200 --progress lines --force --out $out/logs/basic-classifier" \
    "cp $out/logs/cae/filters.png $out/filters-contractive.png" "cp $out/logs/basic/filters.png $out/filters-basic.png" \
    "$aezoo evaluate $out/logs/cae-classifier/model.npz --data mnist:$MNIST --split test --out $out/cae-classifier-figures.md" \
    "$aezoo evaluate $out/logs/basic-classifier/model.npz --data mnist:$MNIST --split test --out $out/basic-classifier-figures.md" \
    "cat $out/cae-figures.md $out/basic-figures.md $out/cae-classifier-figures.md $out/basic-classifier-figures.md > $out/figures.md" ;;
  9) out=results/9-conv; tune="--optimizer adam --learning-rate 1e-3 --batch-size 128 --head-iterations 100 --progress lines --force"
    cae="--model conv --hidden 16,32 --optimizer adam --batch-size 128 --learning-rate 1e-3 --float32 --seed 1 --no-checkpoint --progress lines --force"
    cli_result 9-conv \
    "$aezoo train $cae --epochs 2 --data mnist:$MNIST --out $out/logs/cae" \
    "cp $out/logs/cae/filters.png $out/filters.png" "cp $out/logs/cae/reconstructions.png $out/reconstructions.png" \
    "$aezoo finetune $out/logs/cae/model.npz --data mnist:$MNIST $tune --epochs 2 --out $out/logs/pretrained" \
    "$aezoo finetune $out/logs/cae/model.npz --from-scratch --data mnist:$MNIST $tune --epochs 2 --out $out/logs/random" \
    "$aezoo finetune $out/logs/cae/model.npz --data mnist:$MNIST --limit 1000 $tune --epochs 20 --out $out/logs/pretrained-1k" \
    "$aezoo finetune $out/logs/cae/model.npz --from-scratch --data mnist:$MNIST --limit 1000 $tune --epochs 20 --out $out/logs/random-1k" \
    "for c in pretrained random pretrained-1k random-1k; do $aezoo evaluate $out/logs/\$c/model.npz --data mnist:$MNIST --split test --out $out/\$c-figures.md || exit 1; done" \
    "$aezoo train $cae --epochs 1 --data fashion-mnist --out $out/logs/fashion" \
    "cp $out/logs/fashion/filters.png $out/filters-fashion.png" "cp $out/logs/fashion/reconstructions.png $out/reconstructions-fashion.png" \
    "cat $out/pretrained-figures.md $out/random-figures.md $out/pretrained-1k-figures.md $out/random-1k-figures.md > $out/figures.md" ;;
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
  *) echo "usage: results/run.sh N [extra flags]   (N = 1..9, 8-cli, 6-finetune, 4-raw, 4-validation, 4-validation-10, 4-validation-k25-60, 4-validation-raw, 4-k40, 4-k70, 4-long, 5-long, 6-long, 8-long, 8-100; see results/README.md)" >&2; exit 2 ;;
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
