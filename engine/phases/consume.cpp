// Phase 3, consume: each active user fills their daily attention: live sessions first (of creators they follow,
// or promoted on a super brand day), then private traffic (friend shares, groups, the follow feed, up to
// feed.private_share_max of it), public traffic (ads, recommendation) after; they react to everything shown.
// See docs/model.md for the equations. Every draw comes from the user's own streams.
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <span>

#include "phases/phases.hpp"
#include "phases/reaction.hpp"

namespace fanflow::phases {
namespace {

/// Substream of the private-subset choice; feed slots use substreams 0 .. attention-1.
constexpr std::uint32_t kSelectionSubstream = (1u << 24) - 1;
/// Redraws when a recommended item was already shown to the user today.
constexpr int kRecommendationRedraws = 3;
/// Users are consumed in fixed blocks of this many ids, each block by one thread in id order, so the concentration
/// cap's counts within a block do not depend on the number of threads.
constexpr std::uint32_t kUserBlock = 2048;
/// Offset of the Journey substream that picks who receives a share after a purchase (feed slots are below it).
constexpr std::uint32_t kPurchaseShareSubstream = 1u << 16;
/// Substream of a user's Ads stream that decides, a uniform per public slot, which slots are ads (an ad slot's
/// own Ads stream is the substream of its slot number).
constexpr std::uint32_t kAdDecisionSubstream = (1u << 24) - 1;

/// A viewed item that carries a brand, as sell() takes it.
struct BrandedView {
  UserId user;
  ItemId item;
  BrandId brand;
  CreatorId creator;          ///< who posted the item
  std::int64_t edge;          ///< the user's follow edge to the creator, or -1
  Channel channel;            ///< how the item reached the user
  state::BudgetLine line;     ///< the budget line that paid for the item (sponsorship, or the brand's own content)
  std::uint32_t item_slot;    ///< the item's slot in the item store
  std::uint32_t feed_slot;    ///< the user's feed slot: substream of the Journey stream
  bool liked;                 ///< the user liked the item
  bool shared;                ///< the user already shared the item from this slot
  std::uint64_t inbox_entry;  ///< the inbox entry the item came from, or Candidate::kNotInInbox
};

/// Everything the reactions of one user need, fixed for the phase.
struct Reactor {
  const TickContext& ctx;
  state::State& state;
  ReactionModel model;
  const params::Params::engagement_section& engagement;
  const params::Params::trust_section& trust;
  const params::Params::groups_section& groups_params;
  const params::Params::creators_section& creator_params;

  /// The user sees `item` through `channel` in feed slot `slot_index` (from inbox entry `inbox_entry`, or
  /// Candidate::kNotInInbox); reacts to it (reaction.hpp).
  void react(ThreadBuffers& local, std::uint32_t user, std::uint32_t item, Channel channel, rng::Stream& stream,
             std::uint32_t slot_index, std::uint64_t inbox_entry) const {
    auto& items = state.items;
    auto& users = state.users;
    const std::uint32_t slot = items.slot(item);
    const std::uint32_t creator = items.creator[slot];
    Exposure exposure{items.quality[slot], state.creators.packaging[creator], users.match(user, items.topic[slot])};
    const std::size_t ch = index(channel);
    const ReactionDraws draws = ReactionDraws::draw(stream);
    const bool viewed = draws.view < model.view_probability(exposure);
    local.metrics.impressions[ch]++;
    ItemCounters& counts = local.item_counts[slot];
    if (channel == Channel::Recommendation) counts.rec_impressions++;
    counts.impressions++;
    users.impressions[user]++;
    // An item carrying a brand counts for it: a sponsored item's impression and the view, like and follow it wins;
    // every such impression by channel. A brand account's own items are not sponsored content.
    const std::uint32_t brand = items.brand[slot];
    const bool own_content = brand != state::kNoBrand && state.brands.brand_of_account(creator) == brand;
    std::uint64_t* brand_counts =
        brand == state::kNoBrand ? nullptr : local.brand_counts.data() + std::size_t(brand) * kBrandCounters;
    std::uint64_t* sponsored_counts = own_content ? nullptr : brand_counts;
    if (brand_counts) brand_counts[kImpressions + ch]++;
    if (sponsored_counts) sponsored_counts[kSponsoredImpressions]++;
    if (!viewed) return;
    // A follower's like probability falls with the creator's audience (audience distance, docs/model.md).
    const std::int64_t edge = state.follows.find(user, creator);
    if (edge >= 0) exposure.like_scale = model.audience_distance(double(state.creators.followers[creator]));
    const Reaction reaction = model.viewed_item(exposure, draws);
    local.metrics.views[ch]++;
    counts.views++;
    users.views[user]++;
    if (sponsored_counts) sponsored_counts[kSponsoredEngagements]++;
    if (reaction.liked) {
      local.metrics.likes[ch]++;
      counts.likes++;
      if (channel == Channel::Recommendation) counts.rec_likes++;
      users.likes[user]++;
      if (sponsored_counts) sponsored_counts[kSponsoredEngagements]++;
    }
    if (reaction.shared) share(local, user, item, ch, slot, slot_index, inbox_entry);
    if (brand_counts)
      sell(local, {UserId{user}, ItemId{item}, BrandId{brand}, CreatorId{creator}, edge, channel,
                   own_content ? state::BudgetLine::Content : state::BudgetLine::Sponsorship, slot, slot_index,
                   reaction.liked, reaction.shared, inbox_entry});
    if (edge >= 0) {
      update_trust(local, user, creator, static_cast<std::size_t>(edge), exposure.quality,
                   brand != state::kNoBrand && !own_content, channel);
      return;
    }
    if (reaction.follows && follow(local, user, creator, channel) && sponsored_counts)
      sponsored_counts[kSponsoredEngagements]++;
  }

  /// The user starts following `creator` through `channel`, unless it already did today; returns whether it did.
  bool follow(ThreadBuffers& local, std::uint32_t user, std::uint32_t creator, Channel channel) const {
    if (std::find(local.followed_today.begin(), local.followed_today.end(), creator) != local.followed_today.end())
      return false;
    local.followed_today.push_back(creator);
    local.follows.push_back({UserId{user}, CreatorId{creator}, channel});
    local.metrics.follows[index(channel)]++;
    return true;
  }

  /// A viewed item carrying a brand: a contact of the user's purchase journey with the brand, through the
  /// creator who carried it (trust and connection); after a purchase the buyer may share the item.
  void sell(ThreadBuffers& local, const BrandedView& view) const {
    const std::uint32_t user = view.user.value;
    const double trust_value =
        view.edge >= 0 ? double(state.follows.trust_of(user)[static_cast<std::size_t>(view.edge)]) : 0.0;
    const bool connected = view.edge >= 0 || state.groups.follows(user, view.creator.value);
    const JourneyOutcome outcome = journey_contact(
        ctx, state, local,
        {view.user, view.brand, view.channel, view.line, view.feed_slot, trust_value, view.liked, connected, true});
    if (!outcome.share || view.shared) return;  // already shared this item in this slot
    rng::Stream stream(ctx.seed, ctx.tick, user, rng::Purpose::Journey, kPurchaseShareSubstream + view.feed_slot);
    share_with(local, user, view.item.value, index(view.channel), view.item_slot, stream,
               lineage(user, view.feed_slot, view.inbox_entry));
  }

  /// A follower viewed an item of the creator: trust moves with the item's quality against the reference,
  /// and drops when sponsored items exceed the user's tolerance; below the unfollow threshold, they unfollow.
  void update_trust(ThreadBuffers& local, std::uint32_t user, std::uint32_t creator, std::size_t edge, double quality,
                    bool sponsored, Channel channel) const {
    float& exposure = state.follows.exposure_of(user)[edge];
    float& value = state.follows.trust_of(user)[edge];
    exposure += static_cast<float>(trust.sponsored_memory) * ((sponsored ? 1.0f : 0.0f) - exposure);
    const double gain = state.creators.type[creator] == static_cast<std::uint8_t>(state::CreatorType::BigIp)
                            ? creator_params.big_ip_trust_gain
                            : creator_params.small_ip_trust_gain;
    double next = value + gain * trust.learning_rate * (quality - trust.quality_reference);
    const double excess = exposure - state.users.sponsored_tolerance[user];
    if (sponsored && excess > 0) next -= trust.sponsored_penalty * excess;
    value = static_cast<float>(std::clamp(next, 0.0, 1.0));
    if (value < trust.unfollow_threshold && std::find(local.unfollowed_today.begin(), local.unfollowed_today.end(),
                                                      creator) == local.unfollowed_today.end()) {
      local.unfollowed_today.push_back(creator);
      local.unfollows.push_back({UserId{user}, CreatorId{creator}, channel});
      local.metrics.unfollows[index(channel)]++;
    }
  }

  /// The user joins live session `s` in feed slot `slot` (a view on Channel::Live): likes it as an item of the
  /// host's skill on the brand's topic; it is a contact of the purchase journey with the brand (connected, the
  /// purchase probabilities times live.purchase_multiplier); the viewer may follow the brand's account (deposit)
  /// and, if not a follower, the host. A follower's trust in the host moves as for a sponsored item.
  void attend(ThreadBuffers& local, std::uint32_t user, const LiveTables& lives, std::uint32_t s, std::uint32_t slot,
              std::int64_t edge) const {
    const LiveSession& session = lives.sessions[s];
    const auto& live = ctx.params.live;
    rng::Stream stream(ctx.seed, ctx.tick, user, rng::Purpose::Live, 1 + slot);
    const double u_like = stream.uniform(), u_deposit = stream.uniform(), u_follow = stream.uniform();
    constexpr std::size_t ch = index(Channel::Live);
    std::uint64_t* brand_counts = local.brand_counts.data() + std::size_t(session.brand) * kBrandCounters;
    local.live_counts[std::size_t(s) * kLiveCounters + kLiveAttendees]++;
    local.metrics.impressions[ch]++;
    local.metrics.views[ch]++;
    state.users.impressions[user]++;
    state.users.views[user]++;
    brand_counts[kImpressions + ch]++;
    Exposure exposure{state.creators.skill[session.host], state.creators.packaging[session.host],
                      state.users.match(user, state.brands.topic[session.brand])};
    if (edge >= 0) exposure.like_scale = model.audience_distance(double(state.creators.followers[session.host]));
    const Reaction reaction = model.live(exposure, u_like, u_follow);
    if (reaction.liked) {
      local.metrics.likes[ch]++;
      state.users.likes[user]++;
    }
    const double trust_value = edge >= 0 ? double(state.follows.trust_of(user)[static_cast<std::size_t>(edge)]) : 0.0;
    const JourneyOutcome outcome =
        journey_contact(ctx, state, local,
                        {UserId{user}, BrandId{session.brand}, Channel::Live, state::BudgetLine::Live, slot,
                         trust_value, reaction.liked, true, false, live.purchase_multiplier});
    if (outcome.purchase) local.live_counts[std::size_t(s) * kLiveCounters + kLiveSales]++;
    if (state.brands.has_accounts && u_deposit < live.deposit_probability) {
      const std::uint32_t account = state.brands.account(session.brand);
      if (state.follows.find(user, account) < 0) follow(local, user, account, Channel::Live);
    }
    if (edge >= 0)
      update_trust(local, user, session.host, static_cast<std::size_t>(edge), exposure.quality, true, Channel::Live);
    else if (reaction.follows)
      follow(local, user, session.host, Channel::Live);
  }

  /// The live sessions the user joins today, each taking one slot of attention from slot 0 on: those of followed
  /// creators with probability live.attend_probability * (0.5 + trust), then each promoted brand's (super brand
  /// day) with probability live.promoted_attend_probability * interest match, at one of its sessions chosen
  /// uniformly. Returns the slots used.
  std::uint32_t attend_lives(ThreadBuffers& local, std::uint32_t user, const LiveTables& lives,
                             std::uint32_t attention) const {
    const auto& live = ctx.params.live;
    rng::Stream stream(ctx.seed, ctx.tick, user, rng::Purpose::Live, 0);
    std::uint32_t slot = 0;
    auto followed = state.follows.followed(user);
    auto trust_values = state.follows.trust_of(user);
    auto& joined = local.lives_joined;
    joined.clear();
    for (std::size_t e = 0; e < followed.size() && slot < attention; ++e) {
      const std::uint32_t s = lives.of_host[followed[e]];
      if (s == LiveTables::kNoSession) continue;
      if (stream.uniform() >= live.attend_probability * (0.5 + double(trust_values[e]))) continue;
      joined.push_back(s);
      attend(local, user, lives, s, slot++, static_cast<std::int64_t>(e));
    }
    for (std::size_t k = 0; k < lives.promoted_brand.size() && slot < attention; ++k) {
      const double match = state.users.match(user, state.brands.topic[lives.promoted_brand[k]]);
      if (match <= 0 || stream.uniform() >= live.promoted_attend_probability * match) continue;
      const std::uint32_t begin = lives.promoted_begin[k], n = lives.promoted_begin[k + 1] - begin;
      const std::uint32_t s = lives.promoted[begin + stream.below(n)];
      if (std::find(joined.begin(), joined.end(), s) != joined.end()) continue;
      joined.push_back(s);
      attend(local, user, lives, s, slot++, state.follows.find(user, lives.sessions[s].host));
    }
    return slot;
  }

  /// Sends `item` to min(share_fanout, degree) distinct friends, chosen uniformly (Floyd's algorithm).
  /// A member of chat groups posts the item into one of them (chosen uniformly) with probability
  /// groups.share_to_group_probability; otherwise it goes to friends.
  void share(ThreadBuffers& local, std::uint32_t user, std::uint32_t item, std::size_t ch, std::uint32_t slot,
             std::uint32_t slot_index, std::uint64_t inbox_entry) const {
    rng::Stream stream(ctx.seed, ctx.tick, user, rng::Purpose::ShareTargets, slot_index);
    share_with(local, user, item, ch, slot, stream, lineage(user, slot_index, inbox_entry));
  }

  /// The cascade position of a share by `user` from feed slot `slot_index`: a reshare of a received copy (inbox
  /// entry `inbox_entry`) is one hop deeper in the cascade of the share that delivered it; any other share seeds
  /// a cascade of its own, identified by (today, user, slot).
  state::ShareLineage lineage(std::uint32_t user, std::uint32_t slot_index, std::uint64_t inbox_entry) const {
    if (inbox_entry == Candidate::kNotInInbox) return {{static_cast<std::uint32_t>(ctx.tick), user, slot_index}, 0};
    const state::ShareLineage& parent = state.inbox_lineage[inbox_entry];
    return {parent.root, parent.depth + 1};
  }

  /// share(), drawing the group and the friends from `stream`; `lineage` is the share's place in its cascade.
  void share_with(ThreadBuffers& local, std::uint32_t user, std::uint32_t item, std::size_t ch, std::uint32_t slot,
                  rng::Stream& stream, const state::ShareLineage& lineage) const {
    const double u_group = stream.uniform();
    auto groups = state.groups.followed(user);
    auto friends = state.friends.friends(user);
    const std::uint32_t degree = static_cast<std::uint32_t>(friends.size());
    const bool to_group = !groups.empty() && u_group < groups_params.share_to_group_probability;
    if (!to_group && degree == 0) return;
    local.metrics.shares[ch]++;
    local.item_counts[slot].shares++;
    state.users.shares[user]++;
    local.share_lineages.push_back(lineage);
    if (to_group) {
      local.group_shares.push_back({CreatorId{groups[stream.below(static_cast<std::uint32_t>(groups.size()))]},
                                    ItemId{item}, UserId{user}, lineage});
      return;
    }
    const std::uint32_t k = static_cast<std::uint32_t>(std::min<std::int64_t>(engagement.share_fanout, degree));
    auto& chosen = local.share_targets;
    chosen.clear();
    for (std::uint32_t j = degree - k; j < degree; ++j) {
      std::uint32_t t = stream.below(j + 1);
      chosen.push_back(std::find(chosen.begin(), chosen.end(), t) == chosen.end() ? t : j);
    }
    for (std::uint32_t position : chosen)
      local.shares.push_back({UserId{friends[position]}, ItemId{item}, UserId{user}, Channel::FriendShare, lineage});
  }
};

/// The items `creators` posted today, as candidates arriving through `channel` (replaces `out`).
void todays_items(const state::State& state, std::span<const std::uint32_t> creators, Channel channel,
                  std::vector<Candidate>& out) {
  out.clear();
  for (std::uint32_t creator : creators)
    for (std::uint32_t item = state.posted_today_begin[creator]; item < state.posted_today_begin[creator + 1]; ++item)
      out.push_back({item, channel, Candidate::kNotInInbox});
}

/// Keeps `limit` of the candidates: all if they fit, otherwise a uniform random subset (partial shuffle).
void keep_random_subset(std::vector<Candidate>& candidates, std::size_t limit, rng::Stream& stream) {
  if (candidates.size() <= limit) return;
  for (std::size_t i = 0; i < limit; ++i) {
    std::size_t j = i + stream.below(static_cast<std::uint32_t>(candidates.size() - i));
    std::swap(candidates[i], candidates[j]);
  }
  candidates.resize(limit);
}

/// Topic of a recommended slot: the user's interests by weight, or, with probability explore_probability or
/// when that topic has no items, a uniformly random topic among those with items.
std::uint16_t pick_topic(const state::UserStore& users, std::uint32_t user, const RecommendationTables& tables,
                         double explore_probability, rng::Stream& stream) {
  const double u_explore = stream.uniform(), u_interest = stream.uniform();
  if (u_explore >= explore_probability) {
    auto weights = users.weights_of(user);
    auto topics = users.topics_of(user);
    double acc = 0;
    std::uint16_t topic = topics[weights.size() - 1];
    for (std::size_t k = 0; k < weights.size(); ++k) {
      acc += weights[k];
      if (u_interest < acc) {
        topic = topics[k];
        break;
      }
    }
    if (tables.has_items(topic)) return topic;
  }
  return tables.topics_with_items[stream.below(static_cast<std::uint32_t>(tables.topics_with_items.size()))];
}

bool seen(const std::vector<std::uint32_t>& seen_today, std::uint32_t item) {
  return std::find(seen_today.begin(), seen_today.end(), item) != seen_today.end();
}

/// Concentration cap, as consume enforces it: within the current block of users, `creator` may get one more
/// recommended impression while, with it, its count stays at most cap times the block's recommended impressions
/// (with it) plus one: m_c + 1 <= cap (m + 1) + 1.
bool within_cap(const ThreadBuffers& local, std::uint32_t creator, double cap) {
  return double(local.block_creator_recommended[creator]) <= cap * (double(local.block_recommended) + 1.0);
}

}  // namespace

void consume(const TickContext& ctx, state::State& state, TickBuffers& buffers) {
  const auto& params = ctx.params;
  const Reactor reactor{
      ctx, state, ReactionModel(params.engagement), params.engagement, params.trust, params.groups, params.creators};
  const float keep_after_decay = static_cast<float>(1.0 - params.trust.daily_decay);
  const RecommendationTables& tables = buffers.recommendation;
  const std::uint32_t item_slots = state.items.size();
  const bool any_items = !tables.topics_with_items.empty();
  const AdTables& ads = buffers.ads;
  const LiveTables& lives = buffers.lives;
  if (state.journeys.users() != state.users.count) state.journeys = state::JourneyStore(state.users.count);

  const double cap = tables.creator_share_cap;
  const std::uint32_t user_blocks = (state.users.count + kUserBlock - 1) / kUserBlock;
  tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, user_blocks, 1), [&](const auto& blocks) {
    ThreadBuffers& local = buffers.local.local();
    if (local.item_counts.size() != item_slots) local.item_counts.assign(item_slots, ItemCounters{});
    if (local.brand_counts.size() != std::size_t(state.brands.count) * kBrandCounters)
      local.brand_counts.assign(std::size_t(state.brands.count) * kBrandCounters, 0);
    if (local.live_counts.size() != lives.sessions.size() * kLiveCounters)
      local.live_counts.assign(lives.sessions.size() * kLiveCounters, 0);
    for (std::uint32_t block = blocks.begin(); block != blocks.end(); ++block) {
      if (cap > 0) {
        local.block_creator_recommended.assign(state.creators.count, 0);
        local.block_recommended = 0;
      }
      const std::uint32_t block_end = std::min(state.users.count, (block + 1) * kUserBlock);
      for (std::uint32_t user = block * kUserBlock; user != block_end; ++user) {
        for (float& value : state.follows.trust_of(user)) value *= keep_after_decay;  // trust fades without news
        lapse_journeys(ctx, state, user, local.metrics);  // customers lapse back to Interest (journeys.cpp)
        if (!state.users.on_platform[user]) continue;     // has not joined the platform yet (adoption)
        rng::Stream activity(ctx.seed, ctx.tick, user, rng::Purpose::Activity);
        if (!activity.bernoulli(params.users.daily_active_probability)) continue;
        local.metrics.active_users++;
        state.users.active_days[user]++;
        const std::uint32_t attention = state.users.attention[user];
        local.seen_today.clear();
        local.followed_today.clear();
        local.unfollowed_today.clear();
        local.user_journeys_begin = local.new_journeys.size();

        // The first random block of every feed slot, computed in one loop: independent, so their latency overlaps.
        local.slot_blocks.resize(attention);
        for (std::uint32_t s = 0; s < attention; ++s)
          local.slot_blocks[s] = rng::Stream::first_block(ctx.seed, ctx.tick, user, rng::Purpose::Consume, s);

        // Live sessions come first; each takes one slot of the day's attention.
        std::uint32_t slot = lives.active() ? reactor.attend_lives(local, user, lives, attention) : 0;
        std::size_t private_left = std::min<std::size_t>(
            static_cast<std::size_t>(params.feed.private_share_max * attention), attention - slot);

        // Private traffic: yesterday's shares (from friends and in groups) first, then today's posts of the
        // creators whose groups the user is in, then today's items of followed creators.
        rng::Stream selection(ctx.seed, ctx.tick, user, rng::Purpose::Consume, kSelectionSubstream);
        local.shared_candidates.clear();
        auto inbox = state.inbox(user);
        auto inbox_channel = state.inbox_channel(user);
        for (std::size_t k = 0; k < inbox.size(); ++k)
          if (state.items.holds(inbox[k]))
            local.shared_candidates.push_back({inbox[k], inbox_channel[k], state.inbox_offsets[user] + k});
        keep_random_subset(local.shared_candidates, private_left, selection);
        private_left -= local.shared_candidates.size();
        todays_items(state, state.groups.followed(user), Channel::Group, local.group_candidates);
        keep_random_subset(local.group_candidates, private_left, selection);
        private_left -= local.group_candidates.size();
        todays_items(state, state.follows.followed(user), Channel::FollowFeed, local.feed_candidates);
        keep_random_subset(local.feed_candidates, private_left, selection);

        for (const auto* list : {&local.shared_candidates, &local.group_candidates, &local.feed_candidates})
          for (const Candidate& candidate : *list) {
            if (seen(local.seen_today, candidate.item)) continue;  // shared by a friend and in the follow feed
            local.seen_today.push_back(candidate.item);
            rng::Stream stream(local.slot_blocks[slot], ctx.seed, ctx.tick, user, rng::Purpose::Consume, slot);
            reactor.react(local, user, candidate.item, candidate.channel, stream, slot, candidate.inbox_entry);
            ++slot;
          }

        // Public traffic: the recommender fills the rest of the user's attention; a slot may be a paid ad first.
        // Whether it is comes from the user's Ads stream (one uniform a slot); an ad slot then draws its brand and
        // reactions from its own Ads stream. Recommendation draws are the same whether or not ads run.
        if (slot < attention) local.metrics.brands.public_slots += attention - slot;
        if (!any_items && !ads.active) continue;
        const double ad_chance = ads.active ? ads.chance(state.users, user) : 0.0;
        rng::Stream ad_decisions(ctx.seed, ctx.tick, user, rng::Purpose::Ads, kAdDecisionSubstream);
        for (; slot < attention; ++slot) {
          if (ad_chance > 0 && ad_decisions.uniform() < ad_chance) {
            rng::Stream ad_stream(ctx.seed, ctx.tick, user, rng::Purpose::Ads, slot);
            show_ad(ctx, state, local, UserId{user}, BrandId{ads.pick_brand(state.users, user, ad_chance, ad_stream)},
                    ad_stream, slot);
            continue;
          }
          if (!any_items) continue;
          rng::Stream stream(local.slot_blocks[slot], ctx.seed, ctx.tick, user, rng::Purpose::Consume, slot);
          std::uint32_t item = 0;
          bool found = false;
          double explore = params.recommendation.explore_probability;
          for (int attempt = 0; attempt <= kRecommendationRedraws && !found; ++attempt) {
            item = tables.pick(pick_topic(state.users, user, tables, explore, stream), stream);
            const bool fresh = !seen(local.seen_today, item);
            found = fresh && tables.accepts(item, stream) &&
                    (cap <= 0 || within_cap(local, state.items.creator[state.items.slot(item)], cap));
            if (fresh && !found) explore = 1.0;  // held back by the concentration cap: redraw from a random topic
          }
          if (!found) continue;  // the slot stays empty: nothing new to show
          if (cap > 0) {
            local.block_creator_recommended[state.items.creator[state.items.slot(item)]]++;
            local.block_recommended++;
          }
          local.seen_today.push_back(item);
          reactor.react(local, user, item, Channel::Recommendation, stream, slot, Candidate::kNotInInbox);
        }
      }
    }
  });
}

}  // namespace fanflow::phases
