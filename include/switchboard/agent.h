// Agents: who they are, what they can do, which queues they serve, and the states they go
// through (the state machine itself is documented in docs/agent-states.md).
#ifndef SWITCHBOARD_AGENT_H_
#define SWITCHBOARD_AGENT_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"
#include "switchboard/attributes.h"
#include "switchboard/capacity.h"

namespace switchboard {

// One queue an agent serves, with the agent's own preference for it.
struct QueueMembership {
  std::string queue;
  // Higher first: among the queues this agent serves, contacts of a higher-priority queue are
  // taken before those of a lower one (after strict priority classes). Default 0.
  int priority = 0;
  // The agent takes a contact from this queue only once it has waited this long (its effective
  // wait, which includes the contact's priority boost). Default 0: any contact, even one whose
  // negative priority puts its virtual arrival in the future. 0..100000h.
  absl::Duration delay = absl::ZeroDuration();
  // A reserve for the queue: the agent takes its contacts only while the queue's reserve is
  // active (QueueConfig::reserve; docs/operations.md, "Reserve agents"), and never when the
  // queue has no reserve policy. Default false.
  bool reserve = false;
};

// The largest AgentConfig::weight.
inline constexpr double kMaxAgentWeight = 1e6;

struct AgentConfig {
  // Host id; unique, non-empty.
  std::string id;
  // Skill name -> level 1..100.
  std::map<std::string, int, std::less<>> skills;
  // Groups the agent belongs to (reporting and supervision); its one team is `team`.
  std::vector<std::string> groups;
  // Host attributes that requirement expressions may test (agent.NAME).
  Attributes attributes;
  // What the agent can hold at once.
  CapacityConfig capacity;
  // Queues served. With auto_membership (default): every queue whose requirement the agent
  // meets, at priority 0 and no delay, except those listed here, which take the listed priority
  // and delay. Without: exactly the listed queues (at least one). Each listed queue must exist
  // and the agent must meet its requirement (or that of one of its steps).
  std::vector<QueueMembership> queues;
  bool auto_membership = true;
  // Weight for Strategy::kRandom, in (0, kMaxAgentWeight]; default 1.
  double weight = 1.0;
  // The team the agent belongs to, for interval statistics by team (Engine::GetIntervalStats)
  // and supervision; empty: none. At most kMaxNameBytes of UTF-8.
  std::string team;
};

enum class AgentState : uint8_t {
  kLoggedOut,
  kNotReady,   // logged in, taking no contacts; has a reason code
  kAvailable,  // logged in, ready, holding nothing
  kReserved,   // an offer is pending and no contact is connected
  kBusy,       // at least one contact connected (talking or on hold)
  kWrapUp,     // no contact connected, at least one in after-contact work (an offer may ring)
};

inline constexpr int kAgentStateCount = 6;

// "logged_out", "not_ready", "available", "reserved", "busy", "wrap_up".
std::string_view AgentStateName(AgentState state);

// A change the agent asked for that waits until its last contact ends.
enum class PendingChange : uint8_t { kNone, kNotReady, kLogout };

// Not-ready reason codes the engine itself uses (the host defines the others).
inline constexpr std::string_view kReasonLogin = "login";
inline constexpr std::string_view kReasonMissedOffer = "missed_offer";
inline constexpr std::string_view kReasonOfferRejected = "offer_rejected";
inline constexpr std::string_view kReasonOfferTimedOut = "offer_timed_out";

}  // namespace switchboard

#endif  // SWITCHBOARD_AGENT_H_
