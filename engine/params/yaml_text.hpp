// Helpers shared by the scenario and timeline readers for messages about YAML nodes.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

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

}  // namespace fanflow::params
