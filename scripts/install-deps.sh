#!/usr/bin/env bash
# Installs the Debian 12 packages Switchboard needs to build, test and benchmark it, with its
# Python bindings. Does nothing when they are all installed already. Runs apt-get as root, or
# through sudo when not root; never prompts.
set -euo pipefail

packages=(
  build-essential cmake ninja-build clang-14 libclang-rt-14-dev
  libabsl-dev libfmt-dev catch2 libbenchmark-dev
  libtomlplusplus-dev libcli11-dev nlohmann-json3-dev
  pybind11-dev python3-dev python3-pytest python3-numpy python3-matplotlib
  python3-pandas  # Engine.queue_stats_frame(), switchboard.to_dataframe() and their tests
  tzdata  # the IANA time zones of queues' opening hours (absl reads /usr/share/zoneinfo)
  libcpp-httplib-dev  # the HTTP server of the daemon's wallboard (src/host/wallboard.h)
  chromium chromium-driver python3-selenium  # tests/browser: the wallboard page in a real browser
)

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
  if [[ "$status" != installed ]]; then
    missing+=("$package")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages are installed"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
if ((EUID == 0)); then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  # Let sudo ask for a password only when someone is there to type it.
  if [[ -t 0 ]]; then as_root=(sudo); else as_root=(sudo -n); fi
else
  echo "install-deps: not root and no sudo; install these packages first: ${missing[*]}" >&2
  exit 1
fi

"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update </dev/null
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y --no-install-recommends "${missing[@]}" </dev/null
