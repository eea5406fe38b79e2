// Names of event types and causes, and the stable one-line form of an event.
#include "switchboard/events.h"

#include <cstdlib>

#include "fmt/format.h"
#include "switchboard/actor.h"
#include "switchboard/agent.h"
#include "switchboard/channel.h"
#include "switchboard/contact.h"

namespace switchboard {

std::string_view EventTypeName(EventType type) {
  switch (type) {
    case EventType::kQueueAdded:
      return "queue_added";
    case EventType::kAgentAdded:
      return "agent_added";
    case EventType::kAgentStateChanged:
      return "agent_state_changed";
    case EventType::kAgentPendingChange:
      return "agent_pending_change";
    case EventType::kContactQueued:
      return "contact_queued";
    case EventType::kContactRejected:
      return "contact_rejected";
    case EventType::kContactOffered:
      return "contact_offered";
    case EventType::kOfferAccepted:
      return "offer_accepted";
    case EventType::kOfferRejected:
      return "offer_rejected";
    case EventType::kOfferTimedOut:
      return "offer_timed_out";
    case EventType::kOfferWithdrawn:
      return "offer_withdrawn";
    case EventType::kContactHeld:
      return "contact_held";
    case EventType::kContactResumed:
      return "contact_resumed";
    case EventType::kContactCompleted:
      return "contact_completed";
    case EventType::kWrapUpStarted:
      return "wrap_up_started";
    case EventType::kWrapUpExtended:
      return "wrap_up_extended";
    case EventType::kWrapUpEnded:
      return "wrap_up_ended";
    case EventType::kContactAbandoned:
      return "contact_abandoned";
    case EventType::kContactRemoved:
      return "contact_removed";
    case EventType::kPreferredTimedOut:
      return "preferred_timed_out";
    case EventType::kContactRequirementChanged:
      return "contact_requirement_changed";
    case EventType::kOverflowOffered:
      return "overflow_offered";
    case EventType::kOverflowDeclined:
      return "overflow_declined";
    case EventType::kContactTransferred:
      return "contact_transferred";
    case EventType::kContactCopied:
      return "contact_copied";
    case EventType::kTransferLimitHit:
      return "transfer_limit_hit";
    case EventType::kTransferTargetFull:
      return "transfer_target_full";
    case EventType::kContactDeflected:
      return "contact_deflected";
    case EventType::kContactVoicemail:
      return "contact_voicemail";
    case EventType::kContactDisconnected:
      return "contact_disconnected";
    case EventType::kCallbackAccepted:
      return "callback_accepted";
    case EventType::kCallbackScheduled:
      return "callback_scheduled";
    case EventType::kCallbackDue:
      return "callback_due";
    case EventType::kCallbackDialing:
      return "callback_dialing";
    case EventType::kCallbackConnected:
      return "callback_connected";
    case EventType::kCallbackAttemptFailed:
      return "callback_attempt_failed";
    case EventType::kCallbackFailed:
      return "callback_failed";
    case EventType::kEntryRuleMatched:
      return "entry_rule_matched";
    case EventType::kQueueOpened:
      return "queue_opened";
    case EventType::kQueueClosed:
      return "queue_closed";
    case EventType::kHoldLimitReached:
      return "hold_limit_reached";
    case EventType::kAgentUpdated:
      return "agent_updated";
    case EventType::kAgentRemoved:
      return "agent_removed";
    case EventType::kQueueUpdated:
      return "queue_updated";
    case EventType::kQueueRemoved:
      return "queue_removed";
    case EventType::kContactPriorityChanged:
      return "contact_priority_changed";
    case EventType::kContactAssigned:
      return "contact_assigned";
    case EventType::kConsultStarted:
      return "consult_started";
    case EventType::kConsultCompleted:
      return "consult_completed";
    case EventType::kConsultCancelled:
      return "consult_cancelled";
    case EventType::kAgentRoutableChanged:
      return "agent_routable_changed";
    case EventType::kReserveActivated:
      return "reserve_activated";
    case EventType::kReserveDeactivated:
      return "reserve_deactivated";
  }
  return "?";
}

std::string_view CauseName(Cause cause) {
  switch (cause) {
    case Cause::kCommand:
      return "command";
    case Cause::kRouting:
      return "routing";
    case Cause::kOfferTimeout:
      return "offer_timeout";
    case Cause::kWrapUpTimeout:
      return "wrap_up_timeout";
    case Cause::kMissedOfferDelay:
      return "missed_offer_delay";
    case Cause::kPreferredTimeout:
      return "preferred_timeout";
    case Cause::kPendingChange:
      return "pending_change";
    case Cause::kRequirementStep:
      return "requirement_step";
    case Cause::kOverflow:
      return "overflow";
    case Cause::kCallbackDue:
      return "callback_due";
    case Cause::kOpeningHours:
      return "opening_hours";
    case Cause::kHoldLimit:
      return "hold_limit";
    case Cause::kReserveCheck:
      return "reserve_check";
  }
  return "?";
}

namespace {

// Seconds with exactly six decimals from integer microseconds: no floating point, so the text
// is the same on every platform.
std::string FormatMicros(int64_t micros) {
  const char* sign = micros < 0 ? "-" : "";
  const uint64_t magnitude =
      micros < 0 ? static_cast<uint64_t>(-(micros + 1)) + 1 : static_cast<uint64_t>(micros);
  return fmt::format("{}{}.{:06d}", sign, magnitude / 1000000, magnitude % 1000000);
}

std::string FormatEventTime(absl::Time time) {
  if (time == absl::InfiniteFuture()) return "inf";
  if (time == absl::InfinitePast()) return "-inf";
  return FormatMicros(absl::ToUnixMicros(time));
}

}  // namespace

std::string FormatEvent(const Event& event) {
  std::string out =
      fmt::format("#{} t={} {} actor={} cause={}", event.sequence, FormatEventTime(event.time),
                  EventTypeName(event.type), ActorName(event.actor), CauseName(event.cause));
  if (!event.contact_id.empty()) out += fmt::format(" contact={}", event.contact_id);
  if (!event.agent_id.empty()) out += fmt::format(" agent={}", event.agent_id);
  if (!event.queue_id.empty()) out += fmt::format(" queue={}", event.queue_id);
  switch (event.type) {
    case EventType::kAgentStateChanged:
      out += fmt::format(" from={} to={}", AgentStateName(event.from_state),
                         AgentStateName(event.to_state));
      break;
    case EventType::kContactQueued:
    case EventType::kContactRejected:
    case EventType::kContactOffered:
      out += fmt::format(" channel={}", ChannelName(event.channel));
      break;
    default:
      break;
  }
  if (!event.reason.empty()) out += fmt::format(" reason={}", event.reason);
  if (!event.target.empty()) out += fmt::format(" target={}", event.target);
  if (event.outcome != ContactOutcome::kNone) {
    out += fmt::format(" outcome={}", ContactOutcomeName(event.outcome));
  }
  if (event.deadline != absl::InfiniteFuture()) {
    out += fmt::format(" deadline={}", FormatEventTime(event.deadline));
  }
  if (event.type == EventType::kContactQueued) {
    out += fmt::format(" ewt={}", FormatMicros(absl::ToInt64Microseconds(event.estimated_wait)));
  }
  if (event.type == EventType::kContactOffered || event.type == EventType::kOfferAccepted ||
      event.type == EventType::kContactRequirementChanged ||
      event.outcome != ContactOutcome::kNone) {
    out += fmt::format(" wait={}", FormatMicros(event.wait_micros));
  }
  return out;
}

bool EventHasStates(const Event& event) { return event.type == EventType::kAgentStateChanged; }

bool EventHasChannel(const Event& event) {
  return event.type == EventType::kContactQueued || event.type == EventType::kContactRejected ||
         event.type == EventType::kContactOffered;
}

bool EventHasWait(const Event& event) {
  const bool reserve_check = (event.type == EventType::kReserveActivated ||
                              event.type == EventType::kReserveDeactivated) &&
                             event.cause == Cause::kReserveCheck;
  return event.type == EventType::kContactOffered || event.type == EventType::kOfferAccepted ||
         event.type == EventType::kContactRequirementChanged ||
         event.outcome != ContactOutcome::kNone || reserve_check;
}

}  // namespace switchboard
