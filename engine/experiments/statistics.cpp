// The statistics catalogue: the output schema's summaries and series and the facts, under one list of names.
#include "experiments/statistics.hpp"

#include <set>
#include <stdexcept>

#include "core/suggest.hpp"
#include "facts/facts.hpp"

namespace fanflow::experiments {

const std::vector<Statistic>& end_statistics() {
  static const std::vector<Statistic> statistics = [] {
    std::vector<Statistic> out;
    const auto summaries = summary_metrics();
    for (std::size_t k = 0; k < summaries.size(); ++k)
      out.push_back({summaries[k].name, summaries[k].unit, summaries[k].description, StatisticKind::Summary, k});
    const auto& facts = facts::fact_specs();
    for (std::size_t k = 0; k < facts.size(); ++k)
      out.push_back({facts[k].name, "", facts[k].meaning, StatisticKind::Fact, k});
    std::set<std::string> names;
    for (const Statistic& s : out)
      if (!names.insert(s.name).second) throw std::logic_error("two statistics are named " + s.name);
    return out;
  }();
  return statistics;
}

const std::vector<Statistic>& series_statistics() {
  static const std::vector<Statistic> statistics = [] {
    std::vector<Statistic> out;
    const auto series = series_metrics();
    for (std::size_t k = 0; k < series.size(); ++k)
      out.push_back({series[k].name, series[k].unit, series[k].description, StatisticKind::Series, k});
    return out;
  }();
  return statistics;
}

const Statistic* find_statistic(const std::vector<Statistic>& among, const std::string& name) {
  for (const Statistic& s : among)
    if (s.name == name) return &s;
  return nullptr;
}

std::string suggest_statistic(const std::vector<Statistic>& among, const std::string& name) {
  std::vector<std::string> names;
  for (const Statistic& s : among) names.push_back(s.name);
  return did_you_mean(name, names);
}

double end_value(const Statistic& statistic, const RunMetrics& run) {
  switch (statistic.kind) {
    case StatisticKind::Summary:
      return run.summary.at(statistic.index);
    case StatisticKind::Fact:
      return run.facts.at(statistic.index);
    case StatisticKind::Series:
      break;
  }
  throw std::logic_error(statistic.name + " is a series, not an end-of-run statistic");
}

double series_value(const Statistic& statistic, const RunMetrics& run, std::uint32_t day) {
  if (statistic.kind != StatisticKind::Series) throw std::logic_error(statistic.name + " is not a series");
  return run.series_value(statistic.index, day);
}

std::string statistics_markdown() {
  std::string text = "| statistic | kind | unit | meaning |\n|---|---|---|---|\n";
  auto row = [&](const Statistic& s, const char* kind) {
    text += "| `" + s.name + "` | " + kind + " | " + s.unit + " | " + s.meaning + " |\n";
  };
  for (const Statistic& s : end_statistics()) row(s, s.kind == StatisticKind::Fact ? "fact" : "summary");
  for (const Statistic& s : series_statistics()) row(s, "series (curve)");
  return text;
}

}  // namespace fanflow::experiments
