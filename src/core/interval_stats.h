// The interval statistics' counters (switchboard/interval_stats.h), fed by the engine's events.
#ifndef SWITCHBOARD_SRC_CORE_INTERVAL_STATS_H_
#define SWITCHBOARD_SRC_CORE_INTERVAL_STATS_H_

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "switchboard/events.h"
#include "switchboard/interval_stats.h"

namespace switchboard::detail {

class JsonWriter;
class DumpReader;
struct DumpNode;

// What an event does not carry but the counters need; the engine fills what the event's type
// asks for.
struct EventFacts {
  int64_t service_level_threshold = 0;  // kQueueAdded, kQueueUpdated: the queue's, in micros
  std::string_view team;                // kAgentAdded, kAgentUpdated: the agent's (empty: none)
  bool wraps = false;                   // kContactCompleted, kContactTransferred by an agent:
                                        // a wrap-up follows
};

// Counters per queue and per agent for the current and previous intervals of `length`
// microseconds, aligned to multiples of it since the Unix epoch. Each key rolls over lazily,
// when an event for it (or a report) falls in a later interval: the current becomes the
// previous, or the previous is empty when a whole interval passed without its events. Memory:
// per queue and agent (both live for ever in the engine), per contact answered and not yet
// handled, per callback pending; those of a contact are erased when it ends. Observe is O(1)
// expected (hash lookups by id); Report is O(1), O(agents in the team) for a team.
class IntervalStatsTracker {
 public:
  explicit IntervalStatsTracker(int64_t length_micros) : length_(length_micros) {}

  void Observe(const Event& event, const EventFacts& facts);

  // The intervals of `id` as of `now` (the live values are left for the engine). NotFound for
  // an unknown queue, agent or team.
  absl::StatusOr<IntervalStats> Report(StatsScope scope, std::string_view id, int64_t now) const;

  // The agents of a team, in the order they were added (null when the team is unknown).
  const std::vector<std::string>* TeamMembers(std::string_view team) const;

  // Every counter, as one JSON object (Engine::DumpState): queues, agents, contacts and
  // wrap-ups sorted by id, teams with their members in order. O(state).
  void Dump(JsonWriter& out) const;
  // Reads back what Dump wrote into an empty tracker of the same length; a problem is recorded
  // in `in` (state_load.h). O(state).
  void Load(DumpReader& in, const DumpNode& node);

 private:
  struct Counts {
    int64_t offered = 0, answered = 0, within = 0, abandoned = 0, handled = 0;
    int64_t wait_sum = 0, max_wait = 0, handle_sum = 0;  // microseconds
    std::array<int64_t, kAgentStateCount> time_by_state{};
    void Add(const Counts& other);
  };
  struct Buckets {
    int64_t index = 0;  // of the current interval
    Counts current, previous;
  };
  struct QueueTrack {
    Buckets buckets;
    int64_t threshold = 0;
  };
  struct AgentTrack {
    Buckets buckets;
    std::string team;
    AgentState state = AgentState::kLoggedOut;
    int64_t accounted_to = 0;  // time in `state` is in the buckets up to here
  };
  struct Answered {
    int64_t at = -1;  // when answered; -1 not yet
    bool callback = false;
  };

  int64_t IndexOf(int64_t time) const;
  // Moves `buckets` to the interval of index `index` (no earlier than its own).
  static void Roll(Buckets& buckets, int64_t index);
  // Credits the agent's time in its state up to `time` and moves it to that time's interval.
  void Advance(AgentTrack& agent, int64_t time) const;
  Counts* QueueCounts(std::string_view queue, int64_t time);
  Counts* AgentCounts(std::string_view agent, int64_t time);
  void CountAnswer(const Event& event, int64_t time);
  void CountHandled(std::string_view queue, std::string_view agent, int64_t handle, int64_t time);
  // The agent's handling of a contact ends (completed, or handed on by a transfer): counted now,
  // or when its wrap-up ends.
  void EndHandling(const Event& event, int64_t answered_at, bool wraps, int64_t time);
  void SetTeam(const std::string& agent, AgentTrack& track, std::string_view team);
  IntervalKpis Kpis(const Counts& counts, int64_t index) const;

  int64_t length_;
  absl::flat_hash_map<std::string, QueueTrack> queues_;
  absl::flat_hash_map<std::string, AgentTrack> agents_;
  std::map<std::string, std::vector<std::string>, std::less<>> teams_;
  // Contacts answered and not yet completed, and callbacks not yet connected, by contact id.
  absl::flat_hash_map<std::string, Answered> contacts_;
  // Contacts in wrap-up, by (agent, contact): when they were answered.
  absl::flat_hash_map<std::pair<std::string, std::string>, int64_t> wrap_ups_;
};

}  // namespace switchboard::detail

#endif  // SWITCHBOARD_SRC_CORE_INTERVAL_STATS_H_
