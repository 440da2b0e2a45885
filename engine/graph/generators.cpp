// Social graph generators (Barabasi-Albert written here; Erdos-Renyi, small world, power law and the
// stochastic block model on Boost.Graph's generators), the edge-list loader, and the dispatch on graph.kind.
#include "graph/generators.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/erdos_renyi_generator.hpp>
#include <boost/graph/plod_generator.hpp>
#include <boost/graph/small_world_generator.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <string_view>
#include <system_error>
#include <utility>

#include "core/error.hpp"

namespace fanflow::graph {
namespace {

// Only the graph_traits of this type are used: they make Boost's generators emit undirected edges.
using UndirectedTraits = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;
using ErdosRenyiIterator = boost::sorted_erdos_renyi_iterator<rng::Stream, UndirectedTraits>;
using SmallWorldIterator = boost::small_world_iterator<rng::Stream, UndirectedTraits>;
// With a directed graph type plod_iterator is Boost's out-directed PLOD: (source, random target) pairs.
using PlodIterator = boost::plod_iterator<rng::Stream, SocialGraph::Csr>;

/// Uniform integer in [0, n), n > 0, also for n of more than 32 bits (multiply-shift on 64 random bits).
std::uint64_t uniform_index(rng::Stream& rng, std::uint64_t n) {
  if (n <= 0xFFFFFFFFull) return rng.below(static_cast<std::uint32_t>(n));
  const std::uint64_t high = rng();  // two statements: the order of the draws is fixed
  const std::uint64_t bits = (high << 32) | rng();
  return static_cast<std::uint64_t>((static_cast<unsigned __int128>(bits) * n) >> 64);
}

/// Room for an expected number of edges plus a few standard deviations, so the vector does not double.
std::size_t edge_reserve(double expected) {
  if (!(expected > 0)) return 0;
  return static_cast<std::size_t>(expected + 5 * std::sqrt(expected) + 16);
}

/// Calls fn(a, b) for every pair a > b of nodes in [first, first + count).
template <typename Fn>
void for_each_pair(std::uint32_t first, std::uint32_t count, Fn&& fn) {
  for (std::uint32_t a = 1; a < count; ++a)
    for (std::uint32_t b = 0; b < a; ++b) fn(first + a, first + b);
}

/// Calls fn(a, b) for each pair of nodes in [first, first + count) drawn independently with probability p
/// (G(n, p)), in sorted order, in O(count + pairs drawn) with boost::sorted_erdos_renyi_iterator.
template <typename Fn>
void for_each_gnp_pair(std::uint32_t first, std::uint32_t count, double p, rng::Stream& rng, Fn&& fn) {
  if (count < 2 || !(p > 0)) return;
  if (p >= 1) {
    for_each_pair(first, count, fn);
    return;
  }
  for (ErdosRenyiIterator it(rng, count, p, false), end; it != end; ++it)
    fn(first + static_cast<std::uint32_t>((*it).first), first + static_cast<std::uint32_t>((*it).second));
}

/// The complete graph on n nodes.
SocialGraph complete_graph(std::uint32_t num_nodes) {
  std::vector<Edge> edges;
  if (num_nodes >= 2) edges.reserve(static_cast<std::size_t>(num_nodes) * (num_nodes - 1) / 2);
  for_each_pair(0, num_nodes, [&](std::uint32_t a, std::uint32_t b) { edges.emplace_back(a, b); });
  return SocialGraph::from_edges(num_nodes, std::move(edges));
}

// --- power law: choosing PLOD's beta ------------------------------------------------------------------

/// Expected totals over the out-directed PLOD draws x = 1 .. n-1 (every node draws one x uniformly from
/// [0, n), so these are also the expected totals over the nodes): `picks`, the out-degrees
/// floor(beta * x^-a) that the generator will draw targets for, and `distinct`, the expected number of
/// distinct non-self targets among those picks (the edges left after deduplication, up to the rare
/// pairs that pick each other).
struct PlodTotals {
  double picks = 0;
  double distinct = 0;
};

PlodTotals plod_totals(std::uint32_t n, double a, double beta) {
  PlodTotals totals;
  const std::uint64_t last = n - 1;  // x runs over 1 .. n-1 (x = 0 gives out-degree 0)
  const double log_miss = std::log1p(-1.0 / static_cast<double>(last));  // log P(a pick misses a given node)
  auto level = [&](std::uint64_t x) { return std::floor(beta * std::pow(static_cast<double>(x), -a)); };
  // floor(beta * x^-a) falls with x; walk its levels, jumping over each run of equal values at once.
  for (std::uint64_t x = 1; x <= last;) {
    const double d = level(x);
    if (d < 1) break;
    double guess = std::floor(std::pow(beta / d, 1.0 / a));  // the last x at this level, up to rounding
    std::uint64_t hi = guess >= static_cast<double>(last) ? last : std::max(x, static_cast<std::uint64_t>(guess));
    while (hi < last && level(hi + 1) >= d) ++hi;
    while (hi > x && level(hi) < d) --hi;
    const double run = static_cast<double>(hi - x + 1);
    const double distinct = last == 1 ? 1.0 : static_cast<double>(last) * -std::expm1(d * log_miss);
    totals.picks += run * d;
    totals.distinct += run * distinct;
    x = hi + 1;
  }
  return totals;
}

/// The PLOD beta whose expected number of distinct edges is `target_edges`, or, where that would take more
/// than 8 times as many picks (heavy hubs that would mostly pick the same targets again), the largest beta
/// that stays within that work.
double plod_beta(std::uint32_t n, double a, double target_edges) {
  const double max_picks = 8 * target_edges;
  auto enough = [&](double beta) {
    PlodTotals t = plod_totals(n, a, beta);
    return t.distinct >= target_edges || t.picks > max_picks;
  };
  double lo = 0, hi = 1;
  while (!enough(hi) && hi < 1e300) {
    lo = hi;
    hi *= 2;
  }
  for (int i = 0; i < 200 && hi - lo > 1e-12 * hi; ++i) {
    double mid = 0.5 * (lo + hi);
    (enough(mid) ? hi : lo) = mid;
  }
  return hi;
}

// --- edge-list reading ------------------------------------------------------------------------------

[[noreturn]] void fail_line(const std::string& file, std::uint64_t line, const std::string& message) {
  std::string text = file;
  text += ':';
  text += std::to_string(line);
  text += ": ";
  text += message;
  throw InputError(text);
}

/// `text` quoted for a one-line message: control characters shown as '?', long text cut short.
std::string quoted(std::string_view text) {
  constexpr std::size_t kMax = 60;
  std::string out = "'";
  for (std::size_t i = 0; i < text.size() && i < kMax; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    out += (c < 0x20 && c != '\t') || c == 0x7f ? '?' : static_cast<char>(c);
  }
  if (text.size() > kMax) out += "...";
  out += "'";
  return out;
}

bool is_separator(char c) { return c == ' ' || c == '\t' || c == ',' || c == '\r' || c == '\v' || c == '\f'; }

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && is_separator(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_separator(text.back())) text.remove_suffix(1);
  return text;
}

std::uint64_t parse_id(std::string_view token, const std::string& file, std::uint64_t line) {
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), value);
  if (ec == std::errc::result_out_of_range) {
    std::string message = "node id ";
    message += quoted(token);
    message += " is too large (ids must be below 2^64)";
    fail_line(file, line, message);
  }
  if (ec != std::errc() || end != token.data() + token.size()) {
    std::string message = "node id ";
    message += quoted(token);
    message += " is not a non-negative integer";
    fail_line(file, line, message);
  }
  return value;
}

/// Reads one line's edge into `out`; returns false for a blank or comment-only line.
bool parse_edge_line(std::string_view line, const std::string& file, std::uint64_t line_no,
                     std::pair<std::uint64_t, std::uint64_t>& out) {
  if (auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
  std::string_view tokens[2];
  std::size_t found = 0;
  std::size_t i = 0;
  while (found < 2) {
    while (i < line.size() && is_separator(line[i])) ++i;
    if (i == line.size()) break;
    std::size_t start = i;
    while (i < line.size() && !is_separator(line[i])) ++i;
    tokens[found++] = line.substr(start, i - start);
  }
  if (found == 0) return false;
  if (found == 1) {
    std::string message = "expected two node ids, got ";
    message += quoted(trimmed(line));
    fail_line(file, line_no, message);
  }
  out.first = parse_id(tokens[0], file, line_no);
  out.second = parse_id(tokens[1], file, line_no);
  return true;
}

/// Maps an original id to its index in a sorted list of distinct ids: a table over the top bits of
/// (id - smallest id) narrows each lookup to a few entries (to one slot when ids are dense), so a lookup
/// costs about two cache misses rather than a full binary search.
class DenseIds {
 public:
  explicit DenseIds(const std::vector<std::uint64_t>& sorted_ids) : ids_(sorted_ids) {
    if (ids_.empty()) return;
    min_ = ids_.front();
    const std::uint64_t span = ids_.back() - min_;
    const std::uint64_t max_slots = std::max<std::uint64_t>(std::uint64_t{1} << 16, 2 * ids_.size());
    while ((span >> shift_) >= max_slots) ++shift_;
    first_.assign((span >> shift_) + 2, 0);
    for (std::uint64_t id : ids_) ++first_[((id - min_) >> shift_) + 1];         // entries per slot
    for (std::size_t i = 1; i < first_.size(); ++i) first_[i] += first_[i - 1];  // first entry of each slot
  }

  /// The dense id of `id`, which must be in the list.
  std::uint32_t operator()(std::uint64_t id) const {
    const std::uint64_t slot = (id - min_) >> shift_;
    auto begin = ids_.begin() + first_[slot], end = ids_.begin() + first_[slot + 1];
    return static_cast<std::uint32_t>(std::lower_bound(begin, end, id) - ids_.begin());
  }

 private:
  const std::vector<std::uint64_t>& ids_;
  std::uint64_t min_ = 0;
  unsigned shift_ = 0;
  std::vector<std::uint32_t> first_;  // first_[s]: index of the first id in slot s (ids_.size() fits)
};

[[noreturn]] void fail_unreadable(const std::string& file) {
  std::string text = file;
  text += ": cannot read the edge file (missing or unreadable)";
  throw InputError(text);
}

/// Every edge of the file with its original ids, read in large blocks and split into lines in place.
std::vector<std::pair<std::uint64_t, std::uint64_t>> read_raw_edges(const std::string& file) {
  struct Closer {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };
  std::unique_ptr<std::FILE, Closer> in(std::fopen(file.c_str(), "rb"));
  if (!in) fail_unreadable(file);

  std::vector<std::pair<std::uint64_t, std::uint64_t>> raw;
  std::vector<char> buffer(std::size_t{1} << 20);
  std::size_t begin = 0, end = 0;
  std::uint64_t line_no = 0;
  bool eof = false;
  auto handle = [&](std::string_view line) {
    ++line_no;
    if (line_no == 1 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);  // UTF-8 byte order mark
    std::pair<std::uint64_t, std::uint64_t> edge;
    if (parse_edge_line(line, file, line_no, edge)) raw.push_back(edge);
  };
  while (true) {
    const char* base = buffer.data();
    const void* newline = std::memchr(base + begin, '\n', end - begin);
    if (newline) {
      std::size_t at = static_cast<std::size_t>(static_cast<const char*>(newline) - base);
      handle(std::string_view(base + begin, at - begin));
      begin = at + 1;
      continue;
    }
    if (eof) {
      if (begin < end) handle(std::string_view(base + begin, end - begin));
      break;
    }
    // Keep the partial line, make room (a line longer than the buffer grows it) and read the next block.
    std::memmove(buffer.data(), buffer.data() + begin, end - begin);
    end -= begin;
    begin = 0;
    if (end == buffer.size()) buffer.resize(buffer.size() * 2);
    std::size_t got = std::fread(buffer.data() + end, 1, buffer.size() - end, in.get());
    if (got == 0) {
      if (std::ferror(in.get())) fail_unreadable(file);  // e.g. a directory
      eof = true;
    }
    end += got;
  }
  return raw;
}

}  // namespace

SocialGraph barabasi_albert(std::uint32_t num_nodes, std::uint32_t m, rng::Stream& rng) {
  if (m == 0 || num_nodes < 2) return SocialGraph::from_edges(num_nodes, {});
  if (num_nodes <= m + 1) return complete_graph(num_nodes);

  const std::uint64_t seed_edges = static_cast<std::uint64_t>(m) * (m + 1) / 2;
  const std::uint64_t total = seed_edges + static_cast<std::uint64_t>(num_nodes - m - 1) * m;
  std::vector<Edge> edges;
  edges.reserve(total);
  // Every edge end, once per edge: drawing a uniform entry picks a node with probability proportional to
  // its degree.
  std::vector<std::uint32_t> ends;
  ends.reserve(2 * total);
  for_each_pair(0, m + 1, [&](std::uint32_t a, std::uint32_t b) {
    edges.emplace_back(b, a);
    ends.push_back(a);
    ends.push_back(b);
  });

  std::vector<std::uint32_t> picked_by(num_nodes, 0);  // picked_by[t] == v: t is already a target of v
  std::vector<std::uint32_t> targets;
  targets.reserve(m);
  for (std::uint32_t v = m + 1; v < num_nodes; ++v) {
    const std::uint64_t pool = ends.size();  // draw among the edges before v's own
    targets.clear();
    while (targets.size() < m) {
      std::uint32_t t = ends[uniform_index(rng, pool)];
      if (picked_by[t] == v) continue;
      picked_by[t] = v;
      targets.push_back(t);
    }
    for (std::uint32_t t : targets) {
      edges.emplace_back(t, v);
      ends.push_back(t);
      ends.push_back(v);
    }
  }
  std::vector<std::uint32_t>().swap(ends);
  std::vector<std::uint32_t>().swap(picked_by);
  return SocialGraph::from_edges(num_nodes, std::move(edges));
}

SocialGraph erdos_renyi(std::uint32_t num_nodes, double mean_degree, rng::Stream& rng) {
  if (num_nodes < 2 || !(mean_degree > 0)) return SocialGraph::from_edges(num_nodes, {});
  const double p = std::min(1.0, mean_degree / (num_nodes - 1.0));
  std::vector<Edge> edges;
  edges.reserve(edge_reserve(p * num_nodes * (num_nodes - 1.0) / 2));
  for_each_gnp_pair(0, num_nodes, p, rng, [&](std::uint32_t a, std::uint32_t b) { edges.emplace_back(b, a); });
  return SocialGraph::from_edges(num_nodes, std::move(edges));
}

SocialGraph small_world(std::uint32_t num_nodes, std::uint32_t k, double rewire_probability, rng::Stream& rng) {
  // k must be even and below n: an odd k is rounded down, a k of n or more becomes the largest even k < n.
  if (num_nodes < 2) return SocialGraph::from_edges(num_nodes, {});
  k = std::min(k, num_nodes - 1);
  k -= k % 2;
  if (k == 0) return SocialGraph::from_edges(num_nodes, {});
  // When k + 1 == n the ring lattice is already the complete graph and no edge can be rewired (Boost's
  // iterator would search forever for a node outside the neighbourhood).
  const double p = k + 1 >= num_nodes ? 0.0 : std::clamp(rewire_probability, 0.0, 1.0);
  std::vector<Edge> edges;
  edges.reserve(static_cast<std::size_t>(num_nodes) * (k / 2));
  for (SmallWorldIterator it(rng, num_nodes, k, p, false), end; it != end; ++it)
    edges.emplace_back(static_cast<std::uint32_t>(it->first), static_cast<std::uint32_t>(it->second));
  return SocialGraph::from_edges(num_nodes, std::move(edges));
}

SocialGraph power_law(std::uint32_t num_nodes, double alpha, double mean_degree, rng::Stream& rng) {
  if (num_nodes < 2 || !(mean_degree > 0)) return SocialGraph::from_edges(num_nodes, {});
  // PLOD gives a node out-degree floor(beta * x^-a) for x uniform in [0, n); the out-degrees then follow
  // P(d) ~ d^-(1 + 1/a), so a = 1 / (alpha - 1) gives the requested exponent alpha. Targets are uniform,
  // which adds a Poisson body of in-degree to every node; the power-law tail comes from the out-degrees.
  const double a = 1.0 / (std::max(alpha, 1.01) - 1.0);
  const double target_edges = mean_degree * num_nodes / 2;
  const double beta = plod_beta(num_nodes, a, target_edges);
  std::vector<Edge> edges;
  edges.reserve(edge_reserve(1.02 * target_edges));
  // PLOD emits each source's picks together, sources in ascending order, so a hub's repeated picks of
  // one target are dropped here (keeping the edge list near its final size) with one marker per node.
  std::vector<std::uint32_t> last_source(num_nodes, std::numeric_limits<std::uint32_t>::max());
  for (PlodIterator it(rng, num_nodes, a, beta, false), end; it != end; ++it) {
    const auto source = static_cast<std::uint32_t>(it->first), target = static_cast<std::uint32_t>(it->second);
    if (source == target || last_source[target] == source) continue;
    last_source[target] = source;
    edges.emplace_back(source, target);
  }
  std::vector<std::uint32_t>().swap(last_source);
  return SocialGraph::from_edges(num_nodes, std::move(edges));
}

SocialGraph stochastic_block(std::uint32_t num_nodes, std::uint32_t communities, double mean_degree, double mixing,
                             rng::Stream& rng) {
  if (num_nodes < 2 || !(mean_degree > 0)) return SocialGraph::from_edges(num_nodes, {});
  const std::uint64_t n = num_nodes;
  const std::uint64_t c = std::clamp<std::uint64_t>(communities, 1, n);
  mixing = std::clamp(mixing, 0.0, 1.0);

  // With blocks of mean size s, a node has s - 1 possible friends inside its block and n - s outside.
  const double s = static_cast<double>(n) / static_cast<double>(c);
  double p_in = 0, p_out = 0;
  if (c == 1) {
    p_in = mean_degree / (s - 1);  // one block: every friend is inside it, whatever the mixing
  } else if (c == n) {
    p_out = mean_degree / (n - 1.0);  // blocks of one: every friend is outside
  } else {
    p_in = (1 - mixing) * mean_degree / (s - 1);
    p_out = mixing * mean_degree / (static_cast<double>(n) - s);
  }
  p_in = std::min(p_in, 1.0);
  p_out = std::min(p_out, 1.0);

  auto block_of = [&](std::uint32_t node) { return static_cast<std::uint64_t>(node) * c / n; };
  auto block_start = [&](std::uint64_t b) { return static_cast<std::uint32_t>((b * n + c - 1) / c); };

  std::vector<Edge> edges;
  edges.reserve(edge_reserve(mean_degree * static_cast<double>(n) / 2));
  if (p_out >= p_in) {
    // Every pair at rate p_out, then pairs inside a block kept with probability p_in / p_out.
    const double keep = p_out > 0 ? p_in / p_out : 0;
    for_each_gnp_pair(0, num_nodes, p_out, rng, [&](std::uint32_t a, std::uint32_t b) {
      if (block_of(a) == block_of(b) && keep < 1 && !rng.bernoulli(keep)) return;
      edges.emplace_back(b, a);
    });
  } else {
    // Every pair at rate p_out, plus each block's pairs at the rate q that tops them up to p_in:
    // 1 - (1 - p_out)(1 - q) = p_in. Both draws cost O(nodes + edges), never O(n^2).
    for_each_gnp_pair(0, num_nodes, p_out, rng, [&](std::uint32_t a, std::uint32_t b) { edges.emplace_back(b, a); });
    const double q = p_in >= 1 ? 1.0 : (p_in - p_out) / (1 - p_out);
    for (std::uint64_t b = 0; b < c; ++b) {
      const std::uint32_t first = block_start(b);
      for_each_gnp_pair(first, block_start(b + 1) - first, q, rng,
                        [&](std::uint32_t x, std::uint32_t y) { edges.emplace_back(y, x); });
    }
  }
  return SocialGraph::from_edges(num_nodes, std::move(edges));
}

LoadedGraph load_edge_list(const std::filesystem::path& path, std::uint32_t num_users) {
  const std::string file = path.string();
  std::vector<std::pair<std::uint64_t, std::uint64_t>> raw = read_raw_edges(file);

  // Dense ids in ascending order of the original ids.
  LoadedGraph loaded;
  std::vector<std::uint64_t>& ids = loaded.original_ids;
  ids.reserve(2 * raw.size());
  for (const auto& [a, b] : raw) {
    ids.push_back(a);
    ids.push_back(b);
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  ids.shrink_to_fit();
  if (ids.size() > num_users) {
    std::string text = file;
    text += ": the edge file names ";
    text += std::to_string(ids.size());
    text += " distinct nodes but population.users is ";
    text += std::to_string(num_users);
    text += "; set population.users to at least ";
    text += std::to_string(ids.size());
    throw InputError(text);
  }

  std::vector<Edge> edges;
  edges.reserve(raw.size());
  DenseIds dense(ids);
  for (const auto& [a, b] : raw) edges.emplace_back(dense(a), dense(b));
  std::vector<std::pair<std::uint64_t, std::uint64_t>>().swap(raw);
  loaded.graph = SocialGraph::from_edges(num_users, std::move(edges));
  return loaded;
}

namespace {

/// Barabasi-Albert's m for a mean degree: round(mean / 2), at least 1, and 0 for a mean degree of 0.
std::uint32_t ba_m(double mean_degree) {
  if (!(mean_degree > 0)) return 0;
  return static_cast<std::uint32_t>(std::max(1.0, std::round(mean_degree / 2)));
}

/// Small world's k for a mean degree: the nearest even number, at least 2, and 0 for a mean degree of 0
/// (small_world() then lowers it below the number of nodes).
std::uint32_t small_world_k(double mean_degree) {
  if (!(mean_degree > 0)) return 0;
  return 2 * static_cast<std::uint32_t>(std::max(1.0, std::round(mean_degree / 2)));
}

}  // namespace

SocialGraph make_social_graph(const params::Scenario& scenario, std::uint32_t num_users) {
  const auto& g = scenario.params.graph;
  rng::Stream rng(params::world_seed(scenario.params), 0, 0, rng::Purpose::Graph);
  if (g.kind == "barabasi_albert") return barabasi_albert(num_users, ba_m(g.mean_degree), rng);
  if (g.kind == "erdos_renyi") return erdos_renyi(num_users, g.mean_degree, rng);
  if (g.kind == "small_world") return small_world(num_users, small_world_k(g.mean_degree), g.rewire_probability, rng);
  if (g.kind == "power_law") return power_law(num_users, g.power_law_exponent, g.mean_degree, rng);
  if (g.kind == "stochastic_block")
    return stochastic_block(num_users,
                            static_cast<std::uint32_t>(std::clamp<std::int64_t>(g.communities, 1, 0xFFFFFFFF)),
                            g.mean_degree, g.mixing, rng);
  if (g.kind == "edge_list") return load_edge_list(params::resolve_path(scenario, g.edge_file), num_users).graph;
  std::string text = scenario.source;
  text += ": graph.kind: unknown graph kind '";
  text += g.kind;
  text += "'";
  throw InputError(text);
}

std::uint64_t expected_edge_count(const params::Scenario& scenario, std::uint32_t num_users) {
  const auto& g = scenario.params.graph;
  const double n = num_users;
  const double max_edges = n * std::max(0.0, n - 1) / 2;
  if (g.kind == "edge_list") {
    // Each edge line takes at least 4 bytes ("a b\n"), so this bounds the count without reading the file.
    std::error_code ec;
    std::uintmax_t bytes = std::filesystem::file_size(params::resolve_path(scenario, g.edge_file), ec);
    return ec ? 0 : static_cast<std::uint64_t>(bytes / 4);
  }
  double edges = 0;
  if (g.kind == "barabasi_albert") {
    edges = n * ba_m(g.mean_degree);
  } else if (g.kind == "small_world") {
    edges = n * small_world_k(g.mean_degree) / 2;
  } else {
    edges = n * std::max(0.0, g.mean_degree) / 2;
  }
  return static_cast<std::uint64_t>(std::llround(std::min(edges, max_edges)));
}

}  // namespace fanflow::graph
