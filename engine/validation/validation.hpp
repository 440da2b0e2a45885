// The validation suite: cases that compare what the engine does with theory (exact expectations) or with
// identities it must keep (conservation, determinism). Each case produces rows: a measured value, the reference
// value, a standard error and the number of standard errors allowed (0 for exact identities). `fanflow
// validate-suite` prints them as a table; docs/validation.md holds the same table in Markdown.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/statistics.hpp"

#include "graph/social_graph.hpp"
#include "params/scenario.hpp"

namespace fanflow::validation {

/// One comparison of a measured value with its reference.
struct Row {
  std::string case_name;           ///< the case the row belongs to
  std::string setup;               ///< what was run for this row
  double measured = 0;             ///< mean over replicates, or the total the identity's left side adds up to
  double expected = 0;             ///< the reference value (exact expectation, or the identity's right side)
  double standard_error = 0;       ///< standard error of `measured` under the reference; 0 for exact rows
  double allowed_errors = 0;       ///< |measured - expected| may be at most this many standard errors; 0: exact
  bool exact = false;              ///< an identity on integers: passes only when both sides are equal (on every tick)
  bool at_least = false;           ///< a bound: passes when measured - allowed_errors * standard_error >= expected
  bool at_most = false;            ///< a bound: passes when measured + allowed_errors * standard_error <= expected
  double absolute_tolerance = -1;  ///< when >= 0: passes when |measured - expected| <= this (a stated accuracy)
  bool skipped = false;            ///< not run: its data is missing (`setup` says what and how to get it)
  bool passed = false;
};

/// What the cases may read from outside the program.
struct SuiteOptions {
  /// Folder with external data (email-Enron.edges, from scripts/fetch_email_enron.py); empty: none, and the
  /// rows that need it are skipped.
  std::filesystem::path data_dir;
};

/// The default scenario with `assignments` (`section.key=value`, as --set takes them) applied and checked; messages
/// name `source`. The cases that run the engine build their scenarios with it.
params::Scenario default_scenario_with(const std::string& source, const std::vector<std::string>& assignments);

/// A row that passes when |measured - expected| <= tolerance (a stated accuracy).
Row accuracy_row(std::string case_name, std::string setup, double measured, double expected, double tolerance);

/// `value` as the text of an assignment, exactly (shortest round-trip digits).
std::string real_text(double value);

/// A registered case: what it checks, against which reference, and how to run it.
struct Case {
  std::string name;       ///< short identifier, as `--case` takes it
  std::string reference;  ///< the paper or formula the rows are compared with
  std::string setup;      ///< what is run
  std::string tolerance;  ///< the tolerance, in words
  std::function<std::vector<Row>(const SuiteOptions&)> run;
};

/// Every case of the suite, in table order.
const std::vector<Case>& registered_cases();

/// Runs the cases whose name is `name` (every case when empty); throws std::invalid_argument for an unknown name.
std::vector<Row> run_suite(const std::string& name = "", const SuiteOptions& options = {});

/// Whether every row that ran passed (skipped rows do not count).
bool all_passed(const std::vector<Row>& rows);

/// The rows as plain text (two lines a row and a count of rows passed), and as a Markdown table.
std::string table_text(const std::vector<Row>& rows);
std::string table_markdown(const std::vector<Row>& rows);

// --- Case "independent_cascade": the cascade kernel against the exact live-edge expectation -----------------

/// One small graph, seeds and probability. The kernel runs at `p`; the exact expectation is computed at
/// `reference_p` (equal to `p` in the suite; a different value shows that the check can fail).
struct CascadeCheck {
  std::string name;
  std::uint32_t num_nodes = 0;
  std::vector<graph::Edge> edges;
  std::vector<std::uint32_t> seeds;
  double p = 0;
  double reference_p = 0;
};

inline constexpr int kCascadeReplicates = 20000;
inline constexpr double kCascadeAllowedErrors = 3.0;

/// The suite's graphs (a path, a binary tree, a cycle with chords, a grid; 9 to 12 nodes, at most 16 edges)
/// at p = 0.2, 0.5 and 0.8.
std::vector<CascadeCheck> small_graph_cascade_checks();

/// Mean cascade size over `replicates` cascades (indices 0 .. replicates - 1, run seed `run_seed`) against the
/// exact expectation; the standard error is the exact standard deviation over sqrt(replicates).
Row run_cascade_check(const CascadeCheck& check, int replicates = kCascadeReplicates, std::uint64_t run_seed = 2024);

// --- Case "conservation" and "determinism": identities of a small scenario ----------------------------------

/// The small scenario the conservation and determinism rows run (every channel carries traffic).
params::Scenario conservation_scenario();

/// Steps `scenario` to its end and checks, on every tick: impressions by channel = users' impressions; item
/// impressions (recommendation, follow feed, friend share, group) = creators' impressions; ad impressions =
/// brands' ad impressions; live impressions = brands' live attendees; brands' spend = creators' brand income +
/// the platform's take (micro-money).
std::vector<Row> conservation_rows(const params::Scenario& scenario);

/// Steps `scenario` with each thread count and compares a hash of every tick's metrics and state counters with
/// the first thread count's; the row's measured value is the number of ticks that differ.
Row determinism_row(const params::Scenario& scenario, const std::vector<int>& thread_counts = {1, 2, 4});

// --- Case "bass_diffusion": platform adoption against the Bass closed form --------------------------------

/// Rows for one (p, q): the largest distance over the days between the mean share of users on the platform
/// (over `replicates` seeds, 10,000 users, adoption.substeps `substeps`) and the closed form
/// F(t) = (1 - e^{-(p+q)t}) / (1 + (q/p) e^{-(p+q)t}), tolerance 0.02; and the peak of the mean daily joiners
/// (a parabola through the largest day and its neighbours) against t* = ln(q/p) / (p + q), tolerance 0.3 days.
std::vector<Row> bass_rows(double p, double q, int substeps = 24, int replicates = 5);

// --- Case "epidemic_threshold": cascades below and above T_c = <k> / (<k^2> - <k>) ---------------------------

/// Two rows for the graph that `graph_settings` (`graph.key=value` assignments over the default scenario with
/// `nodes` users) builds: the mean fraction of the graph one random seed reaches over 400 cascades, at
/// `below_factor` T_c (at most 0.001) and at `above_factor` T_c (at least 0.02), each with 3 standard errors.
std::vector<Row> threshold_rows(const std::vector<std::string>& graph_settings, const std::string& graph_name,
                                double below_factor = 0.8, double above_factor = 1.25, std::uint32_t nodes = 100000);

/// Size S of the giant outbreak (as a fraction of the graph) that bond percolation with transmissibility T
/// predicts for a random graph with `g`'s degree distribution (Newman 2002): S = 1 - G0(u), u = 1 - T + T G1(u).
double giant_outbreak(const graph::SocialGraph& g, double transmissibility);

/// Rows on the email-Enron graph read from `data_dir`/email-Enron.edges: at 0.8 T_c the mean fraction is small
/// (as threshold_rows), and at each of `above_factors` T_c it matches S^2 within 3 standard errors (a seed
/// starts the giant outbreak with probability S, which then reaches S of the graph). When the file is not
/// there, skipped rows that say how to get it.
std::vector<Row> enron_threshold_rows(const std::filesystem::path& data_dir,
                                      const std::vector<double>& above_factors = {1.25, 2, 4});

// --- Case "shallow_cascades": share cascades stop within one hop (Goel, Watts and Goldstein 2012) -----------

/// The scenario of the shallow-cascades case: the default rules on 20,000 users and 200 creators for 10 days,
/// without chat groups (so every share goes to friends), with engagement.share_rate `share_rate`.
params::Scenario shallow_cascade_scenario(double share_rate, std::uint64_t seed);

/// Lower bound on the share of share cascades that stop within one hop of their source, as the mean over
/// `replicates` seeds: a cascade goes deeper only if a viewer who got the item from a friend shares it again,
/// so at most shares[friend_share] of the shares[other channels] cascades do, and the bound is
/// 1 - shares[friend_share] / shares[other channels]. Passes when the mean less 3 standard errors is at least 0.9.
Row shallow_cascade_row(double share_rate, int replicates = 5);

// --- Case "preferential_attachment": the follower tail under popularity-driven discovery ------------------

/// The tail is fitted with fanflow::fit_power_law (core/statistics.hpp).

/// The attachment scenario: creators alike, joining at 100 a day for 100 days, 30,000 users whose slots show
/// today's items weighted by (followers + a)^follower_exponent only, a = 19 (about the follows m each creator
/// brings), follows from recommended views only, no unfollows.
params::Scenario attachment_scenario(double follower_exponent, std::uint64_t seed);

/// Two rows over `replicates` seeds: the mean fitted tail exponent of followers + a within [2.7, 3.2]; and
/// within 0.1 of Price's 2 + a/m (m the mean follows per creator).
std::vector<Row> attachment_rows(double follower_exponent = 1, int replicates = 3);

// --- Case "social_influence": inequality and unpredictability (Salganik, Dodds and Watts 2006) --------------

/// Salganik's unpredictability: the mean over items of the mean absolute difference of the item's market share
/// between every pair of worlds; shares[w][i] is item i's share in world w.
double unpredictability(const std::vector<std::vector<double>>& shares);

/// The popularity-blind recommender: quality and freshness only (no engagement, pools or followers in the weight).
const std::vector<std::string>& popularity_blind_settings();

/// 3,000 users, 60 creators (no entrants), 4 topics, no brands, 30 days, world seed `world_seed`, run seed `seed`,
/// with the `recommender` assignments over the default scenario's (popularity-driven) recommender.
params::Scenario influence_scenario(const std::vector<std::string>& recommender, std::uint64_t world_seed,
                                    std::uint64_t seed);

/// Mean Gini of impressions across creators (core/statistics.hpp) over `worlds` runs (run seeds 1..worlds) of one
/// world, and the unpredictability of the creators' impression shares across them.
struct InfluenceOutcome {
  double gini = 0;
  double unpredictability = 0;
};
InfluenceOutcome influence_outcome(const std::vector<std::string>& recommender, std::uint64_t world_seed, int worlds);

/// Two rows: the share of `world_seeds` world seeds (1000, 1001, ...) where the Gini, and where U, is higher with
/// the `recommender` (assignments; {} is the default one) than popularity-blind (same worlds, same run
/// seeds); each must be at least 0.95.
std::vector<Row> influence_rows(const std::vector<std::string>& recommender = {}, int world_seeds = 20, int worlds = 4);

}  // namespace fanflow::validation
