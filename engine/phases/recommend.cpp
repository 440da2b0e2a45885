// Phase 2, public-traffic candidates: per topic, a Walker alias table over the alive items' weights
//   w_i = quality_i^gamma * 2^(-age_i / half_life),
// so the consume phase draws a recommended item of a topic with probability w_i / sum of w in the topic.
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <cmath>

#include "phases/phases.hpp"

namespace fanflow::phases {

std::uint32_t RecommendationTables::pick(std::uint16_t topic, rng::Stream& stream) const {
  const std::uint32_t begin = topic_begin[topic];
  const std::uint32_t size = topic_begin[topic + 1] - begin;
  const std::uint32_t column = begin + stream.below(size);
  return stream.uniform() < keep[column] ? item[column] : item[begin + alias[column]];
}

void prepare_recommendation(const TickContext& ctx, const state::State& state, TickBuffers& buffers) {
  const auto& items = state.items;
  const auto& rec = ctx.params.recommendation;
  RecommendationTables& tables = buffers.recommendation;
  const std::uint32_t topics = static_cast<std::uint32_t>(ctx.params.population.topics);

  // Group the alive items by topic (stable: ascending id within a topic).
  tables.topic_begin.assign(topics + 1, 0);
  for (std::uint32_t slot = 0; slot < items.size(); ++slot) ++tables.topic_begin[items.topic[slot] + 1];
  for (std::uint32_t t = 0; t < topics; ++t) tables.topic_begin[t + 1] += tables.topic_begin[t];
  tables.item.resize(items.size());
  tables.keep.resize(items.size());
  tables.alias.resize(items.size());
  {
    std::vector<std::uint32_t> fill(tables.topic_begin.begin(), tables.topic_begin.end() - 1);
    for (std::uint32_t slot = 0; slot < items.size(); ++slot)
      tables.item[fill[items.topic[slot]]++] = items.first_id + slot;
  }
  tables.topics_with_items.clear();
  for (std::uint32_t t = 0; t < topics; ++t)
    if (tables.topic_begin[t + 1] > tables.topic_begin[t])
      tables.topics_with_items.push_back(static_cast<std::uint16_t>(t));

  // Vose's alias method per topic.
  const double decay = std::log(2.0) / rec.freshness_half_life_days;
  tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, topics, 8), [&](const auto& range) {
    std::vector<double> scaled;
    std::vector<std::uint32_t> small, large;
    for (std::uint32_t t = range.begin(); t != range.end(); ++t) {
      const std::uint32_t begin = tables.topic_begin[t];
      const std::uint32_t size = tables.topic_begin[t + 1] - begin;
      if (size == 0) continue;
      scaled.resize(size);
      double total = 0;
      for (std::uint32_t j = 0; j < size; ++j) {
        const std::uint32_t slot = items.slot(tables.item[begin + j]);
        const double age = static_cast<double>(ctx.tick - items.posted[slot]);
        scaled[j] = std::pow(static_cast<double>(items.quality[slot]), rec.quality_exponent) * std::exp(-decay * age);
        total += scaled[j];
      }
      for (std::uint32_t j = 0; j < size; ++j) scaled[j] = total > 0 ? scaled[j] * size / total : 1.0;
      small.clear();
      large.clear();
      for (std::uint32_t j = 0; j < size; ++j) (scaled[j] < 1.0 ? small : large).push_back(j);
      while (!small.empty() && !large.empty()) {
        std::uint32_t s = small.back(), l = large.back();
        small.pop_back();
        tables.keep[begin + s] = static_cast<float>(scaled[s]);
        tables.alias[begin + s] = l;
        scaled[l] -= 1.0 - scaled[s];
        if (scaled[l] < 1.0) {
          large.pop_back();
          small.push_back(l);
        }
      }
      for (std::uint32_t j : large) tables.keep[begin + j] = 1.0f, tables.alias[begin + j] = j;
      for (std::uint32_t j : small) tables.keep[begin + j] = 1.0f, tables.alias[begin + j] = j;  // rounding residue
    }
  });
}

}  // namespace fanflow::phases
