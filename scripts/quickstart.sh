#!/usr/bin/env bash
# Quick start, step 1: install what is missing, build, and run the built-in default scenario.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
build/fanflow run --force "$@"   # the quick start replaces its own output when run again
