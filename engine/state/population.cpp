// Setup draws for users, creators and brands. Each agent draws from its own stream, so the population is the
// same whatever the thread count, and adding agents does not change the draws of the first ones.
#include "state/population.hpp"

#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <boost/random/beta_distribution.hpp>
#include <boost/random/gamma_distribution.hpp>
#include <boost/random/lognormal_distribution.hpp>
#include <cmath>
#include <numeric>
#include <unordered_set>

#include "rng/stream.hpp"

namespace fanflow::state {

std::uint16_t draw_topic(const std::vector<double>& cumulative, rng::Stream& stream) {
  double u = stream.uniform() * cumulative.back();
  auto it = std::upper_bound(cumulative.begin(), cumulative.end(), u);
  return static_cast<std::uint16_t>(std::min<std::size_t>(it - cumulative.begin(), cumulative.size() - 1));
}

std::vector<double> cumulative_popularity(const params::Params& params) {
  std::vector<double> cumulative = topic_popularity(params);
  std::partial_sum(cumulative.begin(), cumulative.end(), cumulative.begin());
  return cumulative;
}

namespace {

/// Substream of a creator's CreatorSetup stream for the live-selling lever (0: traits, 1: type, 2: who starts
/// following a big IP, 3: the paid-knowledge lever).
constexpr std::uint32_t kLiveSellingSubstream = 4;
/// Substream of the packaging lever.
constexpr std::uint32_t kPackagingSubstream = 5;
/// Substream of a big IP's starting audience size.
constexpr std::uint32_t kAudienceSizeSubstream = 6;

/// Lognormal with the given mean (not log-mean) and shape sigma.
double lognormal_with_mean(double mean, double sigma, rng::Stream& stream) {
  if (mean <= 0) return 0;
  if (sigma <= 0) return mean;
  boost::random::lognormal_distribution<double> dist(std::log(mean) - 0.5 * sigma * sigma, sigma);
  return dist(stream);
}

std::uint16_t draw_attention(const params::Params& params, rng::Stream& stream) {
  const auto& u = params.users;
  double value = u.attention_mean;
  if (u.attention_distribution == "lognormal")
    value = lognormal_with_mean(u.attention_mean, u.attention_sigma, stream);
  else if (u.attention_distribution == "exponential")
    value = -u.attention_mean * std::log(stream.uniform());
  double rounded = std::clamp(std::round(value), 1.0, static_cast<double>(u.attention_max));
  return static_cast<std::uint16_t>(rounded);
}

}  // namespace

std::vector<double> topic_popularity(const params::Params& params) {
  std::vector<double> weights(static_cast<std::size_t>(params.population.topics));
  for (std::size_t k = 0; k < weights.size(); ++k)
    weights[k] = std::pow(static_cast<double>(k + 1), -params.population.topic_zipf_exponent);
  double total = std::accumulate(weights.begin(), weights.end(), 0.0);
  for (double& w : weights) w /= total;
  return weights;
}

UserStore make_users(const params::Params& params, std::uint32_t count) {
  UserStore users;
  const std::uint32_t slots =
      static_cast<std::uint32_t>(std::min<std::int64_t>(params.users.interests_per_user, params.population.topics));
  users.count = count;
  users.interests_per_user = slots;
  users.interest_topic.resize(std::size_t(count) * slots);
  users.interest_weight.resize(std::size_t(count) * slots);
  users.attention.resize(count);
  users.sponsored_tolerance.resize(count);
  users.impressions.assign(count, 0);
  users.views.assign(count, 0);
  users.likes.assign(count, 0);
  users.shares.assign(count, 0);
  users.active_days.assign(count, 0);
  users.on_platform.assign(count, 1);
  const std::vector<double> cumulative = cumulative_popularity(params);
  const std::uint64_t seed = params::world_seed(params);

  tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, count, 4096), [&](const auto& range) {
    std::vector<std::pair<float, std::uint16_t>> draws(slots);
    for (std::uint32_t user = range.begin(); user != range.end(); ++user) {
      rng::Stream stream(seed, 0, user, rng::Purpose::UserSetup);
      boost::random::gamma_distribution<double> gamma(params.users.interest_concentration);
      boost::random::beta_distribution<double> tolerance(
          params.users.sponsored_tolerance_mean * params.users.sponsored_tolerance_concentration,
          (1 - params.users.sponsored_tolerance_mean) * params.users.sponsored_tolerance_concentration);
      // Distinct topics by popularity, then Dirichlet weights (normalised gamma draws), largest first.
      double total = 0;
      for (std::uint32_t k = 0; k < slots; ++k) {
        std::uint16_t topic;
        bool fresh;
        do {
          topic = draw_topic(cumulative, stream);
          fresh = std::none_of(draws.begin(), draws.begin() + k, [&](auto& d) { return d.second == topic; });
        } while (!fresh);
        double weight = std::max(gamma(stream), 1e-12);
        draws[k] = {static_cast<float>(weight), topic};
        total += weight;
      }
      std::sort(draws.begin(), draws.end(),
                [](auto& a, auto& b) { return a.first > b.first || (a.first == b.first && a.second < b.second); });
      for (std::uint32_t k = 0; k < slots; ++k) {
        users.interest_topic[std::size_t(user) * slots + k] = draws[k].second;
        users.interest_weight[std::size_t(user) * slots + k] = static_cast<float>(draws[k].first / total);
      }
      users.attention[user] = draw_attention(params, stream);
      users.sponsored_tolerance[user] = static_cast<float>(tolerance(stream));
    }
  });
  return users;
}

// Creators join during a run, so every CreatorStore column must be grown in add_creators. A new column
// changes the size of the struct: this check reminds whoever adds one to grow it there and update the count.
static_assert(sizeof(CreatorStore) == 2 * sizeof(std::uint32_t) + 15 * sizeof(std::vector<float>),
              "grow the new CreatorStore column in add_creators, then update this column count");

CreatorStore make_creators(const params::Params& params, std::uint32_t count, std::uint32_t capacity) {
  CreatorStore creators;
  creators.capacity = std::max(count, capacity);
  add_creators(params, creators, count);
  return creators;
}

void add_creators(const params::Params& params, CreatorStore& creators, std::uint32_t n) {
  const std::uint32_t first = creators.count;
  const std::uint32_t count = first + n;
  creators.capacity = std::max(creators.capacity, count);
  creators.count = count;
  auto grow = [&](auto& column) {
    column.reserve(creators.capacity);  // once: later joins do not reallocate
    column.resize(count, 0);
  };
  grow(creators.topic);
  grow(creators.type);
  grow(creators.skill);
  grow(creators.posting_rate);
  grow(creators.packaging);
  grow(creators.followers);
  grow(creators.true_fans);
  grow(creators.sponsored_share);
  grow(creators.sells_live);
  grow(creators.sells_knowledge);
  grow(creators.items_posted);
  grow(creators.impressions);
  grow(creators.views);
  grow(creators.likes);
  grow(creators.shares);
  const std::vector<double> cumulative = cumulative_popularity(params);
  const auto& c = params.creators;
  tbb::parallel_for(tbb::blocked_range<std::uint32_t>(first, count, 1024), [&](const auto& range) {
    for (std::uint32_t creator = range.begin(); creator != range.end(); ++creator) {
      rng::Stream stream(params::world_seed(params), 0, creator, rng::Purpose::CreatorSetup);
      creators.topic[creator] = draw_topic(cumulative, stream);
      rng::Stream type_stream(params::world_seed(params), 0, creator, rng::Purpose::CreatorSetup, 1);
      creators.type[creator] =
          static_cast<std::uint8_t>(type_stream.uniform() < c.big_ip_share ? CreatorType::BigIp : CreatorType::SmallIp);
      boost::random::beta_distribution<double> skill(c.skill_mean * c.skill_concentration,
                                                     (1 - c.skill_mean) * c.skill_concentration);
      creators.skill[creator] = static_cast<float>(skill(stream));
      creators.posting_rate[creator] =
          static_cast<float>(lognormal_with_mean(c.posting_rate_mean, c.posting_rate_sigma, stream));
      creators.sponsored_share[creator] =
          c.sponsored_share_mean <= 0 ? 0.0f
                                      : static_cast<float>(boost::random::beta_distribution<double>(
                                            c.sponsored_share_mean * c.sponsored_share_concentration,
                                            (1 - c.sponsored_share_mean) * c.sponsored_share_concentration)(stream));
      rng::Stream lever_stream(params::world_seed(params), 0, creator, rng::Purpose::CreatorSetup,
                               kLiveSellingSubstream);
      creators.sells_live[creator] = lever_stream.uniform() < c.live_selling_share ? 1 : 0;
      rng::Stream packaging_stream(params::world_seed(params), 0, creator, rng::Purpose::CreatorSetup,
                                   kPackagingSubstream);
      creators.packaging[creator] = static_cast<float>(boost::random::beta_distribution<double>(
          c.packaging_mean * c.packaging_concentration,
          (1 - c.packaging_mean) * c.packaging_concentration)(packaging_stream));
      // Substream 3, so the lever does not shift the draws above (substream 2 is starting_followers').
      rng::Stream knowledge_stream(params::world_seed(params), 0, creator, rng::Purpose::CreatorSetup, 3);
      creators.sells_knowledge[creator] = knowledge_stream.bernoulli(c.paid_knowledge_share) ? 1 : 0;
    }
  });
}

namespace {

/// Floyd's algorithm: k distinct users of [0, users), uniformly, in the order drawn.
std::vector<std::uint32_t> distinct_users(rng::Stream& stream, std::uint32_t k, std::uint32_t users) {
  std::vector<std::uint32_t> chosen;
  std::unordered_set<std::uint32_t> taken;
  for (std::uint32_t j = users - k; j < users; ++j) {
    std::uint32_t t = stream.below(j + 1);
    chosen.push_back(taken.insert(t).second ? t : j);
    if (chosen.back() == j) taken.insert(j);
  }
  return chosen;
}

}  // namespace

std::vector<std::pair<std::uint32_t, std::uint32_t>> starting_followers(const params::Params& params,
                                                                        const CreatorStore& creators,
                                                                        std::uint32_t first, std::uint32_t last,
                                                                        std::uint32_t users) {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
  const auto& c = params.creators;
  for (std::uint32_t creator = first; creator < last; ++creator) {
    if (creators.type[creator] != static_cast<std::uint8_t>(CreatorType::BigIp)) continue;
    // Its own substream draws the audience's size, so the spread does not shift the draws of who follows.
    double size = double(c.big_ip_starting_followers);
    if (c.big_ip_followers_sigma > 0 && size > 0) {
      rng::Stream size_stream(params::world_seed(params), 0, creator, rng::Purpose::CreatorSetup,
                              kAudienceSizeSubstream);
      size = std::round(lognormal_with_mean(size, c.big_ip_followers_sigma, size_stream));
    }
    const auto k = static_cast<std::uint32_t>(std::min<double>(size, users));
    if (k == 0) continue;
    rng::Stream stream(params::world_seed(params), 0, creator, rng::Purpose::CreatorSetup, 2);
    for (std::uint32_t user : distinct_users(stream, k, users)) pairs.emplace_back(user, creator);
  }
  std::sort(pairs.begin(), pairs.end());
  return pairs;
}

void add_brand_accounts(const params::Params& params, CreatorStore& creators, BrandStore& brands) {
  brands.has_accounts = true;
  brands.first_account = creators.count;
  add_creators(params, creators, brands.count);
  for (std::uint32_t b = 0; b < brands.count; ++b) {
    const std::uint32_t c = brands.account(b);
    creators.type[c] = static_cast<std::uint8_t>(CreatorType::BrandAccount);
    creators.topic[c] = brands.topic[b];
    creators.skill[c] = static_cast<float>(params.brands.content_quality);
    creators.packaging[c] = static_cast<float>(params.brands.content_quality);
    creators.posting_rate[c] = 0.0f;
    creators.sponsored_share[c] = 0.0f;
    creators.sells_live[c] = 0;
    creators.sells_knowledge[c] = 0;
  }
}

BrandStore make_brands(const params::Params& params, std::uint32_t count, const params::Actors* actors) {
  BrandStore brands;
  brands.count = count;
  brands.topic.resize(count);
  brands.budget_scale.resize(count);
  brands.price_scale.resize(count);
  brands.kind.assign(count, static_cast<std::uint8_t>(BrandKind::Native));
  const auto& p = params.brands;
  // Kinds: the established brands are the round(share * count) with the smallest key (substream 2), a uniformly
  // random subset of that size; ties go to the lower id.
  const auto established = static_cast<std::size_t>(std::llround(p.established_share * count));
  if (established > 0) {
    std::vector<std::pair<double, std::uint32_t>> keys(count);
    for (std::uint32_t brand = 0; brand < count; ++brand)
      keys[brand] = {rng::Stream(params::world_seed(params), 0, brand, rng::Purpose::BrandSetup, 2).uniform(), brand};
    std::sort(keys.begin(), keys.end());
    for (std::size_t k = 0; k < std::min<std::size_t>(established, count); ++k)
      brands.kind[keys[k].second] = static_cast<std::uint8_t>(BrandKind::Established);
  }
  const std::vector<params::NamedBrand> no_names;
  const auto& named = actors ? actors->brands : no_names;
  for (const params::NamedBrand& brand : named)
    if (brand.established && brand.id < count)
      brands.kind[brand.id] =
          static_cast<std::uint8_t>(*brand.established ? BrandKind::Established : BrandKind::Native);
  const std::vector<double> cumulative = cumulative_popularity(params);
  for (std::uint32_t brand = 0; brand < count; ++brand) {
    const bool flagship = brands.established(brand);
    rng::Stream stream(params::world_seed(params), 0, brand, rng::Purpose::BrandSetup);
    brands.topic[brand] = draw_topic(cumulative, stream);
    brands.budget_scale[brand] = static_cast<float>(lognormal_with_mean(1.0, p.budget_sigma, stream) *
                                                    (flagship ? p.established_budget_multiplier : 1.0));
    // Substream 1, so the price does not shift the draws above.
    rng::Stream price_stream(params::world_seed(params), 0, brand, rng::Purpose::BrandSetup, 1);
    brands.price_scale[brand] = static_cast<float>(lognormal_with_mean(1.0, p.price_sigma, price_stream) *
                                                   (flagship ? p.established_price_multiplier : 1.0));
  }
  if (!named.empty()) {
    brands.own_budget.assign(count, -1);
    brands.starting_followers.assign(count, -1);
  }
  for (const params::NamedBrand& brand : named) {
    if (brand.id >= count) continue;
    if (brand.topic) brands.topic[brand.id] = static_cast<std::uint16_t>(*brand.topic);
    if (brand.price) brands.price_scale[brand.id] = static_cast<float>(*brand.price / params.sicas.price);
    if (brand.budget) brands.own_budget[brand.id] = *brand.budget;
    if (brand.followers) brands.starting_followers[brand.id] = *brand.followers;
  }
  return brands;
}

std::vector<std::pair<std::uint32_t, std::uint32_t>> account_starting_followers(const params::Params& params,
                                                                                const BrandStore& brands,
                                                                                std::uint32_t users) {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
  if (!brands.has_accounts) return pairs;
  for (std::uint32_t b = 0; b < brands.starting_followers.size(); ++b) {
    const auto k = static_cast<std::uint32_t>(std::clamp<std::int64_t>(brands.starting_followers[b], 0, users));
    if (k == 0) continue;
    rng::Stream stream(params::world_seed(params), 0, brands.account(b), rng::Purpose::CreatorSetup, 2);
    for (std::uint32_t user : distinct_users(stream, k, users)) pairs.emplace_back(user, brands.account(b));
  }
  std::sort(pairs.begin(), pairs.end());
  return pairs;
}

JourneyStore initial_journeys(const params::Params& params, const BrandStore& brands, std::uint32_t users) {
  JourneyStore journeys(users);
  const double awareness = params.brands.established_awareness, interest = params.brands.established_interest;
  if (awareness <= 0) return journeys;
  std::vector<std::uint32_t> established;
  for (std::uint32_t b = 0; b < brands.count; ++b)
    if (brands.established(b)) established.push_back(b);
  if (established.empty()) return journeys;
  // Aware with probability a; of those, at Interest with probability i: one uniform u, Interest if u < a i.
  std::vector<NewJourney> aware;
  for (std::uint32_t user = 0; user < users; ++user)
    for (std::uint32_t b : established) {
      const double u = rng::Stream(params::world_seed(params), 0, user, rng::Purpose::BrandAwareness, b).uniform();
      if (u >= awareness) continue;
      const auto stage = u < awareness * interest ? JourneyStage::Interest : JourneyStage::Sense;
      aware.push_back({user, b, static_cast<std::uint8_t>(stage), 0});
    }
  journeys.merge(aware);
  return journeys;
}

}  // namespace fanflow::state
