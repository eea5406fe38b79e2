// Interval statistics: what a supervisor's wallboard shows per queue, agent or team, now and
// for the current and previous intervals (EngineOptions::stats_interval: 15, 30 or 60 minutes,
// or any other divisor of 24 h), with the simulator's definitions (docs/operations.md, "Live
// statistics"), so that a simulated day and a live day compare column for column.
//
// Example:
//   absl::StatusOr<IntervalStats> s = engine.GetIntervalStats(StatsScope::kQueue, "support");
//   if (s.ok()) std::cout << s->current.service_level << " " << s->now.longest_wait << "\n";
//
// Interval statistics are built from the engine's events: they need events on from the start
// (EngineOptions::record_events, the default, or an event sink).
#ifndef SWITCHBOARD_INTERVAL_STATS_H_
#define SWITCHBOARD_INTERVAL_STATS_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "switchboard/agent.h"

namespace switchboard {

enum class StatsScope : uint8_t {
  kQueue,  // a queue by its id
  kAgent,  // an agent by its id
  kTeam,   // the agents whose AgentConfig::team is this id, together
};

// "queue", "agent", "team".
std::string_view StatsScopeName(StatsScope scope);

// One interval [start, end), aligned to multiples of its length since the Unix epoch (UTC).
// Each count is of the events that happened within the interval.
struct IntervalKpis {
  absl::Time start;
  absl::Time end;
  // Queue: contacts that entered the queue (rejected at entry and transferred in included).
  // Agent, team: offers made to the agent(s) (a contact offered twice counts twice).
  int64_t offered = 0;
  // Contacts answered (an offer accepted; a callback when the customer picked up). Queue: in
  // the queue; agent, team: by the agent(s).
  int64_t answered = 0;
  // Answered with a wait <= the queue's service_level_threshold.
  int64_t answered_within_threshold = 0;
  // Contacts that abandoned (queue only; 0 for agents and teams).
  int64_t abandoned = 0;
  // Contacts whose handling ended: completed, and their wrap-up over if the queue has one.
  int64_t handled = 0;
  // answered_within_threshold / (answered + abandoned); 1 when both are 0.
  double service_level = 1.0;
  // abandoned / (answered + abandoned); 0 when both are 0.
  double abandon_rate = 0;
  // Mean wait of the answered contacts (from arrival, ringing included); 0 when none.
  absl::Duration asa;
  // Longest wait of the answered contacts; 0 when none.
  absl::Duration max_wait;
  // Mean handle time of the handled contacts: from the answer to the end of the contact's
  // wrap-up (talk + hold + wrap-up); 0 when none.
  absl::Duration aht;
  // Agent, team: time in each state within the interval (up to now for the current one),
  // indexed by AgentState; zero for a queue.
  std::array<absl::Duration, kAgentStateCount> time_by_state{};
  // (busy + wrap-up) / logged-in time within the interval; 0 without logged-in time or for a
  // queue.
  double occupancy = 0;
};

// Point-in-time values, from the engine's state now.
struct LiveValues {
  // Queue: the agents serving it (itself or through a step); agent: itself; team: its agents.
  // Counted by state, indexed by AgentState.
  std::array<int, kAgentStateCount> agents_by_state{};
  // Queue only (0 otherwise): contacts waiting now and the longest wait among them.
  int64_t waiting = 0;
  absl::Duration longest_wait;
};

struct IntervalStats {
  StatsScope scope = StatsScope::kQueue;
  std::string id;
  absl::Time as_of;  // the engine's now()
  LiveValues now;
  IntervalKpis current;   // the interval as_of falls in, up to as_of
  IntervalKpis previous;  // the interval before it (empty when nothing happened in it)
};

}  // namespace switchboard

#endif  // SWITCHBOARD_INTERVAL_STATS_H_
