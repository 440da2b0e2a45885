// Scenario parameters: the Params struct and the table of parameter specs, both generated from params.def.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "core/suggest.hpp"

namespace fanflow::params {

/// The kinds of value a parameter can hold.
enum class Kind { Int, Real, Bool, Choice, Text };

template <Kind K>
struct KindType;
template <>
struct KindType<Kind::Int> {
  using type = std::int64_t;
};
template <>
struct KindType<Kind::Real> {
  using type = double;
};
template <>
struct KindType<Kind::Bool> {
  using type = bool;
};
template <>
struct KindType<Kind::Choice> {
  using type = std::string;
};
template <>
struct KindType<Kind::Text> {
  using type = std::string;
};

/// Every scenario parameter, grouped by section: `params.graph.mean_degree` is the key `graph.mean_degree`.
struct Params {
#define FANFLOW_PARAM_FIELD(section_name, name, kind, def, lo, hi, choices, unit, doc) \
  KindType<Kind::kind>::type name = def;
#define FANFLOW_SECTION_STRUCT(section, doc)      \
  struct section##_section {                      \
    FANFLOW_PARAMS_##section(FANFLOW_PARAM_FIELD) \
  } section;
#include "params/params.def"
  FANFLOW_SECTIONS(FANFLOW_SECTION_STRUCT)
#undef FANFLOW_SECTION_STRUCT
#undef FANFLOW_PARAM_FIELD
};

/// A pointer to one parameter's value inside a Params.
using ValueRef = std::variant<std::int64_t*, double*, bool*, std::string*>;

/// Everything declared about one parameter.
struct Spec {
  std::string_view section;  ///< top-level key, e.g. "graph"
  std::string_view name;     ///< key inside the section, e.g. "mean_degree"
  std::string_view path;     ///< "section.name"
  Kind kind;                 ///< kind of value
  double lo;                 ///< smallest allowed value (Int, Real)
  double hi;                 ///< largest allowed value (Int, Real)
  std::string_view choices;  ///< allowed values separated by '|' (Choice)
  std::string_view unit;     ///< unit of the value, or empty
  std::string_view doc;      ///< one-line description
  ValueRef (*ref)(Params&);  ///< where the value lives in a Params
};

/// A section of the scenario file and its description.
struct SectionSpec {
  std::string_view name;
  std::string_view doc;
};

/// Seed of everything drawn while a run is set up (who the agents are): run.world_seed, or run.seed when it is 0.
/// Every draw during the ticks uses run.seed, so runs with one world seed and several run seeds are replicate
/// histories of the same world.
inline std::uint64_t world_seed(const Params& params) {
  return static_cast<std::uint64_t>(params.run.world_seed != 0 ? params.run.world_seed : params.run.seed);
}

std::span<const Spec> all_specs();
std::span<const SectionSpec> all_sections();

/// The spec of a parameter by its path ("graph.mean_degree"), or nullptr.
const Spec* find_spec(std::string_view path);

/// Kind's name as shown to users: "integer", "number", "boolean", "choice", "text".
std::string_view kind_name(Kind kind);

/// The allowed values of a spec, for messages: "[0, 1]", "one of a, b, c", "true or false", "any text".
std::string allowed_text(const Spec& spec);

/// The current value of a parameter formatted as it would be written in YAML (shortest exact form).
std::string value_text(const Spec& spec, const Params& params);

/// A number as resolved scenarios write it: the shortest text that reads back as the same double (0.9, not
/// 0.90000000000000002), whole numbers without an exponent.
std::string real_text(double value);

/// Parses `text` into the parameter, checking kind and range. Returns an empty string on success,
/// otherwise a one-line message such as "expected a number in [0, 1], got 'abc'".
std::string assign_from_text(const Spec& spec, Params& params, std::string_view text);

/// The reference table: plain text for a terminal, or Markdown (docs/parameters.md).
std::string reference_text();
std::string reference_markdown();

/// Closest known key to `key` among `candidates` by edit distance, or empty if none is close (core/suggest.hpp).
using fanflow::closest_match;

/// Whether the parameter at `path` is used only while a run is set up (FANFLOW_SETUP_ONLY in params.def, less
/// FANFLOW_CHANGEABLE_IN_RUN), so that a timeline entry cannot change it.
bool is_setup_only(std::string_view path);

/// The entries of FANFLOW_SETUP_ONLY and FANFLOW_CHANGEABLE_IN_RUN as declared (sections or paths), for tests.
std::span<const std::string_view> setup_only_entries();
std::span<const std::string_view> changeable_in_run_entries();

}  // namespace fanflow::params
