// Traffic channels: every impression, view, like, share and follow is attributed to the channel it came through.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace fanflow {

/// Public traffic belongs to the platform (recommendation, ads); private traffic to the creator (follow feed,
/// groups, live sessions for its followers) or to the viewer's friends (friend share).
enum class Channel : std::uint8_t {
  Recommendation = 0,  ///< public: the platform's recommender
  FollowFeed = 1,      ///< private: new items of creators the user follows
  FriendShare = 2,     ///< private: items a friend shared the day before
  Group = 3,           ///< private: items posted or shared in a chat group the user belongs to
  Ads = 4,             ///< public: paid ads bought by brands (no item, no creator)
  Live = 5,            ///< a creator's live-selling session for a brand (followers, or promoted to the public)
};

inline constexpr std::size_t kChannelCount = 6;

/// Names used in output files and tables, indexed by Channel.
inline constexpr std::array<std::string_view, kChannelCount> kChannelNames = {
    "recommendation", "follow_feed", "friend_share", "group", "ads", "live"};

constexpr std::size_t index(Channel channel) { return static_cast<std::size_t>(channel); }

}  // namespace fanflow
