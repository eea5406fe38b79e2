// Commands: every input the host gives the engine. Each is applied through Engine::Execute, the
// single entry point where a journal, authorization and metrics attach.
//
// Errors. Every command may first return (see Command):
//  - InvalidArgument: `now` is not finite or lies outside years 1-9999 (kMinTime..kMaxTime);
//    the actor's kind is not a kind or its id is not text within kMaxIdBytes (an engine's
//    options are always valid: Engine::Create refuses others);
//  - OutOfRange: `now` is before the previous command's time;
//  - ResourceExhausted: max_buffered_events events wait undrained (drain, then retry).
// Then each states its own below. An id that names nothing is NotFound, or InvalidArgument when
// it could not name anything (empty, too long, not UTF-8). A refused command changes nothing
// beyond firing the deadlines due before `now`.
//
// Cost. A is the agents in one pool (a queue, a channel, a delay tier), W the contacts waiting
// in one (queue, channel), T the timers pending, Q_a the queues an agent serves and C_a the
// channels it can take. A routing decision grows at most logarithmically with agents and
// waiting contacts:
//  - contact side (a contact looks for an agent): O(tiers × log A);
//  - agent side (an agent with room takes the most urgent contact): O(Q_a × C_a × log W) per
//    contact it takes;
//  - re-pool (an agent's state or load changes): O(Q_a × C_a × log A).
// Id lookups are hash lookups, O(1) expected. Some steps are amortized: the id tables grow by
// rehashing, and a queue's waiting set and arrival order drop contacts that left from behind
// their front in occasional O(W) passes (docs/performance.md, tail latency); a timer is O(1)
// into its kind's lane, O(log T) when set out of order. Contacts skipped for a RONA cool-down
// with the agent at hand add to a decision (docs/architecture.md, "Cost of operations").
#ifndef SWITCHBOARD_COMMANDS_H_
#define SWITCHBOARD_COMMANDS_H_

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "absl/time/time.h"
#include "switchboard/actor.h"
#include "switchboard/agent.h"
#include "switchboard/contact.h"
#include "switchboard/entry_rules.h"
#include "switchboard/queue.h"

namespace switchboard {

// Defines a queue; agents with automatic membership that meet its requirement serve it at once.
// Errors: AlreadyExists, the id is in use; InvalidArgument, a bad id, a requirement that does not
// parse, a negative service_level_threshold or one over kMaxDuration, service_level_target
// outside 0..1, max_length < 0, a strategy or wrap_up.mode out of range, a timed wrap_up without
// a positive duration, a negative max_extension; more than kMaxRequirementSteps steps, a step's
// `after` not above the one before (or not positive), or a step's requirement that does not
// parse (nothing is interned then).
// Cost: configuration, not a routing decision: O(requirement size) to parse, then
// O(requirement size) per agent holding its rarest required skill (every agent when it requires
// no skill), plus a re-pool per agent that serves it; the same again for each requirement step.
struct AddQueue {
  QueueConfig config;
};

// Defines an agent, logged out.
// Errors: AlreadyExists, the id is in use; NotFound, a listed queue is unknown;
// ResourceExhausted, its new skill names would pass kMaxSkills; InvalidArgument, a bad id,
// group name, attribute, skill name or level, or capacity, more than kMaxEntries groups or
// queues, weight outside (0, kMaxAgentWeight], no queue listed with auto_membership off, a
// queue listed twice, a negative delay, or a listed queue whose
// requirement the agent does not meet.
// Cost: configuration: O(queues × requirement size) with automatic membership, O(listed queues ×
// requirement size) otherwise.
struct AddAgent {
  AgentConfig config;
};

// Logged out -> not ready (`reason`, default "login") or, with `ready`, available.
// Errors: NotFound, unknown agent; FailedPrecondition, already logged in; InvalidArgument, a
// reason with `ready`, or a reason that is not text within kMaxTextBytes.
// Cost: with `ready`, an agent-side decision per contact it takes, then a re-pool.
struct Login {
  std::string agent;
  bool ready = false;
  std::string reason;
};

// Logs the agent out. With `after_contacts` and contacts in hand, the logout waits until the
// last one ends (a pending change); otherwise the agent must hold nothing.
// Errors: NotFound, unknown agent; FailedPrecondition, logged out, or, without
// `after_contacts`, an offer pending, a contact connected or a wrap-up running.
// Cost: the agent leaves its pools, O(Q_a × C_a × log A).
struct Logout {
  std::string agent;
  bool after_contacts = false;
};

// Not ready -> available; also clears a pending change.
// Errors: NotFound, unknown agent; FailedPrecondition, logged out, already available, or holding
// contacts while ready with no pending change to clear.
// Cost: an agent-side decision per contact it takes, then a re-pool.
struct SetReady {
  std::string agent;
};

// Available or not ready -> not ready with `reason` (non-empty). With `after_contacts` and
// contacts in hand, waits until the last one ends.
// Errors: NotFound, unknown agent; InvalidArgument, an empty reason or one that is not text
// within kMaxTextBytes; FailedPrecondition, logged out, or, without `after_contacts`, holding an
// offer, a connected contact or a wrap-up.
// Cost: a re-pool, O(Q_a × C_a × log A).
struct SetNotReady {
  std::string agent;
  std::string reason;
  bool after_contacts = false;
};

// Replaces the entry rules (entry_rules.h): where contacts that name no queue go.
// Errors: InvalidArgument, more than kMaxEntryRules rules, a condition that does not parse
// ("rules[1]: condition '...': column 7: ..."), a rule with neither queue nor deflect, a
// priority or class out of range or given with deflect, a deflect target that is not text
// within kMaxTextBytes;
// NotFound, a queue that does not exist. Nothing changes then.
// Cost: configuration: O(total condition size) to parse.
struct SetEntryRules {
  std::vector<EntryRule> rules;
};

// A contact arrives: offered at once to the agent the queue's strategy picks, else waiting.
// A contact with an empty `queue` is placed by the entry rules (event entry_rule_matched): the
// first rule its attributes meet gives its queue, and may set its priority and class or
// deflect it at once (event contact_deflected, no error).
// A full queue rejects it at entry: an outcome (kContactRejected), not an error.
// Errors: AlreadyExists, the id is in use by a contact still in the engine; NotFound, unknown
// queue or preferred agent; FailedPrecondition, no queue named and no entry rule matches; InvalidArgument, a bad id or attribute, a channel out of range,
// priority outside -kMaxPriority..kMaxPriority, priority_class outside 0..kMaxPriorityClass, an
// arrival after `now` or outside kMinTime..kMaxTime, a negative preferred_timeout or one over
// kMaxDuration.
// Cost: with no queue named, the conditions of the rules up to the first that matches; then
// a contact-side decision and the chosen agent's re-pool, O(tiers × log A + Q_a × C_a ×
// log A); or, when it waits, O(1) at the back of its class, else O(log W), plus a re-check
// schedule in queues with delayed agents. The id table's insert is amortized.
struct AddContact {
  ContactConfig config;
};

// The agent answers the contact offered to it: the contact is connected, the agent busy.
// Errors: NotFound, unknown agent or contact; FailedPrecondition, the agent has no offer pending
// (or is logged out), or the contact is not offered to this agent.
// Cost: O(1) after two id lookups, plus a re-pool of the agent.
struct AcceptOffer {
  std::string agent;
  std::string contact;
};

// The agent declines the offer; the contact goes back keeping its place and is not offered to
// this agent again for rona_cooldown. The agent pauses or goes not ready as EngineOptions say.
// Errors: as AcceptOffer.
// Cost: the contact re-enters its waiting set (O(log W)); an agent-side decision for the agent,
// then a contact-side decision for the contact.
struct RejectOffer {
  std::string agent;
  std::string contact;
};

// Puts a connected contact on hold; it keeps its place in the agent's capacity.
// Errors: NotFound, unknown agent or contact; FailedPrecondition, the agent has no connected
// contact (or is logged out), or the contact is not connected with this agent (on hold already,
// say).
// Cost: O(1) after two id lookups.
struct HoldContact {
  std::string agent;
  std::string contact;
};

// Takes a contact off hold: connected again.
// Errors: NotFound, unknown agent or contact; FailedPrecondition, the agent has no connected
// contact (or is logged out), or the contact is not on hold with this agent.
// Cost: O(1) after two id lookups.
struct ResumeContact {
  std::string agent;
  std::string contact;
};

// The agent ends a connected (or held) contact: outcome completed; wrap-up follows per the
// queue's policy.
// Errors: NotFound, unknown agent or contact; FailedPrecondition, the agent has no connected
// contact (or is logged out), or the contact is not connected or on hold with this agent.
// Cost: an agent-side decision per contact the freed agent takes, then a re-pool; a wrap-up
// timer when the policy is timed.
struct CompleteContact {
  std::string agent;
  std::string contact;
  // How the contact ended, in the host's codes ("resolved", "escalated", "follow_up", ...;
  // text within kMaxTextBytes); empty: none. Counted per queue and agent
  // (QueueStats::dispositions, AgentStats::dispositions) and the reason of contact_completed.
  std::string disposition;
};

// Ends the agent's wrap-up of `contact`, or of all its contacts in wrap-up when empty.
// Errors: NotFound, unknown agent; FailedPrecondition, no wrap-up running, or none of `contact`.
// Cost: O(wrap-ups it holds), then an agent-side decision per contact it takes and a re-pool.
struct EndWrapUp {
  std::string agent;
  std::string contact;
};

// Adds `extension` to a timed wrap-up of a queue with kTimedWithExtension, within its
// max_extension (in all, over every extension). An empty `contact` extends the agent's first
// wrap-up.
// Errors: NotFound, unknown agent; FailedPrecondition, no wrap-up running or none of `contact`,
// the queue does not allow extensions, or `extension` passes what max_extension has left;
// InvalidArgument, `extension` not positive or over kMaxDuration.
// Cost: O(wrap-ups it holds) and one timer.
struct ExtendWrapUp {
  std::string agent;
  std::string contact;
  absl::Duration extension;
};

// The customer left before being connected (waiting or ringing): outcome abandoned; a ringing
// contact's offer is withdrawn.
// Errors: NotFound, unknown contact (never added, or ended); FailedPrecondition, the contact is
// connected or on hold (the agent completes it).
// Cost: O(1) from the front of its waiting set, else O(log W) (amortized); a ringing contact
// frees its agent: an agent-side decision and a re-pool.
struct AbandonContact {
  std::string contact;
};

// The host or a supervisor takes a waiting or ringing contact out, with a reason: outcome
// removed.
// Errors: as AbandonContact, and InvalidArgument for a reason that is not text within
// kMaxTextBytes.
// Cost: as AbandonContact.
struct RemoveContact {
  std::string contact;
  std::string reason;
};

// The customer's answer to an overflow rule's offer (event overflow_offered): accepted, the
// rule's action applies (callback or deflection); declined, the contact keeps waiting and the
// rule is spent.
// Errors: NotFound, unknown contact; FailedPrecondition, no offer of an overflow rule is
// pending for the contact (never made, answered already, or lapsed because an agent took it);
// InvalidArgument, a callback_at with an offer that is not a scheduled callback, or one before
// the command's time or after kMaxTime.
// Cost: that of the action, at most a contact leaving its waiting set, O(log W).
struct AnswerOverflow {
  std::string contact;
  bool accepted = false;
  // For a scheduled callback: the time the customer chose to be called back, instead of the
  // policy's `after` from now.
  std::optional<absl::Time> callback_at;
};

// What happened when the agent dialled a callback (event callback_dialing).
enum class CallbackResult : uint8_t { kConnected, kNoAnswer, kBusy };

// The host reports a callback's dial attempt: connected, the contact is connected with the
// agent and counts as answered (its wait from the original arrival); no answer or busy, the
// agent is free again and the callback goes back to its place after the queue's retry_after,
// or ends with outcome callback_failed after its last attempt.
// Errors: NotFound, unknown contact; FailedPrecondition, the contact is not a callback being
// dialled; InvalidArgument, a result out of range.
// Cost: O(1); on failure the freed agent's decision and re-pool.
struct ReportCallback {
  std::string contact;
  CallbackResult result = CallbackResult::kConnected;
};

// Changes a live agent: each field given replaces the agent's; those left empty stay. The
// agent keeps its state, its contacts and its statistics; it serves at once the queues the
// change makes it meet (or lists) and stops serving the others, and, when it is free, takes at
// once the contacts the change lets it take. A contact already offered keeps its offer.
// A listed queue whose requirement the agent does not meet (any more) is not served; listing
// one anew (`queues` given) is checked as AddAgent checks it.
// Errors: NotFound, unknown agent or a listed queue; the checks of AddAgent on the fields given
// (as the agent would be after the change); FailedPrecondition, a capacity without room for a
// channel the agent holds contacts of (its limit 0 there).
// Cost: configuration: as AddAgent for the agent, then an agent-side decision per contact it
// takes; O(holders of each skill it holds, before and after) to keep the skill index.
struct UpdateAgent {
  std::string agent;
  std::optional<std::map<std::string, int, std::less<>>> skills;
  std::optional<std::vector<std::string>> groups;
  std::optional<std::string> team;
  std::optional<Attributes> attributes;
  std::optional<CapacityConfig> capacity;
  std::optional<std::vector<QueueMembership>> queues;
  std::optional<bool> auto_membership;
  std::optional<double> weight;
};

// Removes a logged-out agent: its id is free again, its statistics are gone, and contacts that
// waited for it as their preferred agent wait for any agent of their queue (event
// preferred_timed_out).
// Errors: NotFound, unknown agent; FailedPrecondition, logged in (log it out first; with
// after_contacts it waits for its contacts to end).
// Cost: O(contacts held for it × log W) and O(holders of each of its skills).
struct RemoveAgent {
  std::string agent;
};

// Replaces a live queue's configuration (its id stays): requirement and steps, strategy,
// priority, service level, max_length, wrap-up, hold limit, overflow rules and hours. Agents
// serve it again by the new requirement (automatic members that meet it now join; those that
// no longer meet it leave), and free agents take at once the contacts the change lets them.
// Contacts keep their place and any offer. What applies to contacts already waiting
// (docs/operations.md): the new requirement and strategy at once; wait rules and step times
// counted from when each entered the queue, except rules and steps whose time they have passed
// (those never fire for them); a later max_length or wrap-up applies from the next contact.
// A contact that accepted a callback follows the new list's first callback rule.
// Errors: NotFound, unknown queue; the checks of AddQueue; FailedPrecondition, a different
// number of requirement steps (remove and add the queue to change it), a requirement that
// an entry rule's own requirement cannot be combined with, or no callback rule left while
// callbacks of the queue are pending.
// Cost: configuration: O(agents × records of the queue × requirement size) to find the agents
// it concerns, O(queues × requirement size) and a re-pool for each of those; O(contacts in the
// engine) when the queue has overflow rules (before or after); then an agent-side decision per
// contact taken.
struct UpdateQueue {
  QueueConfig config;
};

// Removes a queue. Its waiting contacts move to `move_to` (as MoveContact, keeping their
// arrival); without it the queue must hold none. Agents stop serving it.
// Errors: NotFound, unknown queue or `move_to`; InvalidArgument, `move_to` is the queue
// itself; FailedPrecondition, contacts wait in it and no `move_to` is given, a contact of it
// rings or is a callback (waiting for its time or its turn, or being dialled), or an overflow
// rule of another queue or an entry rule sends contacts to it.
// Cost: configuration: O(agents + contacts in the engine + queues' rules).
struct RemoveQueue {
  std::string queue;
  std::string move_to;
};

// A supervisor moves a waiting contact to another queue: it keeps its arrival (and so its
// wait and place by arrival there), counts as a transfer in both queues (offered in the
// target) and is offered at once if an agent there may take it. Event contact_transferred
// with reason "moved".
// Errors: NotFound, unknown contact or queue; FailedPrecondition, the contact is not waiting
// in a queue (ringing, connected), is a callback (which stays in the queue that counts it), the
// queue is the one it waits in, or it has been moved or transferred kMaxTransfers times.
// Cost: leaving its waiting set, O(log W), then a contact-side decision.
struct MoveContact {
  std::string contact;
  std::string queue;
};

// A supervisor changes a waiting contact's priority (and, when given, its strict priority
// class): it takes its new place at once (virtual arrival from its real arrival) and is
// offered if an agent may now take it.
// Errors: NotFound, unknown contact; FailedPrecondition, not waiting; InvalidArgument, a
// priority or class out of range (as AddContact).
// Cost: O(log W) to re-enter its waiting set, then a contact-side decision.
struct SetContactPriority {
  std::string contact;
  int priority = 0;
  std::optional<int> priority_class;
};

// A supervisor hands a chosen waiting contact to a chosen agent: the contact is offered to that
// agent now (event contact_offered with reason "assigned"), whatever the queue's order, the
// agent's queues and its queue delays; the offer rings and may be accepted, rejected or time
// out as any other.
// Errors: NotFound, unknown contact or agent; FailedPrecondition, the contact is not waiting in
// a queue, or the agent is not logged in and ready or has no room for the contact's channel.
// Cost: leaving the waiting set, O(log W), and the agent's re-pool.
struct AssignContact {
  std::string contact;
  std::string agent;
};

// The agent transfers its connected (or held) contact. Blind: to `queue` (empty: the contact's
// own), where it waits as a contact that entered now (its wait there counts from the transfer;
// the target's rules apply). Direct: with `to_agent`, it waits for that agent for `timeout`,
// then for any agent of the queue (as a preferred agent). The agent's part ends as a completed
// contact's would, with the queue's wrap-up, but the contact has no outcome yet: it ends once,
// with the agent who finally handles it. Event contact_transferred (agent = who transferred,
// target = the queue it entered, reason "blind" or "direct"); counted in the source queue's
// `transferred` and the agent's `transfers`.
// Errors: NotFound, unknown agent, contact, queue or to_agent; FailedPrecondition, the contact
// is not connected or on hold with the agent, has a consult open, the target queue is full
// (max_length), no `queue` is named and the contact's own has been removed, or the contact has
// been transferred or moved kMaxTransfers times;
// InvalidArgument, to_agent is the agent itself, or a timeout not positive or over
// kMaxDuration.
// Cost: as CompleteContact for the agent, then as AddContact's placing for the contact.
struct TransferContact {
  std::string agent;
  std::string contact;
  std::string queue;
  std::string to_agent;
  absl::Duration timeout = absl::Seconds(30);
};

// Consult transfer. StartConsult reserves `to_agent` to talk with the agent while the contact
// stays with it (the consulted agent is busy and holds one contact of the channel; its listing
// shows the contact). CompleteConsult hands the contact to the consulted agent (the first
// agent's part ends with wrap-up, as in TransferContact; reason "consult"); CancelConsult
// releases the consulted agent and the contact stays. Events consult_started, consult_completed
// (then contact_transferred) and consult_cancelled, with target = the consulted agent.
// Errors: NotFound, unknown agent, contact or to_agent; FailedPrecondition, the contact is not
// connected or on hold with the agent (CancelConsult: or with the consulted agent), a consult
// is already open for it (StartConsult) or none is (the others), or to_agent is not ready or
// has no room for the contact's channel; InvalidArgument, to_agent is the agent itself.
// While a consult is open the contact cannot be completed or transferred otherwise.
// Cost: two re-pools (O(Q_a × C_a × log A) each); CancelConsult then an agent-side decision.
struct StartConsult {
  std::string agent;
  std::string contact;
  std::string to_agent;
};
struct CompleteConsult {
  std::string agent;
  std::string contact;
};
struct CancelConsult {
  std::string agent;
  std::string contact;
};

// Moves time forward and fires what is due (offer timeouts, wrap-up ends, ...).
// Errors: only those every command may return.
// Cost: per deadline fired, O(1) from its lane or O(log T) (then what it causes: a timed-out
// offer or an ended wrap-up costs as RejectOffer or EndWrapUp).
struct Advance {};

using CommandBody =
    std::variant<AddQueue, AddAgent, Login, Logout, SetReady, SetNotReady, AddContact,
                 AcceptOffer, RejectOffer, HoldContact, ResumeContact, CompleteContact, EndWrapUp,
                 ExtendWrapUp, AbandonContact, RemoveContact, AnswerOverflow, ReportCallback,
                 SetEntryRules, UpdateAgent, RemoveAgent, UpdateQueue, RemoveQueue, MoveContact,
                 SetContactPriority, AssignContact, TransferContact, StartConsult, CompleteConsult,
                 CancelConsult, Advance>;

// One command. Before its body, Execute checks the options, the time and the actor and fires
// the deadlines due up to `now` (the errors every command may return, above).
struct Command {
  // The host's time; never earlier than the previous command's (OutOfRange otherwise).
  absl::Time now;
  Actor actor;
  CommandBody body;
};

// "add_queue", "add_agent", "login", "logout", "set_ready", "set_not_ready", "add_contact",
// "accept_offer", "reject_offer", "hold_contact", "resume_contact", "complete_contact",
// "end_wrap_up", "extend_wrap_up", "abandon_contact", "remove_contact", "answer_overflow",
// "report_callback", "set_entry_rules", "update_agent", "remove_agent", "update_queue",
// "remove_queue", "move_contact", "set_contact_priority", "assign_contact", "transfer_contact",
// "start_consult", "complete_consult", "cancel_consult", "advance".
std::string_view CommandName(const CommandBody& body);

}  // namespace switchboard

#endif  // SWITCHBOARD_COMMANDS_H_
