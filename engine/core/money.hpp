// Money as an exact integer: brands' spend, creators' brand income and the platform's take are kept in
// micro-money (1e-6 of the abstract currency unit `money`), so the accounting identity
// spend = creators' brand income + platform take holds exactly, whatever the order of the sums.
#pragma once

#include <cmath>
#include <cstdint>

namespace fanflow {

/// An amount of money in micro-money units (1 money = 1,000,000). Signed, so differences are safe.
using Micros = std::int64_t;

inline constexpr Micros kMicrosPerMoney = 1'000'000;

/// Money (a parameter value, e.g. money/day) to micro-money, rounded to the nearest unit.
inline Micros to_micros(double money) { return static_cast<Micros>(std::llround(money * double(kMicrosPerMoney))); }

/// Micro-money to money, for output and for the creator lifecycle's (double) income.
inline double to_money(Micros micros) { return double(micros) / double(kMicrosPerMoney); }

}  // namespace fanflow
