// The determinism test: a run's datasets are bit-identical with 1, 2 and 4 threads and across repeats.
#include <hdf5.h>
#include <catch2/catch.hpp>

#include <cstring>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/channel.hpp"
#include "io/run_scenario.hpp"
#include "params/scenario.hpp"

using namespace fanflow;

namespace {

/// Every dataset outside /provenance (which records threads and times), as raw bytes by path.
std::map<std::string, std::vector<unsigned char>> read_results(const std::filesystem::path& path) {
  std::map<std::string, std::vector<unsigned char>> out;
  hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  REQUIRE(file >= 0);
  auto visit = [](hid_t root, const char* name, const H5O_info_t* info, void* data) -> herr_t {
    if (info->type != H5O_TYPE_DATASET || std::string(name).rfind("provenance", 0) == 0) return 0;
    auto& results = *static_cast<std::map<std::string, std::vector<unsigned char>>*>(data);
    hid_t dataset = H5Dopen2(root, name, H5P_DEFAULT);
    hid_t type = H5Dget_type(dataset);
    hid_t native = H5Tget_native_type(type, H5T_DIR_ASCEND);
    hid_t space = H5Dget_space(dataset);
    const auto points = std::size_t(H5Sget_simple_extent_npoints(space));
    std::vector<unsigned char> bytes;
    if (H5Tis_variable_str(native) > 0) {  // the strings themselves, not the pointers to them
      std::vector<char*> strings(points, nullptr);
      if (points > 0) H5Dread(dataset, native, H5S_ALL, H5S_ALL, H5P_DEFAULT, strings.data());
      for (char* text : strings) {
        if (text) bytes.insert(bytes.end(), text, text + std::strlen(text));
        bytes.push_back(0);
      }
      if (points > 0) H5Dvlen_reclaim(native, space, H5P_DEFAULT, strings.data());
    } else {
      bytes.resize(points * H5Tget_size(native));
      if (!bytes.empty()) H5Dread(dataset, native, H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data());
    }
    results[name] = std::move(bytes);
    H5Sclose(space), H5Tclose(native), H5Tclose(type), H5Dclose(dataset);
    return 0;
  };
  H5Ovisit(file, H5_INDEX_NAME, H5_ITER_NATIVE, visit, &out);
  H5Fclose(file);
  return out;
}

/// Sums of the columns of a [rows x columns] dataset of uint64 read as raw bytes.
std::vector<std::uint64_t> column_sums(const std::vector<unsigned char>& bytes, std::size_t columns) {
  std::vector<std::uint64_t> values(bytes.size() / sizeof(std::uint64_t)), sums(columns, 0);
  std::memcpy(values.data(), bytes.data(), values.size() * sizeof(std::uint64_t));
  for (std::size_t k = 0; k < values.size(); ++k) sums[k % columns] += values[k];
  return sums;
}

std::filesystem::path run_with(const params::Scenario& scenario, int threads, const std::string& tag) {
  io::RunOptions options;
  options.output = std::filesystem::temp_directory_path() / ("fanflow-determinism-" + tag + ".h5");
  options.threads = threads;
  return io::run_scenario(scenario, options).output;
}

}  // namespace

TEST_CASE("determinism: bit-identical results with 1, 2 and 4 threads and across repeated runs", "[determinism]") {
  params::Scenario scenario = params::load_scenario_text(
      "run: {seed: 5, days: 15}\n"
      "population: {users: 20000, creators: 200, topics: 30}\n"
      "graph: {kind: barabasi_albert, mean_degree: 10}\n"
      "engagement: {share_rate: 0.05}\n"
      "marketplace: {min_followers: 20}\n"
      "timeline:\n"
      "  - {at: 8, event: {kind: super_brand_day, brand: 3, top_creators: 4}}\n",
      "determinism.yaml", ".");
  auto one = read_results(run_with(scenario, 1, "t1"));
  // Every channel, live sessions included, carries traffic in this run.
  for (std::uint64_t impressions : column_sums(one.at("timeseries/impressions"), kChannelCount))
    REQUIRE(impressions > 0);
  REQUIRE(one.size() > 20);
  REQUIRE(one.count("timeseries/impressions"));
  for (int threads : {2, 4}) {
    auto other = read_results(run_with(scenario, threads, std::string("t").append(std::to_string(threads))));
    REQUIRE(other.size() == one.size());
    for (const auto& [name, bytes] : one) {
      INFO(name << " with " << threads << " threads");
      CHECK(other.at(name) == bytes);
    }
  }
  auto again = read_results(run_with(scenario, 4, "t4-again"));
  CHECK(again == one);

  // A different seed gives different results (the comparison above can fail).
  params::apply_override(scenario, "run.seed=6");
  auto reseeded = read_results(run_with(scenario, 2, "seed6"));
  CHECK(reseeded.at("timeseries/impressions") != one.at("timeseries/impressions"));
  for (const char* tag : {"t1", "t2", "t4", "t4-again", "seed6"})
    std::filesystem::remove(std::filesystem::temp_directory_path() /
                            (std::string("fanflow-determinism-") + tag + ".h5"));
}

TEST_CASE("determinism: impulse purchases, lapses, referrals and brand kinds do not depend on threads",
          "[determinism]") {
  params::Scenario scenario = params::load_scenario_text(
      "run: {seed: 8, days: 12}\n"
      "population: {users: 20000, creators: 200, topics: 30}\n"
      "engagement: {share_rate: 0.05}\n"
      "marketplace: {min_followers: 20}\n"
      "live: {impulse_probability: 0.05}\n"
      "sicas: {lapse_probability: 0.05, referral_probability: 0.3}\n"
      "brands: {established_share: 0.2, established_budget_multiplier: 4, established_awareness: 0.3,\n"
      "         established_interest: 0.2, established_ad_share: 0.7, established_sponsorship_share: 0.15,\n"
      "         established_content_share: 0.05}\n",
      "determinism-journeys.yaml", ".");
  auto one = read_results(run_with(scenario, 1, "journeys-t1"));
  auto four = read_results(run_with(scenario, 4, "journeys-t4"));
  REQUIRE(one.size() == four.size());
  for (const auto& [name, bytes] : one) {
    INFO(name);
    CHECK(four.at(name) == bytes);
  }
  for (const char* name : {"timeseries/impulse_purchases", "timeseries/journey_lapses", "timeseries/referrals"}) {
    INFO(name);
    const auto sums = column_sums(one.at(name), 1);
    CHECK(sums[0] > 0);
  }
  for (const char* tag : {"journeys-t1", "journeys-t4"})
    std::filesystem::remove(std::filesystem::temp_directory_path() /
                            (std::string("fanflow-determinism-") + tag + ".h5"));
}

TEST_CASE("determinism: the concentration cap and the pools' exposure targets give the same bits with 1 and 4 threads",
          "[determinism]") {
  // Several blocks of users (consume's cap counts are per block), a cap that binds, and exposure targets.
  params::Scenario scenario = params::load_scenario_text(
      "run: {seed: 9, days: 8}\n"
      "population: {users: 7000, creators: 150, topics: 20}\n"
      "graph: {kind: barabasi_albert, mean_degree: 8}\n"
      "recommendation: {creator_share_cap: 0.01}\n"
      "pools: {exposure_days: 3}\n",
      "determinism-cap.yaml", ".");
  auto one = read_results(run_with(scenario, 1, "cap-t1"));
  auto four = read_results(run_with(scenario, 4, "cap-t4"));
  REQUIRE(one.size() > 20);
  for (const auto& [name, bytes] : one) {
    INFO(name);
    CHECK(four.at(name) == bytes);
  }
  for (const char* tag : {"cap-t1", "cap-t4"})
    std::filesystem::remove(std::filesystem::temp_directory_path() /
                            (std::string("fanflow-determinism-") + tag + ".h5"));
}
