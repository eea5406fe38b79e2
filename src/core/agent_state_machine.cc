#include "core/agent_state_machine.h"

#include <array>

#include "fmt/format.h"

namespace switchboard::detail {
namespace {

// What a (state, command) cell of the table says.
enum class Rule : uint8_t {
  kAllow,
  kIfOffer,      // legal when an offer is pending (several channels at once)
  kIfWrapUp,     // legal when a contact is in wrap-up
  kIfNotReady,   // legal when the agent is not ready or has a pending change to clear
  kRefuse,
};

constexpr Rule A = Rule::kAllow;
constexpr Rule O = Rule::kIfOffer;
constexpr Rule W = Rule::kIfWrapUp;
constexpr Rule P = Rule::kIfNotReady;
constexpr Rule X = Rule::kRefuse;

// Rows: AgentState. Columns: AgentCommand in declaration order:
// login logout logout_after ready not_ready not_ready_after accept reject hold resume complete
// end_wrap_up extend_wrap_up.
constexpr std::array<std::array<Rule, kAgentCommandCount>, kAgentStateCount> kTable = {{
    /* logged_out */ {A, X, X, X, X, X, X, X, X, X, X, X, X},
    /* not_ready  */ {X, A, A, A, A, A, X, X, X, X, X, X, X},
    /* available  */ {X, A, A, X, A, A, X, X, X, X, X, X, X},
    /* reserved   */ {X, X, A, P, X, A, A, A, X, X, X, X, X},
    /* busy       */ {X, X, A, P, X, A, O, O, A, A, A, W, W},
    /* wrap_up    */ {X, X, A, P, X, A, O, O, X, X, X, A, A},
}};

std::string Refusal(const AgentView& view, AgentState state, AgentCommand command) {
  const std::string_view name = AgentStateName(state);
  if (state == AgentState::kLoggedOut) {
    return fmt::format("agent '{}' is logged out; log in first", *view.id);
  }
  switch (command) {
    case AgentCommand::kLogin:
      return fmt::format("agent '{}' is already logged in ({})", *view.id, name);
    case AgentCommand::kLogout:
      if (state == AgentState::kReserved) {
        return fmt::format(
            "agent '{}' has an offer pending; reject it first, or log out after contacts", *view.id);
      }
      if (state == AgentState::kWrapUp) {
        return fmt::format(
            "agent '{}' is in wrap-up; cannot log out until wrap-up ends (or log out after "
            "contacts)",
            *view.id);
      }
      return fmt::format(
          "agent '{}' is busy; cannot log out until its contacts end (or log out after contacts)",
          *view.id);
    case AgentCommand::kSetReady:
      if (state == AgentState::kAvailable) {
        return fmt::format("agent '{}' is already available", *view.id);
      }
      return fmt::format("agent '{}' is {} and already ready; there is no pending change to clear",
                         *view.id, name);
    case AgentCommand::kSetNotReady:
      return fmt::format(
          "agent '{}' is {}; set not ready after contacts to take effect when its contacts end",
          *view.id, name);
    case AgentCommand::kAccept:
    case AgentCommand::kReject:
      return fmt::format("agent '{}' has no offer pending ({})", *view.id, name);
    case AgentCommand::kHold:
    case AgentCommand::kResume:
    case AgentCommand::kComplete:
      return fmt::format("agent '{}' has no connected contact ({})", *view.id, name);
    case AgentCommand::kEndWrapUp:
    case AgentCommand::kExtendWrapUp:
      return fmt::format("agent '{}' is not in wrap-up ({})", *view.id, name);
    case AgentCommand::kLogoutAfterContacts:
    case AgentCommand::kSetNotReadyAfterContacts:
      break;
  }
  return fmt::format("agent '{}' cannot {} while {}", *view.id, AgentCommandName(command), name);
}

}  // namespace

std::string_view AgentCommandName(AgentCommand command) {
  static constexpr std::string_view kNames[kAgentCommandCount] = {
      "login",         "logout",        "logout_after_contacts",
      "set_ready",     "set_not_ready", "set_not_ready_after_contacts",
      "accept",        "reject",        "hold",
      "resume",        "complete",      "end_wrap_up",
      "extend_wrap_up"};
  return kNames[static_cast<int>(command)];
}

AgentState DeriveState(const AgentView& view) {
  if (!view.logged_in) return AgentState::kLoggedOut;
  if (view.connected > 0) return AgentState::kBusy;
  if (view.wrap_ups > 0) return AgentState::kWrapUp;
  if (view.offers > 0) return AgentState::kReserved;
  return view.ready ? AgentState::kAvailable : AgentState::kNotReady;
}

absl::Status CheckAgentCommand(const AgentView& view, AgentCommand command) {
  const AgentState state = DeriveState(view);
  bool legal = false;
  switch (kTable[static_cast<int>(state)][static_cast<int>(command)]) {
    case Rule::kAllow:
      legal = true;
      break;
    case Rule::kIfOffer:
      legal = view.offers > 0;
      break;
    case Rule::kIfWrapUp:
      legal = view.wrap_ups > 0;
      break;
    case Rule::kIfNotReady:
      legal = view.pending != PendingChange::kNone || !view.ready;
      break;
    case Rule::kRefuse:
      legal = false;
      break;
  }
  if (legal) return absl::OkStatus();
  return absl::FailedPreconditionError(Refusal(view, state, command));
}

}  // namespace switchboard::detail
