#!/usr/bin/env bash
# Builds the libFuzzer harnesses of fuzz/ (clang++-14, AddressSanitizer + UndefinedBehaviorSanitizer)
# and runs each for a fixed time. docs/fuzzing.md says more.
#
#   scripts/fuzz.sh                                  # every harness, 30 s each, in build-fuzz/
#   scripts/fuzz.sh --seconds 600 engine_commands_fuzzer
#   scripts/fuzz.sh --build-dir build-sanitize --seconds 20   # a tree configured with
#                                                             # SWITCHBOARD_BUILD_FUZZERS=ON
# For each harness: first its saved reproducers (fuzz/regressions/<harness>/*) run once, so a
# fixed bug stays fixed; then the fuzzer runs from a scratch copy of its seed corpus
# (fuzz/corpus/<harness>/, never modified) in <build-dir>/fuzz-work/<harness>/, with
# fuzz/dict/<harness>.dict when there is one. Any crash, sanitizer report, leak, timeout
# (--timeout, default 25 s per input) or out-of-memory (2 GB) fails the script, which prints the
# reproducer's path and the command that replays it. The last lines are a summary, one
# "fuzz: <harness>: ..." line per harness.
#
# Options: --seconds N (default 30), --build-dir DIR (default build-fuzz; relative to the
# repository or absolute), --jobs N (build jobs; default SWITCHBOARD_JOBS or all cores),
# --timeout N, --no-build, --keep-corpus (keep what the fuzzer found in fuzz-work/<harness>/corpus
# from the previous run, instead of starting again from the seeds).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$PWD

all_harnesses=(requirement_fuzzer scenario_toml_fuzzer scenario_table_fuzzer engine_commands_fuzzer
               journal_reader_fuzzer host_protocol_fuzzer)
seconds=30
build_dir=build-fuzz
jobs=${SWITCHBOARD_JOBS:-$(nproc)}
timeout=25
build=1
keep_corpus=0
harnesses=()

usage() { sed -n '2,21p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

while (($# > 0)); do
  case $1 in
    --seconds) seconds=$2; shift 2 ;;
    --build-dir) build_dir=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --keep-corpus) keep_corpus=1; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    *) harnesses+=("$1"); shift ;;
  esac
done
((${#harnesses[@]} > 0)) || harnesses=("${all_harnesses[@]}")
for h in "${harnesses[@]}"; do
  if [[ ! -f fuzz/$h.cc ]]; then
    echo "fuzz.sh: no harness '$h' (fuzz/$h.cc); harnesses: ${all_harnesses[*]}" >&2
    exit 2
  fi
done
[[ $build_dir = /* ]] || build_dir=$repo/$build_dir

step() { printf '\n==> %s\n' "$*"; }

if ((build)); then
  if grep -qs '^SWITCHBOARD_BUILD_FUZZERS:BOOL=ON' "$build_dir/CMakeCache.txt"; then
    step "Fuzzers: reusing the configured tree $build_dir"
  else
    step "Fuzzers: configure $build_dir (clang++-14, ASan + UBSan, libFuzzer)"
    CMAKE_GENERATOR=${CMAKE_GENERATOR:-Ninja} cmake -S . -B "$build_dir" \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g -D_GLIBCXX_ASSERTIONS" \
      -DCMAKE_CXX_COMPILER=clang++-14 \
      -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
      -DSWITCHBOARD_BUILD_FUZZERS=ON \
      -DSWITCHBOARD_BUILD_TESTS=OFF -DSWITCHBOARD_BUILD_PYTHON=OFF -DSWITCHBOARD_BUILD_TOOLS=OFF \
      -DSWITCHBOARD_BUILD_BENCHMARKS=OFF -DSWITCHBOARD_BUILD_EXAMPLES=OFF -DSWITCHBOARD_INSTALL=OFF
  fi
  step "Fuzzers: build ${harnesses[*]} ($jobs jobs)"
  cmake --build "$build_dir" --parallel "$jobs" --target "${harnesses[@]}"
fi

# Leaks are reported (libFuzzer's -detect_leaks=1); UBSan stops at the first report anyway
# (-fno-sanitize-recover=undefined) and prints its stack.
export ASAN_OPTIONS=${ASAN_OPTIONS:-symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

summary=()
failed=()
for h in "${harnesses[@]}"; do
  bin=$build_dir/bin/$h
  work=$build_dir/fuzz-work/$h
  if [[ ! -x $bin ]]; then
    summary+=("fuzz: $h: FAILED: $bin was not built")
    failed+=("$h")
    continue
  fi
  mkdir -p "$work"
  rm -f "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-* "$work"/slow-unit-*
  if ((!keep_corpus)) || [[ ! -d $work/corpus ]]; then
    rm -rf "$work/corpus"
    mkdir -p "$work/corpus"
    cp fuzz/corpus/"$h"/* "$work/corpus/"
  fi
  dict=()
  [[ -f fuzz/dict/$h.dict ]] && dict=(-dict="$repo/fuzz/dict/$h.dict")

  regressions=()
  if [[ -d fuzz/regressions/$h ]]; then
    while IFS= read -r -d '' file; do regressions+=("$file"); done \
      < <(find "fuzz/regressions/$h" -type f -print0 | sort -z)
  fi
  if ((${#regressions[@]} > 0)); then
    step "Fuzz $h: ${#regressions[@]} saved reproducer(s) in fuzz/regressions/$h"
    for file in "${regressions[@]}"; do
      if ! "$bin" -timeout="$timeout" -rss_limit_mb=2048 "$file" >"$work/regression.log" 2>&1; then
        tail -n 40 "$work/regression.log"
        echo "fuzz.sh: $h fails on the saved reproducer $repo/$file" >&2
        echo "fuzz.sh: replay with: $bin $repo/$file" >&2
        summary+=("fuzz: $h: FAILED on saved reproducer $repo/$file")
        failed+=("$h")
        continue 2
      fi
    done
  fi

  step "Fuzz $h for ${seconds}s (corpus: copy of fuzz/corpus/$h in $work/corpus)"
  status=0
  (cd "$work" && "$bin" -max_total_time="$seconds" -timeout="$timeout" -rss_limit_mb=2048 \
     -print_final_stats=1 -artifact_prefix="$work/" "${dict[@]}" corpus) \
     >"$work/fuzz.log" 2>&1 || status=$?
  grep -a -E '^#[0-9]+[[:space:]]+(INITED|DONE)' "$work/fuzz.log" || true
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/fuzz.log" | tail -n 1)
  cov=$(grep -Eo 'cov: [0-9]+' "$work/fuzz.log" | tail -n 1 | cut -d' ' -f2)
  reproducer=$(find "$work" -maxdepth 1 -type f \
                 \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) |
               head -n 1)
  if ((status != 0)) || [[ -n $reproducer ]]; then
    # The report (the sanitizer's or libFuzzer's, with its stack), without the progress lines.
    grep -a -v -E '^#[0-9]+[[:space:]]+(NEW|REDUCE|pulse|RELOAD|INITED)|^[[:space:]]+NEW_FUNC|^INFO:' \
      "$work/fuzz.log" | tail -n 80
    echo "fuzz.sh: $h failed (status $status); log: $work/fuzz.log" >&2
    if [[ -n $reproducer ]]; then
      echo "fuzz.sh: reproducer: $reproducer" >&2
      echo "fuzz.sh: replay with: $bin $reproducer" >&2
      summary+=("fuzz: $h: FAILED after ${runs:-?} runs; reproducer $reproducer")
    else
      summary+=("fuzz: $h: FAILED with status $status, no reproducer written; see $work/fuzz.log")
    fi
    failed+=("$h")
  else
    summary+=("fuzz: $h: OK, ${runs:-?} runs in ${seconds}s, coverage ${cov:-?}, no crash")
  fi
done

step "Fuzz summary"
printf '%s\n' "${summary[@]}"
if ((${#failed[@]} > 0)); then
  echo "fuzz.sh: failed: ${failed[*]}" >&2
  exit 1
fi
