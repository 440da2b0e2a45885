// The facts: reading a run file into RunData, the declared facts with their bands and sources, and their tables.
#include "facts/facts.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <utility>
#include <variant>

#include "core/error.hpp"
#include "core/json_text.hpp"
#include "core/statistics.hpp"
#include "io/hdf5_file.hpp"
#include "state/brands.hpp"
#include "state/journeys.hpp"

namespace fanflow::facts {
namespace {

constexpr double kUndefined = std::numeric_limits<double>::quiet_NaN();
constexpr std::uint32_t kNever = std::numeric_limits<std::uint32_t>::max();
/// Creator type code of a brand's own account (/creators/summary/type), left out of every creator fact.
constexpr std::uint8_t kBrandAccount = 2;

double sum(const std::vector<double>& values) { return std::accumulate(values.begin(), values.end(), 0.0); }

double ratio(double part, double whole) { return whole > 0 ? part / whole : kUndefined; }

double top_views(const RunData& r, double fraction) {
  return r.views.empty() ? kUndefined : top_share(r.views, fraction);
}

/// Initial creators still on the platform after `days` days (exit_tick >= days), of the initial creators.
double survival(const RunData& r, std::uint32_t days) {
  if (r.ticks < days) return kUndefined;
  double initial = 0, staying = 0;
  for (std::size_t c = 0; c < r.joined.size(); ++c)
    if (r.joined[c] == 0) initial += 1, staying += r.exit_tick[c] >= days;
  return ratio(staying, initial);
}

/// Creators that passed the threshold(s) by the end, of all creators that existed.
double passed(const RunData& r, bool feedback, bool income) {
  double count = 0;
  for (std::size_t c = 0; c < r.joined.size(); ++c)
    count += (!feedback || r.feedback_passed[c] != kNever) && (!income || r.income_passed[c] != kNever);
  return ratio(count, double(r.joined.size()));
}

double median(std::vector<double> values) {
  if (values.empty()) return kUndefined;
  const auto middle = values.begin() + std::ptrdiff_t(values.size() / 2);
  std::nth_element(values.begin(), middle, values.end());
  if (values.size() % 2) return *middle;
  return (*middle + *std::max_element(values.begin(), middle)) / 2;
}

/// Markerly's like rate by tier: each creator's likes per item per follower (end-of-run followers), the median
/// over creators with [floor, split) followers over the median over creators with at least `split`; creators
/// that posted nothing are left out.
double like_rate_ratio(const RunData& r, double floor, double split) {
  std::vector<double> small, large;
  for (std::size_t c = 0; c < r.views.size(); ++c) {
    if (r.items[c] <= 0 || r.followers[c] < floor) continue;
    (r.followers[c] < split ? small : large).push_back(r.likes[c] / r.items[c] / r.followers[c]);
  }
  const double large_rate = median(std::move(large));
  return large_rate > 0 ? median(std::move(small)) / large_rate : kUndefined;
}

double channel_share(const RunData& r, std::initializer_list<Channel> channels) {
  double part = 0;
  for (Channel channel : channels) part += r.impressions[index(channel)];
  return ratio(part, std::accumulate(r.impressions.begin(), r.impressions.end(), 0.0));
}

double funnel_step(const RunData& r, std::size_t to) { return ratio(r.funnel[to], r.funnel[to - 1]); }

/// Ended cascades in the first `buckets` buckets of `counts`, of all ended cascades.
double cascade_share(const std::array<double, state::kCascadeBuckets>& counts, std::size_t buckets) {
  return ratio(std::accumulate(counts.begin(), counts.begin() + std::ptrdiff_t(buckets), 0.0),
               std::accumulate(counts.begin(), counts.end(), 0.0));
}

/// Revenue of the purchases budget line `Line` paid for, over its spend, over the run.
template <state::BudgetLine Line>
double line_return(const RunData& r) {
  return ratio(r.line_revenue[index(Line)], r.line_spend[index(Line)]);
}

FactSpec fact(std::string name, std::string meaning, Band band, std::string reference, std::string source,
              double (*compute)(const RunData&)) {
  return {std::move(name), std::move(meaning), true, band, std::move(reference), std::move(source), compute};
}

FactSpec measure(std::string name, std::string meaning, std::string reference, double (*compute)(const RunData&)) {
  return {std::move(name), std::move(meaning), false, {0, 0}, std::move(reference), "", compute};
}

std::vector<FactSpec> make_specs() {
  const std::string bartl = "Bärtl 2018, Convergence 24:16 (YouTube channels, 2006-2016)";
  return {
      fact("top3_view_share", "share of views held by the top 3% of creators", {0.60, 0.92},
           "3% of channels get 85% of views over ten years, rising with the platform's age from 63% in its first "
           "full year (2006) to 90% in 2016; the band spans that history, since a world of a few months is young",
           bartl + "; it counts inactive channels too, which raises the share",
           [](const RunData& r) { return top_views(r, 0.03); }),
      fact("top10_view_share", "share of views held by the top 10% of creators", {0.88, 0.99},
           "about 10% of content gets 90% of traffic on short-video and feed apps; at least the top 3%'s share",
           "Tencent data-science talk [practitioner]; it counts items, not creators, and items concentrate less than "
           "their creators",
           [](const RunData& r) { return top_views(r, 0.10); }),
      measure("top1_view_share", "share of views held by the top 1% of creators",
              "no published figure; shown to read the top of the distribution",
              [](const RunData& r) { return top_views(r, 0.01); }),
      fact("views_gini", "Gini coefficient of views across creators", {0.85, 0.98},
           "at least about 0.85 when 3% of creators hold 85% of views; MusicLab's 0.45-0.56 is among 48 songs in a "
           "lab",
           bartl + " (implied); Salganik, Dodds and Watts 2006, Science (a different population, not a band)",
           [](const RunData& r) { return r.views.empty() ? kUndefined : gini(r.views); }),
      fact("follower_tail_exponent",
           "exponent alpha of the follower tail P(F) ~ F^-alpha (maximum likelihood above the xmin of smallest KS "
           "distance, at least 50 creators in the tail)",
           {1.7, 3.2},
           "Twitter's follower body fits 2.276 with an excess in the tail (a heavier tail, so the band reaches below "
           "2); earnings tails fit about 2 (Hill estimates 1.6-2.4); preferential attachment 3",
           "Kwak et al. 2010, WWW; Strauss et al. 2025, arXiv 2509.26523; Barabási and Albert 1999; the fit of "
           "Clauset, Shalizi and Newman 2009",
           [](const RunData& r) {
             std::vector<double> positive;
             for (double f : r.followers)
               if (f > 0) positive.push_back(f);
             const PowerLawFit fit = fit_power_law(positive, 1, 50);
             return fit.tail > 0 ? fit.exponent : kUndefined;
           }),
      fact("survival_day30", "initial creators still on the platform after 30 days", {0.60, 0.95},
           "most creators never pass the two thresholds and give up, over months rather than at once",
           "the seeds (Star Map growth system); surveys: 51-71% of creators have considered quitting [practitioner]",
           [](const RunData& r) { return survival(r, 30); }),
      fact("survival_day90", "initial creators still on the platform after 90 days", {0.30, 0.70},
           "most creators give up: fewer than the day-30 share, more than a cull",
           "the seeds; a vendor dataset counts 4.9% of channels going inactive a year, but keeps dormant channels",
           [](const RunData& r) { return survival(r, 90); }),
      fact("past_feedback_share", "creators that passed the feedback threshold during the run", {0.0, 0.5},
           "most creators never pass it", "the seeds", [](const RunData& r) { return passed(r, true, false); }),
      fact("past_income_share", "creators that passed the income threshold during the run", {0.0, 0.5},
           "most never earn their costs back: 96.5% of YouTube channels earn below the US poverty line; 2% of "
           "Patreon creators earned the minimum wage",
           bartl + "; Graphtreon 2017 (income against cost is a lower bar than a wage)",
           [](const RunData& r) { return passed(r, false, true); }),
      fact("past_both_share", "creators that passed both thresholds during the run", {0.0, 0.3}, "few pass both",
           "the seeds", [](const RunData& r) { return passed(r, true, true); }),
      fact("like_rate_small_over_large",
           "likes per item per follower (the like rate), median of creators with 100-999 followers over that of "
           "creators with 1,000 or more",
           {1.2, 4.0},
           "Instagram like rates (likes per post over followers): about 8% under 1K followers, 4% at 1K-10K, 2.4% "
           "at 10K-100K",
           "Markerly 2016 [practitioner]; followers here are at the end of the run, likes over it",
           [](const RunData& r) { return like_rate_ratio(r, 100, 1000); }),
      measure("recommendation_share", "share of impressions through recommendation",
              "no published split; the presets differ in it (docs/model.md)",
              [](const RunData& r) { return channel_share(r, {Channel::Recommendation}); }),
      measure("private_share", "share of impressions through private traffic (follow feed, friend shares, groups)",
              "no published split",
              [](const RunData& r) {
                return channel_share(r, {Channel::FollowFeed, Channel::FriendShare, Channel::Group});
              }),
      measure("ads_share", "share of impressions that are ads", "no published split",
              [](const RunData& r) { return channel_share(r, {Channel::Ads}); }),
      measure("live_share", "share of impressions in live-selling sessions", "no published split",
              [](const RunData& r) { return channel_share(r, {Channel::Live}); }),
      measure("follow_feed_share", "share of impressions through the follow feed",
              "no published split; the follow-heavy preset has at least twice the recommendation-heavy one's",
              [](const RunData& r) { return channel_share(r, {Channel::FollowFeed}); }),
      measure("friend_group_share", "share of impressions through friends' shares and chat groups",
              "no published split; highest in the friend-share preset",
              [](const RunData& r) {
                return channel_share(r, {Channel::FriendShare, Channel::Group});
              }),
      measure("live_revenue_share", "share of brands' revenue from purchases that live sessions sold",
              "no published split; visible where the platform is built on live commerce (recommendation-heavy)",
              [](const RunData& r) {
                return ratio(r.line_revenue[index(state::BudgetLine::Live)],
                             std::accumulate(r.line_revenue.begin(), r.line_revenue.end(), 0.0));
              }),
      fact("cascades_within_one_hop",
           "cascades of shares that ended within one hop of their seed (depth 0 or 1), of all cascades that ended "
           "during the run, a seed alone included (docs/model.md, \"Cascades of shares\")",
           {0.90, 1.0},
           "the vast majority of cascades are small and terminate within one degree of the seed, in seven online "
           "domains; the band's 0.90 reads \"vast majority\" (the abstract gives no figure)",
           "Goel, Watts and Goldstein 2012, EC (The Structure of Online Diffusion Networks); cascades there are "
           "trees of adoptions, here of share actions",
           [](const RunData& r) { return cascade_share(r.cascades_by_depth, 2); }),
      measure("cascades_of_one_share", "cascades that ended with their seed alone (no reshare), of all that ended",
              "most cascades are a seed alone; no checked figure",
              [](const RunData& r) { return cascade_share(r.cascades_by_size, 1); }),
      measure("funnel_interest_per_sense", "purchase journeys reaching interest, of those reaching sense (SICAS)",
              "no published conversion per step", [](const RunData& r) { return funnel_step(r, 1); }),
      measure("funnel_connect_per_interest", "journeys reaching connect, of those reaching interest", "",
              [](const RunData& r) { return funnel_step(r, 2); }),
      measure("funnel_action_per_connect", "journeys reaching action (a purchase), of those reaching connect", "",
              [](const RunData& r) { return funnel_step(r, 3); }),
      measure("funnel_share_per_action", "journeys reaching share, of those reaching action", "",
              [](const RunData& r) { return funnel_step(r, 4); }),
      measure("return_on_spend", "brands' revenue over their spend on all four budget lines, over the run",
              "no published figure", [](const RunData& r) { return ratio(r.brand_revenue, r.brand_spend); }),
      measure("return_on_spend_ads",
              "revenue of the purchases brands' ads sold (the selling exposure was an ad), over the ad spend",
              "no published figure in the sources; each purchase counts for the line that paid for the exposure "
              "that sold (docs/model.md, \"Attribution to lines\")",
              line_return<state::BudgetLine::Ads>),
      measure("return_on_spend_sponsorship",
              "revenue of the purchases sponsored items sold, over the spend on sponsorships", "no published figure",
              line_return<state::BudgetLine::Sponsorship>),
      measure("return_on_spend_content",
              "revenue of the purchases the brands' own accounts' items sold, over the cost of producing them",
              "no published figure", line_return<state::BudgetLine::Content>),
      measure("return_on_spend_live",
              "revenue of the purchases live sessions sold, over the spend on them (hosts' fees and commissions)",
              "no published figure", line_return<state::BudgetLine::Live>),
  };
}

std::string number(double value) {
  if (std::isnan(value)) return "-";
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", value);
  return text;
}

std::string band_text(const FactSpec& spec) {
  if (!spec.has_band) return "-";
  std::string text = "[";  // appended piece by piece: GCC 12 warns (-Wrestrict) on a chain of + here
  text += number(spec.band.lo);
  text += ", ";
  text += number(spec.band.hi);
  text += "]";
  return text;
}

}  // namespace

bool FactValue::inside() const {
  return spec->has_band && !std::isnan(value) && value >= spec->band.lo && value <= spec->band.hi;
}

const std::vector<FactSpec>& fact_specs() {
  static const std::vector<FactSpec> specs = make_specs();
  return specs;
}

namespace {

const io::OutputSpec& output_spec(const std::string& path) {
  for (const io::OutputSpec& spec : io::run_outputs())
    if (spec.path == path) return spec;
  throw std::logic_error("the facts read " + path + ", which the output schema does not declare");
}

/// The per-tick datasets assemble_run reads, summed over ticks.
std::vector<std::string> summed_tick_datasets() {
  std::vector<std::string> paths{"/timeseries/impressions", "/timeseries/cascades_by_depth",
                                 "/timeseries/cascades_by_size"};
  for (std::string_view line : state::kBudgetLineNames) paths.push_back("/brands/revenue_" + std::string(line));
  return paths;
}

std::vector<double> as_doubles(const io::Values& values) {
  return std::visit([](const auto& column) { return std::vector<double>(column.begin(), column.end()); }, values);
}

/// A complete run file as a RunSource: Per* columns as they are, Tick* datasets summed over ticks.
class FileSource : public RunSource {
 public:
  explicit FileSource(const io::InputFile& file) : file_(file) {}
  bool contains(const std::string& path) const override { return file_.contains(path); }
  std::vector<double> values(const std::string& path) const override {
    if (!file_.contains(path))
      throw InputError(
          file_.path().string() + ": " + path +
          " is missing; the facts need a complete run file written by this fanflow (run the scenario again)");
    std::uint64_t columns = 0;
    const std::vector<double> table = file_.read_table<double>(path, columns);
    if (!output_spec(path).per_tick()) return table;
    std::vector<double> sums(std::max<std::uint64_t>(columns, 1), 0.0);
    for (std::size_t k = 0; k < table.size(); ++k) sums[k % sums.size()] += table[k];
    return sums;
  }

 private:
  const io::InputFile& file_;
};

}  // namespace

RunData assemble_run(const RunSource& source, std::uint32_t ticks) {
  RunData r;
  r.ticks = ticks;
  const auto type = source.values("/creators/summary/type");
  const auto views = source.values("/creators/summary/views");
  const auto likes = source.values("/creators/summary/likes");
  const auto items = source.values("/creators/summary/items_posted");
  const auto followers = source.values("/creators/summary/followers");
  const auto joined = source.values("/creators/summary/joined_tick");
  const auto exit_tick = source.values("/creators/summary/exit_tick");
  const auto feedback = source.values("/creators/summary/passed_feedback_tick");
  const auto income = source.values("/creators/summary/passed_income_tick");
  auto tick = [](double value) { return static_cast<std::uint32_t>(value); };  // kNever is exact in a double
  for (std::size_t c = 0; c < type.size(); ++c) {
    if (type[c] == kBrandAccount) continue;
    r.views.push_back(views[c]), r.likes.push_back(likes[c]), r.items.push_back(items[c]),
        r.followers.push_back(followers[c]);
    r.joined.push_back(tick(joined[c])), r.exit_tick.push_back(tick(exit_tick[c]));
    r.feedback_passed.push_back(tick(feedback[c])), r.income_passed.push_back(tick(income[c]));
  }
  const auto impressions = source.values("/timeseries/impressions");
  for (std::size_t k = 0; k < impressions.size(); ++k) r.impressions[k % kChannelCount] += impressions[k];
  for (std::size_t stage = 0; stage < r.funnel.size(); ++stage)
    if (const std::string name = std::string("/brands/summary/funnel_") + state::kJourneyStageNames[stage];
        source.contains(name))
      r.funnel[stage] = sum(source.values(name));
  for (std::size_t line = 0; line < state::kBudgetLines; ++line) {
    const std::string name(state::kBudgetLineNames[line]);
    if (source.contains("/brands/summary/spend_" + name))
      r.line_spend[line] = sum(source.values("/brands/summary/spend_" + name));
    if (source.contains("/brands/revenue_" + name))
      r.line_revenue[line] = sum(source.values("/brands/revenue_" + name));
    r.brand_spend += r.line_spend[line];
  }
  if (source.contains("/brands/summary/revenue")) r.brand_revenue = sum(source.values("/brands/summary/revenue"));
  // Cascades ended during the run, by depth and size, summed over ticks (absent in files of older versions: the
  // cascade facts are then undefined).
  for (auto [path, counts] : {std::pair{"/timeseries/cascades_by_depth", &r.cascades_by_depth},
                              std::pair{"/timeseries/cascades_by_size", &r.cascades_by_size}})
    if (source.contains(path)) {
      const auto totals = source.values(path);
      if (totals.size() != state::kCascadeBuckets)
        throw InputError(std::string(path) + " has " + std::to_string(totals.size()) + " columns, not " +
                         std::to_string(state::kCascadeBuckets));
      for (std::size_t k = 0; k < totals.size(); ++k) (*counts)[k] = totals[k];
    }
  return r;
}

RunData read_run(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw InputError(path.string() + ": no such file" +
                     (std::filesystem::exists(path, ec) ? std::string(" (a folder?)") : std::string()));
  std::unique_ptr<io::InputFile> opened;
  try {
    opened = std::make_unique<io::InputFile>(path);
  } catch (const InputError&) {
    throw;
  } catch (const std::runtime_error&) {
    throw InputError(path.string() + ": not an HDF5 file");
  }
  const io::InputFile& file = *opened;
  const std::string format =
      file.has_attribute("/", "format") ? file.read_string_attribute("/", "format") : std::string();
  if (format != "fanflow-run")
    throw InputError(path.string() + ": not a fanflow run file (format '" + format + "'); the facts are of one run");
  if (!file.has_attribute("/", "complete") || file.read_integer_attribute("/", "complete") != 1)
    throw InputError(path.string() + ": the run did not complete");
  RunData r;
  try {
    r = assemble_run(FileSource(file), static_cast<std::uint32_t>(file.read_integer_attribute("/", "ticks")));
  } catch (const InputError& error) {
    const std::string message = error.what(), prefix = path.string() + ": ";
    if (message.starts_with(prefix)) throw;
    throw InputError(prefix + message);
  }
  r.path = path;
  return r;
}

namespace {

/// A run in memory as a RunSource: per-tick sums from the collector, columns computed from the final state.
class MemorySource : public RunSource {
 public:
  MemorySource(const std::vector<const io::OutputSpec*>& per_tick, const std::vector<std::vector<double>>& sums,
               const state::State& state)
      : per_tick_(per_tick), sums_(sums), state_(state) {}
  bool contains(const std::string& path) const override {
    for (const io::OutputSpec* spec : per_tick_)
      if (spec->path == path) return true;
    for (const io::OutputSpec& spec : io::run_outputs())
      if (spec.path == path && !spec.per_tick()) return true;
    return false;
  }
  std::vector<double> values(const std::string& path) const override {
    for (std::size_t k = 0; k < per_tick_.size(); ++k)
      if (per_tick_[k]->path == path) return sums_[k];
    const io::OutputSpec& spec = output_spec(path);
    if (spec.per_tick()) throw std::logic_error(path + " is per tick and not collected");
    return as_doubles(spec.compute(phases::TickMetrics{}, state_, spec.member));
  }

 private:
  const std::vector<const io::OutputSpec*>& per_tick_;
  const std::vector<std::vector<double>>& sums_;
  const state::State& state_;
};

}  // namespace

RunCollector::RunCollector() {
  for (const std::string& path : summed_tick_datasets()) per_tick_.push_back(&output_spec(path));
  sums_.resize(per_tick_.size());
}

void RunCollector::record(const phases::TickMetrics& metrics, const state::State& state) {
  // Brands' accounts exist once a tick has run the brands phase; the run file has no row before (RunRecorder).
  const bool brand_rows = state.brand_accounts.size() == state.brands.count;
  for (std::size_t k = 0; k < per_tick_.size(); ++k) {
    const io::OutputSpec& spec = *per_tick_[k];
    if (spec.shape == io::Shape::TickByBrand && !brand_rows) continue;
    const std::vector<double> row = as_doubles(spec.compute(metrics, state, spec.member));
    if (sums_[k].size() < row.size()) sums_[k].resize(row.size(), 0.0);
    for (std::size_t column = 0; column < row.size(); ++column) sums_[k][column] += row[column];
  }
}

RunData RunCollector::finish(const state::State& state, std::uint32_t ticks) const {
  // A run of 0 days has no brand accounts: the run file then has no per-brand end columns either.
  const bool brand_columns = state.brand_accounts.size() == state.brands.count;
  if (brand_columns) return assemble_run(MemorySource(per_tick_, sums_, state), ticks);
  struct WithoutBrands : MemorySource {
    using MemorySource::MemorySource;
    bool contains(const std::string& path) const override {
      return !path.starts_with("/brands/summary/") && MemorySource::contains(path);
    }
  };
  return assemble_run(WithoutBrands(per_tick_, sums_, state), ticks);
}

std::vector<FactValue> compute_facts(const RunData& run) {
  std::vector<FactValue> values;
  for (const FactSpec& spec : fact_specs()) values.push_back({&spec, spec.compute(run)});
  return values;
}

namespace {

/// Whether a fact is judged against a band: it has one, and the run gave it a value.
bool judged(const FactValue& v) { return v.spec->has_band && !std::isnan(v.value); }

}  // namespace

std::string facts_table(const RunData& run, const std::vector<FactValue>& values, bool markdown) {
  std::string out;
  std::size_t banded = 0, inside = 0;
  for (const FactValue& v : values) banded += judged(v), inside += v.inside();
  char line[512];
  if (markdown) {
    out += "| fact | value | band | inside | reference |\n|---|---|---|---|---|\n";
    for (const FactValue& v : values)
      out += "| `" + v.spec->name + "` | " + number(v.value) + " | " + band_text(*v.spec) + " | " +
             (judged(v) ? (v.inside() ? "yes" : "no") : "") + " | " + v.spec->reference + " |\n";
  } else {
    std::snprintf(line, sizeof line, "%-28s %8s  %-16s %s\n", "fact", "value", "band", "inside");
    out += line;
    for (const FactValue& v : values) {
      std::snprintf(line, sizeof line, "%-28s %8s  %-16s %s\n", v.spec->name.c_str(), number(v.value).c_str(),
                    band_text(*v.spec).c_str(), judged(v) ? (v.inside() ? "yes" : "NO") : "");
      out += line;
    }
  }
  std::snprintf(line, sizeof line, "%s%zu of %zu facts with a band and a value inside it (%s, %u days, %zu creators)\n",
                markdown ? "\n" : "", inside, banded, run.path.string().c_str(), run.ticks, run.joined.size());
  out += line;
  return out;
}

std::string facts_json(const RunData& run, const std::vector<FactValue>& values) {
  // Appended piece by piece: GCC 12 warns (-Wrestrict) on chains of + of strings here.
  std::string out = "{\"file\": ";
  out += json_quoted(run.path.string());
  out += ", \"ticks\": ";
  out += std::to_string(run.ticks);
  out += ", \"creators\": ";
  out += std::to_string(run.joined.size());
  out += ", \"facts\": [";
  for (std::size_t k = 0; k < values.size(); ++k) {
    const FactSpec& spec = *values[k].spec;
    out += k ? ",\n  {\"name\": " : "\n  {\"name\": ";
    out += json_quoted(spec.name);
    out += ", \"meaning\": ";
    out += json_quoted(spec.meaning);
    out += ", \"value\": ";
    out += json_number(values[k].value);
    out += ", \"band\": ";
    if (spec.has_band) {
      out += "[";
      out += json_number(spec.band.lo);
      out += ", ";
      out += json_number(spec.band.hi);
      out += "]";
    } else {
      out += "null";
    }
    out += ", \"inside\": ";
    out += spec.has_band && !std::isnan(values[k].value) ? (values[k].inside() ? "true" : "false") : "null";
    out += ", \"reference\": ";
    out += json_quoted(spec.reference);
    out += ", \"source\": ";
    out += json_quoted(spec.source);
    out += "}";
  }
  out += "\n]}\n";
  return out;
}

std::string facts_reference_markdown() {
  std::string out =
      "# Stylized facts\n\n"
      "`fanflow facts RUN.h5` computes each fact below from a run file and shows it beside its band. A fact with a\n"
      "band is a published regularity of content platforms, with the range a credible world should land in; one\n"
      "without a band (`-`) is a figure no source pins down, shown so that the worlds can be compared. Creators\n"
      "exclude brands' own accounts. Sources marked [practitioner] are secondary or vendor reports, weaker than\n"
      "the others. This page is generated by `fanflow facts --reference` from `engine/facts/facts.cpp` (the test\n"
      "`docs_facts_up_to_date` fails when it is stale).\n\n"
      "Thresholds: a creator passes the feedback threshold on the first day its smoothed engagement reaches\n"
      "`lifecycle.feedback_reference` per smoothed item, and the income threshold on the first day its smoothed\n"
      "income covers its smoothed cost (docs/model.md, \"Passing a threshold\").\n\n"
      "| fact | meaning | band | reference | source |\n|---|---|---|---|---|\n";
  for (const FactSpec& spec : fact_specs())
    out += "| `" + spec.name + "` | " + spec.meaning + " | " + band_text(spec) + " | " + spec.reference + " | " +
           (spec.source.empty() ? "-" : spec.source) + " |\n";
  return out;
}

}  // namespace fanflow::facts
