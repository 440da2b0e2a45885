// Part of commit: counting cascades of shares (docs/model.md, "Cascades of shares"). Each share carries its
// cascade's seed and its hops from it (state/cascades.hpp); here the day's shares are counted by depth, merged into
// the cascades still open, and the cascades with no share today, which can no longer grow (an inbox lasts one day),
// are counted by their final depth and size. Serial and sorted by the cascade's root, so the counts do not depend
// on threads.
#include <algorithm>

#include "phases/phases.hpp"

namespace fanflow::phases {

void count_cascades(state::State& state, TickBuffers& buffers, TickMetrics& metrics) {
  std::vector<state::ShareLineage> shares;
  for (ThreadBuffers& local : buffers.local) {
    shares.insert(shares.end(), local.share_lineages.begin(), local.share_lineages.end());
    local.share_lineages.clear();
  }
  CascadeCounts& counts = metrics.cascades;
  std::sort(shares.begin(), shares.end());
  for (const state::ShareLineage& share : shares) counts.shares_by_depth[state::cascade_depth_bucket(share.depth)]++;

  // Today's shares per cascade, in root order: how many, and the deepest.
  std::vector<state::OpenCascade> today;
  for (const state::ShareLineage& share : shares) {
    if (today.empty() || today.back().root != share.root) today.push_back({share.root, 0, 0});
    today.back().size++;
    today.back().depth = std::max(today.back().depth, share.depth);
  }

  // Merge with yesterday's open cascades (both sorted by root): those with shares today stay open, grown; the
  // others have ended.
  auto ended = [&counts](const state::OpenCascade& cascade) {
    counts.cascades_by_depth[state::cascade_depth_bucket(cascade.depth)]++;
    counts.cascades_by_size[state::cascade_size_bucket(cascade.size)]++;
  };
  std::vector<state::OpenCascade> open;
  open.reserve(today.size());
  auto yesterday = state.open_cascades.begin();
  for (const state::OpenCascade& grown : today) {
    for (; yesterday != state.open_cascades.end() && yesterday->root < grown.root; ++yesterday) ended(*yesterday);
    state::OpenCascade cascade = grown;
    if (yesterday != state.open_cascades.end() && yesterday->root == grown.root) {
      cascade.size += yesterday->size;
      cascade.depth = std::max(cascade.depth, yesterday->depth);
      ++yesterday;
    }
    open.push_back(cascade);
  }
  for (; yesterday != state.open_cascades.end(); ++yesterday) ended(*yesterday);
  state.open_cascades = std::move(open);
}

}  // namespace fanflow::phases
