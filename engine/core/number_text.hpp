// Numbers as people read them in printed tables: a few significant digits, no float noise
// (0.010000000000000004 is "0.01"), thousands separated in large values, no exponent between 1e-4 and 1e15.
#pragma once

#include <string>

namespace fanflow {

/// `value` with `digits` significant digits (at least the whole integer part, grouped by thousands: 42,800,912),
/// trailing zeros dropped; an exponent outside [1e-4, 1e15); "inf", "-inf" or "nan" when not finite.
std::string readable_number(double value, int digits = 4);

/// readable_number() with a sign always shown ("+0" for zero).
std::string signed_number(double value, int digits = 4);

}  // namespace fanflow
