// The phases of a tick. Each phase reads the state as it was at the start of the phase and writes only into
// TickBuffers (or into per-agent slots that no other agent touches); commit() applies the buffers in id order.
#pragma once

#include <oneapi/tbb/enumerable_thread_specific.h>

#include <cstdint>
#include <vector>

#include "core/channel.hpp"
#include "core/ids.hpp"
#include "params/params.hpp"
#include "params/timeline.hpp"
#include "phases/brands/tables.hpp"
#include "phases/events.hpp"
#include "phases/metrics.hpp"
#include "rng/alias_table.hpp"
#include "rng/stream.hpp"
#include "state/state.hpp"

namespace fanflow::phases {

/// What every phase knows about the tick it runs in.
struct TickContext {
  const params::Params& params;
  std::uint64_t seed;
  Tick tick;
};

/// A user starts (or stops) following a creator, decided on an item seen through `channel`.
struct FollowEvent {
  UserId user;
  CreatorId creator;
  Channel channel;
  friend bool operator<(const FollowEvent& a, const FollowEvent& b) {
    return a.user != b.user ? a.user < b.user : a.creator != b.creator ? a.creator < b.creator : a.channel < b.channel;
  }
};

/// `sender` shares `item` with `recipient` through `channel` (friend share or group); seen tomorrow. `lineage`
/// is the share's place in its cascade (last in the order: one sender shares an item once a day, so it only
/// breaks ties that do not occur).
struct ShareEvent {
  UserId recipient;
  ItemId item;
  UserId sender;
  Channel channel;
  state::ShareLineage lineage;
  friend bool operator<(const ShareEvent& a, const ShareEvent& b) {
    return a.recipient != b.recipient ? a.recipient < b.recipient
           : a.item != b.item         ? a.item < b.item
           : a.sender != b.sender     ? a.sender < b.sender
                                      : a.lineage < b.lineage;
  }
};

/// `sender` posts `item` into the chat group of creator `group`; every other member sees it tomorrow.
struct GroupShareEvent {
  CreatorId group;
  ItemId item;
  UserId sender;
  state::ShareLineage lineage;  ///< the share's place in its cascade
  friend auto operator<=>(const GroupShareEvent&, const GroupShareEvent&) = default;
};

/// One feed candidate: an item, the channel it would arrive through and, for an item shared to the user, its entry
/// in the inbox (State::inbox_items), else kNotInInbox.
struct Candidate {
  static constexpr std::uint64_t kNotInInbox = ~std::uint64_t{0};
  std::uint32_t item;
  Channel channel;
  std::uint64_t inbox_entry = kNotInInbox;
};

/// One thread's counters of one item during consume: together, so an impression touches one cache line.
struct ItemCounters {
  std::uint32_t impressions = 0, views = 0, likes = 0, shares = 0;
  std::uint32_t rec_impressions = 0;  ///< impressions through recommendation
  std::uint32_t rec_likes = 0;        ///< likes of those impressions
};

/// What one thread writes during the consume phase; summed or merged at commit.
struct ThreadBuffers {
  TickMetrics metrics;
  std::vector<ItemCounters> item_counts;  ///< by item slot
  std::vector<FollowEvent> follows;
  std::vector<FollowEvent> unfollows;
  std::vector<ShareEvent> shares;
  std::vector<GroupShareEvent> group_shares;
  std::vector<state::ShareLineage> share_lineages;  ///< each share made today: its place in its cascade
  std::vector<state::NewJourney> new_journeys;      ///< journeys started today; a user's are contiguous at the end
  std::size_t user_journeys_begin = 0;              ///< size of new_journeys when the current user began
  // Scratch reused across users (no allocation per impression).
  std::vector<Candidate> shared_candidates;
  std::vector<Candidate> feed_candidates;
  std::vector<Candidate> group_candidates;
  std::vector<std::uint32_t> seen_today;
  std::vector<std::uint32_t> followed_today;
  std::vector<std::uint32_t> unfollowed_today;
  std::vector<std::uint32_t> share_targets;
  std::vector<std::uint32_t> lives_joined;      ///< live sessions the current user joined today
  std::vector<rng::Stream::Block> slot_blocks;  ///< first block of the current user's Consume stream of each slot
  /// Concentration cap: recommended impressions of each creator, and of all, in the current block of users.
  std::vector<std::uint32_t> block_creator_recommended;
  std::uint64_t block_recommended = 0;
  /// Brand counters of this thread: [brand * kBrandCounters + BrandCounter] (brands/tables.hpp); summed at commit.
  std::vector<std::uint64_t> brand_counts;
  /// Live-session counters of this thread: [session * kLiveCounters + LiveCounter] (brands/tables.hpp); summed at
  /// commit.
  std::vector<std::uint64_t> live_counts;
};

/// Public-traffic candidate tables: per topic, the alive items and a Walker alias table over their
/// recommendation weights, so one pick costs O(1).
struct RecommendationTables {
  std::vector<std::uint32_t> topic_begin;  ///< topics + 1 offsets into the arrays below
  std::vector<std::uint32_t> item;         ///< item ids grouped by topic
  rng::AliasTable alias;                   ///< over `item`, one segment per topic, by recommendation weight
  std::vector<std::uint16_t> topics_with_items;
  /// Concentration cap: probability that a drawn item is shown (its creator's cap factor), by item id minus
  /// accept_first_id; empty when recommendation.creator_share_cap is off.
  std::vector<float> accept;
  std::uint32_t accept_first_id = 0;
  /// Concentration cap (0 = off): in each block of users consume holds every creator's recommended impressions
  /// to at most this share of the block's, plus one.
  double creator_share_cap = 0;

  bool has_items(std::uint16_t topic) const { return topic_begin[topic + 1] > topic_begin[topic]; }
  /// Draws an item of `topic` (which must have items) with probability proportional to its weight.
  std::uint32_t pick(std::uint16_t topic, rng::Stream& stream) const {
    return item[alias.draw(topic_begin[topic], topic_begin[topic + 1] - topic_begin[topic], stream)];
  }
  /// Whether a drawn item is shown under the concentration cap; draws a uniform only when its creator is capped.
  bool accepts(std::uint32_t item, rng::Stream& stream) const {
    if (accept.empty()) return true;
    const float p = accept[item - accept_first_id];
    return p >= 1.0f || stream.uniform() < p;
  }
};

/// Everything phases write during one tick.
struct TickBuffers {
  tbb::enumerable_thread_specific<ThreadBuffers> local;
  std::vector<std::uint32_t> posts_per_creator;  ///< post phase: items each creator posts today
  std::vector<std::uint32_t> knowledge_sales;    ///< creators phase: paid-knowledge items each creator sold today
  RecommendationTables recommendation;
  AdTables ads;  ///< brands phase: the day's ad delivery plan (brands/prepare.cpp)
  /// Recommended impressions and their likes by item slot, summed over threads at commit for the recommender.
  std::vector<std::uint32_t> rec_impressions, rec_likes;
  LiveTables lives;  ///< brands phase: the day's live-selling sessions (brands/prepare.cpp)
  /// Events the timeline triggers today (super brand days), set before the brands phase.
  std::vector<params::TimelineEvent> timeline_events;
  TickMetrics metrics;  ///< totals of the tick, complete after commit
  /// Events of the tick. Serial code appends to it directly; parallel code collects per thread and appends in
  /// id order. The recorder writes and clears it after each tick.
  std::vector<Event> events;
};

/// Phase 1: creators post items; quality ~ Normal(skill, quality_sd) clipped to [0, 1]; count ~ Poisson(rate).
void creators_post(const TickContext& ctx, state::State& state, TickBuffers& buffers);

/// Phase 2: the platform builds its public-traffic candidate tables from the items alive today.
void prepare_recommendation(const TickContext& ctx, const state::State& state, TickBuffers& buffers);

/// Part of commit, before items retire: adds the threads' recommendation counters into the items, moves items
/// through the traffic pools (promotion, or leaving recommendation) and fills the pool metrics and the top
/// creator's recommended impressions (recommend.cpp).
void update_recommender(const TickContext& ctx, state::State& state, TickBuffers& buffers);

/// Phase 3: every active user consumes their feed: friend shares, follow feed, then recommendations; reacts
/// to each item (view, like, share, follow). Writes per-user totals and thread buffers only.
void consume(const TickContext& ctx, state::State& state, TickBuffers& buffers);

/// Phase 4: applies the buffers in id order: item and creator counters, new follows, tomorrow's inboxes,
/// retirement of old items. Completes buffers.metrics but for the brands' money (settle_brands, the next step).
void commit(const TickContext& ctx, state::State& state, TickBuffers& buffers);

/// Part of commit (cascades.cpp): gathers the threads' shares of the day (ThreadBuffers::share_lineages) and
/// counts them by depth, grows the open cascades (State::open_cascades) and counts those that ended today (no share
/// today) by depth and size, into `metrics.cascades`.
void count_cascades(state::State& state, TickBuffers& buffers, TickMetrics& metrics);

/// Substream of a user's Adoption stream (tick 0) that decides whether it is on the platform at setup; the
/// sub-steps of a day use substreams 0 .. adoption.substeps - 1.
inline constexpr std::uint32_t kInitialAdoptionSubstream = (1u << 24) - 1;

/// At setup, with adoption.enabled: each user is on the platform with probability adoption.initial_share
/// (adoption.cpp); without adoption every user is.
void seed_adoption(const params::Params& params, state::State& state);

/// Last phase of a tick (adoption.cpp): with adoption.enabled, users off the platform join it with the Bass
/// hazard p + q F over adoption.substeps sub-steps of the day; they open the app from the next day on.
void adopt(const TickContext& ctx, state::State& state, TickBuffers& buffers);

/// Phase 5, after commit and brand settlement: the creator lifecycle (creators.cpp). Sells paid knowledge to the true
/// fans of creators with that lever, accounts each creator's income (by source) and cost of the day, updates morale and
/// exits creators who stayed below the quit line for patience_days, moves growth stages, grows skill with practice,
/// then lets new creators join at a rate that rises with traffic per creator. Emits CreatorExited, StageReached and
/// CreatorJoined events; fills the lifecycle and paid-knowledge metrics.
void creators_update(const TickContext& ctx, state::State& state, TickBuffers& buffers);

/// Brands phase, before post (brands/prepare.cpp): lapses stale deals, sets each brand's budget per line for the day
/// (and moves an adaptive strategy) and its account's posting rate, builds the day's ad tables from the brands'
/// impression targets, runs the sponsorship marketplace (deals whose sponsored items the post phase fills), and plans
/// the day's live sessions: super brand days from the timeline, then live orders bought with the live budget.
void brands_prepare(const TickContext& ctx, state::State& state, TickBuffers& buffers);

/// Shows an ad of `brand` to `user` in public slot `slot`: impression, view, like (no share, no follow: an ad
/// has no item and no creator), attributed to Channel::Ads and to the brand; a view is a contact of the user's
/// purchase journey with the brand. Draws from `stream` (the slot's Ads stream); reacts as the reaction model says
/// (reaction.hpp). Part of consume (brands/ads.cpp).
void show_ad(const TickContext& ctx, state::State& state, ThreadBuffers& local, UserId user, BrandId brand,
             rng::Stream& stream, std::uint32_t slot);

/// What one viewed brand exposure brings to the user's purchase journey with the brand (journeys.cpp).
struct JourneyContact {
  UserId user;
  BrandId brand;
  Channel channel;         ///< the channel of the exposure (Channel::Ads for an ad, Channel::Live for a session)
  state::BudgetLine line;  ///< the budget line that paid for the exposure (its sales are counted there)
  std::uint32_t slot;      ///< the user's feed slot: substream of the Journey stream
  double trust;            ///< the user's trust in the carrying creator; 0 for ads and non-followers
  bool liked;              ///< the user liked the exposure
  bool connected;          ///< the user follows the carrying creator or is in its group
  bool shareable;          ///< an item (it can be shared after a purchase), not an ad
  double boost = 1.0;      ///< multiplier of the purchase probabilities (live.purchase_multiplier in a live session)
};

/// Result of journey_contact: whether the user bought, and whether they now share the item (Share stage).
struct JourneyOutcome {
  bool purchase = false;
  bool share = false;
};

/// Advances the user's journey with the brand through the SICAS stages on one viewed exposure, counting a
/// purchase (new customer or repeat) for the brand and its channel. Draws four uniforms from the slot's
/// Journey stream. Writes the user's own journey entries, or appends to local.new_journeys (searching those
/// from local.user_journeys_begin on); called only by the user's own iteration of consume.
JourneyOutcome journey_contact(const TickContext& ctx, state::State& state, ThreadBuffers& local,
                               const JourneyContact& contact);

/// A customer lapses (journeys.cpp): at the start of the user's day in consume, each of the user's journeys at
/// Action or Share goes back to Interest with probability sicas.lapse_probability (one uniform per such journey, in
/// brand order, from the user's JourneyLapse stream), counted in metrics.journey_lapses.
void lapse_journeys(const TickContext& ctx, state::State& state, std::uint32_t user, TickMetrics& metrics);

/// Referrals (journeys.cpp, part of apply_journeys): each item carrying a brand in a user's inbox through a friend's
/// share (Channel::FriendShare) moves the user's journey with the brand one stage toward Connect (none -> Sense ->
/// Interest -> Connect) with probability sicas.referral_probability; one uniform per such item, in inbox order, from
/// the user's Referral stream. Serial, in user order; counted in metrics.referrals.
void apply_referrals(const TickContext& ctx, state::State& state, TickMetrics& metrics);

/// Part of commit (journeys.cpp): merges the day's new journeys into state.journeys, in (user, brand) order, then
/// applies the referrals of the shares delivered today (apply_shares runs before it).
void apply_journeys(const TickContext& ctx, state::State& state, TickBuffers& buffers);

/// Journeys that reached each stage (Sense .. Share) per brand, by their furthest stage (a journey that skipped a
/// stage counts as having passed it): [brand * kJourneyStages + stage - 1].
std::vector<std::uint64_t> journey_funnel(const state::State& state);

/// Brand settlement, the step after commit (brands/settle.cpp): sums the threads' brand and live counters, charges
/// brands for the ad impressions delivered and their accounts' content, pays creators for the sponsored items posted
/// and the live sessions held today, moves the smoothed returns per budget line, and fills the day's money totals.
void settle_brands(const TickContext& ctx, state::State& state, TickBuffers& buffers);

}  // namespace fanflow::phases
