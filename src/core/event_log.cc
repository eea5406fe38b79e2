// The event log: building events and handing them to the sink or the buffer DrainEvents
// empties.
#include <utility>

#include "base/durations.h"
#include "core/engine_impl.h"

namespace switchboard {

using detail::kNoIndex;
using detail::kNever;

Event Engine::Impl::NewEvent(EventType type) const {
  Event event;
  event.type = type;
  event.time = absl::FromUnixMicros(now_);
  event.actor = actor_;
  event.cause = cause_;
  return event;
}

void Engine::Impl::Emit(Event event) {
  event.sequence = ++event_sequence_;
  FeedIntervalStats(event);
  if (sink_ != nullptr) {
    sink_->OnEvent(event);
  } else if (options_.record_events) {
    events_.push_back(std::move(event));
  }
}

void Engine::Impl::EmitContact(EventType type, const Contact& contact, AgentIndex agent,
                               ContactOutcome outcome, Micros deadline, std::string_view reason,
                               std::string_view target) {
  Event event = NewEvent(type);
  event.contact_id = contact.id;
  if (agent != kNoIndex) event.agent_id = agents_[agent].id;
  event.queue_id = queues_[contact.queue].config.id;
  event.channel = contact.channel;
  event.outcome = outcome;
  if (deadline != kNever) event.deadline = absl::FromUnixMicros(deadline);
  event.reason = std::string(reason);
  event.target = std::string(target);
  event.wait_micros =
      !contact.answered ? now_ - contact.arrival : contact.answered_at - contact.arrival;
  if (type == EventType::kContactQueued) {
    event.estimated_wait = absl::Milliseconds(contact.ewt_ms);
  }
  Emit(std::move(event));
}

std::vector<Event> Engine::Impl::DrainEvents() {
  std::vector<Event> drained;
  drained.swap(events_);
  return drained;
}

}  // namespace switchboard
