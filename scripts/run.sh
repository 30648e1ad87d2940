#!/usr/bin/env bash
# The one entry point, for a fresh Debian 12 machine (as root, or with sudo): installs what is
# missing (nothing slow when everything is there), configures, builds, then runs
#   main   the main job
#   test   every test
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(g++ cmake make pkg-config libxtensor-dev libxtensor-blas-dev libxsimd-dev libopenblas-dev
          doctest-dev zlib1g-dev libstb-dev libcli11-dev)
# The main job's data: Fashion-MNIST from Debian (its IDX files go to /usr/share/datasets/fashion-mnist).
[ "${1:-}" = main ] && packages+=(dataset-fashion-mnist)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "== installing ${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release > /dev/null
# The main job needs only the aezoo program; the tests need everything.
if [ "${1:-}" = main ]; then cmake --build build -j"$(nproc)" --target aezoo_cli
else cmake --build build -j"$(nproc)"; fi

case "${1:-}" in
  # UFLDL's sparse autoencoder on Fashion-MNIST (a few minutes on 2 cores); the folder is the main
  # job's own, replaced on each run.
  main) ./build/aezoo train --model sparse-kl --hidden 196 --rho 0.1 --lambda 3e-3 --beta 3 \
          --optimizer lbfgs --iterations 400 --data fashion-mnist --limit 10000 \
          --no-checkpoint --force --out out/fashion-sparse-kl ;;
  # One OpenBLAS thread per test process: ctest already runs one process per core.
  test) cd build && OPENBLAS_NUM_THREADS=1 ctest --output-on-failure -j"$(nproc)" ;;
  *) echo "usage: scripts/run.sh main|test" >&2; exit 2 ;;
esac
