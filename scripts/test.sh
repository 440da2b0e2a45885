#!/usr/bin/env bash
# Quick start, step 2: install what is missing, build, and run every test (C++ with Catch2, Python with pytest)
# through CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cd build
ctest --output-on-failure --parallel "$(nproc)" "$@"
