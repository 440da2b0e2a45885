// Writing JSON text by hand where fanflow emits it (the facts' JSON, the calibration's messages to its sampler):
// string literals and numbers.
#pragma once

#include <cmath>
#include <cstdio>
#include <string>

namespace fanflow {

/// `text` as a JSON string literal.
inline std::string json_quoted(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char escape[8];
      std::snprintf(escape, sizeof escape, "\\u%04x", c);
      out += escape;
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

/// A number in JSON: 17 significant digits (round trip), null when not finite.
inline std::string json_number(double value) {
  if (!std::isfinite(value)) return "null";
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", value);
  return text;
}

}  // namespace fanflow
