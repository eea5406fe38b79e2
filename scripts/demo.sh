#!/usr/bin/env bash
# The README's main job: installs what is missing, builds the CLI, simulates the sample one-queue
# voice center (examples/scenarios/support.toml), prints its KPIs and writes the interval report
# and its plot to out/support/.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
build=${SWITCHBOARD_BUILD_DIR:-build}

scripts/install-deps.sh
if [[ ! -f "$build/CMakeCache.txt" ]]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release
fi
cmake --build "$build" --target switchboard_cli --parallel "$(nproc)"

"$build/bin/switchboard" simulate examples/scenarios/support.toml --format table --out out/support
