// The registered validation cases, running them, and the tables `fanflow validate-suite` prints.
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "validation/validation.hpp"

#include "params/default_scenario.hpp"

namespace fanflow::validation {

params::Scenario default_scenario_with(const std::string& source, const std::vector<std::string>& assignments) {
  params::Scenario scenario = params::load_scenario_text(params::kDefaultScenarioYaml, source, ".");
  for (const std::string& assignment : assignments) params::apply_override(scenario, assignment);
  params::check_consistency(scenario);
  return scenario;
}

Row accuracy_row(std::string case_name, std::string setup, double measured, double expected, double tolerance) {
  Row row;
  row.case_name = std::move(case_name);
  row.setup = std::move(setup);
  row.measured = measured;
  row.expected = expected;
  row.absolute_tolerance = tolerance;
  row.passed = std::abs(measured - expected) <= tolerance;
  return row;
}

std::string real_text(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.17g", value);
  return text;
}

const std::vector<Case>& registered_cases() {
  static const std::vector<Case> cases = {
      {"bass_diffusion", "Bass (1969): F(t) = (1 - e^-(p+q)t) / (1 + (q/p) e^-(p+q)t), peak at t* = ln(q/p) / (p + q)",
       "platform adoption (adoption.enabled) with complete mixing: 10,000 users, no creators, 30 days, 24 "
       "sub-steps a day, 5 seeds; (p, q) = (0.03, 0.38) and (0.01, 0.5)",
       "|F - Bass F| at most 0.02 on every day; peak within 0.3 days",
       [](const SuiteOptions&) {
         std::vector<Row> rows = bass_rows(0.03, 0.38);
         for (Row& row : bass_rows(0.01, 0.5)) rows.push_back(std::move(row));
         return rows;
       }},
      {"independent_cascade",
       "exact E[size] by enumeration of the 2^edges live-edge subgraphs (Kempe, Kleinberg and Tardos 2003)",
       "validation::independent_cascade on a path, a binary tree, a cycle with chords and a grid (9 to 12 nodes, at "
       "most 16 edges) at p = 0.2, 0.5, 0.8; mean size over 20,000 cascades, run seed 2024 + the row's index (rows "
       "independent of each other)",
       "3 standard errors, from the exact variance E[X^2] - E[X]^2 over the replicate count",
       [](const SuiteOptions&) {
         std::vector<Row> rows;
         const std::vector<CascadeCheck> checks = small_graph_cascade_checks();
         for (std::size_t k = 0; k < checks.size(); ++k)
           rows.push_back(run_cascade_check(checks[k], kCascadeReplicates, 2024 + k));
         return rows;
       }},
      {"epidemic_threshold",
       "Newman (2002): share cascades (bond percolation with transmissibility T) stay small below T_c = <k> / "
       "(<k^2> - <k>) and reach a finite fraction of the graph above it",
       "validation::independent_cascades from 400 random single seeds on an Erdos-Renyi graph (mean degree 6) and a "
       "power-law graph (exponent 3.5), 100,000 nodes each, at 0.8 T_c and 1.25 T_c",
       "below: mean fraction at most 0.001; above: at least 0.02; each with 3 standard errors to spare",
       [](const SuiteOptions& options) {
         std::vector<Row> rows = threshold_rows({"graph.kind=erdos_renyi", "graph.mean_degree=6"}, "Erdos-Renyi");
         for (Row& row : threshold_rows({"graph.kind=power_law", "graph.power_law_exponent=3.5"}, "power law"))
           rows.push_back(std::move(row));
         for (Row& row : enron_threshold_rows(options.data_dir)) rows.push_back(std::move(row));
         return rows;
       }},
      {"preferential_attachment",
       "Barabasi and Albert (1999), Price (1976): follows attached in proportion to followers + a, with m follows per "
       "new creator, give the tail P(F + a) ~ (F + a)^-(2 + a/m), exponent 3 when a = m",
       "recommendation.follower_exponent 1, follower_offset a = 19: 30,000 users, alike creators joining at 100 a "
       "day for 100 days, follows from recommended views only; tail of followers + a (the BA degree) fitted by "
       "maximum likelihood above the xmin with the smallest KS distance (Clauset, Shalizi and Newman 2009); 3 seeds",
       "mean exponent in [2.7, 3.2]; and within 0.1 of 2 + a/m (a finite network's fit falls a little below the "
       "asymptote: Price's model simulated at this size gives 2.95 for 3.01)",
       [](const SuiteOptions&) { return attachment_rows(); }},
      {"social_influence",
       "Salganik, Dodds and Watts (2006): social influence makes success more unequal and less predictable",
       "20 world seeds (run.world_seed: the same users, creators and graph) x 4 worlds (run seeds 1-4), each run "
       "twice: the default popularity-driven recommender, and popularity-blind (recommendation.engagement_exponent "
       "0, pools.enabled false); 3,000 users, 60 creators, 4 topics, 30 days",
       "driven above blind in at least 95% of the world seeds, for the Gini and for U",
       [](const SuiteOptions&) { return influence_rows(); }},
      {"shallow_cascades",
       "Goel, Watts and Goldstein (2012): more than 90% of share cascades stop within one hop of their source",
       "the default rules on 20,000 users and 200 creators for 10 days, no chat groups, default "
       "engagement.share_rate, 5 seeds; bound 1 - reshares / first shares (a deeper cascade needs a reshare)",
       "the mean less 3 standard errors (over seeds) at least 0.9",
       [](const SuiteOptions&) {
         return std::vector<Row>{shallow_cascade_row(params::Params{}.engagement.share_rate)};
       }},
      {"conservation",
       "accounting identities: every impression is counted once per user and once per item, creator or brand; "
       "every micro-unit brands spend is paid to a creator or taken by the platform",
       "the small scenario of conservation_scenario(), stepped day by day; both sides summed on every tick",
       "exact (integers equal on every tick)",
       [](const SuiteOptions&) { return conservation_rows(conservation_scenario()); }},
      {"determinism", "counter-based draws: results never depend on which thread processed which agent",
       "the same scenario at 1, 2 and 4 threads (tbb::global_control); a hash of each tick's metrics and state "
       "counters",
       "exact (no tick differs)",
       [](const SuiteOptions&) { return std::vector<Row>{determinism_row(conservation_scenario())}; }},
  };
  return cases;
}

std::vector<Row> run_suite(const std::string& name, const SuiteOptions& options) {
  std::vector<Row> rows;
  bool found = name.empty();
  for (const Case& c : registered_cases()) {
    if (!name.empty() && c.name != name) continue;
    found = true;
    for (Row& row : c.run(options)) rows.push_back(std::move(row));
  }
  if (!found) throw std::invalid_argument("no validation case named '" + name + "'");
  return rows;
}

bool all_passed(const std::vector<Row>& rows) {
  for (const Row& row : rows)
    if (!row.passed && !row.skipped) return false;
  return true;
}

namespace {

std::string number(double value, bool exact) {
  char text[64];
  if (exact)
    std::snprintf(text, sizeof text, "%.0f", value);
  else
    std::snprintf(text, sizeof text, "%.4f", value);
  return text;
}

struct Cells {
  std::string case_name, setup, measured, expected, error, tolerance, result;
};

Cells cells(const Row& row) {
  std::string error = "-", tolerance = "exact";
  if (row.absolute_tolerance >= 0) {
    char text[64];
    std::snprintf(text, sizeof text, "±%g", row.absolute_tolerance);
    tolerance = text;
  } else if (!row.exact) {
    const double errors = row.standard_error > 0 ? std::abs(row.measured - row.expected) / row.standard_error : 0;
    char text[64];
    std::snprintf(text, sizeof text, "%.4f (%.2f SE)", row.standard_error, errors);
    error = text;
    std::snprintf(text, sizeof text,
                  row.at_least  ? "at least, %g SE"
                  : row.at_most ? "at most, %g SE"
                                : "%g SE",
                  row.allowed_errors);
    tolerance = text;
  }
  return {row.case_name,
          row.setup,
          number(row.measured, row.exact),
          number(row.expected, row.exact),
          std::move(error),
          std::move(tolerance),
          row.skipped  ? "skipped"
          : row.passed ? "pass"
                       : "FAIL"};
}

}  // namespace

std::string table_text(const std::vector<Row>& rows) {
  std::string out;
  std::size_t passed = 0, skipped = 0;
  for (const Row& row : rows) {
    const Cells c = cells(row);
    if (row.skipped)
      out += c.result + "  " + c.case_name + ": " + c.setup + "\n";
    else
      out += c.result + "  " + c.case_name + ": " + c.setup + "\n      measured " + c.measured + ", reference " +
             c.expected + ", standard error " + c.error + ", tolerance " + c.tolerance + "\n";
    passed += row.passed;
    skipped += row.skipped;
  }
  out += std::to_string(passed) + " of " + std::to_string(rows.size() - skipped) + " rows pass";
  if (skipped) out += " (" + std::to_string(skipped) + " skipped)";
  out += "\n";
  return out;
}

std::string table_markdown(const std::vector<Row>& rows) {
  std::string out = "| case | setup | measured | reference | standard error | tolerance | result |\n";
  out += "|---|---|---|---|---|---|---|\n";
  for (const Row& row : rows) {
    const Cells c = cells(row);
    out += "| " + c.case_name + " | " + c.setup + " | " + c.measured + " | " + c.expected + " | " + c.error + " | " +
           c.tolerance + " | " + c.result + " |\n";
  }
  return out;
}

}  // namespace fanflow::validation
