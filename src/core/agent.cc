// The names of agent states (agent.h).
#include "switchboard/agent.h"

#include <string_view>

namespace switchboard {

std::string_view AgentStateName(AgentState state) {
  switch (state) {
    case AgentState::kLoggedOut:
      return "logged_out";
    case AgentState::kNotReady:
      return "not_ready";
    case AgentState::kAvailable:
      return "available";
    case AgentState::kReserved:
      return "reserved";
    case AgentState::kBusy:
      return "busy";
    case AgentState::kWrapUp:
      return "wrap_up";
  }
  return "?";
}

}  // namespace switchboard
