// Parameter specs generated from params.def, value parsing with kind and range checks, and reference tables.
#include "params/params.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <vector>

namespace fanflow::params {
namespace {

#define FANFLOW_SPEC_ENTRY(section_name, name, kind, def, lo, hi, choices, unit, doc) \
  Spec{#section_name,                                                                 \
       #name,                                                                         \
       #section_name "." #name,                                                       \
       Kind::kind,                                                                    \
       double(lo),                                                                    \
       double(hi),                                                                    \
       choices,                                                                       \
       unit,                                                                          \
       doc,                                                                           \
       [](Params& p) -> ValueRef { return &p.section_name.name; }},
const Spec kSpecs[] = {
#define FANFLOW_SECTION_ENTRIES(section, doc) FANFLOW_PARAMS_##section(FANFLOW_SPEC_ENTRY)
    FANFLOW_SECTIONS(FANFLOW_SECTION_ENTRIES)};

const SectionSpec kSections[] = {
#define FANFLOW_SECTION_ENTRY(section, doc) SectionSpec{#section, doc},
    FANFLOW_SECTIONS(FANFLOW_SECTION_ENTRY)};

std::string format_real(double value) {
  char buffer[64];
  if (value == std::floor(value) && std::abs(value) < 1e16) {  // whole numbers without an exponent
    std::snprintf(buffer, sizeof buffer, "%.0f", value);
    return buffer;
  }
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  (void)ec;
  return std::string(buffer, end);
}

// Joins pieces into one string. (Used instead of "literal" + std::string, which trips a false -Wrestrict
// warning in GCC 12.)
std::string concat(std::initializer_list<std::string_view> pieces) {
  std::string out;
  for (std::string_view piece : pieces) out += piece;
  return out;
}

std::string quoted(std::string_view text) { return concat({"'", text, "'"}); }

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::vector<std::string_view> split_choices(std::string_view choices) {
  std::vector<std::string_view> out;
  while (!choices.empty()) {
    auto bar = choices.find('|');
    out.push_back(choices.substr(0, bar));
    if (bar == std::string_view::npos) break;
    choices.remove_prefix(bar + 1);
  }
  return out;
}

bool parse_real(std::string_view text, double& value) {
  // YAML spellings of infinity and not-a-number are recognised so that they get a precise message.
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lower == ".inf" || lower == "+.inf" || lower == "-.inf" || lower == ".nan") {
    value = lower == ".nan" ? std::nan("") : (lower[0] == '-' ? -INFINITY : INFINITY);
    return true;
  }
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

std::span<const Spec> all_specs() { return kSpecs; }
std::span<const SectionSpec> all_sections() { return kSections; }

const Spec* find_spec(std::string_view path) {
  for (const Spec& spec : kSpecs)
    if (spec.path == path) return &spec;
  return nullptr;
}

std::string_view kind_name(Kind kind) {
  switch (kind) {
    case Kind::Int:
      return "integer";
    case Kind::Real:
      return "number";
    case Kind::Bool:
      return "boolean";
    case Kind::Choice:
      return "choice";
    case Kind::Text:
      return "text";
  }
  return "value";
}

std::string allowed_text(const Spec& spec) {
  switch (spec.kind) {
    case Kind::Int:
    case Kind::Real:
      return concat({"[", format_real(spec.lo), ", ", format_real(spec.hi), "]"});
    case Kind::Bool:
      return "true or false";
    case Kind::Choice: {
      std::string out = "one of ";
      auto options = split_choices(spec.choices);
      for (std::size_t i = 0; i < options.size(); ++i) {
        if (i) out += ", ";
        out += options[i];
      }
      return out;
    }
    case Kind::Text:
      return "any text";
  }
  return "";
}

std::string real_text(double value) { return format_real(value); }

std::string value_text(const Spec& spec, const Params& params) {
  ValueRef ref = spec.ref(const_cast<Params&>(params));
  return std::visit(
      [](auto* value) -> std::string {
        using T = std::remove_pointer_t<decltype(value)>;
        if constexpr (std::is_same_v<T, std::int64_t>)
          return std::to_string(*value);
        else if constexpr (std::is_same_v<T, double>)
          return format_real(*value);
        else if constexpr (std::is_same_v<T, bool>)
          return *value ? "true" : "false";
        else
          return *value;
      },
      ref);
}

std::string assign_from_text(const Spec& spec, Params& params, std::string_view raw) {
  std::string_view text = trim(raw);
  ValueRef ref = spec.ref(params);
  switch (spec.kind) {
    case Kind::Int: {
      double value = 0;
      if (!parse_real(text, value)) return "expected an integer in " + allowed_text(spec) + ", got " + quoted(text);
      if (!std::isfinite(value) || value != std::floor(value))
        return "expected an integer in " + allowed_text(spec) + ", got " + quoted(text);
      if (value < spec.lo || value > spec.hi)
        return "expected an integer in " + allowed_text(spec) + ", got " + quoted(text);
      *std::get<std::int64_t*>(ref) = static_cast<std::int64_t>(value);
      return "";
    }
    case Kind::Real: {
      double value = 0;
      if (!parse_real(text, value)) return "expected a number in " + allowed_text(spec) + ", got " + quoted(text);
      if (!std::isfinite(value)) return "expected a finite number in " + allowed_text(spec) + ", got " + quoted(text);
      if (value < spec.lo || value > spec.hi)
        return "expected a number in " + allowed_text(spec) + ", got " + quoted(text);
      *std::get<double*>(ref) = value;
      return "";
    }
    case Kind::Bool: {
      if (text == "true" || text == "True" || text == "yes")
        *std::get<bool*>(ref) = true;
      else if (text == "false" || text == "False" || text == "no")
        *std::get<bool*>(ref) = false;
      else
        return "expected true or false, got " + quoted(text);
      return "";
    }
    case Kind::Choice: {
      for (std::string_view option : split_choices(spec.choices))
        if (option == text) {
          *std::get<std::string*>(ref) = std::string(text);
          return "";
        }
      std::vector<std::string> options;
      for (std::string_view option : split_choices(spec.choices)) options.emplace_back(option);
      std::string guess = closest_match(text, options);
      return "expected " + allowed_text(spec) + ", got " + quoted(text) +
             (guess.empty() ? "" : "; did you mean '" + guess + "'?");
    }
    case Kind::Text:
      *std::get<std::string*>(ref) = std::string(text);
      return "";
  }
  return "unsupported parameter kind";
}

namespace {
#define FANFLOW_SETUP_ONLY_ENTRY(path) std::string_view(path),
const std::string_view kSetupOnly[] = {FANFLOW_SETUP_ONLY(FANFLOW_SETUP_ONLY_ENTRY)};
const std::string_view kChangeableInRun[] = {FANFLOW_CHANGEABLE_IN_RUN(FANFLOW_SETUP_ONLY_ENTRY)};
#undef FANFLOW_SETUP_ONLY_ENTRY
}  // namespace

std::span<const std::string_view> setup_only_entries() { return kSetupOnly; }
std::span<const std::string_view> changeable_in_run_entries() { return kChangeableInRun; }

bool is_setup_only(std::string_view path) {
  for (std::string_view exception : kChangeableInRun)
    if (exception == path) return false;
  const std::string_view section = path.substr(0, path.find('.'));
  for (std::string_view entry : kSetupOnly)
    if (entry == path || entry == section) return true;
  return false;
}

std::string reference_text() {
  const Params defaults;
  std::ostringstream out;
  for (const SectionSpec& section : kSections) {
    out << section.name << ": " << section.doc << "\n";
    for (const Spec& spec : kSpecs) {
      if (spec.section != section.name) continue;
      char line[512];
      std::string def = value_text(spec, defaults);
      if (def.empty()) def = "''";
      std::snprintf(line, sizeof line, "  %-38s %-8s %-16s %-10s ", std::string(spec.path).c_str(),
                    std::string(kind_name(spec.kind)).c_str(), def.c_str(), std::string(spec.unit).c_str());
      out << line << allowed_text(spec) << "\n      " << spec.doc << "\n";
    }
    out << "\n";
  }
  return out.str();
}

std::string reference_markdown() {
  const Params defaults;
  std::ostringstream out;
  out << "# Scenario parameters\n\n"
         "Generated by `fanflow params --markdown` from `engine/params/params.def`; do not edit by hand.\n"
         "Every key is optional: a scenario file sets only what differs from these defaults, and\n"
         "`fanflow run SCENARIO --set section.key=value` overrides any of them with the same checks.\n"
         "Keys marked *(setup only)* are used only while a run is set up; a `timeline:` entry cannot change them.\n";
  for (const SectionSpec& section : kSections) {
    out << "\n## `" << section.name << "`\n\n" << section.doc << ".\n\n";
    out << "| key | type | default | allowed | unit | description |\n";
    out << "|---|---|---|---|---|---|\n";
    for (const Spec& spec : kSpecs) {
      if (spec.section != section.name) continue;
      std::string def = value_text(spec, defaults);
      std::string allowed = allowed_text(spec);
      out << "| `" << spec.path << "` | " << kind_name(spec.kind) << " | `" << (def.empty() ? "''" : def) << "` | "
          << allowed << " | " << spec.unit << " | " << spec.doc << (is_setup_only(spec.path) ? " *(setup only)*" : "")
          << " |\n";
    }
  }
  return out.str();
}

}  // namespace fanflow::params
