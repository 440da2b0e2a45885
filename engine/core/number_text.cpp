// Printing numbers with a few significant digits (core/number_text.hpp).
#include "core/number_text.hpp"

#include <cmath>
#include <cstdio>

namespace fanflow {
namespace {

/// "1234567" as "1,234,567" (a leading '-' kept).
std::string grouped(const std::string& integer) {
  const std::size_t start = !integer.empty() && integer[0] == '-' ? 1 : 0;
  std::string out = integer.substr(0, start);
  const std::size_t digits = integer.size() - start;
  for (std::size_t k = 0; k < digits; ++k) {
    if (k > 0 && (digits - k) % 3 == 0) out += ',';
    out += integer[start + k];
  }
  return out;
}

}  // namespace

std::string readable_number(double value, int digits) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  if (value == 0) return "0";
  char text[64];
  const double magnitude = std::fabs(value);
  if (magnitude < 1e-4 || magnitude >= 1e15) {
    std::snprintf(text, sizeof text, "%.*e", digits - 1, value);
    return text;
  }
  const int exponent = static_cast<int>(std::floor(std::log10(magnitude)));
  const int decimals = std::max(0, digits - 1 - exponent);
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  std::string out = text;
  const std::size_t point = out.find('.');
  if (point != std::string::npos) {
    while (out.back() == '0') out.pop_back();
    if (out.back() == '.') out.pop_back();
  }
  if (out == "-0") return "0";
  const std::size_t integer_end = out.find('.');
  const std::string integer = out.substr(0, integer_end);
  return grouped(integer) + (integer_end == std::string::npos ? "" : out.substr(integer_end));
}

std::string signed_number(double value, int digits) {
  const std::string text = readable_number(value, digits);
  return text[0] == '-' || text == "nan" ? text : "+" + text;
}

}  // namespace fanflow
