// Commands: every input the host gives the engine. Each is applied through Engine::Execute, the
// single entry point where a journal, authorization and metrics attach.
#ifndef SWITCHBOARD_COMMANDS_H_
#define SWITCHBOARD_COMMANDS_H_

#include <string>
#include <string_view>
#include <variant>

#include "absl/time/time.h"
#include "switchboard/actor.h"
#include "switchboard/agent.h"
#include "switchboard/contact.h"
#include "switchboard/queue.h"

namespace switchboard {

// Defines a queue. AlreadyExists for a duplicate id; InvalidArgument for a bad requirement or
// out-of-range field.
struct AddQueue {
  QueueConfig config;
};

// Defines an agent (logged out). AlreadyExists / NotFound (listed queue) / InvalidArgument.
struct AddAgent {
  AgentConfig config;
};

// Logged out -> not ready (`reason`, default "login") or, with `ready`, available.
struct Login {
  std::string agent;
  bool ready = false;
  std::string reason;
};

// Logs the agent out. With `after_contacts` and contacts in hand, the logout waits until the
// last one ends (a pending change); otherwise the agent must hold nothing.
struct Logout {
  std::string agent;
  bool after_contacts = false;
};

// Not ready -> available; also clears a pending change.
struct SetReady {
  std::string agent;
};

// Available or not ready -> not ready with `reason` (non-empty). With `after_contacts` and
// contacts in hand, waits until the last one ends.
struct SetNotReady {
  std::string agent;
  std::string reason;
  bool after_contacts = false;
};

// A contact arrives. AlreadyExists when the id is in use; NotFound for an unknown queue or
// preferred agent. A full queue rejects it at entry: an outcome (kContactRejected), not an error.
struct AddContact {
  ContactConfig config;
};

// The agent answers the contact offered to it.
struct AcceptOffer {
  std::string agent;
  std::string contact;
};

// The agent declines the offer; the contact goes back keeping its place.
struct RejectOffer {
  std::string agent;
  std::string contact;
};

struct HoldContact {
  std::string agent;
  std::string contact;
};

struct ResumeContact {
  std::string agent;
  std::string contact;
};

// The agent ends a connected (or held) contact: outcome completed; wrap-up follows per the
// queue's policy.
struct CompleteContact {
  std::string agent;
  std::string contact;
};

// Ends the agent's wrap-up of `contact`, or of all its contacts in wrap-up when empty.
struct EndWrapUp {
  std::string agent;
  std::string contact;
};

// Adds `extension` to a timed wrap-up of a queue with kTimedWithExtension, within its
// max_extension.
struct ExtendWrapUp {
  std::string agent;
  std::string contact;
  absl::Duration extension;
};

// The customer left before being connected (waiting or ringing).
struct AbandonContact {
  std::string contact;
};

// The host or a supervisor takes a waiting or ringing contact out, with a reason.
struct RemoveContact {
  std::string contact;
  std::string reason;
};

// Moves time forward and fires what is due (offer timeouts, wrap-up ends, ...).
struct Advance {};

using CommandBody =
    std::variant<AddQueue, AddAgent, Login, Logout, SetReady, SetNotReady, AddContact,
                 AcceptOffer, RejectOffer, HoldContact, ResumeContact, CompleteContact, EndWrapUp,
                 ExtendWrapUp, AbandonContact, RemoveContact, Advance>;

struct Command {
  // The host's time; never earlier than the previous command's (OutOfRange otherwise).
  absl::Time now;
  Actor actor;
  CommandBody body;
};

// "add_queue", "add_agent", "login", "logout", "set_ready", "set_not_ready", "add_contact",
// "accept_offer", "reject_offer", "hold_contact", "resume_contact", "complete_contact",
// "end_wrap_up", "extend_wrap_up", "abandon_contact", "remove_contact", "advance".
std::string_view CommandName(const CommandBody& body);

}  // namespace switchboard

#endif  // SWITCHBOARD_COMMANDS_H_
