// The event log: discrete things that happen to one agent on one tick (a creator quits, reaches a stage, ...),
// recorded in the output as the /events table.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "core/ids.hpp"

namespace fanflow::phases {

/// Kinds of event. Codes are stable: they are written to files (the /events/kind column).
enum class EventKind : std::uint8_t {
  CreatorJoined = 1,    ///< subject: creator; value: creator type or 0
  CreatorExited = 2,    ///< subject: creator; value: reason code (see the creator lifecycle)
  StageReached = 3,     ///< subject: creator; value: the stage reached
  TimelineApplied = 4,  ///< subject: index of the timeline entry; value: 1 when applied, 0 when a window ends
  MarketplaceDeal = 5,  ///< subject: creator; value: the brand whose sponsored item the creator will post
  LiveSession = 6,      ///< subject: the host creator; value: the brand it sells live that day
};

/// Names of the kinds, indexed by code (0 unused), written as the `kinds` attribute of /events/kind.
inline constexpr std::array<std::string_view, 7> kEventKindNames = {
    "", "creator_joined", "creator_exited", "stage_reached", "timeline_applied", "marketplace_deal", "live_session"};

struct Event {
  Tick tick;
  EventKind kind;
  std::uint32_t subject;  ///< the agent (or entry) the event is about
  std::int64_t value;     ///< kind-specific value
  friend bool operator<(const Event& a, const Event& b) {
    if (a.tick != b.tick) return a.tick < b.tick;
    if (a.kind != b.kind) return a.kind < b.kind;
    if (a.subject != b.subject) return a.subject < b.subject;
    return a.value < b.value;
  }
};

}  // namespace fanflow::phases
