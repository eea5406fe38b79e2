#!/usr/bin/env bash
# Builds and tests Switchboard the way CI does:
#   1. installs missing Debian packages (scripts/install-deps.sh);
#   2. gcc, Release, -Werror in build/: build everything, run every CTest test
#      (unit tests, the package consumer test), plus the header self-containment check
#      (built with everything, target switchboard_header_check);
#   3. clang++-14 with AddressSanitizer and UndefinedBehaviorSanitizer, with assertions on and
#      -Werror, in build-sanitize/: everything is built again (library, tools, Python module,
#      examples, tests, benchmarks and the libFuzzer harnesses of fuzz/), so that both compilers
#      are checked warning-free with -Wall -Wextra, and every CTest test but the benchmark smoke
#      run runs again there: the C++ tests, the CLI and package tests, and the Python tests under
#      Debian's /usr/bin/python3 with the ASan runtime preloaded;
#   4. each fuzzer (fuzz/, scripts/fuzz.sh) for a short fixed time, in the same tree;
#   5. clang++-14 with ThreadSanitizer in build-tsan/: only shared_engine_test (SharedEngine,
#      the one part of the library that runs on several threads) is built and run.
# Environment: SWITCHBOARD_BUILD_DIR, SWITCHBOARD_SANITIZE_BUILD_DIR,
# SWITCHBOARD_TSAN_BUILD_DIR (build dirs, relative to the repository or absolute),
# SWITCHBOARD_JOBS (default: all cores),
# SWITCHBOARD_FUZZ_SECONDS (per fuzzer; default 20), CMAKE_GENERATOR (for new build dirs;
# default Ninja).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

gcc_dir=${SWITCHBOARD_BUILD_DIR:-build}
jobs=${SWITCHBOARD_JOBS:-$(nproc)}
# Applies to new build trees only; an existing tree keeps the generator it was made with.
export CMAKE_GENERATOR=${CMAKE_GENERATOR:-Ninja}

step() { printf '\n==> %s\n' "$*"; }

step "Dependencies"
scripts/install-deps.sh

configure_and_build() {
  local dir=$1 compiler=$2
  step "Configure $dir ($compiler, Release, -Werror)"
  cmake -S . -B "$dir" \
    -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CXX_COMPILER="$compiler" \
    -DSWITCHBOARD_WERROR=ON
  step "Build $dir ($jobs jobs)"
  cmake --build "$dir" --parallel "$jobs"
}

# ctest prints "N% tests passed, M tests failed out of K"; the last such line of a log.
ctest_summary() {
  grep -E '[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$1" | tail -n 1 || true
}

configure_and_build "$gcc_dir" g++

step "Test $gcc_dir"
ctest_log="$gcc_dir/ctest.log"
ctest_status=0
ctest --test-dir "$gcc_dir" --output-on-failure --no-tests=error --parallel "$jobs" \
  2>&1 | tee "$ctest_log" || ctest_status=$?
summary=$(ctest_summary "$ctest_log")

# Everything again under AddressSanitizer and UndefinedBehaviorSanitizer (clang): the routing
# indexes keep positions and pointers into agents' records, and the loaders, the CLI and the
# bindings take untrusted input. Without NDEBUG, so that the engine's assertions of its internal
# invariants are checked too, and with libstdc++'s own checks (_GLIBCXX_ASSERTIONS: an index
# past a vector's end within its capacity, which ASan does not see). The fuzzers are built in the
# same tree (SWITCHBOARD_BUILD_FUZZERS: the library gets libFuzzer's coverage instrumentation,
# whose callbacks ASan's runtime provides to the other executables), rather than in another
# tree. The tree is also clang's warning check (-Werror), so it builds the benchmarks too; their
# smoke run is left to the gcc tree (sanitized timings mean nothing).
sanitize_dir=${SWITCHBOARD_SANITIZE_BUILD_DIR:-build-sanitize}
sanitize_flags="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
step "Sanitizers: configure and build $sanitize_dir (clang++-14, ASan + UBSan, -Werror, fuzzers)"
cmake -S . -B "$sanitize_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g -D_GLIBCXX_ASSERTIONS" \
  -DCMAKE_CXX_COMPILER=clang++-14 \
  -DCMAKE_CXX_FLAGS="$sanitize_flags" \
  -DSWITCHBOARD_WERROR=ON \
  -DSWITCHBOARD_BUILD_FUZZERS=ON -DSWITCHBOARD_BUILD_BENCHMARKS=ON \
  -DSWITCHBOARD_BUILD_PYTHON=ON -DSWITCHBOARD_BUILD_TOOLS=ON -DSWITCHBOARD_BUILD_EXAMPLES=ON \
  -DSWITCHBOARD_BUILD_TESTS=ON
sanitize_build_status=0
cmake --build "$sanitize_dir" --parallel "$jobs" || sanitize_build_status=$?

# The C++ tests, the CLI and the package test. The package test builds a consumer project
# against the installed (sanitized) library: CXXFLAGS gives that project the same flags.
step "Sanitizers: ctest $sanitize_dir (all tests but Python)"
sanitize_log="$sanitize_dir/ctest.log"
sanitize_status=0
if ((sanitize_build_status == 0)); then
  CXXFLAGS="$sanitize_flags" \
    ctest --test-dir "$sanitize_dir" --output-on-failure --no-tests=error --parallel "$jobs" \
    --label-exclude python --exclude-regex '^benchmarks_smoke$' 2>&1 | tee "$sanitize_log" ||
    sanitize_status=$?
else
  sanitize_status=$sanitize_build_status
  echo "build failed (status $sanitize_build_status)" > "$sanitize_log"
fi
sanitize_summary=$(ctest_summary "$sanitize_log")

# The Python tests: the sanitized module under Debian's (unsanitized) interpreter, with the ASan
# runtime loaded first; the interpreter's own allocations, freed or not at exit, are not ours to
# report (detect_leaks=0). Only this ctest run gets LD_PRELOAD: the C++ tests carry their own
# (static) runtime.
step "Sanitizers: Python tests in $sanitize_dir (/usr/bin/python3, ASan runtime preloaded)"
python_log="$sanitize_dir/ctest-python.log"
python_status=0
if ((sanitize_build_status == 0)); then
  asan_runtime=$(clang++-14 -print-file-name=libclang_rt.asan-x86_64.so)
  LD_PRELOAD="$asan_runtime" ASAN_OPTIONS=detect_leaks=0 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir "$sanitize_dir" --output-on-failure --no-tests=error \
    --label-regex python 2>&1 | tee "$python_log" || python_status=$?
else
  python_status=$sanitize_build_status
  echo "build failed (status $sanitize_build_status)" > "$python_log"
fi
python_summary=$(ctest_summary "$python_log")

# Each fuzzer for a short fixed time (docs/fuzzing.md: how to run them longer), plus the saved
# reproducers of fuzz/regressions/.
fuzz_log="$sanitize_dir/fuzz.log"
fuzz_status=0
if ((sanitize_build_status == 0)); then
  scripts/fuzz.sh --no-build --build-dir "$sanitize_dir" \
    --seconds "${SWITCHBOARD_FUZZ_SECONDS:-20}" 2>&1 | tee "$fuzz_log" || fuzz_status=$?
else
  fuzz_status=$sanitize_build_status
  echo "fuzz: not run: the build of $sanitize_dir failed" > "$fuzz_log"
fi

# ThreadSanitizer on the one multi-threaded part, SharedEngine (switchboard/shared_engine.h): its
# own tree, because TSan cannot be combined with ASan, and only its test target, to keep the
# step cheap (the library and that test; no tools, bindings, examples, benchmarks or fuzzers).
tsan_dir=${SWITCHBOARD_TSAN_BUILD_DIR:-build-tsan}
tsan_log="$tsan_dir/tsan.log"
step "ThreadSanitizer: configure, build and run shared_engine_test in $tsan_dir (clang++-14)"
tsan_status=0
cmake -S . -B "$tsan_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-g -O1" \
  -DCMAKE_CXX_COMPILER=clang++-14 \
  -DCMAKE_CXX_FLAGS="-fsanitize=thread" \
  -DSWITCHBOARD_BUILD_TOOLS=OFF -DSWITCHBOARD_BUILD_PYTHON=OFF \
  -DSWITCHBOARD_BUILD_BENCHMARKS=OFF -DSWITCHBOARD_BUILD_EXAMPLES=OFF \
  -DSWITCHBOARD_BUILD_FUZZERS=OFF -DSWITCHBOARD_BUILD_TESTS=ON || tsan_status=$?
if ((tsan_status == 0)); then
  cmake --build "$tsan_dir" --parallel "$jobs" --target shared_engine_test || tsan_status=$?
fi
mkdir -p "$tsan_dir"
if ((tsan_status == 0)); then
  TSAN_OPTIONS=halt_on_error=1 "$tsan_dir/bin/shared_engine_test" 2>&1 | tee "$tsan_log" ||
    tsan_status=$?
else
  echo "build failed (status $tsan_status)" > "$tsan_log"
fi
if ((tsan_status == 0)); then
  tsan_summary="shared_engine_test passed, no data race reported"
else
  tsan_summary="FAILED (status $tsan_status; see $tsan_log)"
fi

step "Summary"
echo "g++ $(g++ -dumpfullversion), $gcc_dir: built warning-free (-Werror)"
if ((sanitize_build_status == 0)); then
  echo "clang++-14, $sanitize_dir: built warning-free (-Werror)"
else
  echo "clang++-14, $sanitize_dir: build FAILED (status $sanitize_build_status)"
fi
echo "ASan + UBSan ctest, $sanitize_dir: ${sanitize_summary:-no summary line (status $sanitize_status)}"
echo "ASan + UBSan Python tests, $sanitize_dir: ${python_summary:-no summary line (status $python_status)}"
grep -E '^fuzz: ' "$fuzz_log" | sed 's/^/ASan + UBSan /' || true
echo "ThreadSanitizer, $tsan_dir: $tsan_summary"
echo "ctest, $gcc_dir: ${summary:-no summary line (status $ctest_status)}"
if ((ctest_status != 0)); then
  echo "test.sh: ctest failed with status $ctest_status" >&2
  exit "$ctest_status"
fi
if ((sanitize_status != 0 || python_status != 0)); then
  echo "test.sh: tests failed under the sanitizers (ctest status $sanitize_status," \
       "Python tests status $python_status)" >&2
  exit 1
fi
if ((fuzz_status != 0)); then
  echo "test.sh: a fuzzer failed (scripts/fuzz.sh status $fuzz_status); see above" >&2
  exit 1
fi
if ((tsan_status != 0)); then
  echo "test.sh: shared_engine_test failed under ThreadSanitizer (status $tsan_status);" \
       "see $tsan_log" >&2
  exit 1
fi
