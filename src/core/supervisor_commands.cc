// The supervisor's commands on waiting contacts: MoveContact, SetContactPriority and
// AssignContact. Each records its actor in its events, as every command does.
#include <string>
#include <utility>

#include "base/durations.h"
#include "core/capacity_internal.h"
#include "core/engine_impl.h"
#include "fmt/format.h"
#include "switchboard/limits.h"

namespace switchboard {

using detail::kNoIndex;

namespace {

absl::Status NotWaiting(std::string_view contact, ContactState state) {
  return absl::FailedPreconditionError(
      fmt::format("contact '{}' is {}, not waiting in a queue", contact, ContactStateName(state)));
}

}  // namespace

absl::Status Engine::Impl::Apply(const switchboard::MoveContact& command) {
  absl::StatusOr<ContactSlot> slot = FindContact(command.contact);
  if (!slot.ok()) return slot.status();
  absl::StatusOr<QueueIndex> target = FindQueue(command.queue);
  if (!target.ok()) return target.status();
  const Contact& contact = contacts_[*slot];
  if (!contact.queued) return NotWaiting(command.contact, contact.state);
  if (contact.callback) {
    // Its callback and the callback's outcome are counted in the queue that offered it.
    return absl::FailedPreconditionError(fmt::format(
        "contact '{}' waits to be called back; a callback stays in its queue", command.contact));
  }
  if (queues_[contact.queue].home == *target) {
    return absl::FailedPreconditionError(fmt::format("contact '{}' already waits in queue '{}'",
                                                     command.contact, command.queue));
  }
  if (contact.transfers >= kMaxTransfers) {
    return absl::FailedPreconditionError(
        fmt::format("contact '{}' has been moved or transferred {} times; at most {}",
                    command.contact, static_cast<int>(contact.transfers), kMaxTransfers));
  }
  TransferTo(*slot, *target, "moved", /*by_rule=*/false);
  return absl::OkStatus();
}

absl::Status Engine::Impl::Apply(const switchboard::SetContactPriority& command) {
  absl::StatusOr<ContactSlot> slot = FindContact(command.contact);
  if (!slot.ok()) return slot.status();
  if (command.priority < -kMaxPriority || command.priority > kMaxPriority) {
    return absl::InvalidArgumentError(
        fmt::format("contact '{}': priority is {}; expected {}..{}", command.contact,
                    command.priority, -kMaxPriority, kMaxPriority));
  }
  if (command.priority_class &&
      (*command.priority_class < 0 || *command.priority_class > kMaxPriorityClass)) {
    return absl::InvalidArgumentError(
        fmt::format("contact '{}': priority_class is {}; expected 0..{}", command.contact,
                    *command.priority_class, kMaxPriorityClass));
  }
  Contact& contact = contacts_[*slot];
  if (!contact.queued) return NotWaiting(command.contact, contact.state);
  // Out of its waiting set under its old key, back in under the new one (its place by its new
  // virtual arrival), and offered if an agent may take it now.
  Queue& home = queues_[queues_[contact.queue].home];
  const Micros last_serve = home.last_serve;  // not a serve: the estimated wait's clock runs on
  LeaveWaiting(*slot);
  contact.priority = command.priority;
  if (command.priority_class) contact.priority_class = static_cast<uint8_t>(*command.priority_class);
  contact.virtual_arrival = VirtualArrival(contact.arrival, contact.priority);
  if (contact.copied) {
    Contact& copy = contacts_[copies_.at(*slot)];
    if (copy.queued) {
      const ContactSlot copy_slot = copies_.at(*slot);
      LeaveWaiting(copy_slot);
      copy.priority = contact.priority;
      copy.priority_class = contact.priority_class;
      copy.virtual_arrival = contact.virtual_arrival;
      EnterWaiting(copy_slot);
    }
  }
  if (events_on()) {
    EmitContact(EventType::kContactPriorityChanged, contact, kNoIndex, ContactOutcome::kNone,
                detail::kNever,
                fmt::format("priority={} class={}", contact.priority,
                            static_cast<int>(contact.priority_class)));
  }
  if (!RouteContact(*slot)) {
    Wait(*slot);
    home.last_serve = last_serve;
  }
  return absl::OkStatus();
}

absl::Status Engine::Impl::Apply(const switchboard::AssignContact& command) {
  absl::StatusOr<ContactSlot> slot = FindContact(command.contact);
  if (!slot.ok()) return slot.status();
  absl::StatusOr<AgentIndex> a = FindAgent(command.agent);
  if (!a.ok()) return a.status();
  const Contact& contact = contacts_[*slot];
  if (!contact.queued) return NotWaiting(command.contact, contact.state);
  const Agent& agent = agents_[*a];
  if (!Routable(agent)) {
    return absl::FailedPreconditionError(
        fmt::format("agent '{}' cannot take a contact now ({})", command.agent,
                    NotRoutableReason(agent)));
  }
  if (!detail::CanTake(agent.capacity, agent.load, agent.held_channels, contact.channel)) {
    return absl::FailedPreconditionError(
        fmt::format("agent '{}' has no room for a {} contact", command.agent,
                    ChannelName(contact.channel)));
  }
  if (events_on()) EmitContact(EventType::kContactAssigned, contact, *a);
  Offer(*slot, *a);
  return absl::OkStatus();
}

}  // namespace switchboard
