// Helpers shared by the YAML readers (scenarios, timelines, sweeps): reading the file, and one-line messages
// about its nodes.
#pragma once

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "params/params.hpp"

namespace fanflow::params {

/// "source:line:column" of a node (1-based), or just "source" when the position is unknown.
inline std::string yaml_where(const std::string& source, const YAML::Mark& mark) {
  if (mark.is_null()) return source;
  return std::string(source)
      .append(":")
      .append(std::to_string(mark.line + 1))
      .append(":")
      .append(std::to_string(mark.column + 1));
}

/// What a node is, for "expected ..., got X" messages: "a mapping", "a list", "nothing" or "a value".
inline std::string yaml_node_kind(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Null:
      return "nothing";
    default:
      return "a value";
  }
}

/// Throws InputError "source:line:col: key: message" (without "key: " when key is empty).
[[noreturn]] inline void yaml_fail(const std::string& source, const YAML::Mark& mark, std::string_view key,
                                   std::string_view message) {
  std::string text = yaml_where(source, mark) + ": ";
  if (!key.empty()) text += std::string(key) + ": ";
  throw InputError(text + std::string(message));
}

/// "; did you mean 'x'?" for the candidate closest to `key`, or empty when none is close (core/suggest.hpp).
using fanflow::did_you_mean;

/// The whole text of a YAML file; `what` ("scenario file", "sweep file") names it in the InputError for a
/// folder, a missing or unreadable file.
inline std::string read_yaml_file(const std::filesystem::path& path, std::string_view what) {
  const std::string name(what);
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw InputError(path.string() + ": is a folder, not a " + name);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string() + ": cannot read the " + name + " (missing or unreadable)");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw InputError(path.string() + ": error while reading the " + name);
  return text.str();
}

}  // namespace fanflow::params
