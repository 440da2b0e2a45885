// Purchase journeys (SICAS) of users with brands, stored sparsely: each user's journeys form one sorted run of
// brand ids in CSR form (most users never meet most brands), rebuilt at commit by merging the day's new journeys.
// A journey has a current stage (which can move back: a lapsed customer returns to Interest) and the furthest stage
// it has reached (what the funnel counts). Equations in docs/model.md, "Purchase journey (SICAS)".
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

namespace fanflow::state {

/// Stages of a journey, in order; a journey's stage is the furthest it has reached.
enum class JourneyStage : std::uint8_t {
  None = 0,      ///< the user has not met the brand (never stored as a current stage)
  Sense = 1,     ///< first viewed exposure
  Interest = 2,  ///< Interest & Interaction
  Connect = 3,   ///< Connect & Communicate
  Action = 4,    ///< bought at least once
  Share = 5,     ///< shared the brand's item after a purchase
};
inline constexpr std::size_t kJourneyStages = 5;  ///< Sense .. Share
/// Names of the stages Sense .. Share, in the names of the /brands/summary/funnel_* columns.
inline constexpr std::array<const char*, kJourneyStages> kJourneyStageNames = {"sense", "interest", "connect", "action",
                                                                               "share"};

/// A journey started today, merged into the store at commit. Its furthest stage is max(stage, reached).
struct NewJourney {
  std::uint32_t user;
  std::uint32_t brand;
  std::uint8_t stage;  ///< current stage (JourneyStage)
  std::uint16_t purchases;
  std::uint8_t reached = 0;  ///< furthest stage reached, if beyond `stage`
  friend bool operator<(const NewJourney& a, const NewJourney& b) {
    return a.user != b.user ? a.user < b.user : a.brand < b.brand;
  }
};

/// Journey `e` of `user` is brands(user)[e], stage_of(user)[e] (current stage), reached_of(user)[e] (furthest
/// stage), purchases_of(user)[e]. The consume phase updates a user's own entries in place (one writer per user); new
/// journeys are added only in merge().
class JourneyStore {
 public:
  explicit JourneyStore(std::uint32_t users = 0) : offsets_(std::size_t(users) + 1, 0) {}

  std::uint32_t users() const { return static_cast<std::uint32_t>(offsets_.size() - 1); }
  std::uint64_t size() const { return brands_.size(); }

  /// Brands `user` has met, ascending.
  std::span<const std::uint32_t> brands(std::uint32_t user) const {
    return {brands_.data() + offsets_[user], brands_.data() + offsets_[user + 1]};
  }
  std::span<std::uint8_t> stage_of(std::uint32_t user) {
    return {stage_.data() + offsets_[user], stage_.data() + offsets_[user + 1]};
  }
  std::span<const std::uint8_t> stage_of(std::uint32_t user) const {
    return {stage_.data() + offsets_[user], stage_.data() + offsets_[user + 1]};
  }
  std::span<std::uint8_t> reached_of(std::uint32_t user) {
    return {reached_.data() + offsets_[user], reached_.data() + offsets_[user + 1]};
  }
  std::span<std::uint16_t> purchases_of(std::uint32_t user) {
    return {purchases_.data() + offsets_[user], purchases_.data() + offsets_[user + 1]};
  }
  /// Every journey's brand, current stage and furthest stage (user-major), for counting.
  std::span<const std::uint32_t> all_brands() const { return brands_; }
  std::span<const std::uint8_t> all_stages() const { return stage_; }
  std::span<const std::uint8_t> all_reached() const { return reached_; }

  /// Position of `brand` in brands(user), or -1 (binary search).
  std::int64_t find(std::uint32_t user, std::uint32_t brand) const;

  /// Adds `additions` (sorted by (user, brand), none present yet). Linear in size() + additions.
  void merge(std::span<const NewJourney> additions);

  /// Bytes held.
  std::uint64_t memory_bytes() const {
    return offsets_.capacity() * sizeof(std::uint64_t) +
           brands_.capacity() * (sizeof(std::uint32_t) + 2 * sizeof(std::uint8_t) + sizeof(std::uint16_t));
  }

 private:
  std::vector<std::uint64_t> offsets_;    // users + 1
  std::vector<std::uint32_t> brands_;     // per journey, user-major
  std::vector<std::uint8_t> stage_;       // current JourneyStage per journey
  std::vector<std::uint8_t> reached_;     // furthest JourneyStage per journey (>= stage_)
  std::vector<std::uint16_t> purchases_;  // purchases per journey (saturating)
};

}  // namespace fanflow::state
