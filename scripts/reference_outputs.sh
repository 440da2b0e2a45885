#!/usr/bin/env bash
# Writes the reference outputs that a change which must not change results is checked against: the default
# scenario, every ready scenario (20,000 users), a sweep and a comparison, all with fixed seeds.
# Usage: bash scripts/reference_outputs.sh FANFLOW_BINARY OUT_DIR
# Then: /usr/bin/python3 scripts/compare_outputs.py BEFORE/x.h5 AFTER/x.h5 for each file (see --help).
set -euo pipefail
cd "$(dirname "$0")/.."
fanflow=$1
out=$2
mkdir -p "$out"
rm -f "$out"/*.h5 "$out"/*.journal
"$fanflow" run scenarios/default.yaml -o "$out/default.h5" --threads 2 --quiet >/dev/null
for scenario in scenarios/*.yaml; do
  name=$(basename "$scenario" .yaml)
  [ "$name" = default ] && continue
  "$fanflow" run "$scenario" -o "$out/$name.h5" --set population.users=20000 --threads 2 --quiet >/dev/null
done
"$fanflow" sweep scenarios/sweeps/saltelli_small.yaml -o "$out/sweep.h5" --threads 2 >/dev/null
# The plan: the 2,000-user platform with more sharing and brand 0 moving budget into sponsorships on day 10.
{ cat scenarios/sweeps/platform_2k.yaml
  printf 'engagement:\n  share_rate: 0.02\ntimeline:\n  - at: 10\n'
  printf '    event: {kind: brand_strategy, brand: 0, ad_share: 0.2, sponsorship_share: 0.6, content_share: 0.1, live_share: 0.1}\n'
} >"$out/plan.yaml"
"$fanflow" compare scenarios/sweeps/platform_2k.yaml "$out/plan.yaml" --replicates 3 -o "$out/compare.h5" \
  --threads 2 --quiet >/dev/null
ls "$out"
