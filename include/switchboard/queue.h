// Queues: where contacts wait for an agent, with the rules for choosing that agent.
#ifndef SWITCHBOARD_QUEUE_H_
#define SWITCHBOARD_QUEUE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"
#include "switchboard/opening_hours.h"
#include "switchboard/strategy.h"

namespace switchboard {

// Skill relaxation: once a contact has waited `after` in its queue (counted from its arrival),
// the agents that may take it are those meeting `requirement` instead. A step may widen the
// requirement (lower levels, other skills) or narrow it (experts for those who waited long).
struct RequirementStep {
  absl::Duration after;
  std::string requirement;  // an expression as QueueConfig::requirement; empty: every agent
};

// A callback the customer accepted (OverflowRule::Action::kCallback).
struct CallbackPolicy {
  enum class Mode : uint8_t {
    // The customer hangs up and keeps its place: when its turn comes an agent is offered it as
    // usual and, once the agent accepts, dials back (event callback_dialing); the host reports
    // the result with ReportCallback.
    kKeepPlace,
    // The contact leaves the queue and comes back `after` later on channel kCallback with
    // `priority`, keeping its original arrival (so its place among those waiting).
    kScheduled,
  };
  Mode mode = Mode::kKeepPlace;
  // kScheduled: how long after the acceptance the callback is routed; > 0, at most kMaxDuration.
  absl::Duration after = absl::ZeroDuration();
  // kScheduled: the priority of the callback contact (as ContactConfig::priority).
  int priority = 0;
  // Dial attempts after a first one that fails (no answer, busy); 0..kMaxCallbackRetries.
  // Default 0: one attempt.
  int retries = 0;
  // Spacing of the attempts: a failed attempt puts the callback back in its place that much
  // later. Default 10 min; > 0.
  absl::Duration retry_after = absl::Minutes(10);
};

// One overflow rule of a queue: when `trigger` fires for a contact, `action` applies to it.
// A queue's rules are ordered; for a contact the first rule that fires applies (and a rule
// whose offer the customer declines is spent: later rules still apply).
struct OverflowRule {
  enum class Trigger : uint8_t {
    kWait,           // the contact has waited `wait` in this queue without being answered
    kQueueLength,    // on arrival: no agent may take it now and `queue_length` or more wait
    kEstimatedWait,  // on arrival: no agent may take it now and its estimated wait >= `wait`
    kNoAgents,       // on arrival, and when the last logged-in agent of the queue logs out:
                     // no logged-in agent serves the queue (or any of its steps)
    kClosed,         // on arrival (before any routing), and for the contacts waiting at
                     // closing time: the queue is outside its opening hours
  };
  enum class Action : uint8_t {
    kTransfer,    // to queue `target`, keeping the original arrival (event contact_transferred)
    kCallback,    // as `callback` says (event callback_accepted / callback_scheduled)
    kDeflect,     // the host sends the customer to `target` (web, chatbot); outcome deflected
    kVoicemail,   // the customer leaves a message; outcome voicemail
    kDisconnect,  // the contact is ended with `reason`; outcome disconnected
    kCopy,        // a copy waits in queue `target` too: the first agent either copy reaches
                  // takes the contact, the other copy is withdrawn (event contact_copied)
  };
  Trigger trigger = Trigger::kWait;
  // kWait: the wait in this queue (from entering it; > 0). kEstimatedWait: the threshold (>= 0).
  absl::Duration wait = absl::ZeroDuration();
  // kQueueLength: contacts already waiting in the queue (all channels, all steps); >= 0.
  int64_t queue_length = 0;
  Action action = Action::kDisconnect;
  // kTransfer, kCopy: the queue's id (added before this one, not this one). kDeflect: where the
  // host sends the customer (non-empty text). Otherwise empty.
  std::string target;
  // kTransfer: only when the target's estimated wait for the contact is shorter than its own
  // (look-ahead); otherwise the rule does not fire.
  bool look_ahead = false;
  // kCallback, kDeflect: the customer is asked first (event overflow_offered) and keeps waiting
  // until the host answers with AnswerOverflow; declined, the rule is spent. Otherwise the
  // action applies at once.
  bool ask = false;
  // kDisconnect, kVoicemail: the reason in the event (text within kMaxTextBytes); default the
  // trigger's name.
  std::string reason;
  CallbackPolicy callback;
};

// "wait", "queue_length", "estimated_wait", "no_agents", "closed".
std::string_view OverflowTriggerName(OverflowRule::Trigger trigger);
// "transfer", "callback", "deflect", "voicemail", "disconnect", "copy".
std::string_view OverflowActionName(OverflowRule::Action action);
// Inverses of the names above; nullopt for an unknown name.
std::optional<OverflowRule::Trigger> ParseOverflowTrigger(std::string_view name);
std::optional<OverflowRule::Action> ParseOverflowAction(std::string_view name);

// After-contact work when a contact on this queue ends.
struct WrapUpPolicy {
  enum class Mode : uint8_t {
    kNone,               // the agent is free as soon as the contact ends
    kTimed,              // ends after `duration` (the agent may end it earlier)
    kUntilAgentEnds,     // lasts until the agent (or supervisor) ends it
    kTimedWithExtension, // like kTimed; the agent may extend it, up to `max_extension` in all
  };
  Mode mode = Mode::kNone;
  // Length of timed wrap-up; > 0 for kTimed and kTimedWithExtension.
  absl::Duration duration = absl::ZeroDuration();
  // Total extra time the agent may ask for with kTimedWithExtension.
  absl::Duration max_extension = absl::ZeroDuration();
};

// When a queue calls on its reserve agents (QueueMembership::reserve): while it is short of
// staff by its service level over a recent window, or by how long its oldest contact has waited.
// Two thresholds per measure (hysteresis): the reserve becomes active when a measure crosses its
// activation threshold, and inactive again only once every configured measure is back on the
// near side of its deactivation threshold, so that one answer does not switch it back and forth.
// The engine checks at every multiple of `check_every` (counted from the Unix epoch) while the
// queue has contacts waiting or its reserve is active; events reserve_activated and
// reserve_deactivated tell each change.
struct ReservePolicy {
  // Active when the service level over the last `window` (contacts answered within the queue's
  // threshold / contacts answered or abandoned in the window; 1 when none) is below this. 0: the
  // service level does not activate the reserve (default). 0..1.
  double activate_below = 0;
  // Inactive again only once the service level is at least this; activate_below..1 (used only
  // with activate_below > 0). 0 (default): activate_below, no gap.
  double deactivate_at = 0;
  // Active when the oldest waiting contact has waited at least this. 0: its wait does not
  // activate the reserve (default).
  absl::Duration activate_wait = absl::ZeroDuration();
  // Inactive again only once the oldest wait is at most this; 0..activate_wait (used only with
  // activate_wait > 0). 0: only once nobody waits.
  absl::Duration deactivate_wait = absl::ZeroDuration();
  // The window of the service level; > 0, at most 24 h. Default 15 min. A changed window
  // (UpdateQueue) starts empty.
  absl::Duration window = absl::Minutes(15);
  // The spacing of the checks; 1 s..1 h. Default 5 s.
  absl::Duration check_every = absl::Seconds(5);
};

struct QueueConfig {
  // Host id; unique, non-empty.
  std::string id;
  // Requirement expression agents must meet (see requirements.h); empty: every agent.
  std::string requirement;
  // How an agent is chosen among several; default longest idle.
  Strategy strategy = Strategy::kLongestIdle;
  // Multi-offer: a contact this queue routes rings at up to this many free agents at once, the
  // strategy's best first (each offer an event contact_offered). The first to accept takes it
  // and the other offers are withdrawn (offer_withdrawn, reason "accepted_by_another"); each
  // agent that rejects it or lets it ring out missed it (RONA: cool-down, pause, consecutive
  // misses), and the contact waits again once no agent still rings. Offers to one chosen agent
  // (a preferred agent, an assignment, a direct transfer) and an agent freeing up that takes
  // the contact it is owed ring at one. A ring does not grow once made.
  // 1..kMaxRingAgents; default 1.
  int ring_agents = 1;
  // Among the queues an agent serves with the same agent priority, higher is served first.
  // Default 0. (Agents' own per-queue priorities come first; see AgentConfig.)
  int priority = 0;
  // Service level: share of contacts answered within `service_level_threshold`; the target is
  // reported alongside, 0..1. Defaults 20 s and 0.8 (80/20).
  absl::Duration service_level_threshold = absl::Seconds(20);
  double service_level_target = 0.8;
  // Contacts that may wait at once; a contact arriving at a full queue is rejected at entry
  // (an outcome, not an error). 0: unlimited (default).
  int64_t max_length = 0;
  // A contact on hold this long raises hold_limit_reached (to the agent and supervisors: the
  // host decides what to do). 0: no limit (default); at most 100,000 h.
  absl::Duration max_hold = absl::ZeroDuration();
  // After-contact work for contacts of this queue.
  WrapUpPolicy wrap_up;
  // Requirement steps, in increasing `after` (each > 0, at most 100,000 h; at most
  // kMaxRequirementSteps). A waiting contact moves to the step its wait has reached, keeping
  // its place in the order of waiting contacts (event contact_requirement_changed); an offered
  // one keeps its offer and takes its step if it comes back. Agents with explicit membership
  // serve the steps whose requirement they meet. Default none.
  std::vector<RequirementStep> steps;
  // Overflow rules, in order (at most kMaxOverflowRules); docs/policies.md. Default none.
  std::vector<OverflowRule> overflow;
  // Opening hours; what a closed queue does is its kClosed overflow rules (without one, a closed
  // queue routes as an open one). Default: always open.
  std::optional<OpeningHours> hours;
  // Reserve agents: when this queue's reserve members take its contacts. Default none: reserve
  // members never do. At least one of activate_below and activate_wait is set.
  std::optional<ReservePolicy> reserve;
};

}  // namespace switchboard

#endif  // SWITCHBOARD_QUEUE_H_
