#!/usr/bin/env bash
# Installs fanflow's Debian 12 dependencies (only what is missing) and builds it in Release into build/.
# Usage: bash scripts/setup.sh [--with-peers]   (as root, or with sudo available, on Debian 12)
#   --with-peers  also installs graph-tool and networkx (about 430 MB), which only peers/peers.py uses
# Environment: FANFLOW_WERROR=ON configures build/ with compiler warnings as errors (what CI does, .ci/run);
#   FANFLOW_WERROR=OFF configures it back. Unset, an existing build/ keeps its configuration.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build pkg-config git
  libboost-graph-dev libboost-random-dev libtbb-dev libhdf5-dev libyaml-cpp-dev catch2 libcli11-dev librandom123-dev
  python3 python3-h5py python3-numpy python3-pytest python3-yaml
  python3-pandas python3-matplotlib python3-scipy python3-statsmodels python3-jinja2
  python3-optuna python3-sklearn
  libopenmpi-dev openmpi-bin
  clang-format
)
if [ "${1:-}" = "--with-peers" ]; then packages+=(python3-graph-tool python3-networkx); fi
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "fanflow setup: installing ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

generator=()
if command -v ninja >/dev/null; then generator=(-G Ninja); fi
if [ ! -f build/CMakeCache.txt ]; then
  cmake -S . -B build "${generator[@]}" -DCMAKE_BUILD_TYPE=Release
fi
if [ -n "${FANFLOW_WERROR:-}" ]; then
  cmake -S . -B build -DFANFLOW_WERROR="$FANFLOW_WERROR"
fi
cmake --build build --parallel "$(nproc)"
