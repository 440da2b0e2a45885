// The output schema expanded from phases/outputs.def: each line becomes an OutputSpec or RunMetricSpec whose
// compute function evaluates the line's expression, with the helpers those expressions use defined here.
#include "io/output_schema.hpp"

#include <algorithm>
#include <limits>
#include <numeric>
#include <string_view>
#include <type_traits>
#include <utility>

#include "core/channel.hpp"
#include "core/money.hpp"
#include "core/pools.hpp"
#include "core/statistics.hpp"
#include "phases/phases.hpp"
#include "state/cascades.hpp"

namespace fanflow::io {
namespace {

using phases::TickMetrics;
using PerChannel = TickMetrics::PerChannel;
using PerTier = TickMetrics::PerTier;

// --- what the expressions of outputs.def use -------------------------------------------------------------------

std::uint64_t total(const PerChannel& per_channel) {
  return std::accumulate(per_channel.begin(), per_channel.end(), std::uint64_t{0});
}

/// part / whole, 0 when whole is 0.
double share_of(std::uint64_t part, std::uint64_t whole) { return whole > 0 ? double(part) / double(whole) : 0.0; }

/// Micro-money values as money.
std::vector<double> money(const std::vector<Micros>& values) {
  std::vector<double> out(values.size());
  for (std::size_t k = 0; k < values.size(); ++k) out[k] = to_money(values[k]);
  return out;
}

/// Column `k` of a [entity * stride + k] array, one entry per entity.
template <typename T>
std::vector<T> column_of(const std::vector<T>& values, std::size_t stride, std::size_t k) {
  std::vector<T> out(values.size() / stride);
  for (std::size_t e = 0; e < out.size(); ++e) out[e] = values[e * stride + k];
  return out;
}

/// Element-wise sum of two equally long columns.
template <typename T>
std::vector<T> sum_of(const std::vector<T>& a, const std::vector<T>& b) {
  std::vector<T> out(a.size());
  for (std::size_t e = 0; e < a.size(); ++e) out[e] = a[e] + b[e];
  return out;
}

std::vector<std::uint32_t> own_account_followers(const state::State& s) {
  std::vector<std::uint32_t> out(s.brands.count, 0);
  if (s.brands.has_accounts)
    for (std::uint32_t b = 0; b < s.brands.count; ++b) out[b] = s.creators.followers[s.brands.account(b)];
  return out;
}

/// Each brand's revenue today from the purchases budget line `line` paid for: its price times those purchases.
std::vector<double> line_revenue(const state::State& s, std::size_t line) {
  const auto& a = s.brand_accounts;
  std::vector<double> out(a.size());
  for (std::uint32_t b = 0; b < a.size(); ++b)
    out[b] = to_money(a.price[b] * static_cast<Micros>(a.sales[std::size_t(b) * state::kBudgetLines + line]));
  return out;
}

/// Revenue over spend so far; no NaN (files compare equal across runs): nothing spent means nothing sold yet.
std::vector<double> return_on_spend(const state::State& s) {
  const auto& a = s.brand_accounts;
  std::vector<double> out(s.brands.count);
  for (std::uint32_t b = 0; b < s.brands.count; ++b) {
    const double spend = to_money(a.spend_so_far(b));
    out[b] = spend > 0 ? to_money(a.total_revenue[b]) / spend : 0.0;
  }
  return out;
}

/// Spend over new customers so far: infinite while there is spend without a customer, 0 before any spend.
std::vector<double> acquisition_cost(const state::State& s) {
  const auto& a = s.brand_accounts;
  constexpr double infinity = std::numeric_limits<double>::infinity();
  std::vector<double> out(s.brands.count);
  for (std::uint32_t b = 0; b < s.brands.count; ++b) {
    const double spend = to_money(a.spend_so_far(b));
    out[b] = a.total_new_customers[b] > 0 ? spend / double(a.total_new_customers[b]) : spend > 0 ? infinity : 0.0;
  }
  return out;
}

/// Brand b's revenue over its spend (all lines) over the run; 0 without spend.
double brand_return_on_spend(const state::State& s, std::uint32_t b) {
  const double spend = to_money(s.brand_accounts.spend_so_far(b));
  return spend > 0 ? to_money(s.brand_accounts.total_revenue[b]) / spend : 0.0;
}

/// Brand b's spend (all lines) over its new customers over the run: +inf with spend and no customer, 0 without
/// spend.
double brand_acquisition_cost(const state::State& s, std::uint32_t b) {
  const double spend = to_money(s.brand_accounts.spend_so_far(b));
  const auto customers = s.brand_accounts.total_new_customers[b];
  return customers > 0 ? spend / double(customers) : spend > 0 ? std::numeric_limits<double>::infinity() : 0.0;
}

/// The part of brand b's budgets for line k over the run that was not spent, in money (at least 0).
double brand_unspent(const state::State& s, std::uint32_t b, std::size_t k) {
  const std::size_t at = std::size_t(b) * state::kBudgetLines + k;
  return to_money(std::max<Micros>(0, s.brand_accounts.total_budget[at] - s.brand_accounts.total_spend[at]));
}

/// Every brand's unspent budget on line k over the run, in money.
std::vector<double> unspent_column(const state::State& s, std::size_t k) {
  std::vector<double> out(s.brand_accounts.size());
  for (std::uint32_t b = 0; b < out.size(); ++b) out[b] = brand_unspent(s, b, k);
  return out;
}

/// Each brand's state::BrandKind (every brand native in a store without kinds).
std::vector<std::uint8_t> brand_kinds(const state::State& s) {
  std::vector<std::uint8_t> out(s.brands.count, static_cast<std::uint8_t>(state::BrandKind::Native));
  for (std::uint32_t b = 0; b < s.brands.count; ++b)
    if (s.brands.established(b)) out[b] = static_cast<std::uint8_t>(state::BrandKind::Established);
  return out;
}

std::vector<std::int64_t> brand_account_ids(const state::State& s) {
  std::vector<std::int64_t> out(s.brands.count, -1);
  if (s.brands.has_accounts)
    for (std::uint32_t b = 0; b < s.brands.count; ++b) out[b] = s.brands.account(b);
  return out;
}

std::vector<std::uint32_t> group_members_of(const state::State& s) {
  std::vector<std::uint32_t> out(s.creators.count, 0);
  std::copy_n(s.group_members.begin(), std::min<std::size_t>(s.creators.count, s.group_members.size()), out.begin());
  return out;
}

std::vector<std::uint16_t> top_interests(const state::State& s) {
  std::vector<std::uint16_t> out(s.users.count);
  for (std::uint32_t u = 0; u < s.users.count; ++u) out[u] = s.users.topics_of(u)[0];
  return out;
}

std::vector<std::uint32_t> friend_degrees(const state::State& s) {
  std::vector<std::uint32_t> out(s.users.count);
  for (std::uint32_t u = 0; u < s.users.count; ++u) out[u] = s.friends.degree(u);
  return out;
}

std::vector<std::uint32_t> following_counts(const state::State& s) {
  std::vector<std::uint32_t> out(s.users.count);
  for (std::uint32_t u = 0; u < s.users.count; ++u) out[u] = static_cast<std::uint32_t>(s.follows.followed(u).size());
  return out;
}

// --- turning an expression's value into a dataset's values ----------------------------------------------------

/// A scalar becomes one value; an array or vector is converted element by element.
template <typename T, typename X>
Values values_of(const X& x) {
  if constexpr (std::is_arithmetic_v<X>) {
    return std::vector<T>{static_cast<T>(x)};
  } else {
    std::vector<T> out;
    out.reserve(std::size(x));
    for (const auto& v : x) out.push_back(static_cast<T>(v));
    return out;
  }
}

template <typename T>
constexpr ElementType element_type() {
  if constexpr (std::is_same_v<T, std::uint8_t>) return ElementType::UInt8;
  if constexpr (std::is_same_v<T, std::uint16_t>) return ElementType::UInt16;
  if constexpr (std::is_same_v<T, std::uint32_t>) return ElementType::UInt32;
  if constexpr (std::is_same_v<T, std::uint64_t>) return ElementType::UInt64;
  if constexpr (std::is_same_v<T, std::int64_t>) return ElementType::Int64;
  if constexpr (std::is_same_v<T, float>) return ElementType::Float32;
  if constexpr (std::is_same_v<T, double>) return ElementType::Float64;
}

/// A tick counter's stored element type and shape follow from its TickMetrics type.
template <typename C>
struct CounterLayout {
  using Element = C;
  static constexpr Shape shape = Shape::Tick;
};
template <>
struct CounterLayout<PerChannel> {
  using Element = std::uint64_t;
  static constexpr Shape shape = Shape::TickByChannel;
};
template <>
struct CounterLayout<PerTier> {
  using Element = std::uint64_t;
  static constexpr Shape shape = Shape::TickByTier;
};

std::vector<std::pair<std::size_t, std::string>> members(Family family) {
  std::vector<std::pair<std::size_t, std::string>> out;
  auto named = [&](const auto& names) {
    for (std::size_t k = 0; k < names.size(); ++k) out.emplace_back(k, std::string(names[k]));
  };
  switch (family) {
    case Family::None:
      out.emplace_back(0, "");
      break;
    case Family::Channel:
      named(kChannelNames);
      break;
    case Family::BudgetLine:
      named(state::kBudgetLineNames);
      break;
    case Family::IncomeSource:
      named(state::kIncomeSourceNames);
      break;
    case Family::JourneyStage:
      named(state::kJourneyStageNames);
      break;
    case Family::Stage:
      for (std::size_t stage = 1; stage < state::kStages; ++stage) out.emplace_back(stage, std::to_string(stage));
      break;
  }
  return out;
}

/// `text` with every "{}" replaced by `name`.
std::string fill(std::string_view text, const std::string& name) {
  std::string out(text);
  for (auto at = out.find("{}"); at != std::string::npos; at = out.find("{}", at + name.size()))
    out.replace(at, 2, name);
  return out;
}

std::string shape_suffix(Shape shape) {
  switch (shape) {
    case Shape::TickByCreator:
      return " [tick x creator]";
    case Shape::TickByBrand:
      return " [tick x brand]";
    default:
      return "";
  }
}

void add_outputs(std::vector<OutputSpec>& specs, const char* path, ElementType type, Shape shape, const char* unit,
                 const char* doc, bool at_setup, Family family, ComputeValues compute) {
  for (const auto& [k, name] : members(family))
    specs.push_back({fill(path, name), type, shape, unit, fill(doc, name) + shape_suffix(shape), at_setup, k, compute});
}

void add_summaries(std::vector<RunMetricSpec>& specs, const char* name, const char* unit, const char* doc,
                   Family family, double (*summary)(const RunEnd&, std::size_t)) {
  for (const auto& [k, member] : members(family))
    specs.push_back({fill(name, member), unit, fill(doc, member), nullptr, summary, k});
}

#define FANFLOW_COMPUTE(Type, ...)                                           \
  [](const TickMetrics& m, const state::State& s, std::size_t k) -> Values { \
    (void)m, (void)s, (void)k;                                               \
    return values_of<Type>(__VA_ARGS__);                                     \
  }

std::vector<OutputSpec> make_run_outputs() {
  std::vector<OutputSpec> specs;
#define FANFLOW_TICK_COUNTER(Type, name, unit, doc)                                                                  \
  add_outputs(specs, "/timeseries/" #name, element_type<CounterLayout<Type>::Element>(), CounterLayout<Type>::shape, \
              unit, doc, false, Family::None, FANFLOW_COMPUTE(CounterLayout<Type>::Element, m.name));
#define FANFLOW_OUTPUT(path, Type, Shape_, unit, doc, ...)                                      \
  add_outputs(specs, path, element_type<Type>(), Shape::Shape_, unit, doc, false, Family::None, \
              FANFLOW_COMPUTE(Type, __VA_ARGS__));
#define FANFLOW_SETUP_OUTPUT(path, Type, Shape_, unit, doc, ...)                               \
  add_outputs(specs, path, element_type<Type>(), Shape::Shape_, unit, doc, true, Family::None, \
              FANFLOW_COMPUTE(Type, __VA_ARGS__));
#define FANFLOW_OUTPUT_EACH(path, Family_, Type, Shape_, unit, doc, ...)                           \
  add_outputs(specs, path, element_type<Type>(), Shape::Shape_, unit, doc, false, Family::Family_, \
              FANFLOW_COMPUTE(Type, __VA_ARGS__));
#include "phases/outputs.def"
  return specs;
}

std::vector<RunMetricSpec> make_run_series() {
  std::vector<RunMetricSpec> specs;
#define FANFLOW_RUN_SERIES(name, unit, doc, ...) \
  specs.push_back({#name, unit, doc, [](const TickMetrics& m) { return double(__VA_ARGS__); }, nullptr, 0});
#include "phases/outputs.def"
  return specs;
}

std::vector<RunMetricSpec> make_run_summaries() {
  std::vector<RunMetricSpec> specs;
#define FANFLOW_RUN_SUMMARY(name, unit, doc, ...)                                           \
  add_summaries(specs, #name, unit, doc, Family::None, [](const RunEnd& r, std::size_t k) { \
    (void)k;                                                                                \
    return double(__VA_ARGS__);                                                             \
  });
#define FANFLOW_RUN_SUMMARY_EACH(name, Family_, unit, doc, ...) \
  add_summaries(specs, #name, unit, doc, Family::Family_,       \
                [](const RunEnd& r, std::size_t k) { return double(__VA_ARGS__); });
#include "phases/outputs.def"
  return specs;
}

void add_focal(std::vector<FocalMetricSpec>& specs, const char* name, const char* unit, const char* doc, Family family,
               double (*compute)(const state::State&, std::uint32_t, std::size_t)) {
  for (const auto& [k, member] : members(family))
    specs.push_back({fill(name, member), unit, fill(doc, member), compute, k});
}

#define FANFLOW_FOCAL_COMPUTE(...)                                      \
  [](const state::State& s, std::uint32_t b, std::size_t k) -> double { \
    (void)k;                                                            \
    return double(__VA_ARGS__);                                         \
  }

std::vector<FocalMetricSpec> make_focal_brand_metrics() {
  std::vector<FocalMetricSpec> specs;
#define FANFLOW_FOCAL_BRAND(name, unit, doc, ...) \
  add_focal(specs, #name, unit, doc, Family::None, FANFLOW_FOCAL_COMPUTE(__VA_ARGS__));
#define FANFLOW_FOCAL_BRAND_EACH(name, Family_, unit, doc, ...) \
  add_focal(specs, #name, unit, doc, Family::Family_, FANFLOW_FOCAL_COMPUTE(__VA_ARGS__));
#include "phases/outputs.def"
  return specs;
}

std::vector<FocalMetricSpec> make_focal_brand_series() {
  std::vector<FocalMetricSpec> specs;
#define FANFLOW_FOCAL_BRAND_SERIES(name, unit, doc, ...) \
  add_focal(specs, #name, unit, doc, Family::None, FANFLOW_FOCAL_COMPUTE(__VA_ARGS__));
#include "phases/outputs.def"
  return specs;
}

#undef FANFLOW_FOCAL_COMPUTE
#undef FANFLOW_COMPUTE

// --- Markdown ---------------------------------------------------------------------------------------------------

const char* type_name(ElementType type) {
  switch (type) {
    case ElementType::UInt8:
      return "uint8";
    case ElementType::UInt16:
      return "uint16";
    case ElementType::UInt32:
      return "uint32";
    case ElementType::UInt64:
      return "uint64";
    case ElementType::Int64:
      return "int64";
    case ElementType::Float32:
      return "float32";
    case ElementType::Float64:
      return "float64";
  }
  return "";
}

const char* shape_text(Shape shape) {
  switch (shape) {
    case Shape::Tick:
      return "[ticks]";
    case Shape::TickByChannel:
      return "[ticks × channels]";
    case Shape::TickByTier:
      return "[ticks × pools]";
    case Shape::TickByDepth:
      return "[ticks × depths]";
    case Shape::TickBySize:
      return "[ticks × sizes]";
    case Shape::TickByCreator:
      return "[ticks × slots]";
    case Shape::TickByBrand:
      return "[ticks × brands]";
    case Shape::PerCreator:
      return "[creators]";
    case Shape::PerUser:
      return "[users]";
    case Shape::PerBrand:
      return "[brands]";
  }
  return "";
}

std::string table_of(std::string_view prefix) {
  std::string out = "| dataset | shape | unit | meaning |\n|---|---|---|---|\n";
  for (const OutputSpec& spec : run_outputs()) {
    if (spec.path.rfind(prefix, 0) != 0) continue;
    std::string description = spec.description;
    const std::string suffix = shape_suffix(spec.shape);
    if (!suffix.empty()) description.resize(description.size() - suffix.size());
    std::string columns;
    if (spec.shape == Shape::TickByChannel) columns = "; `columns` = the channels";
    if (spec.shape == Shape::TickByTier) columns = "; `columns` = `tier1` … `tier4`, `top`";
    if (spec.shape == Shape::TickByDepth) columns = "; `columns` = hops `0` … `6`, `7+`";
    if (spec.shape == Shape::TickBySize) columns = "; `columns` = shares `1`, `2`, `3-4`, … `33-64`, `65+`";
    out += "| `" + spec.path.substr(prefix.size()) + "` | " + shape_text(spec.shape) + " " + type_name(spec.type) +
           (spec.at_setup ? " (at setup)" : "") + " | " + spec.unit + " | " + description + columns + " |\n";
  }
  return out;
}

template <typename Spec>
std::string metric_table(const std::vector<Spec>& specs, const char* shape) {
  std::string out = "| dataset | shape | unit | meaning |\n|---|---|---|---|\n";
  for (const Spec& spec : specs)
    out += "| `" + spec.name + "` | " + shape + " float64 | " + spec.unit + " | " + spec.description + " |\n";
  return out;
}

}  // namespace

const std::vector<OutputSpec>& run_outputs() {
  static const std::vector<OutputSpec> specs = make_run_outputs();
  return specs;
}

const std::vector<RunMetricSpec>& run_series() {
  static const std::vector<RunMetricSpec> specs = make_run_series();
  return specs;
}

const std::vector<RunMetricSpec>& run_summaries() {
  static const std::vector<RunMetricSpec> specs = make_run_summaries();
  return specs;
}

const std::vector<FocalMetricSpec>& focal_brand_metrics() {
  static const std::vector<FocalMetricSpec> specs = make_focal_brand_metrics();
  return specs;
}

const std::vector<FocalMetricSpec>& focal_brand_series() {
  static const std::vector<FocalMetricSpec> specs = make_focal_brand_series();
  return specs;
}

std::vector<std::string> column_names(Shape shape, std::uint32_t brands) {
  switch (shape) {
    case Shape::TickByChannel:
      return {kChannelNames.begin(), kChannelNames.end()};
    case Shape::TickByTier:
      return {kPoolTierNames.begin(), kPoolTierNames.end()};
    case Shape::TickByDepth:
      return {state::kCascadeDepthNames.begin(), state::kCascadeDepthNames.end()};
    case Shape::TickBySize:
      return {state::kCascadeSizeNames.begin(), state::kCascadeSizeNames.end()};
    // With a single brand a [tick x brand] table stays 2-D: it gets a column name.
    case Shape::TickByBrand:
      return brands == 1 ? std::vector<std::string>{"0"} : std::vector<std::string>{};
    default:
      return {};
  }
}

std::string outputs_markdown() {
  std::string out;
  out += "<!-- outputs: timeseries -->\n" + table_of("/timeseries/");
  out += "<!-- outputs: creators -->\n" + table_of("/creators/");
  out += "<!-- outputs: users -->\n" + table_of("/users/summary/");
  out += "<!-- outputs: brands -->\n" + table_of("/brands/");
  out += "<!-- outputs: sweep-series -->\n" + metric_table(run_series(), "[runs × ticks]");
  out += "<!-- outputs: sweep-summary -->\n" + metric_table(run_summaries(), "[runs]");
  out += "<!-- outputs: focal-brand -->\n" + metric_table(focal_brand_metrics(), "[runs]");
  out += "<!-- outputs: focal-brand-series -->\n" + metric_table(focal_brand_series(), "[runs × ticks]");
  return out;
}

}  // namespace fanflow::io
