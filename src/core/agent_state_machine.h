// The agent state machine: which command is legal in which state (docs/agent-states.md is the
// same table in prose). The engine derives an agent's state from what it holds, asks
// CheckAgentCommand before changing anything, and applies the change itself.
#ifndef SWITCHBOARD_SRC_CORE_AGENT_STATE_MACHINE_H_
#define SWITCHBOARD_SRC_CORE_AGENT_STATE_MACHINE_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "switchboard/agent.h"

namespace switchboard::detail {

enum class AgentCommand : uint8_t {
  kLogin,
  kLogout,
  kLogoutAfterContacts,
  kSetReady,
  kSetNotReady,
  kSetNotReadyAfterContacts,
  kAccept,
  kReject,
  kHold,
  kResume,
  kComplete,
  kEndWrapUp,
  kExtendWrapUp,
};

inline constexpr int kAgentCommandCount = 13;

std::string_view AgentCommandName(AgentCommand command);

// What the state machine needs to know of an agent.
struct AgentView {
  const std::string* id = nullptr;  // for messages only; not read otherwise (a cold field)
  bool logged_in = false;
  bool ready = false;
  int offers = 0;     // offers pending
  int connected = 0;  // contacts connected or on hold
  int wrap_ups = 0;   // contacts in wrap-up
  PendingChange pending = PendingChange::kNone;
};

// The state an agent is in: logged out; else busy if it holds a connected contact; else wrap-up
// if it holds contacts in wrap-up; else reserved if an offer is pending; else not ready or
// available.
AgentState DeriveState(const AgentView& view);

// OkStatus when `command` is legal for the agent now; FailedPrecondition with a message a person
// can act on otherwise. Contact-specific checks (is this contact offered to this agent?) are the
// engine's.
absl::Status CheckAgentCommand(const AgentView& view, AgentCommand command);

}  // namespace switchboard::detail

#endif  // SWITCHBOARD_SRC_CORE_AGENT_STATE_MACHINE_H_
