#!/usr/bin/env bash
# The one entry point, for a fresh Debian 12 machine (as root, or with sudo): installs what is
# missing (nothing slow when everything is there), configures, builds, then runs
#   main   the main job
#   test   every test
#   sanitize         every test again, under AddressSanitizer and UBSan (build-asan)
#   fuzz [SECONDS]   each libFuzzer harness of fuzz/ for SECONDS, default 20 (build-fuzz)
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(g++ cmake make pkg-config libxtensor-dev libxtensor-blas-dev libxsimd-dev libopenblas-dev
          doctest-dev zlib1g-dev libstb-dev libcli11-dev)
# The main job's data: Fashion-MNIST from Debian (its IDX files go to /usr/share/datasets/fashion-mnist).
[ "${1:-}" = main ] && packages+=(dataset-fashion-mnist)
# The tests train on several processes too (mpirun): Open MPI, found by CMake (AEZOO_MPI).
[ "${1:-}" = test ] && packages+=(openmpi-bin libopenmpi-dev)
# The sanitizer and fuzz stages build with clang (libFuzzer's compiler, and with the sanitizers
# about three times quicker than g++ here); libclang-rt holds the sanitizer and libFuzzer runtimes.
case "${1:-}" in sanitize|fuzz) packages+=(clang-14 libclang-rt-14-dev) ;; esac
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

# Issue 10's stages, each in a build folder of its own (see README.md, "Sanitizers and fuzzing").
case "${1:-}" in
  # The test suite built with -fsanitize=address,undefined (CMake option AEZOO_SANITIZE): only the
  # targets the tests run. Every report, of any process a test starts (also the aezoo runs inside
  # the CMake-script tests), goes to a file in build-asan/sanitizer-reports: the stage fails when
  # there is one, and prints it. Not run here: the packaging test (it installs a full build), the
  # tape's peak-memory test (ASan's quarantine keeps freed memory, so the peak grows by design) and
  # the tests under mpirun (label parallel: Open MPI's own allocations are reported as leaks).
  sanitize)
    cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=clang++-14 -DAEZOO_SANITIZE=ON > /dev/null
    cmake --build build-asan -j"$(nproc)" --target aezoo_tests aezoo_cli aezoo_kill_test deep_contractive
    reports=$PWD/build-asan/sanitizer-reports suppressions=$PWD/scripts/ubsan.supp
    rm -rf "$reports" && mkdir -p "$reports"
    status=0
    (cd build-asan && OPENBLAS_NUM_THREADS=1 \
       ASAN_OPTIONS="log_path=$reports/asan:detect_leaks=1:detect_stack_use_after_return=1:strict_init_order=1" \
       UBSAN_OPTIONS="log_path=$reports/ubsan:print_stacktrace=1:suppressions=$suppressions" \
       ctest --output-on-failure -j"$(nproc)" -LE "package|parallel" -E "^clear and reuse: the tape holds the same memory") || status=$?
    # LeakSanitizer (clang 14) rarely fails to read the registers of the thread that runs the
    # check at exit and says so in a line of its own: not a finding (LLVM made it a verbose-only
    # message, llvm-project pull 116555). A file holding nothing else is shown and removed.
    for f in "$reports"/*; do
      [ -e "$f" ] || continue
      if ! grep -qv '^==[0-9]*==Unable to get registers from thread [0-9]*\.$' "$f"; then
        echo "== ignored LeakSanitizer message ($(basename "$f")): $(cat "$f")"
        rm -f "$f"
      fi
    done
    if [ -n "$(ls -A "$reports")" ]; then
      echo "== sanitizer reports (build-asan/sanitizer-reports):"
      cat "$reports"/*
      status=1
    fi
    exit $status ;;
  # The libFuzzer harnesses (CMake option AEZOO_FUZZ, fuzz/CMakeLists.txt), then fuzz/run.sh.
  fuzz)
    cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=clang++-14 -DAEZOO_FUZZ=ON > /dev/null
    cmake --build build-fuzz -j"$(nproc)" --target fuzz_all
    exec bash fuzz/run.sh build-fuzz "${2:-20}" ;;
esac

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
  *) echo "usage: scripts/run.sh main|test|sanitize|fuzz [SECONDS]" >&2; exit 2 ;;
esac
