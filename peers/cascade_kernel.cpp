// Share-cascade kernel benchmark: edges visited per second by the engine's independent cascade and by a minimal
// hand-written CSR loop, on the same Barabasi-Albert graph and the same seed nodes. It can write the graph and
// the seeds so that peers/peers.py runs other libraries on exactly the same input.
// An edge visited is one friend inspected from an activated node; a cascade visits the sum of its activated
// nodes' degrees. Every repeat is one cascade from all seeds together, with its own run seed. The one-thread
// rows are timed in CPU time of the thread (the machine may be shared: time while another process holds the core
// is not counted); the parallel row in wall time.
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>
#include <CLI/CLI.hpp>

#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "graph/generators.hpp"
#include "rng/stream.hpp"
#include "validation/cascade.hpp"

namespace {

using namespace fanflow;
using Clock = std::chrono::steady_clock;

struct Options {
  std::uint32_t nodes = 1'000'000;
  std::uint32_t m = 5;
  double p = 0.05;
  std::uint32_t seeds = 100;
  std::uint32_t repeats = 100;
  std::uint64_t graph_seed = 1;  // the Barabasi-Albert graph
  std::uint64_t seed_pick = 2;   // which nodes are the seeds
  std::uint64_t run_seed = 3;    // the cascades' draws (repeat r uses run_seed + r)
  int threads = 0;               // for the parallel engine row; 0: all cores
  std::string edges_out;
  std::string seeds_out;
};

// --- the minimal contender: plain arrays, byte marks, splitmix64; nothing from the engine ---------------------

struct MinimalCsr {
  std::vector<std::uint64_t> offsets;  // node u's neighbours are targets[offsets[u] .. offsets[u + 1])
  std::vector<std::uint32_t> targets;
};

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

struct MinimalOutcome {
  std::uint32_t activated = 0;
  std::uint64_t edges_visited = 0;
};

/// One independent cascade: a flat queue, one byte per node (cleared again through the queue at the end), one
/// splitmix64 draw per neighbour inspected.
MinimalOutcome minimal_cascade(const MinimalCsr& csr, const std::vector<std::uint32_t>& seeds, double p,
                               std::uint64_t seed, std::vector<std::uint8_t>& active,
                               std::vector<std::uint32_t>& queue) {
  const std::uint64_t threshold = static_cast<std::uint64_t>(p * 9007199254740992.0);  // p * 2^53
  const std::uint64_t* offsets = csr.offsets.data();
  const std::uint32_t* targets = csr.targets.data();
  std::uint8_t* marks = active.data();
  std::uint32_t* q = queue.data();
  std::uint64_t state = seed;
  std::uint32_t tail = 0;
  for (std::uint32_t s : seeds)
    if (!marks[s]) marks[s] = 1, q[tail++] = s;
  std::uint64_t edges = 0;
  for (std::uint32_t head = 0; head < tail; ++head) {
    const std::uint32_t u = q[head];
    const std::uint64_t begin = offsets[u], end = offsets[u + 1];
    edges += end - begin;
    for (std::uint64_t e = begin; e < end; ++e) {
      const std::uint32_t v = targets[e];
      if ((splitmix64(state) >> 11) < threshold && !marks[v]) marks[v] = 1, q[tail++] = v;
    }
  }
  for (std::uint32_t i = 0; i < tail; ++i) marks[q[i]] = 0;
  return {tail, edges};
}

// --- input: graph, seeds, files for the peers ----------------------------------------------------------------

std::vector<std::uint32_t> pick_seeds(std::uint32_t count, std::uint32_t num_nodes, std::uint64_t seed) {
  if (count > num_nodes) throw std::invalid_argument("more seeds than nodes");
  rng::Stream rng(seed, 0, 0, rng::Purpose::Cascade, 1);
  std::vector<std::uint8_t> taken(num_nodes, 0);
  std::vector<std::uint32_t> seeds;
  while (seeds.size() < count) {
    const std::uint32_t node = rng.below(num_nodes);
    if (!taken[node]) taken[node] = 1, seeds.push_back(node);
  }
  return seeds;
}

/// Writes "a b" per line, each undirected edge once (a < b).
void write_edge_list(const graph::SocialGraph& g, const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (!file) throw std::runtime_error(path + ": cannot open for writing");
  std::vector<char> buffer(1 << 20);
  std::size_t used = 0;
  for (std::uint32_t u = 0; u < g.num_nodes(); ++u)
    for (std::uint32_t v : g.friends(u)) {
      if (v <= u) continue;
      if (used + 32 > buffer.size()) std::fwrite(buffer.data(), 1, std::exchange(used, 0), file);
      used = std::to_chars(buffer.data() + used, buffer.data() + buffer.size(), u).ptr - buffer.data();
      buffer[used++] = ' ';
      used = std::to_chars(buffer.data() + used, buffer.data() + buffer.size(), v).ptr - buffer.data();
      buffer[used++] = '\n';
    }
  std::fwrite(buffer.data(), 1, used, file);
  if (std::fclose(file) != 0) throw std::runtime_error(path + ": write failed");
}

void write_seeds(const std::vector<std::uint32_t>& seeds, const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "w");
  if (!file) throw std::runtime_error(path + ": cannot open for writing");
  for (std::uint32_t s : seeds) std::fprintf(file, "%u\n", s);
  if (std::fclose(file) != 0) throw std::runtime_error(path + ": write failed");
}

// --- timing ------------------------------------------------------------------------------------------------

/// CPU seconds used by the calling thread so far.
double thread_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

struct Tally {
  double seconds = 0;
  std::uint64_t edges = 0;
  std::uint64_t activated = 0;
  std::uint32_t cascades = 0;

  void add(double elapsed_seconds, std::uint64_t edges_visited, std::uint64_t nodes_activated) {
    seconds += elapsed_seconds;
    edges += edges_visited;
    activated += nodes_activated;
    ++cascades;
  }
  double edges_per_second() const { return seconds > 0 ? edges / seconds : 0; }
  double mean_activated() const { return cascades ? static_cast<double>(activated) / cascades : 0; }
};

/// The tally's fields as JSON members (no braces).
std::string json_fields(const Tally& t) {
  char text[256];
  std::snprintf(text, sizeof text,
                "\"edges_per_s\": %.6g, \"seconds\": %.6g, \"edges_visited\": %llu, \"cascades\": %u, "
                "\"mean_activated\": %.6g",
                t.edges_per_second(), t.seconds, static_cast<unsigned long long>(t.edges), t.cascades,
                t.mean_activated());
  return text;
}

int run(const Options& o) {
  std::fprintf(stderr, "building Barabasi-Albert graph: %u nodes, m = %u\n", o.nodes, o.m);
  rng::Stream graph_rng(o.graph_seed, 0, 0, rng::Purpose::Graph);
  const graph::SocialGraph g = graph::barabasi_albert(o.nodes, o.m, graph_rng);
  const std::vector<std::uint32_t> seeds = pick_seeds(o.seeds, g.num_nodes(), o.seed_pick);
  if (!o.edges_out.empty()) write_edge_list(g, o.edges_out);
  if (!o.seeds_out.empty()) write_seeds(seeds, o.seeds_out);

  MinimalCsr csr;
  csr.offsets.reserve(std::size_t{g.num_nodes()} + 1);
  csr.offsets.push_back(0);
  csr.targets.reserve(2 * g.num_edges());
  for (std::uint32_t u = 0; u < g.num_nodes(); ++u) {
    for (std::uint32_t v : g.friends(u)) csr.targets.push_back(v);
    csr.offsets.push_back(csr.targets.size());
  }
  std::vector<std::uint8_t> minimal_marks(g.num_nodes(), 0);
  std::vector<std::uint32_t> minimal_queue(g.num_nodes());
  validation::CascadeWorkspace workspace(g.num_nodes());

  // One untimed cascade each, then the repeats alternating between the two, so both see the same machine load.
  validation::independent_cascade(g, seeds, o.p, o.run_seed + o.repeats, workspace);
  minimal_cascade(csr, seeds, o.p, o.run_seed + o.repeats, minimal_marks, minimal_queue);
  Tally engine, minimal;
  for (std::uint32_t r = 0; r < o.repeats; ++r) {
    double start = thread_cpu_seconds();
    const validation::CascadeResult result = validation::independent_cascade(g, seeds, o.p, o.run_seed + r, workspace);
    engine.add(thread_cpu_seconds() - start, result.edges_visited, result.activated);
    start = thread_cpu_seconds();
    const MinimalOutcome outcome = minimal_cascade(csr, seeds, o.p, o.run_seed + r, minimal_marks, minimal_queue);
    minimal.add(thread_cpu_seconds() - start, outcome.edges_visited, outcome.activated);
  }

  // The parallel variant: the same repeats as independent cascades over all threads.
  const int threads = o.threads > 0 ? o.threads : tbb::info::default_concurrency();
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
  const std::vector<std::vector<std::uint32_t>> seed_sets(o.repeats, seeds);
  Tally parallel;
  const Clock::time_point start = Clock::now();
  const std::vector<validation::CascadeResult> results =
      validation::independent_cascades(g, seed_sets, o.p, o.run_seed);
  const Clock::duration elapsed = Clock::now() - start;
  parallel.seconds = std::chrono::duration<double>(elapsed).count();
  parallel.cascades = o.repeats;
  for (const validation::CascadeResult& r : results)
    parallel.edges += r.edges_visited, parallel.activated += r.activated;

  const double ratio = minimal.edges_per_second() > 0 ? engine.edges_per_second() / minimal.edges_per_second() : 0;
  std::printf("graph: Barabasi-Albert, %u nodes, m = %u, %llu edges; %u seeds; p = %g; %u cascades from all seeds\n",
              g.num_nodes(), o.m, static_cast<unsigned long long>(g.num_edges()), o.seeds, o.p, o.repeats);
  std::printf("%-34s %16s %18s %12s\n", "contender", "mean activated", "edges visited/s", "vs minimal");
  std::printf("%-34s %16.0f %18.4g %12.2f\n", "engine kernel, 1 thread", engine.mean_activated(),
              engine.edges_per_second(), ratio);
  std::printf("%-34s %16.0f %18.4g %12.2f\n", "minimal CSR loop, 1 thread", minimal.mean_activated(),
              minimal.edges_per_second(), 1.0);
  char parallel_name[64];
  std::snprintf(parallel_name, sizeof parallel_name, "engine kernel, %d threads (batch)", threads);
  std::printf("%-34s %16.0f %18.4g %12.2f\n", parallel_name, parallel.mean_activated(), parallel.edges_per_second(),
              minimal.edges_per_second() > 0 ? parallel.edges_per_second() / minimal.edges_per_second() : 0);
  std::printf(
      "{\"bench\": \"cascade_kernel\", \"nodes\": %u, \"m\": %u, \"edges\": %llu, \"p\": %g, \"seeds\": %u, "
      "\"repeats\": %u, \"engine\": {%s}, \"minimal\": {%s}, \"engine_parallel\": {\"threads\": %d, %s}, "
      "\"engine_over_minimal\": %.4g}\n",
      g.num_nodes(), o.m, static_cast<unsigned long long>(g.num_edges()), o.p, o.seeds, o.repeats,
      json_fields(engine).c_str(), json_fields(minimal).c_str(), threads, json_fields(parallel).c_str(), ratio);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Times the engine's independent-cascade kernel against a minimal CSR loop (edges visited per second)"};
  Options o;
  app.add_option("--nodes", o.nodes, "nodes of the Barabasi-Albert graph")->check(CLI::Range(2u, 4'000'000'000u));
  app.add_option("--m", o.m, "edges each new node brings (Barabasi-Albert m)")->check(CLI::Range(1u, 1000u));
  app.add_option("-p,--p", o.p, "transmission probability per attempt")->check(CLI::Range(0.0, 1.0));
  app.add_option("--seeds", o.seeds, "seed nodes, all in every cascade")->check(CLI::Range(1u, 4'000'000'000u));
  app.add_option("--repeats", o.repeats, "cascades per contender (each with its own run seed)")
      ->check(CLI::Range(1u, 1'000'000u));
  app.add_option("--graph-seed", o.graph_seed, "seed of the graph");
  app.add_option("--seed-pick", o.seed_pick, "seed of the choice of seed nodes");
  app.add_option("--run-seed", o.run_seed, "run seed of the first cascade (repeat r uses run seed + r)");
  app.add_option("--threads", o.threads, "threads for the parallel engine row (0: all cores)")
      ->check(CLI::Range(0, 1024));
  app.add_option("--edges-out", o.edges_out, "write the graph as an edge list ('a b' per line, a < b)");
  app.add_option("--seeds-out", o.seeds_out, "write the seed nodes, one per line");
  CLI11_PARSE(app, argc, argv);
  try {
    return run(o);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fanflow_cascade_bench: error: %s\n", e.what());
    return 1;
  }
}
