// The agent state commands: Login, Logout, SetReady, SetNotReady. Their legality is the table
// of agent_state_machine.cc; routing follows a change that frees the agent.
#include <utility>

#include "base/status_macros.h"
#include "core/engine_impl.h"
#include "core/validation.h"
#include "fmt/format.h"

namespace switchboard {

using detail::AgentCommand;
using detail::CheckReason;
using detail::HoldsSomething;

absl::Status Engine::Impl::Apply(const switchboard::Login& command) {
  SWITCHBOARD_RETURN_IF_ERROR(CheckReason(command.reason));
  absl::StatusOr<AgentIndex> a = AgentFor(command.agent, AgentCommand::kLogin);
  if (!a.ok()) return a.status();
  if (command.ready && !command.reason.empty()) {
    return absl::InvalidArgumentError(
        fmt::format("agent '{}': a not-ready reason ('{}') was given with ready login",
                    command.agent, command.reason));
  }
  BeginAgentChange(*a);
  Agent& agent = agents_[*a];
  agent.logged_in = true;
  CountLoggedIn(agent, +1);
  agent.ready = command.ready;
  agent.SetReason(command.ready            ? std::string_view()
                  : command.reason.empty() ? std::string_view(kReasonLogin)
                                           : std::string_view(command.reason));
  agent.pending = PendingChange::kNone;
  agent.handled_since_login = 0;
  agent.consecutive_misses = 0;
  agent.free_since = now_;
  EndAgentChange(*a, /*repool=*/false);
  RouteAgent(*a);
  return absl::OkStatus();
}

absl::Status Engine::Impl::Apply(const switchboard::Logout& command) {
  absl::StatusOr<AgentIndex> a =
      AgentFor(command.agent,
               command.after_contacts ? AgentCommand::kLogoutAfterContacts : AgentCommand::kLogout);
  if (!a.ok()) return a.status();
  BeginAgentChange(*a);
  Agent& agent = agents_[*a];
  agent.pending = PendingChange::kLogout;
  agent.SetPendingReason({});
  if (events_on() && HoldsSomething(agent)) {
    Event event = NewEvent(EventType::kAgentPendingChange);
    event.agent_id = agent.id;
    event.reason = "logout";
    Emit(std::move(event));
  }
  EndAgentChange(*a);  // applies it at once when the agent holds nothing
  return absl::OkStatus();
}

absl::Status Engine::Impl::Apply(const switchboard::SetReady& command) {
  absl::StatusOr<AgentIndex> a = AgentFor(command.agent, AgentCommand::kSetReady);
  if (!a.ok()) return a.status();
  BeginAgentChange(*a);
  Agent& agent = agents_[*a];
  if (agent.pending != PendingChange::kNone) {
    agent.pending = PendingChange::kNone;
    agent.SetPendingReason({});
    if (events_on()) {
      Event event = NewEvent(EventType::kAgentPendingChange);
      event.agent_id = agent.id;
      Emit(std::move(event));
    }
  }
  if (!agent.ready) {
    agent.ready = true;
    agent.SetReason({});
    agent.missed_delay_token = 0;
    agent.consecutive_misses = 0;
    agent.free_since = now_;
  }
  EndAgentChange(*a, /*repool=*/false);
  RouteAgent(*a);
  return absl::OkStatus();
}

absl::Status Engine::Impl::Apply(const switchboard::SetNotReady& command) {
  SWITCHBOARD_RETURN_IF_ERROR(CheckReason(command.reason));
  absl::StatusOr<AgentIndex> a =
      AgentFor(command.agent, command.after_contacts ? AgentCommand::kSetNotReadyAfterContacts
                                                     : AgentCommand::kSetNotReady);
  if (!a.ok()) return a.status();
  if (command.reason.empty()) {
    return absl::InvalidArgumentError(
        fmt::format("agent '{}': a not-ready reason code is required", command.agent));
  }
  BeginAgentChange(*a);
  Agent& agent = agents_[*a];
  agent.pending = PendingChange::kNotReady;
  agent.SetPendingReason(command.reason);
  if (events_on() && HoldsSomething(agent)) {
    Event event = NewEvent(EventType::kAgentPendingChange);
    event.agent_id = agent.id;
    event.reason = "not_ready:" + command.reason;
    Emit(std::move(event));
  }
  EndAgentChange(*a);  // applies it at once when the agent holds nothing
  return absl::OkStatus();
}

}  // namespace switchboard
