// Counter-based random streams: every draw is a pure function of (seed, tick, agent, purpose, substream, k),
// computed with Random123's Philox4x32-10. No state is shared between agents or threads, so results do not
// depend on the thread count, and adding an agent does not shift anyone else's draws.
#pragma once

#include <Random123/philox.h>
#include <Random123/boxmuller.hpp>
#include <Random123/uniform.hpp>

#include <cstdint>
#include <limits>

#include "core/ids.hpp"

namespace fanflow::rng {

/// What a stream is used for; part of the counter, so two purposes never share draws.
enum class Purpose : std::uint32_t {
  UserSetup = 1,      ///< a user's interests and attention
  CreatorSetup = 2,   ///< a creator's topic, skill and posting rate
  BrandSetup = 3,     ///< a brand's topic
  Graph = 4,          ///< social graph generation (one stream for the whole graph)
  Post = 5,           ///< a creator's posts of the day and their quality
  Activity = 6,       ///< whether a user is active today
  Consume = 7,        ///< a user's feed of the day: picks and reactions, one substream per feed slot
  ShareTargets = 8,   ///< which friends (or group) receive a share
  GroupJoin = 9,      ///< whether a fan joins a creator's group
  CreatorEntry = 16,  ///< how many new creators join today (agent 0; the creator lifecycle)
  Ads = 17,           ///< whether a user's public slot shows an ad, which brand's, and the reactions to it
  Journey = 18,       ///< purchase journey (SICAS) of a viewed brand exposure: stages, purchase, share targets
  Live = 20,          ///< a user's live sessions of the day: which ones they join, reactions, deposits
  Cascade = 30,       ///< independent-cascade kernel: one stream per (run seed, cascade, activated node)
};

/// A sequence of random numbers for one (seed, tick, agent, purpose, substream). It is a C++ uniform random
/// bit generator, so Boost.Random distributions and Boost.Graph generators can draw from it.
class Stream {
 public:
  using result_type = std::uint32_t;
  using Philox = r123::Philox4x32;

  Stream(std::uint64_t seed, Tick tick, std::uint32_t agent, Purpose purpose, std::uint32_t substream = 0)
      : key_{{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}},
        counter_{{tick, agent, static_cast<std::uint32_t>(purpose) | (substream << 8), 0}} {}

  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }

  /// Next 32 random bits.
  result_type operator()() {
    if (used_ == 4) refill();
    return block_[used_++];
  }

  /// Uniform in the open interval (0, 1), 2^-32 resolution.
  double uniform() { return r123::u01fixedpt<double>((*this)()); }

  /// True with probability p.
  bool bernoulli(double p) { return uniform() < p; }

  /// Uniform integer in [0, n), n > 0 (Lemire's multiply-shift; bias below 2^-32 * n).
  std::uint32_t below(std::uint32_t n) {
    return static_cast<std::uint32_t>((static_cast<std::uint64_t>((*this)()) * n) >> 32);
  }

  /// Standard normal draw (Box-Muller from Random123).
  double normal() {
    // Four separate statements: the order of the draws must not be left to the compiler.
    const std::uint64_t a_high = (*this)(), a_low = (*this)(), b_high = (*this)(), b_low = (*this)();
    return r123::boxmuller((a_high << 32) | a_low, (b_high << 32) | b_low).x;
  }

 private:
  void refill() {
    auto out = Philox()(counter_, key_);
    for (int i = 0; i < 4; ++i) block_[i] = out[i];
    ++counter_[3];
    used_ = 0;
  }

  Philox::key_type key_;
  Philox::ctr_type counter_;
  std::uint32_t block_[4] = {0, 0, 0, 0};
  int used_ = 4;
};

}  // namespace fanflow::rng
