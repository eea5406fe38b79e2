// Events: every decision and state change, in order, for the host to act on, store or audit.
#ifndef SWITCHBOARD_EVENTS_H_
#define SWITCHBOARD_EVENTS_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "switchboard/actor.h"
#include "switchboard/agent.h"
#include "switchboard/channel.h"
#include "switchboard/contact.h"

namespace switchboard {

enum class EventType : uint8_t {
  kQueueAdded,
  kAgentAdded,
  kAgentStateChanged,    // from_state -> to_state, reason = not-ready reason when relevant
  kAgentPendingChange,   // reason = "not_ready:<code>" or "logout", or "" when cleared
  kContactQueued,        // entered its queue (or the preferred agent's hold)
  kContactRejected,      // refused at entry; outcome kRejected
  kContactOffered,       // reserved for agent_id; deadline = offer timeout
  kOfferAccepted,
  kOfferRejected,
  kOfferTimedOut,        // RONA
  kOfferWithdrawn,       // the contact left while ringing
  kContactHeld,
  kContactResumed,
  kContactCompleted,     // the agent ended it; outcome kCompleted, reason = the disposition
  kWrapUpStarted,        // deadline = end of timed wrap-up (InfiniteFuture when untimed)
  kWrapUpExtended,
  kWrapUpEnded,
  kContactAbandoned,     // outcome kAbandoned
  kContactRemoved,       // outcome kRemoved, reason from the host
  kPreferredTimedOut,    // the preferred agent's exclusive time ended; any agent will do
  kContactRequirementChanged,  // a requirement step; reason = the requirement now in force
  // Overflow rules (docs/policies.md); reason = the trigger ("wait", "queue_length", ...).
  kOverflowOffered,     // the customer is asked; reason = the action offered ("callback" or
                        // "deflect"), target = the deflection's; AnswerOverflow follows
  kOverflowDeclined,    // the customer said no and keeps waiting
  kContactTransferred,  // queue_id = the queue it left, target = the queue it entered; by an
                        // agent (TransferContact, a consult): agent_id = that agent
  kContactCopied,       // a copy of the contact waits in target too (a copy rule)
  kTransferLimitHit,    // a transfer or copy rule would pass EngineOptions::max_transfers; not
                        // applied
  kTransferTargetFull,  // a transfer or copy rule's target holds its max_length; not applied
  kContactDeflected,    // outcome kDeflected; target = where the host sends the customer
  kContactVoicemail,    // outcome kVoicemail
  kContactDisconnected, // outcome kDisconnected; reason = the rule's reason
  // Callbacks.
  kCallbackAccepted,    // keep place: the customer hung up and keeps its place
  kCallbackScheduled,   // scheduled: deadline = when it will be routed
  kCallbackDue,         // a scheduled callback, or a callback's next attempt, is back in its
                        // queue (cause callback_due)
  kCallbackDialing,     // the agent accepted the callback and dials
  kCallbackConnected,   // the customer answered: connected with the agent (counts as answered)
  kCallbackAttemptFailed,  // reason "no_answer" or "busy"; deadline = the next attempt
  kCallbackFailed,      // the last attempt failed; outcome kCallbackFailed
  kEntryRuleMatched,    // an entry rule placed a contact that named no queue; reason =
                        // "rules[i]: <condition>" (counted from 0), or "rules[i]: default"
  // Opening hours.
  kQueueOpened,
  kQueueClosed,
  // Supervision.
  kHoldLimitReached,    // a contact has been on hold for its queue's max_hold; agent = who
                        // holds it; cause hold_limit
  // Changes to a live center and supervisor commands.
  kAgentUpdated,
  kAgentRemoved,
  kQueueUpdated,
  kQueueRemoved,            // target = the queue its waiting contacts moved to, if any
  kContactPriorityChanged,  // a waiting contact's new priority and class are in the contact's
                            // next listing; reason = "priority=P class=C"
  kContactAssigned,         // a supervisor handed the waiting contact to agent_id; the offer
                            // (contact_offered) follows
  kConsultStarted,          // agent_id consults target (an agent id) about the contact
  kConsultCompleted,        // the contact goes to target; contact_transferred follows
  kConsultCancelled,        // target is released; the contact stays with agent_id
  kAgentRoutableChanged,    // whether the engine may offer the agent a contact changed while
                            // its state did not (an agent with room for several contacts
                            // filled up, or has room again): reason = why not
                            // (AgentStats::not_routable_reason), "" when it may; to_state = its
                            // state. Otherwise routable is "available" (agent_state_changed).
  // Reserve agents (QueueConfig::reserve); cause reserve_check (or command, as UpdateQueue takes
  // the policy away). reason = the measures that decided, e.g.
  // "service_level=0.62 oldest_wait=1m15s"; wait = the oldest wait.
  kReserveActivated,
  kReserveDeactivated,
};

// "queue_added", "agent_added", "agent_state_changed", ...
std::string_view EventTypeName(EventType type);

// Why an event happened.
enum class Cause : uint8_t {
  kCommand,          // the command of `actor`
  kRouting,          // a routing decision
  kOfferTimeout,
  kWrapUpTimeout,
  kMissedOfferDelay, // the delay after a rejected or timed-out offer ended
  kPreferredTimeout,
  kPendingChange,    // a change asked for earlier took effect
  kRequirementStep,  // the contact's wait reached a requirement step of its queue
  kOverflow,         // an overflow rule fired (a wait, the last agent logging out)
  kCallbackDue,      // a scheduled callback or a callback's next attempt came due
  kOpeningHours,     // a queue opened or closed
  kHoldLimit,        // a contact's hold reached its queue's max_hold
  kReserveCheck,     // the periodic check of a queue's reserve policy
};

std::string_view CauseName(Cause cause);

struct Event {
  // 1, 2, 3, ... in the order the engine produced them.
  uint64_t sequence = 0;
  absl::Time time;
  EventType type = EventType::kQueueAdded;
  // Who issued the command that led to this event (Actor::System() for timers).
  Actor actor;
  Cause cause = Cause::kCommand;
  std::string contact_id;
  std::string agent_id;
  std::string queue_id;
  Channel channel = Channel::kVoice;
  AgentState from_state = AgentState::kLoggedOut;
  AgentState to_state = AgentState::kLoggedOut;
  // Not-ready reason, removal reason, ...
  std::string reason;
  ContactOutcome outcome = ContactOutcome::kNone;
  // Offer timeout or wrap-up end, when the event starts one; InfiniteFuture otherwise.
  absl::Time deadline = absl::InfiniteFuture();
  // For offers, outcomes and requirement steps: how long the contact had waited, in
  // microseconds.
  int64_t wait_micros = 0;
  // For contact_queued: the estimated wait (0 when an agent takes the contact at once).
  absl::Duration estimated_wait = absl::ZeroDuration();
  // Overflow: the queue a contact was transferred to, or where a deflected one goes.
  std::string target;
};

// One line, stable across runs and platforms, e.g.
// "#12 t=1700000030.000000 contact_offered actor=system cause=routing contact=c1 agent=a1
//  queue=support channel=voice deadline=1700000045.000000 wait=30.000000".
std::string FormatEvent(const Event& event);

// Which of an event's fields mean something for its type, as FormatEvent shows them; a host that
// writes events as records with the same keys for every type (Python, the daemon's JSON) leaves
// the others empty. from_state and to_state: agent_state_changed. channel: contact_queued,
// contact_rejected and contact_offered. wait_micros: contact_offered, offer_accepted,
// contact_requirement_changed, an event with an outcome, and a reserve check's
// reserve_activated / reserve_deactivated (the oldest wait it saw).
bool EventHasStates(const Event& event);
bool EventHasChannel(const Event& event);
bool EventHasWait(const Event& event);

// Receives events as they happen, instead of (not as well as) the engine's buffer.
class EventSink {
 public:
  virtual ~EventSink() = default;
  // Called synchronously inside the command that produced the event. Must not call back into
  // the engine.
  virtual void OnEvent(const Event& event) = 0;
};

}  // namespace switchboard

#endif  // SWITCHBOARD_EVENTS_H_
