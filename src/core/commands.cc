// The name of a command (commands.h).
#include "switchboard/commands.h"

#include <iterator>
#include <string_view>
#include <variant>

namespace switchboard {

std::string_view CommandName(const CommandBody& body) {
  static constexpr std::string_view kNames[] = {
      "add_queue",      "add_agent",        "login",        "logout",         "set_ready",
      "set_not_ready",  "add_contact",      "accept_offer", "reject_offer",   "hold_contact",
      "resume_contact", "complete_contact", "end_wrap_up",  "extend_wrap_up", "abandon_contact",
      "remove_contact", "answer_overflow", "report_callback", "set_entry_rules", "update_agent",
      "remove_agent",   "update_queue",     "remove_queue", "move_contact",   "set_contact_priority",
      "assign_contact", "transfer_contact", "start_consult", "complete_consult", "cancel_consult",
      "advance"};
  static_assert(std::size(kNames) == std::variant_size_v<CommandBody>);
  return kNames[body.index()];
}

}  // namespace switchboard
