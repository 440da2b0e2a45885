// Tests of the social graph generators (size, mean degree, shape, determinism, degenerate inputs), the
// edge-list loader (formats and every error message) and the dispatch on graph.kind.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "graph/generators.hpp"
#include "params/scenario.hpp"

namespace graph = fanflow::graph;
using fanflow::InputError;
using fanflow::graph::SocialGraph;
using fanflow::rng::Purpose;
using fanflow::rng::Stream;

namespace {

Stream stream(std::uint64_t seed) { return Stream(seed, 0, 0, Purpose::Graph); }

double mean_degree(const SocialGraph& g) { return 2.0 * static_cast<double>(g.num_edges()) / g.num_nodes(); }

std::uint32_t max_degree(const SocialGraph& g) {
  std::uint32_t most = 0;
  for (std::uint32_t u = 0; u < g.num_nodes(); ++u) most = std::max(most, g.degree(u));
  return most;
}

std::uint32_t min_degree(const SocialGraph& g) {
  std::uint32_t least = g.num_nodes() == 0 ? 0 : g.degree(0);
  for (std::uint32_t u = 0; u < g.num_nodes(); ++u) least = std::min(least, g.degree(u));
  return least;
}

/// Every friend list, concatenated with its node's degree: equal iff the graphs are equal.
std::vector<std::uint32_t> fingerprint(const SocialGraph& g) {
  std::vector<std::uint32_t> all;
  for (std::uint32_t u = 0; u < g.num_nodes(); ++u) {
    all.push_back(g.degree(u));
    auto f = g.friends(u);
    all.insert(all.end(), f.begin(), f.end());
  }
  return all;
}

/// Checks that friend lists are sorted, free of self-loops and duplicates, and symmetric.
void check_well_formed(const SocialGraph& g) {
  std::uint64_t total = 0;
  bool ok = true;
  for (std::uint32_t u = 0; u < g.num_nodes() && ok; ++u) {
    auto f = g.friends(u);
    ok = std::is_sorted(f.begin(), f.end()) && std::adjacent_find(f.begin(), f.end()) == f.end() &&
         !std::binary_search(f.begin(), f.end(), u);
    for (std::uint32_t v : f) {
      auto back = g.friends(v);
      ok = ok && std::binary_search(back.begin(), back.end(), u);
    }
    total += f.size();
  }
  CHECK(ok);
  CHECK(total == 2 * g.num_edges());
}

/// Builds a graph twice with seed 1 and once with seed 2: same seed, same graph; other seed, other graph.
template <typename Make>
void check_deterministic(Make make) {
  Stream a = stream(1), b = stream(1), c = stream(2);
  auto first = fingerprint(make(a));
  CHECK(first == fingerprint(make(b)));
  CHECK(first != fingerprint(make(c)));
}

constexpr std::uint32_t kNodes = 20000;

std::string data_file(const std::string& name) { return std::string(FANFLOW_TEST_DATA_DIR) + "/graph/" + name; }

/// A file in the temp folder with the given text, removed when the test ends.
struct TempFile {
  std::filesystem::path path;
  explicit TempFile(const std::string& name, const std::string& text)
      : path(std::filesystem::temp_directory_path() / ("fanflow_graph_test_" + name)) {
    std::ofstream(path, std::ios::binary) << text;
  }
  ~TempFile() {
    std::error_code ec;
    std::filesystem::remove(path, ec);
  }
};

std::string load_error(const std::string& path, std::uint32_t users) {
  try {
    graph::load_edge_list(path, users);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

// --- Barabasi-Albert ------------------------------------------------------------------------------

TEST_CASE("graph: barabasi_albert has n * m edges, min degree m and a heavy tail", "[graph]") {
  Stream rng = stream(7);
  const std::uint32_t m = 5;
  SocialGraph g = graph::barabasi_albert(kNodes, m, rng);
  CHECK(g.num_nodes() == kNodes);
  CHECK(g.num_edges() == m * (m + 1) / 2 + std::uint64_t{kNodes - m - 1} * m);
  CHECK(mean_degree(g) == Approx(2.0 * m).epsilon(0.01));
  CHECK(min_degree(g) >= m);
  CHECK(max_degree(g) > 10 * mean_degree(g));  // hubs: ~ m * sqrt(n) ~ 700 expected
  check_well_formed(g);
}

TEST_CASE("graph: barabasi_albert is deterministic for a stream", "[graph]") {
  check_deterministic([](Stream& rng) { return graph::barabasi_albert(5000, 3, rng); });
}

TEST_CASE("graph: barabasi_albert degenerate sizes", "[graph]") {
  Stream rng = stream(1);
  CHECK(graph::barabasi_albert(0, 3, rng).num_nodes() == 0);
  CHECK(graph::barabasi_albert(1, 3, rng).num_edges() == 0);
  CHECK(graph::barabasi_albert(100, 0, rng).num_edges() == 0);
  CHECK(graph::barabasi_albert(3, 5, rng).num_edges() == 3);   // n <= m + 1: complete graph
  CHECK(graph::barabasi_albert(6, 5, rng).num_edges() == 15);  // exactly the seed clique
  SocialGraph g = graph::barabasi_albert(7, 5, rng);
  CHECK(g.num_edges() == 20);
  CHECK(g.degree(6) == 5);
}

// --- Erdos-Renyi ----------------------------------------------------------------------------------

TEST_CASE("graph: erdos_renyi has the requested mean degree", "[graph]") {
  Stream rng = stream(3);
  SocialGraph g = graph::erdos_renyi(kNodes, 10, rng);
  CHECK(g.num_nodes() == kNodes);
  CHECK(mean_degree(g) == Approx(10).epsilon(0.02));
  CHECK(max_degree(g) < 40);  // Poisson(10): no hubs
  check_well_formed(g);
}

TEST_CASE("graph: erdos_renyi is deterministic for a stream", "[graph]") {
  check_deterministic([](Stream& rng) { return graph::erdos_renyi(5000, 8, rng); });
}

TEST_CASE("graph: erdos_renyi degenerate inputs", "[graph]") {
  Stream rng = stream(1);
  CHECK(graph::erdos_renyi(0, 10, rng).num_nodes() == 0);
  CHECK(graph::erdos_renyi(1, 10, rng).num_edges() == 0);
  CHECK(graph::erdos_renyi(1000, 0, rng).num_edges() == 0);
  CHECK(graph::erdos_renyi(10, 9, rng).num_edges() == 45);   // p = 1
  CHECK(graph::erdos_renyi(10, 50, rng).num_edges() == 45);  // p capped at 1
}

// --- small world ----------------------------------------------------------------------------------

TEST_CASE("graph: small_world without rewiring is a ring lattice", "[graph]") {
  Stream rng = stream(1);
  const std::uint32_t n = 1000, k = 6;
  SocialGraph g = graph::small_world(n, k, 0.0, rng);
  CHECK(g.num_edges() == n * k / 2);
  bool ring = true;
  for (std::uint32_t u = 0; u < n; ++u) {
    std::vector<std::uint32_t> expected;
    for (std::uint32_t d = 1; d <= k / 2; ++d) {
      expected.push_back((u + d) % n);
      expected.push_back((u + n - d) % n);
    }
    std::sort(expected.begin(), expected.end());
    auto f = g.friends(u);
    ring = ring && g.degree(u) == k && std::equal(f.begin(), f.end(), expected.begin(), expected.end());
  }
  CHECK(ring);
}

TEST_CASE("graph: small_world with rewiring keeps the mean degree", "[graph]") {
  Stream rng = stream(5);
  SocialGraph g = graph::small_world(kNodes, 10, 0.2, rng);
  CHECK(g.num_nodes() == kNodes);
  CHECK(mean_degree(g) == Approx(10).epsilon(0.01));
  CHECK(min_degree(g) < 10);  // rewired: no longer regular
  check_well_formed(g);
}

TEST_CASE("graph: small_world is deterministic for a stream", "[graph]") {
  check_deterministic([](Stream& rng) { return graph::small_world(5000, 4, 0.3, rng); });
}

TEST_CASE("graph: small_world rounds k down to an even number below n", "[graph]") {
  Stream rng = stream(1);
  CHECK(graph::small_world(0, 4, 0.1, rng).num_nodes() == 0);
  CHECK(graph::small_world(1, 4, 0.1, rng).num_edges() == 0);
  CHECK(graph::small_world(100, 0, 0.1, rng).num_edges() == 0);
  CHECK(graph::small_world(100, 1, 0.1, rng).num_edges() == 0);  // k 1 -> 0
  CHECK(min_degree(graph::small_world(100, 5, 0.0, rng)) == 4);  // k 5 -> 4
  CHECK(graph::small_world(5, 10, 0.5, rng).num_edges() == 10);  // k -> 4 = n - 1: complete graph
  SocialGraph rewired = graph::small_world(6, 10, 0.5, rng);     // k -> 4 < n - 1, rewired
  CHECK(rewired.num_edges() <= 12);                              // a rewired edge may repeat one
  check_well_formed(rewired);
}

// --- power law ------------------------------------------------------------------------------------

TEST_CASE("graph: power_law has the requested mean degree and a heavy tail", "[graph]") {
  Stream rng = stream(11);
  SocialGraph g = graph::power_law(kNodes, 2.5, 10, rng);
  CHECK(g.num_nodes() == kNodes);
  CHECK(mean_degree(g) == Approx(10).epsilon(0.05));
  CHECK(max_degree(g) > 20 * mean_degree(g));
  check_well_formed(g);

  // The tail: the fraction of nodes with degree >= d falls roughly as d^-(alpha - 1) = d^-1.5, so ten
  // times the degree should leave about 3% as many nodes (a Poisson tail would leave none).
  auto at_least = [&](std::uint32_t d) {
    std::uint32_t count = 0;
    for (std::uint32_t u = 0; u < g.num_nodes(); ++u) count += g.degree(u) >= d;
    return static_cast<double>(count);
  };
  double ratio = at_least(400) / at_least(40);
  CHECK(ratio > 0.01);
  CHECK(ratio < 0.1);
}

TEST_CASE("graph: power_law is deterministic for a stream", "[graph]") {
  check_deterministic([](Stream& rng) { return graph::power_law(5000, 2.2, 6, rng); });
}

TEST_CASE("graph: power_law degenerate inputs", "[graph]") {
  Stream rng = stream(1);
  CHECK(graph::power_law(0, 2.5, 10, rng).num_nodes() == 0);
  CHECK(graph::power_law(1, 2.5, 10, rng).num_edges() == 0);
  CHECK(graph::power_law(1000, 2.5, 0, rng).num_edges() == 0);
  CHECK(graph::power_law(2, 2.5, 1, rng).num_edges() <= 1);
  SocialGraph low = graph::power_law(5000, 1.1, 10, rng);  // hubs take most picks; still well formed
  check_well_formed(low);
}

// --- stochastic block model -----------------------------------------------------------------------

namespace {

double cross_fraction(const SocialGraph& g, std::uint32_t communities) {
  const std::uint64_t n = g.num_nodes();
  std::uint64_t cross = 0, total = 0;
  for (std::uint32_t u = 0; u < n; ++u)
    for (std::uint32_t v : g.friends(u)) {
      cross += std::uint64_t{u} * communities / n != std::uint64_t{v} * communities / n;
      ++total;
    }
  return static_cast<double>(cross) / static_cast<double>(total);
}

}  // namespace

TEST_CASE("graph: stochastic_block has the requested mean degree and mixing", "[graph]") {
  for (double mixing : {0.0, 0.1, 0.5, 0.9, 1.0}) {
    CAPTURE(mixing);
    Stream rng = stream(13);
    SocialGraph g = graph::stochastic_block(kNodes, 20, 10, mixing, rng);
    CHECK(g.num_nodes() == kNodes);
    CHECK(mean_degree(g) == Approx(10).epsilon(0.02));
    CHECK(cross_fraction(g, 20) == Approx(mixing).margin(0.02));
    check_well_formed(g);
  }
}

TEST_CASE("graph: stochastic_block with uneven blocks", "[graph]") {
  Stream rng = stream(2);
  SocialGraph g = graph::stochastic_block(kNodes + 7, 7, 12, 0.3, rng);
  CHECK(mean_degree(g) == Approx(12).epsilon(0.02));
  CHECK(cross_fraction(g, 7) == Approx(0.3).margin(0.02));
}

TEST_CASE("graph: stochastic_block is deterministic for a stream", "[graph]") {
  check_deterministic([](Stream& rng) { return graph::stochastic_block(5000, 10, 8, 0.2, rng); });
  check_deterministic([](Stream& rng) { return graph::stochastic_block(5000, 10, 8, 0.95, rng); });
}

TEST_CASE("graph: stochastic_block degenerate inputs", "[graph]") {
  Stream rng = stream(1);
  CHECK(graph::stochastic_block(0, 5, 10, 0.1, rng).num_nodes() == 0);
  CHECK(graph::stochastic_block(1, 5, 10, 0.1, rng).num_edges() == 0);
  CHECK(graph::stochastic_block(1000, 5, 0, 0.1, rng).num_edges() == 0);
  // One community: all friends inside it; one node per community: all outside.
  CHECK(mean_degree(graph::stochastic_block(kNodes, 1, 10, 0.5, rng)) == Approx(10).epsilon(0.02));
  CHECK(mean_degree(graph::stochastic_block(5000, 5000, 10, 0.1, rng)) == Approx(10).epsilon(0.03));
  CHECK(mean_degree(graph::stochastic_block(5000, 9000, 10, 0.1, rng)) == Approx(10).epsilon(0.03));
}

// --- edge list ------------------------------------------------------------------------------------

TEST_CASE("graph: load_edge_list reads whitespace, commas, comments, blank lines and extra columns", "[graph]") {
  graph::LoadedGraph loaded = graph::load_edge_list(data_file("mixed_format.txt"), 8);
  CHECK(loaded.original_ids == std::vector<std::uint64_t>{3, 7, 20, 42, 1000});
  const SocialGraph& g = loaded.graph;
  CHECK(g.num_nodes() == 8);  // three more users than the file names, with no friends
  CHECK(g.num_edges() == 4);  // 7-20, 7-42, 7-1000, 20-1000; the self-loop 3-3 and a repeat dropped
  auto friends = [&](std::uint32_t u) {
    auto f = g.friends(u);
    return std::vector<std::uint32_t>(f.begin(), f.end());
  };
  CHECK(friends(0).empty());                                 // 3
  CHECK(friends(1) == std::vector<std::uint32_t>{2, 3, 4});  // 7
  CHECK(friends(2) == std::vector<std::uint32_t>{1, 4});     // 20
  CHECK(friends(3) == std::vector<std::uint32_t>{1});        // 42
  CHECK(friends(4) == std::vector<std::uint32_t>{1, 2});     // 1000
  CHECK(friends(7).empty());
}

TEST_CASE("graph: load_edge_list remaps large sparse ids densely in ascending order", "[graph]") {
  TempFile file("sparse.txt",
                "18446744073709551615 5\r\n"
                "5 9000000000000\r\n"
                "9000000000000 0");  // CRLF endings and no final newline
  graph::LoadedGraph loaded = graph::load_edge_list(file.path, 4);
  CHECK(loaded.original_ids == std::vector<std::uint64_t>{0, 5, 9000000000000, 18446744073709551615ull});
  CHECK(loaded.graph.num_edges() == 3);
  auto f = loaded.graph.friends(1);
  CHECK(std::vector<std::uint32_t>(f.begin(), f.end()) == std::vector<std::uint32_t>{2, 3});
}

TEST_CASE("graph: load_edge_list of an empty or comment-only file", "[graph]") {
  TempFile file("comments.txt", "# nothing here\n\n   \n# at all\n");
  graph::LoadedGraph loaded = graph::load_edge_list(file.path, 3);
  CHECK(loaded.original_ids.empty());
  CHECK(loaded.graph.num_nodes() == 3);
  CHECK(loaded.graph.num_edges() == 0);
}

TEST_CASE("graph: load_edge_list reads a file bigger than its read buffer", "[graph]") {
  std::string text;
  const std::uint32_t n = 100000;
  for (std::uint32_t i = 0; i < n; ++i) text += std::to_string(i) + "\t" + std::to_string((i + 1) % n) + "\n";
  TempFile file("ring.txt", text);
  graph::LoadedGraph loaded = graph::load_edge_list(file.path, n);
  CHECK(loaded.graph.num_edges() == n);
  CHECK(min_degree(loaded.graph) == 2);
  CHECK(max_degree(loaded.graph) == 2);
}

TEST_CASE("graph: load_edge_list messages name the file and the line", "[graph]") {
  const std::string one_id = data_file("one_id.txt");
  CHECK(load_error(one_id, 100) == one_id + ":5: expected two node ids, got '17'");

  const std::string negative = data_file("negative_id.txt");
  CHECK(load_error(negative, 100) == negative + ":2: node id '-3' is not a non-negative integer");

  TempFile word("word.txt", "1 2\n\n3 x7 # note\n");
  CHECK(load_error(word.path.string(), 100) == word.path.string() + ":3: node id 'x7' is not a non-negative integer");

  TempFile lonely("lonely.txt", "  xyz  # just one field\n");
  CHECK(load_error(lonely.path.string(), 100) == lonely.path.string() + ":1: expected two node ids, got 'xyz'");

  TempFile decimal("decimal.txt", "1.5 2\n");
  CHECK(load_error(decimal.path.string(), 100) ==
        decimal.path.string() + ":1: node id '1.5' is not a non-negative integer");

  TempFile huge("huge.txt", "1 2\n3 18446744073709551616\n");
  CHECK(load_error(huge.path.string(), 100) ==
        huge.path.string() + ":2: node id '18446744073709551616' is too large (ids must be below 2^64)");
}

TEST_CASE("graph: load_edge_list reports a missing or unreadable file", "[graph]") {
  const std::string missing = data_file("no_such_file.txt");
  CHECK(load_error(missing, 10) == missing + ": cannot read the edge file (missing or unreadable)");
  const std::string folder = data_file("");
  CHECK(load_error(folder, 10) == folder + ": cannot read the edge file (missing or unreadable)");
}

TEST_CASE("graph: load_edge_list reports more nodes than users", "[graph]") {
  const std::string path = data_file("mixed_format.txt");
  CHECK(load_error(path, 4) == path +
                                   ": the edge file names 5 distinct nodes but population.users is 4; "
                                   "set population.users to at least 5");
  CHECK_NOTHROW(graph::load_edge_list(path, 5));
}

// --- dispatch on graph.kind -----------------------------------------------------------------------

TEST_CASE("graph: make_social_graph builds every kind deterministically from the run seed", "[graph]") {
  for (const char* kind : {"barabasi_albert", "erdos_renyi", "small_world", "power_law", "stochastic_block"}) {
    CAPTURE(kind);
    fanflow::params::Scenario scenario = fanflow::params::default_scenario();
    scenario.params.graph.kind = kind;
    scenario.params.graph.mean_degree = 8;
    scenario.params.run.seed = 99;
    SocialGraph g = graph::make_social_graph(scenario, 5000);
    CHECK(g.num_nodes() == 5000);
    CHECK(mean_degree(g) == Approx(8).epsilon(0.05));
    CHECK(fingerprint(g) == fingerprint(graph::make_social_graph(scenario, 5000)));
    const double expected = static_cast<double>(graph::expected_edge_count(scenario, 5000));
    CHECK(static_cast<double>(g.num_edges()) == Approx(expected).epsilon(0.05));
    scenario.params.run.seed = 100;
    CHECK(fingerprint(g) != fingerprint(graph::make_social_graph(scenario, 5000)));
  }
}

TEST_CASE("graph: make_social_graph with mean degree 0 gives no edges", "[graph]") {
  for (const char* kind : {"barabasi_albert", "erdos_renyi", "small_world", "power_law", "stochastic_block"}) {
    CAPTURE(kind);
    fanflow::params::Scenario scenario = fanflow::params::default_scenario();
    scenario.params.graph.kind = kind;
    scenario.params.graph.mean_degree = 0;
    CHECK(graph::make_social_graph(scenario, 100).num_edges() == 0);
    CHECK(graph::expected_edge_count(scenario, 100) == 0);
    CHECK(graph::make_social_graph(scenario, 0).num_nodes() == 0);
    CHECK(graph::make_social_graph(scenario, 1).num_edges() == 0);
  }
}

TEST_CASE("graph: make_social_graph maps mean degree to BA's m and small world's k", "[graph]") {
  fanflow::params::Scenario scenario = fanflow::params::default_scenario();
  scenario.params.graph.kind = "barabasi_albert";
  scenario.params.graph.mean_degree = 1;  // m = max(1, round(0.5)) = 1: a tree
  CHECK(graph::make_social_graph(scenario, 1000).num_edges() == 999);
  CHECK(graph::expected_edge_count(scenario, 1000) == 1000);
  scenario.params.graph.mean_degree = 7;  // m = round(3.5) = 4
  CHECK(min_degree(graph::make_social_graph(scenario, 1000)) == 4);

  scenario.params.graph.kind = "small_world";
  scenario.params.graph.rewire_probability = 0;
  scenario.params.graph.mean_degree = 1;  // k = 2: a ring
  CHECK(max_degree(graph::make_social_graph(scenario, 1000)) == 2);
  scenario.params.graph.mean_degree = 7.2;  // k = 2 * round(3.6) = 8
  CHECK(min_degree(graph::make_social_graph(scenario, 1000)) == 8);
  CHECK(graph::expected_edge_count(scenario, 1000) == 4000);
}

TEST_CASE("graph: make_social_graph reads an edge list relative to the scenario folder", "[graph]") {
  fanflow::params::Scenario scenario = fanflow::params::default_scenario();
  scenario.base_dir = std::string(FANFLOW_TEST_DATA_DIR) + "/graph";
  scenario.params.graph.kind = "edge_list";
  scenario.params.graph.edge_file = "mixed_format.txt";
  SocialGraph g = graph::make_social_graph(scenario, 10);
  CHECK(g.num_nodes() == 10);
  CHECK(g.num_edges() == 4);
  const auto bytes = std::filesystem::file_size(data_file("mixed_format.txt"));
  CHECK(graph::expected_edge_count(scenario, 10) == bytes / 4);

  scenario.params.graph.edge_file = "missing.txt";
  CHECK(graph::expected_edge_count(scenario, 10) == 0);
  CHECK_THROWS_AS(graph::make_social_graph(scenario, 10), InputError);
}
