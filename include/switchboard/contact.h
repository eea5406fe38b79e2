// Contacts: calls, chats, e-mails, ... that enter a queue and leave with exactly one outcome.
#ifndef SWITCHBOARD_CONTACT_H_
#define SWITCHBOARD_CONTACT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "switchboard/attributes.h"
#include "switchboard/channel.h"

namespace switchboard {

struct ContactConfig {
  // Host id; unique among the contacts in the engine, non-empty.
  std::string id;
  Channel channel = Channel::kVoice;
  // Queue to enter; must exist. Empty: the entry rules place the contact (entry_rules.h).
  std::string queue;
  // Acts as extra waiting time: the contact is ordered as if it had arrived
  // priority × EngineOptions::aging_unit earlier. -1000..1000, default 0.
  int priority = 0;
  // Strict priority class: a higher class is always served before a lower one, whatever the
  // waits (emergencies). 0..255, default 0.
  int priority_class = 0;
  // Host data (IVR choice, customer tier, language, CRM data): kept with the contact, returned
  // by Engine::GetContact and shown to a HostScorer.
  Attributes attributes;
  // When set, the time the contact first arrived (e.g. moved here from another system); must
  // not be later than the command's time. Default: the command's time.
  std::optional<absl::Time> arrival;
  // When set, only this agent may take the contact until `preferred_timeout` has passed since
  // it entered; then any agent will do.
  std::string preferred_agent;
  absl::Duration preferred_timeout = absl::ZeroDuration();
};

// The single outcome every contact that entered leaves with.
enum class ContactOutcome : uint8_t {
  kNone,        // still in the engine
  kCompleted,   // answered, and the agent ended it
  kAbandoned,   // the customer left before being connected
  kRemoved,     // the host or a supervisor took it out (with a reason)
  kRejected,    // refused at entry (queue full)
  kDeflected,   // an overflow rule sent the customer to self-service (the rule's target)
  kVoicemail,   // an overflow rule took the customer to voicemail
  kDisconnected,     // an overflow rule ended the contact (with the rule's reason)
  kCallbackFailed,   // a callback whose every dial attempt failed
};

// "none", "completed", "abandoned", "removed", "rejected", "deflected", "voicemail",
// "disconnected", "callback_failed".
std::string_view ContactOutcomeName(ContactOutcome outcome);

enum class ContactState : uint8_t {
  kWaiting,    // in its queue (or held for its preferred agent)
  kOffered,    // reserved for an agent, ringing
  kConnected,  // accepted, talking
  kOnHold,     // accepted, on hold
  kDialing,    // a callback: the agent accepted and dials the customer (ReportCallback follows)
  kWrapUp,     // completed; its agent's after-contact work runs (only in GetAgentContacts)
};

// "waiting", "offered", "connected", "on_hold", "dialing", "wrap_up".
std::string_view ContactStateName(ContactState state);

}  // namespace switchboard

#endif  // SWITCHBOARD_CONTACT_H_
