// Tests of the calibration module: reading a calibration file (targets, curves, parameters), what its canonical
// text keeps, the scoring of a trial against its targets, and trials' runs with common random numbers.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "calibration/definition.hpp"
#include "calibration/evaluation.hpp"
#include "core/error.hpp"
#include "experiments/designs.hpp"

using namespace fanflow;
using namespace fanflow::calibration;

namespace {

/// A folder with a small world and a curve file.
std::filesystem::path workspace() {
  const auto folder = std::filesystem::temp_directory_path() / "fanflow_calibration_tests";
  std::filesystem::create_directories(folder);
  std::ofstream(folder / "world.yaml") << "run: {seed: 1, days: 6}\npopulation: {users: 1500, creators: 20}\n";
  std::ofstream(folder / "edges.csv") << "# follow edges by day\nday,value\n0, 10\n2,30.5\n5,80\n";
  return folder;
}

const char* const kFile =
    "scenario: world.yaml\n"
    "parameters:\n"
    "  engagement.follow_rate: {range: [0.001, 0.1], scale: log}\n"
    "  users.attention_max: {range: [1, 400]}\n"
    "targets:\n"
    "  views: {value: 5000, tolerance: 500}\n"
    "  top3_view_share: {value: 0.8, tolerance: 0.05}\n"
    "curves:\n"
    "  edges: {series: follow_edges, file: edges.csv, tolerance: 20}\n"
    "replicates: 2\ntrials: 10\nbatch: 4\nmethod: cmaes\nseed: 9\n";

CalibrationDefinition load(const std::string& text) { return load_calibration_text(text, "cal.yaml", workspace()); }

}  // namespace

TEST_CASE("calibration: a file's parameters, targets and curves", "[calibration]") {
  const CalibrationDefinition d = load(kFile);
  REQUIRE(d.parameters.size() == 2);
  CHECK(d.parameters[0].scale == experiments::Scale::Log);
  CHECK(d.parameters[1].integer);
  REQUIRE(d.targets.size() == 2);
  CHECK(d.targets[0].statistic->kind == experiments::StatisticKind::Summary);
  CHECK(d.targets[1].statistic->kind == experiments::StatisticKind::Fact);
  CHECK(d.targets[1].tolerance == 0.05);
  REQUIRE(d.curves.size() == 1);
  CHECK(d.curves[0].days == std::vector<std::uint32_t>{0, 2, 5});
  CHECK(d.curves[0].values == std::vector<double>{10, 30.5, 80});
  CHECK(d.replicates == 2);
  CHECK(d.batch == 4);
  CHECK(d.method == Method::CmaEs);
  CHECK(replicate_seed(d, 1) == experiments::derive_run_seed(9, 1));
}

TEST_CASE("calibration: the canonical text leaves out the trial budget only", "[calibration]") {
  const std::string base = canonical_text(load(kFile));
  std::string more_trials = kFile;
  more_trials.replace(more_trials.find("trials: 10"), 10, "trials: 99");
  CHECK(canonical_text(load(more_trials)) == base);
  std::string other_tolerance = kFile;
  other_tolerance.replace(other_tolerance.find("tolerance: 500"), 14, "tolerance: 501");
  CHECK(canonical_text(load(other_tolerance)) != base);
}

TEST_CASE("calibration: a curve day beyond the run is refused with its line", "[calibration]") {
  std::ofstream(workspace() / "late.csv") << "day,value\n0,1\n6,2\n";
  std::string text = kFile;
  text.replace(text.find("edges.csv"), 9, "late.csv");
  REQUIRE_THROWS_AS(load(text), InputError);
  try {
    load(text);
  } catch (const InputError& error) {
    CHECK(std::string(error.what()).find("late.csv:3: day: expected an integer in [0, 5]") != std::string::npos);
  }
}

TEST_CASE("calibration: a trial's distance and acceptance", "[calibration]") {
  const CalibrationDefinition d = load(kFile);
  TrialResult r;
  r.mean = {5300, 0.8};                                   // z = 0.6 and 0
  r.curve_mean = {{10, 30.5, 80 + 20 * std::sqrt(3.0)}};  // RMS over 3 days: 1 tolerance
  score(d, r);
  REQUIRE(r.curve_rms.size() == 1);
  CHECK(r.curve_rms[0] == Approx(1.0));
  CHECK(r.distance == Approx(std::sqrt((0.36 + 0 + 1.0) / 3)));
  CHECK(r.accepted);
  r.mean = {5501, 0.8};
  score(d, r);
  CHECK_FALSE(r.accepted);
}

TEST_CASE("calibration: trials with the same values get the same runs; a broken rule is the trial's error",
          "[calibration]") {
  CalibrationDefinition d = load(kFile);
  const std::vector<TrialRequest> trials = {
      {0, {0.01, 200}}, {1, {0.02, 200}}, {2, {0.01, 200}}, {3, {0.01, 5}}};  // 5 < users.attention_mean
  const std::vector<TrialResult> results = evaluate(d, trials, run_here({2, 1}));
  REQUIRE(results.size() == 4);
  CHECK(results[0].error.empty());
  CHECK(results[0].mean == results[2].mean);  // common random numbers: replicate r has one seed in every trial
  CHECK(results[0].curve_mean == results[2].curve_mean);
  CHECK(results[0].mean != results[1].mean);
  CHECK(results[0].sd[0] > 0);  // the two replicates differ
  CHECK_FALSE(results[3].error.empty());
}
