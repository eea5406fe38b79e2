#!/usr/bin/env bash
# Builds and tests Switchboard the way CI does:
#   1. installs missing Debian packages (scripts/install-deps.sh);
#   2. gcc, Release, -Werror in build/: build everything, run every CTest test
#      (unit tests, the package consumer test), plus the header self-containment check
#      (built with everything, target switchboard_header_check);
#   3. clang++-14, Release, -Werror in build-clang/: build everything (no second test run), so
#      both compilers are checked warning-free with -Wall -Wextra;
#   4. clang++-14 with AddressSanitizer and UndefinedBehaviorSanitizer, and with assertions on,
#      in build-sanitize/: the engine and simulator tests run again.
# Environment: SWITCHBOARD_BUILD_DIR, SWITCHBOARD_CLANG_BUILD_DIR (build dirs, relative to the
# repository or absolute), SWITCHBOARD_JOBS (default: all cores), CMAKE_GENERATOR (for new
# build dirs; default Ninja).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

gcc_dir=${SWITCHBOARD_BUILD_DIR:-build}
clang_dir=${SWITCHBOARD_CLANG_BUILD_DIR:-build-clang}
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

configure_and_build "$gcc_dir" g++

step "Test $gcc_dir"
ctest_log="$gcc_dir/ctest.log"
ctest_status=0
ctest --test-dir "$gcc_dir" --output-on-failure --no-tests=error --parallel "$jobs" \
  2>&1 | tee "$ctest_log" || ctest_status=$?
summary=$(grep -E '[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$ctest_log" |
          tail -n 1 || true)

# Even when tests failed, so that one run reports both compilers' warnings.
configure_and_build "$clang_dir" clang++-14

# The engine and simulator tests again under AddressSanitizer and UndefinedBehaviorSanitizer
# (clang): the routing indexes keep positions and pointers into agents' records. Without
# NDEBUG, so that the engine's assertions of its internal invariants are checked too, and with
# libstdc++'s own checks (_GLIBCXX_ASSERTIONS: an index past a vector's end within its
# capacity, which ASan does not see).
sanitize_dir=${SWITCHBOARD_SANITIZE_BUILD_DIR:-build-sanitize}
sanitized_tests=(routing_test agent_pool_test agent_bitmap_test calendar_test id_index_test
                 block_fifo_test four_ary_heap_test huge_page_arena_test arrival_order_test
                 waiting_set_test agent_state_test invariants_test simulation_test
                 simulation_theory_test)
step "Sanitizers: configure and build $sanitize_dir (clang++-14, ASan + UBSan)"
cmake -S . -B "$sanitize_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g -D_GLIBCXX_ASSERTIONS" \
  -DCMAKE_CXX_COMPILER=clang++-14 \
  -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
  -DSWITCHBOARD_BUILD_PYTHON=OFF -DSWITCHBOARD_BUILD_TOOLS=OFF \
  -DSWITCHBOARD_BUILD_BENCHMARKS=OFF -DSWITCHBOARD_BUILD_EXAMPLES=OFF
cmake --build "$sanitize_dir" --parallel "$jobs" --target "${sanitized_tests[@]}"
sanitize_failed=()
for test in "${sanitized_tests[@]}"; do
  step "Sanitizers: $test"
  "$sanitize_dir/bin/$test" || sanitize_failed+=("$test")
done

step "Summary"
echo "g++ $(g++ -dumpfullversion), $gcc_dir: built warning-free (-Werror)"
echo "clang++-14, $clang_dir: built warning-free (-Werror)"
if ((${#sanitize_failed[@]} == 0)); then
  echo "ASan + UBSan, $sanitize_dir: ${sanitized_tests[*]} passed"
else
  echo "ASan + UBSan, $sanitize_dir: FAILED: ${sanitize_failed[*]}"
fi
echo "ctest, $gcc_dir: ${summary:-no summary line (status $ctest_status)}"
if ((ctest_status != 0)); then
  echo "test.sh: ctest failed with status $ctest_status" >&2
  exit "$ctest_status"
fi
if ((${#sanitize_failed[@]} != 0)); then
  echo "test.sh: tests failed under the sanitizers: ${sanitize_failed[*]}" >&2
  exit 1
fi
