// Real-time statistics, kept up to date in O(1) (O(log n) for the longest wait) per event.
#ifndef SWITCHBOARD_STATS_H_
#define SWITCHBOARD_STATS_H_

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "absl/time/time.h"
#include "switchboard/agent.h"

namespace switchboard {

struct QueueStats {
  std::string queue_id;
  bool open = true;               // within its opening hours now (always, without hours)
  int64_t waiting = 0;            // contacts waiting now (not those ringing)
  absl::Duration longest_wait;    // of the contacts waiting now
  int64_t offered = 0;            // contacts that entered the queue (rejected ones included)
  int64_t rejected = 0;           // refused at entry
  int64_t answered = 0;           // offers accepted
  int64_t answered_within_threshold = 0;
  int64_t abandoned = 0;
  int64_t removed = 0;
  int64_t completed = 0;
  int64_t offers = 0;             // offers made (a contact may be offered several times)
  int64_t offers_missed = 0;      // offers rejected or timed out
  // Overflow rules (docs/policies.md). `overflowed` counts contacts that left the queue through
  // a rule, whatever its action; `transferred` those a rule, a supervisor (MoveContact,
  // RemoveQueue) or an agent (TransferContact) moved on (counted in the queue they
  // entered as offered too); `callbacks` those that accepted a callback, of which
  // `callbacks_connected` reached the customer and `callbacks_failed` did not after every
  // attempt (a connected callback also counts as answered).
  int64_t overflowed = 0;
  int64_t transferred = 0;
  int64_t callbacks = 0;
  int64_t callbacks_connected = 0;
  int64_t callbacks_failed = 0;
  int64_t deflected = 0;
  int64_t voicemail = 0;
  int64_t disconnected = 0;
  // answered_within_threshold / (answered + abandoned); 1 when both are 0.
  double service_level = 1.0;
  // Average speed of answer: mean wait of answered contacts; 0 when none.
  absl::Duration asa;
  // Accuracy of the estimated wait given at entry, over answered contacts (0 when none): the
  // mean of |estimate - wait| and the mean of estimate - wait (> 0: estimates too long).
  absl::Duration ewt_error;
  absl::Duration ewt_bias;
  // Completed contacts per disposition code the host gave (CompleteContact::disposition).
  std::map<std::string, int64_t, std::less<>> dispositions;
  // Reserve agents (QueueConfig::reserve): whether the reserve is active, and the service level
  // over the policy's window as of now (measured only when the policy has activate_below; 1
  // otherwise, or when no contact was decided in the window).
  bool reserve_active = false;
  double reserve_service_level = 1.0;
};

struct AgentStats {
  std::string agent_id;
  std::string team;  // AgentConfig::team; empty: none
  AgentState state = AgentState::kLoggedOut;
  std::string not_ready_reason;
  absl::Duration time_in_state;
  int64_t contacts_handled = 0;       // accepted since login
  int64_t contacts_handled_total = 0; // accepted since the agent was added
  int active_contacts = 0;            // offered, connected or in wrap-up now
  // Time spent in each state since the agent was added, indexed by AgentState.
  std::array<absl::Duration, 6> time_by_state{};
  // (busy + wrap-up) / (logged-in time) since the agent was added; 0 before any login.
  double occupancy = 0;
  // Whether the engine may offer the agent a contact now; if not, why, the first of:
  // "logged_out"; "pending_change" (a logout or not-ready asked for waits for its contacts to
  // end); "missed_offer" (not ready after a missed offer: the pause, or max_consecutive_misses);
  // "not_ready"; "at_capacity" (no channel has room).
  bool routable = false;
  std::string not_routable_reason;
  // Contacts it completed per disposition code the host gave (CompleteContact::disposition).
  std::map<std::string, int64_t, std::less<>> dispositions;
  // Contacts it transferred (blind, direct or by a completed consult), and consults it started.
  int64_t transfers = 0;
  int64_t consults = 0;
};

}  // namespace switchboard

#endif  // SWITCHBOARD_STATS_H_
