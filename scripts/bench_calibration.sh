#!/usr/bin/env bash
# The calibration benchmark: runs scenarios/calibration/benchmark.yaml (200 trials of a 10,000-user, 60-day world)
# into a fresh folder and prints the time in runs against the wall time; the difference is the calibration's
# overhead (the sampler, the trial store, the sampler process's start and its summary).
# Usage: scripts/bench_calibration.sh [FANFLOW] (default build/fanflow)
set -euo pipefail
cd "$(dirname "$0")/.."
fanflow=${1:-build/fanflow}
folder=$(mktemp -d)
trap 'rm -rf "$folder"' EXIT
"$fanflow" calibrate scenarios/calibration/benchmark.yaml -o "$folder/out" -q | tail -n 1
