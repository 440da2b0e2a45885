// Paid ads and live sessions of brands: the per-tick ad tables the consume phase draws ad slots from, the day's
// live-selling sessions and the layout of the per-thread brand counters (the day's money totals, BrandTotals, are
// in phases/metrics.hpp). The phases themselves are declared in phases.hpp and implemented in phases/brands/
// (prepare.cpp before post, ads.cpp in consume, settle.cpp after commit); equations in docs/model.md, "Paid ads"
// and "Money".
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "core/channel.hpp"
#include "core/money.hpp"
#include "rng/alias_table.hpp"
#include "rng/stream.hpp"
#include "state/brands.hpp"
#include "state/population.hpp"

namespace fanflow::phases {

/// Per-thread brand counters during consume: [brand * kBrandCounters + counter].
enum BrandCounter : std::uint32_t {
  kAdImpressions = 0,         ///< ad impressions of the brand
  kAdEngagements = 1,         ///< views + likes of them
  kSponsoredImpressions = 2,  ///< impressions of sponsored items carrying the brand (every channel)
  kSponsoredEngagements = 3,  ///< views + likes + follows from them
  kNewCustomers = 4,          ///< first purchases from the brand (purchase journey)
  kRepeatPurchases = 5,       ///< purchases by its past customers
  kSales = 6,                 ///< kSales + line: purchases from exposures that budget line paid for (4 counters)
  kImpressions = kSales + state::kBudgetLines,  ///< kImpressions + channel: the brand's exposures by channel
  kBrandCounters = kImpressions + kChannelCount,
};

/// One live-selling session of the day: `host` sells `brand` live to its followers (and, promoted, to users
/// interested in the brand's topic).
struct LiveSession {
  std::uint32_t host;
  std::uint32_t brand;
  Micros fee;     ///< what the brand pays the host for the session (before the platform's commission)
  bool promoted;  ///< a super brand day: the platform promotes the session
};

/// Per-thread live counters during consume: [session * kLiveCounters + counter].
enum LiveCounter : std::uint32_t { kLiveAttendees = 0, kLiveSales = 1, kLiveCounters = 2 };

/// The day's live sessions, frozen for the consume phase.
struct LiveTables {
  static constexpr std::uint32_t kNoSession = std::numeric_limits<std::uint32_t>::max();
  std::vector<LiveSession> sessions;
  std::vector<std::uint32_t> of_host;  ///< [creators]: the session the creator hosts today, or kNoSession
  /// Promoted sessions by brand: brand promoted_brand[k] has sessions promoted[promoted_begin[k] ..
  /// promoted_begin[k + 1]).
  std::vector<std::uint32_t> promoted_brand, promoted_begin, promoted;

  bool active() const { return !sessions.empty(); }
  void clear(std::uint32_t creators) {
    sessions.clear();
    of_host.assign(creators, kNoSession);
    promoted_brand.clear();
    promoted_begin.assign(1, 0);
    promoted.clear();
  }
};

/// The day's ad delivery plan, frozen for the consume phase. A public-traffic slot of user u is an ad of topic t
/// (one of the user's interest topics, weight w_u(t)) with probability w_u(t) * probability[t]; the ad's brand is
/// drawn among the brands targeting t with probability proportional to their target there (alias table). So a
/// user's slot is an ad with probability chance(u) = sum_t w_u(t) probability[t], decided with one uniform, and
/// only an ad slot draws its topic and brand.
struct AdTables {
  bool active = false;                     ///< some brand has an ad target today
  std::vector<float> probability;          ///< [topics] chance that a slot on topic t is an ad
  std::vector<std::uint32_t> topic_begin;  ///< [topics + 1] offsets into the two tables below
  std::vector<std::uint32_t> brand;        ///< brands targeting each topic
  rng::AliasTable alias;                   ///< over `brand`, one segment per topic, by the brands' targets there
  // Kept across ticks (users' interests and attention do not change during a run).
  std::vector<double> topic_attention;       ///< [topics] sum over users of attention * interest weight in t
  double total_attention = 0;                ///< sum over users of attention
  std::uint64_t public_slots_yesterday = 0;  ///< public slots of the previous tick (0 before the first)

  /// Probability that one public slot of `user` shows an ad.
  double chance(const state::UserStore& users, std::uint32_t user) const {
    auto weights = users.weights_of(user);
    auto topics = users.topics_of(user);
    double total = 0;
    for (std::size_t k = 0; k < weights.size(); ++k) total += double(weights[k]) * double(probability[topics[k]]);
    return total;
  }

  /// The brand of an ad slot of `user` (whose chance() is `chance` > 0): the topic drawn with probability
  /// w_u(t) probability[t] / chance, then the brand from the topic's alias table. Three draws from `stream`.
  std::uint32_t pick_brand(const state::UserStore& users, std::uint32_t user, double chance,
                           rng::Stream& stream) const {
    auto weights = users.weights_of(user);
    auto topics = users.topics_of(user);
    const double target = stream.uniform() * chance;
    std::size_t k = 0;
    double acc = 0;
    for (; k + 1 < weights.size(); ++k) {
      acc += double(weights[k]) * double(probability[topics[k]]);
      if (target < acc) break;
    }
    while (probability[topics[k]] <= 0) --k;  // rounding at the end of the sum: the last topic with ads
    const std::uint16_t topic = topics[k];
    const std::uint32_t begin = topic_begin[topic], n = topic_begin[topic + 1] - begin;
    return brand[alias.draw(begin, n, stream)];
  }
};

}  // namespace fanflow::phases
