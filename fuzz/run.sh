#!/usr/bin/env bash
# fuzz/run.sh BUILD_DIR [SECONDS] [HARNESS...]: runs each libFuzzer harness of fuzz/ (built in
# BUILD_DIR by target fuzz_all) for SECONDS (default 20) on its seeds (BUILD_DIR/fuzz_seeds/NAME)
# and its corpus (BUILD_DIR/fuzz_corpus/NAME, kept between runs), one after another. Prints one
# line per harness: executions, and the finding if there was one; the input that made it is saved
# in BUILD_DIR/fuzz_findings/NAME/ and the whole log in BUILD_DIR/fuzz_logs/NAME.log. Exits 1 when
# any harness found something. Replay a saved input: BUILD_DIR/fuzz/fuzz_NAME FILE.
# AEZOO_FUZZ_SEED fixes libFuzzer's random seed (CI: 1, so that its short runs are a repeatable
# gate); unset, each run draws its own and explores new ground.
set -uo pipefail
build=$(cd "$1" && pwd)
seconds=${2:-20}
shift $(( $# < 2 ? $# : 2 ))
harnesses=("$@")
((${#harnesses[@]})) || harnesses=(idx npy npz checkpoint image spec)
mkdir -p "$build/fuzz_logs"
failed=0
for h in "${harnesses[@]}"; do
  corpus=$build/fuzz_corpus/$h findings=$build/fuzz_findings/$h log=$build/fuzz_logs/$h.log
  mkdir -p "$corpus" "$findings"
  # -timeout: one input running 10 s is a hang, except for pictures: a file of 300 bytes may
  # rightly claim 15 megapixels (up to max_image_pixels, 67), which the instrumented stb decodes
  # about 40 times slower than a release build (9.5 s against 0.2 s), so 60 s there.
  # -rss_limit_mb (and the malloc limit, the same by default): 2 GB.
  timeout=10
  [ "$h" = image ] && timeout=60
  "$build/fuzz/fuzz_$h" -max_total_time="$seconds" -timeout=$timeout -rss_limit_mb=2048 -print_final_stats=1 -seed="${AEZOO_FUZZ_SEED:-0}" \
    -artifact_prefix="$findings/" "$corpus" "$build/fuzz_seeds/$h" > "$log" 2>&1
  code=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  if [ "$code" -eq 0 ]; then
    echo "fuzz_$h: ${runs:-?} executions in ${seconds} s, no finding ($(ls "$corpus" | wc -l) inputs in the corpus)"
  else
    failed=1
    echo "fuzz_$h: FINDING after ${runs:-?} executions (exit $code); input saved in $findings/:"
    grep -E "ERROR|FINDING|runtime error|SUMMARY|deadly|Test unit written" "$log" | head -8 | sed 's/^/  /'
  fi
done
exit $failed
