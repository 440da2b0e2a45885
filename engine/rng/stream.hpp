// Counter-based random streams: every draw is a pure function of (seed, tick, agent, purpose, substream, k),
// computed with Random123's Philox4x64-10 (one block gives eight 32-bit draws). No state is shared between agents
// or threads, so results do not depend on the thread count, and adding an agent does not shift anyone else's draws.
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
  UserSetup = 1,        ///< a user's interests and attention
  CreatorSetup = 2,     ///< a creator's traits: topic, skill, posting rate, type, paid-knowledge lever
  BrandSetup = 3,       ///< a brand's topic, budget scale, price scale and kind (established or native)
  Graph = 4,            ///< social graph generation (one stream for the whole graph)
  Post = 5,             ///< a creator's posts of the day and their quality
  Activity = 6,         ///< whether a user is active today
  Consume = 7,          ///< a user's feed of the day: picks and reactions, one substream per feed slot
  ShareTargets = 8,     ///< which friends (or group) receive a share
  GroupJoin = 9,        ///< whether a fan joins a creator's group
  CreatorEntry = 16,    ///< how many new creators join today (agent 0; the creator lifecycle)
  Ads = 17,             ///< whether a user's public slot shows an ad, which brand's, and the reactions to it
  Journey = 18,         ///< purchase journey (SICAS) of a viewed brand exposure: stages, purchase, share targets
  Live = 20,            ///< a user's live sessions of the day: which ones they join, reactions, deposits
  Adoption = 21,        ///< whether a user joins the platform in a sub-step of the day (Bass diffusion)
  BrandAwareness = 22,  ///< whether a user starts aware of an established brand (setup; substream the brand)
  JourneyLapse = 23,    ///< whether a brand's customer lapses back to Interest today (substream 0, one per customer)
  Referral = 24,        ///< whether a shared brand item moves the recipient's journey a stage on arrival
  CreatorExit = 25,     ///< whether a creator below the quit line exits today (the exit hazard)
  Knowledge = 19,       ///< a creator's paid-knowledge sales of the day
  Cascade = 30,         ///< independent-cascade kernel: one stream per (run seed, cascade, activated node)
};

/// A sequence of random numbers for one (seed, tick, agent, purpose, substream). It is a C++ uniform random
/// bit generator, so Boost.Random distributions and Boost.Graph generators can draw from it.
class Stream {
 public:
  using result_type = std::uint32_t;
  using Philox = r123::Philox4x64;
  using Block = Philox::ctr_type;  ///< one Philox output: four 64-bit words, eight 32-bit draws

  Stream(std::uint64_t seed, Tick tick, std::uint32_t agent, Purpose purpose, std::uint32_t substream = 0)
      : key_{{seed, 0}}, counter_{counter(tick, agent, purpose, substream)} {}

  /// The stream's first block, computed ahead: a loop over many streams' first blocks has no dependency between
  /// iterations, so the CPU overlaps them (what a phase does for every feed slot of a user before using them).
  static Block first_block(std::uint64_t seed, Tick tick, std::uint32_t agent, Purpose purpose,
                           std::uint32_t substream = 0) {
    return Philox()(counter(tick, agent, purpose, substream), Philox::key_type{{seed, 0}});
  }

  /// Block k of the stream (k = 0 is its first_block()): for kernels that index draws directly.
  static Block block(std::uint64_t seed, Tick tick, std::uint32_t agent, Purpose purpose, std::uint32_t substream,
                     std::uint64_t k) {
    Philox::ctr_type c = counter(tick, agent, purpose, substream);
    c[3] = k;
    return Philox()(c, Philox::key_type{{seed, 0}});
  }

  /// Draw j (0 .. 7) of a block: the stream's (8k + j)-th draw if the block is its block k.
  static result_type draw(const Block& block, int j) {
    return static_cast<result_type>(block[j >> 1] >> (32 * (j & 1)));
  }

  /// The same stream as Stream(seed, tick, agent, purpose, substream), given its first_block(): it draws the
  /// same numbers without computing that block again.
  Stream(const Block& first, std::uint64_t seed, Tick tick, std::uint32_t agent, Purpose purpose,
         std::uint32_t substream = 0)
      : Stream(seed, tick, agent, purpose, substream) {
    unpack(first);
  }

  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }

  /// Next 32 random bits.
  result_type operator()() {
    if (used_ == kDraws) unpack(Philox()(counter_, key_));
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
  static constexpr int kDraws = 8;  // 32-bit draws per block

  static Philox::ctr_type counter(Tick tick, std::uint32_t agent, Purpose purpose, std::uint32_t substream) {
    return {{tick, agent, static_cast<std::uint64_t>(purpose) | (static_cast<std::uint64_t>(substream) << 8), 0}};
  }

  /// Takes `block` as the current one (low half of each word first) and moves the counter past it.
  void unpack(const Block& block) {
    for (int j = 0; j < kDraws; ++j) block_[j] = draw(block, j);
    ++counter_[3];
    used_ = 0;
  }

  Philox::key_type key_;
  Philox::ctr_type counter_;
  std::uint32_t block_[kDraws] = {};
  int used_ = kDraws;
};

}  // namespace fanflow::rng
