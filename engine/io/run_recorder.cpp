// RunRecorder: the run file's layout, written incrementally; the model's datasets come from the output schema.
#include "io/run_recorder.hpp"

#include <oneapi/tbb/version.h>
#include <CLI/Version.hpp>

#include <boost/version.hpp>
#include <ctime>
#include <vector>

#include "core/version.hpp"

#ifndef FANFLOW_YAML_CPP_VERSION
#define FANFLOW_YAML_CPP_VERSION "unknown"
#endif

namespace fanflow::io {
namespace {

std::string utc_now() {
  std::time_t now = std::time(nullptr);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  return text;
}

/// An empty Values of the element type `type`, to dispatch on with std::visit.
Values empty_values(ElementType type) {
  switch (type) {
    case ElementType::UInt8:
      return std::vector<std::uint8_t>{};
    case ElementType::UInt16:
      return std::vector<std::uint16_t>{};
    case ElementType::UInt32:
      return std::vector<std::uint32_t>{};
    case ElementType::UInt64:
      return std::vector<std::uint64_t>{};
    case ElementType::Int64:
      return std::vector<std::int64_t>{};
    case ElementType::Float32:
      return std::vector<float>{};
    case ElementType::Float64:
      return std::vector<double>{};
  }
  return std::vector<double>{};
}

}  // namespace

std::string library_versions() {
  std::string text = "boost " + std::to_string(BOOST_VERSION / 100000) + "." +
                     std::to_string(BOOST_VERSION / 100 % 1000) + "." + std::to_string(BOOST_VERSION % 100);
  text += std::string(", oneTBB ") + TBB_VERSION_STRING;
  text += ", HDF5 " + hdf5_version();
  text += std::string(", yaml-cpp ") + FANFLOW_YAML_CPP_VERSION;
  text += std::string(", CLI11 ") + CLI11_VERSION;
  text += ", Random123 Philox4x64-10";
  return text;
}

RunRecorder::RunRecorder(const std::filesystem::path& path, const params::Scenario& scenario, const state::State& state,
                         int threads)
    : file_(path),
      started_(std::chrono::steady_clock::now()),
      creator_columns_(state.creators.capacity),
      brands_(state.brands.count) {
  const params::Params& p = scenario.params;
  for (std::uint32_t b = 0; b < brands_; ++b) brand_names_.push_back("brand " + std::to_string(b));
  for (const params::NamedBrand& brand : scenario.actors.brands)
    if (brand.id < brands_) brand_names_[brand.id] = brand.name;
  file_.set_attribute("/", "format", std::string_view("fanflow-run"));
  file_.set_attribute("/", "format_version", kRunFormatVersion);
  file_.set_attribute("/", "complete", std::int64_t{0});

  // Provenance: what produced this file.
  file_.write_text("/provenance/scenario", params::to_yaml(scenario),
                   "fully resolved scenario (every parameter, and the timeline) as YAML");
  file_.set_attribute("/provenance", "scenario_source", std::string_view(scenario.source));
  file_.set_attribute("/provenance", "seed", p.run.seed);
  file_.set_attribute("/provenance", "world_seed", static_cast<std::int64_t>(params::world_seed(p)));
  file_.set_attribute("/provenance", "fanflow_version", std::string_view(kVersion));
  file_.set_attribute("/provenance", "git_revision", std::string_view(kGitRevision));
  file_.set_attribute("/provenance", "threads", std::int64_t{threads});
  file_.set_attribute("/provenance", "libraries", std::string_view(library_versions()));
  file_.set_attribute("/provenance", "start_time", std::string_view(utc_now()));

  // The model's per-tick datasets. [tick x creator] ones have a column for every creator that can exist
  // (initial + lifecycle.max_entrants); creators that have not joined yet read 0.
  for (const OutputSpec& spec : run_outputs()) {
    if (!spec.per_tick() || !has_columns(spec.shape)) continue;
    const std::vector<std::string> names = column_names(spec.shape, brands_);
    const std::uint64_t columns = spec.shape == Shape::Tick            ? 1
                                  : spec.shape == Shape::TickByCreator ? creator_columns_
                                  : spec.shape == Shape::TickByBrand   ? brands_
                                                                       : names.size();
    GrowingDataset dataset = std::visit(
        [&](const auto& empty) {
          using T = typename std::decay_t<decltype(empty)>::value_type;
          return file_.create_growing<T>(spec.path, columns, names, spec.unit, spec.description);
        },
        empty_values(spec.type));
    series_.emplace_back(&spec, std::move(dataset));
  }
  // The event log: one row per event, in (tick, kind, subject) order.
  auto event_column = [&]<typename T>(const char* name, T, const char* unit, const char* description) {
    return file_.create_growing<T>(std::string("/events/") + name, 1, {}, unit, description);
  };
  event_tick_ = event_column("tick", std::uint32_t{}, "tick", "tick the event happened on");
  event_kind_ = event_column("kind", std::uint8_t{}, "", "kind of event; names in the attribute 'kinds'");
  event_subject_ =
      event_column("subject", std::uint32_t{}, "", "what the event is about: a creator id, or a timeline entry index");
  event_value_ = event_column("value", std::int64_t{}, "", "kind-specific value (see docs/output-format.md)");
  std::string kind_names;
  for (std::size_t k = 1; k < phases::kEventKindNames.size(); ++k)
    kind_names += std::to_string(k) + "=" + std::string(phases::kEventKindNames[k]) +
                  (k + 1 < phases::kEventKindNames.size() ? "," : "");
  file_.set_attribute("/events/kind", "kinds", std::string_view(kind_names));

  write_columns(state, true);
  file_.flush();
}

bool RunRecorder::has_columns(Shape shape) const {
  if (shape == Shape::TickByCreator) return creator_columns_ > 0;
  if (shape == Shape::TickByBrand) return brands_ > 0;
  return true;
}

void RunRecorder::record(Tick, const phases::TickMetrics& metrics, const std::vector<phases::Event>& events,
                         const state::State& state) {
  for (const phases::Event& event : events) {
    const std::uint8_t kind = static_cast<std::uint8_t>(event.kind);
    event_tick_.append(std::span<const std::uint32_t>(&event.tick, 1));
    event_kind_.append(std::span<const std::uint8_t>(&kind, 1));
    event_subject_.append(std::span<const std::uint32_t>(&event.subject, 1));
    event_value_.append(std::span<const std::int64_t>(&event.value, 1));
  }
  // Brands' accounts exist once a tick has run the brands phase (always, after a step).
  const bool brand_rows = state.brand_accounts.size() == brands_;
  for (auto& [spec, dataset] : series_) {
    if (spec->shape == Shape::TickByBrand && !brand_rows) continue;
    Values values = spec->compute(metrics, state, spec->member);
    std::visit(
        [&](auto& row) {
          using T = typename std::decay_t<decltype(row)>::value_type;
          if (spec->shape == Shape::TickByCreator) row.resize(creator_columns_, T{});  // slots not joined yet: 0
          dataset.append(std::span<const T>(row));
        },
        values);
  }
  ++ticks_;
  file_.flush();
}

void RunRecorder::write_columns(const state::State& state, bool at_setup) {
  const phases::TickMetrics none;
  // Brands' end-of-run columns need their accounts, which a run of 0 days never makes.
  const bool brand_columns = state.brand_accounts.size() == brands_;
  for (const OutputSpec& spec : run_outputs()) {
    if (spec.per_tick() || spec.at_setup != at_setup) continue;
    if (spec.shape == Shape::PerBrand && !at_setup && !brand_columns) continue;
    std::visit([&](const auto& column) { file_.write_column(spec.path, column, spec.unit, spec.description); },
               spec.compute(none, state, spec.member));
  }
}

void RunRecorder::write_timeline(const std::vector<sim::AppliedChange>& changes) {
  std::vector<std::uint32_t> ticks, entries;
  std::vector<std::string> keys, values, labels;
  for (const sim::AppliedChange& applied : changes) {
    ticks.push_back(applied.change.tick);
    entries.push_back(applied.change.entry);
    keys.push_back(applied.change.path);
    values.push_back(applied.change.value);
    labels.push_back(applied.label);
  }
  file_.write_column("/timeline/tick", ticks, "tick", "tick at whose start the parameter changed");
  file_.write_column("/timeline/entry", entries, "",
                     "index of the scenario's timeline entry (events of kind timeline_applied name it too)");
  file_.write_strings("/timeline/key", keys, "the parameter changed, section.name");
  file_.write_strings("/timeline/value", values,
                      "the value in force from this tick on: the entry's, or the one restored when its window ends");
  file_.write_strings("/timeline/label", labels, "the entry's label, or empty");  // strings: empty unit
}

void RunRecorder::finish(const state::State& state, const sim::Profile& profile) {
  write_columns(state, false);
  if (brands_ > 0) {
    file_.set_attribute("/brands/summary", "names", brand_names_);
    for (std::size_t k = 0; k < state::kBudgetLines; ++k)
      file_.set_attribute("/brands/summary/unspent_" + std::string(state::kBudgetLineNames[k]), "why",
                          state::why_unspent(static_cast<state::BudgetLine>(k), state.brands.has_accounts));
  }
  std::vector<std::string> phases;
  std::vector<double> seconds;
  for (const auto& entry : profile.entries()) phases.push_back(entry.phase), seconds.push_back(entry.seconds);
  file_.write_strings("/provenance/profile/phase", phases, "phase of the tick pipeline, in order");
  file_.write_column("/provenance/profile/seconds", seconds, "s", "wall time spent in the phase over the run");
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  file_.set_attribute("/provenance", "wall_time_s", wall);
  file_.set_attribute("/", "ticks", static_cast<std::int64_t>(ticks_));
  file_.set_attribute("/", "complete", std::int64_t{1});
  file_.commit();
}

}  // namespace fanflow::io
