// Structure-of-arrays stores of the agents (users, creators, brands) and their draws at setup.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "params/actors.hpp"
#include "params/params.hpp"
#include "rng/stream.hpp"
#include "state/journeys.hpp"

namespace fanflow::state {

/// Users: what the hot loop reads (interests, attention) plus per-user totals written only by the user's own
/// iteration of the consume phase.
struct UserStore {
  std::uint32_t count = 0;
  std::uint32_t interests_per_user = 0;       ///< K: interest slots per user
  std::vector<std::uint16_t> interest_topic;  ///< [count * K] topic of each slot, by descending weight
  std::vector<float> interest_weight;         ///< [count * K] weights, summing to 1 per user
  std::vector<std::uint16_t> attention;       ///< items seen on an active day
  std::vector<float> sponsored_tolerance;     ///< share of sponsored items from a creator the user accepts
  std::vector<std::uint8_t> on_platform;      ///< 1 once the user has joined (always 1 without adoption)
  // Totals over the run (one writer per user, so no synchronisation is needed).
  std::vector<std::uint32_t> impressions;  ///< items shown to the user, all channels
  std::vector<std::uint32_t> views;        ///< items the user viewed
  std::vector<std::uint32_t> likes;        ///< items the user liked
  std::vector<std::uint32_t> shares;       ///< items the user shared to friends
  std::vector<std::uint32_t> active_days;  ///< days the user opened the app

  std::span<const std::uint16_t> topics_of(std::uint32_t user) const {
    return {interest_topic.data() + std::size_t(user) * interests_per_user, interests_per_user};
  }
  std::span<const float> weights_of(std::uint32_t user) const {
    return {interest_weight.data() + std::size_t(user) * interests_per_user, interests_per_user};
  }
  /// Interest match of `user` in `topic`: its weight relative to the user's top weight, in [0, 1].
  float match(std::uint32_t user, std::uint16_t topic) const {
    auto topics = topics_of(user);
    auto weights = weights_of(user);
    for (std::uint32_t k = 0; k < interests_per_user; ++k)
      if (topics[k] == topic) return weights[k] / weights[0];
    return 0.0f;
  }
};

/// Kinds of creator. Codes are written to files (creators/summary/type, the creator_joined event's value).
enum class CreatorType : std::uint8_t {
  SmallIp = 0,       ///< niche: one topic, followers' trust grows fast
  BigIp = 1,         ///< broad: posts across topics, starts with followers, trust grows slowly
  BrandAccount = 2,  ///< a brand's own account: posts the brand's content, funded by its content budget
};

/// Creators: drawn traits and running totals.
/// Creators join during a run: every column has `count` entries (the creators that exist so far) and room
/// reserved for `capacity` (population.creators + lifecycle.max_entrants). add_creators grows every column.
struct CreatorStore {
  std::uint32_t count = 0;
  std::uint32_t capacity = 0;                 ///< creators that can exist in this run
  std::vector<std::uint16_t> topic;           ///< positioning: the creator's topic
  std::vector<std::uint8_t> type;             ///< CreatorType: small IP, big IP
  std::vector<float> skill;                   ///< mean quality of the creator's items, in [0, 1]
  std::vector<float> posting_rate;            ///< expected items per day
  std::vector<float> packaging;               ///< packaging lever: how much its items draw the eye, in [0, 1]
  std::vector<std::uint32_t> followers;       ///< current follower count (= follow edges to the creator)
  std::vector<std::uint32_t> true_fans;       ///< followers whose trust is at least trust.true_fan_threshold
  std::vector<float> sponsored_share;         ///< monetization lever: probability that an item is sponsored
  std::vector<std::uint8_t> sells_live;       ///< monetization lever: 1 if the creator accepts live-selling orders
  std::vector<std::uint8_t> sells_knowledge;  ///< monetization lever: 1 if the creator sells paid knowledge
  std::vector<std::uint32_t> items_posted;    ///< items posted so far
  std::vector<std::uint64_t> impressions;     ///< impressions of the creator's items so far
  std::vector<std::uint64_t> views;           ///< views of the creator's items so far
  std::vector<std::uint64_t> likes;           ///< likes of the creator's items so far
  std::vector<std::uint64_t> shares;          ///< shares of the creator's items so far
};

/// Kinds of brand: an established (flagship) brand comes with awareness, a bigger budget, a higher price and its own
/// budget split; a native brand was born on the platform.
enum class BrandKind : std::uint8_t {
  Native = 0,       ///< born on the platform (every brand when brands.established_share is 0)
  Established = 1,  ///< a flagship brand (brands.established_*)
};

/// Brands: merchants with a topic, a kind, a budget scale and a price scale drawn at setup; their running state
/// (budget split, spend, deals, sales) lives in state/brands.hpp.
struct BrandStore {
  std::uint32_t count = 0;
  /// Brand b's own account is creator first_account + b when has_accounts (brands.own_accounts).
  bool has_accounts = false;
  std::uint32_t first_account = 0;
  std::vector<std::uint16_t> topic;  ///< the product category the brand sells in
  /// The brand's budget relative to brands.budget_mean: lognormal with mean 1 and shape brands.budget_sigma (times
  /// brands.established_budget_multiplier for an established brand).
  std::vector<float> budget_scale;
  /// The brand's price relative to sicas.price: lognormal with mean 1 and shape brands.price_sigma (times
  /// brands.established_price_multiplier for an established brand).
  std::vector<float> price_scale;
  /// BrandKind of each brand; may be empty (a store built by hand): every brand native.
  std::vector<std::uint8_t> kind;
  /// A named brand's own daily budget (money/day, actors.brands[b].budget), or -1: brands.budget_mean times
  /// budget_scale. May be empty: none.
  std::vector<double> own_budget;
  /// A named brand's own account's starting followers (actors.brands[b].followers), or -1. May be empty: none.
  std::vector<std::int64_t> starting_followers;

  /// Whether brand b is established.
  bool established(std::uint32_t b) const {
    return b < kind.size() && kind[b] == static_cast<std::uint8_t>(BrandKind::Established);
  }

  /// Creator id of brand b's own account (only when has_accounts).
  std::uint32_t account(std::uint32_t b) const { return first_account + b; }
  /// The brand whose account creator c is, or count when c is no brand's account.
  std::uint32_t brand_of_account(std::uint32_t c) const {
    return has_accounts && c >= first_account && c - first_account < count ? c - first_account : count;
  }
};

/// Topic popularity: P(topic of rank k) proportional to k^-s, shared by users' interests and creators' topics.
std::vector<double> topic_popularity(const params::Params& params);

/// Running sums of topic_popularity, for draw_topic.
std::vector<double> cumulative_popularity(const params::Params& params);

/// A topic drawn by popularity from the cumulative table (one uniform draw).
std::uint16_t draw_topic(const std::vector<double>& cumulative, rng::Stream& stream);

/// Draws users' interests and attention (Purpose::UserSetup streams); parallel, independent of threads.
UserStore make_users(const params::Params& params, std::uint32_t count);

/// Draws creators' traits (Purpose::CreatorSetup streams), reserving room for `capacity` creators (at least
/// `count`).
CreatorStore make_creators(const params::Params& params, std::uint32_t count, std::uint32_t capacity = 0);

/// Followers each creator in [first, last) brings when it joins: for a big IP, min(users, K) distinct users drawn
/// uniformly (its own CreatorSetup stream, substream 2), K lognormal with mean creators.big_ip_starting_followers
/// and shape creators.big_ip_followers_sigma (substream 6), rounded; K = the mean when the shape is 0.
/// Returns (user, creator) pairs sorted ascending, ready for FollowStore::update.
std::vector<std::pair<std::uint32_t, std::uint32_t>> starting_followers(const params::Params& params,
                                                                        const CreatorStore& creators,
                                                                        std::uint32_t first, std::uint32_t last,
                                                                        std::uint32_t users);

/// Appends `n` creators with the next ids, drawn exactly as at setup (the CreatorSetup stream of their id), so
/// an entrant's traits do not depend on when it joins. Counters start at zero.
void add_creators(const params::Params& params, CreatorStore& creators, std::uint32_t n);

/// Draws brands' topics, budget scales and price scales (Purpose::BrandSetup streams), and their kinds: the
/// round(brands.established_share * count) brands with the smallest uniform key (substream 2) are established.
/// Named brands (`actors`) take their given kind (before the scales are drawn, so an established brand's
/// multipliers apply), topic, price (price scale = price / sicas.price), daily budget and starting followers.
BrandStore make_brands(const params::Params& params, std::uint32_t count, const params::Actors* actors = nullptr);

/// Follow edges of the named brands' accounts' starting followers: for brand b with K = starting_followers[b],
/// min(K, users) distinct users drawn uniformly from its account's CreatorSetup stream, substream 2. Returns
/// (user, creator) pairs sorted ascending, ready for FollowStore::update.
std::vector<std::pair<std::uint32_t, std::uint32_t>> account_starting_followers(const params::Params& params,
                                                                                const BrandStore& brands,
                                                                                std::uint32_t users);

/// The journeys users start with: each user is aware of each established brand with probability
/// brands.established_awareness (a journey at Sense), and of those a share brands.established_interest start at
/// Interest. One uniform per (user, established brand) from the user's BrandAwareness stream, substream the brand.
JourneyStore initial_journeys(const params::Params& params, const BrandStore& brands, std::uint32_t users);

/// Appends one creator of type BrandAccount per brand (ids creators.count ..), in the brand's topic, with skill
/// brands.content_quality, no posting rate of its own (the brands phase sets it from the content budget each
/// day) and no monetization levers; records the first id in `brands`.
void add_brand_accounts(const params::Params& params, CreatorStore& creators, BrandStore& brands);

}  // namespace fanflow::state
