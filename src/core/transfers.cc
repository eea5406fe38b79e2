// Transfers by agents: blind to a queue, direct to an agent (TransferContact), and consult
// (StartConsult, CompleteConsult, CancelConsult). The agent's part of a contact ends as a
// completed one's would (wrap-up per its queue); the contact itself goes on and ends once.
#include <string>
#include <utility>

#include "base/durations.h"
#include "base/status_macros.h"
#include "core/capacity_internal.h"
#include "core/engine_impl.h"
#include "core/validation.h"
#include "fmt/format.h"
#include "switchboard/limits.h"

namespace switchboard {

using detail::kNever;
using detail::kNoIndex;
using detail::ToMicros;

absl::StatusOr<std::pair<AgentIndex, ContactSlot>> Engine::Impl::Handling(
    std::string_view agent, std::string_view contact) const {
  absl::StatusOr<AgentIndex> a = FindAgent(agent);
  if (!a.ok()) return a.status();
  absl::StatusOr<ContactSlot> slot =
      ContactWith(contact, *a, ContactState::kConnected, /*or_on_hold=*/true);
  if (!slot.ok()) return slot.status();
  return std::pair{*a, *slot};
}

absl::Status Engine::Impl::ConsultOpen(ContactSlot slot) const {
  return absl::FailedPreconditionError(
      fmt::format("contact '{}' has a consult open; complete or cancel it first",
                  contacts_[slot].id));
}

void Engine::Impl::HandOver(AgentIndex a, ContactSlot slot, QueueIndex target,
                            AgentIndex preferred, Micros until, std::string_view reason) {
  Contact& contact = contacts_[slot];
  detail::EraseFirst(agents_[a].connected, slot);
  StartWrapUp(a, contact);
  ++CountersOf(contact.queue).transferred;
  ++agent_transfers_[a].first;
  if (events_on()) {
    EmitContact(EventType::kContactTransferred, contact, a, ContactOutcome::kNone, kNever, reason,
                queues_[target].config.id);
  }
  // It enters the target as a contact arriving now: its wait there, and the target's rules,
  // count from here.
  contact.queue = target;
  contact.agent = kNoIndex;
  contact.state = ContactState::kWaiting;
  contact.answered = false;
  contact.callback = false;  // a callback that was connected is a live conversation now
  contact.arrival = now_;
  contact.virtual_arrival = VirtualArrival(now_, contact.priority);
  contact.answered_at = now_;
  contact.waited = false;
  contact.serve_counted = false;
  ++contact.transfers;  // also retires the wait-rule timers it had (their liveness checks it)
  contact.asked = false;
  contact.overflow_due = false;
  contact.cooldowns.reset();
  ++queues_[target].counters.offered;
  contact.preferred = preferred;
  if (preferred != kNoIndex) {
    contact.preferred_until = until;
    SetTimer(until, TimerKind::kPreferredTimeout, slot, 0, contact.sequence);
  }
  ArmWaitRule(slot, now_, 0);
  TakeStep(contact);
  NoteEstimate(contact, /*offered_at_once=*/false);
  if (ClosedToEntry(contact) || !RouteContact(slot)) WaitOnEntry(slot);
}

absl::Status Engine::Impl::Apply(const switchboard::TransferContact& command) {
  const auto held = Handling(command.agent, command.contact);
  if (!held.ok()) return held.status();
  const auto [a, slot] = *held;
  if (consults_.contains(slot)) return ConsultOpen(slot);
  const Contact& contact = contacts_[slot];
  QueueIndex target = queues_[contact.queue].home;
  if (!command.queue.empty()) {
    absl::StatusOr<QueueIndex> found = FindQueue(command.queue);
    if (!found.ok()) return found.status();
    target = *found;
  } else if (queues_[target].removed) {
    return absl::FailedPreconditionError(
        fmt::format("contact '{}' came from queue '{}', which has been removed; name the queue "
                    "to transfer it to",
                    command.contact, queues_[target].config.id));
  }
  AgentIndex preferred = kNoIndex;
  Micros until = 0;
  if (!command.to_agent.empty()) {
    absl::StatusOr<AgentIndex> to = FindAgent(command.to_agent);
    if (!to.ok()) return to.status();
    if (*to == a) {
      return absl::InvalidArgumentError(
          fmt::format("agent '{}' cannot transfer a contact to itself", command.agent));
    }
    SWITCHBOARD_RETURN_IF_ERROR(detail::CheckPositive("timeout", command.timeout));
    preferred = *to;
    until = now_ + ToMicros(command.timeout);
  }
  const Queue& queue = queues_[target];
  if (queue.config.max_length > 0 && queue.waiting_count >= queue.config.max_length) {
    return absl::FailedPreconditionError(
        fmt::format("queue '{}' is full ({} waiting, max_length {})", queue.config.id,
                    queue.waiting_count, queue.config.max_length));
  }
  if (contact.transfers >= kMaxTransfers) {
    return absl::FailedPreconditionError(
        fmt::format("contact '{}' has been transferred or moved {} times; at most {}",
                    command.contact, static_cast<int>(contact.transfers), kMaxTransfers));
  }
  BeginAgentChange(a);
  HandOver(a, slot, target, preferred, until, preferred == kNoIndex ? "blind" : "direct");
  EndAgentChange(a, /*repool=*/false);
  RouteAgent(a);
  return absl::OkStatus();
}

absl::Status Engine::Impl::Apply(const switchboard::StartConsult& command) {
  const auto held = Handling(command.agent, command.contact);
  if (!held.ok()) return held.status();
  const auto [a, slot] = *held;
  if (consults_.contains(slot)) {
    return absl::FailedPreconditionError(
        fmt::format("contact '{}' already has a consult open", command.contact));
  }
  absl::StatusOr<AgentIndex> b = FindAgent(command.to_agent);
  if (!b.ok()) return b.status();
  if (*b == a) {
    return absl::InvalidArgumentError(
        fmt::format("agent '{}' cannot consult itself", command.agent));
  }
  const Channel channel = contacts_[slot].channel;
  const Agent& consulted = agents_[*b];
  if (!Routable(consulted)) {
    return absl::FailedPreconditionError(fmt::format(
        "agent '{}' cannot be consulted now ({})", command.to_agent, NotRoutableReason(consulted)));
  }
  if (!detail::CanTake(consulted.capacity, consulted.load, consulted.held_channels, channel)) {
    return absl::FailedPreconditionError(fmt::format(
        "agent '{}' has no room for a {} contact", command.to_agent, ChannelName(channel)));
  }
  const Contact& contact = contacts_[slot];
  const ContactSlot leg = CreateContact(contact.queue, channel, now_, 0, 0);
  Contact& leg_record = contacts_[leg];
  leg_record.shadow = true;
  leg_record.state = ContactState::kConnected;
  leg_record.agent = *b;
  leg_record.answered = true;
  consults_[slot] = leg;
  consults_[leg] = slot;
  ++agent_transfers_[a].second;
  if (events_on()) {
    EmitContact(EventType::kConsultStarted, contacts_[slot], a, ContactOutcome::kNone, kNever,
                {}, command.to_agent);
  }
  BeginAgentChange(*b);
  agents_[*b].connected.push_back(leg);
  AddLoad(agents_[*b], channel);
  EndAgentChange(*b);
  return absl::OkStatus();
}

absl::Status Engine::Impl::Apply(const switchboard::CompleteConsult& command) {
  const auto held = Handling(command.agent, command.contact);
  if (!held.ok()) return held.status();
  const auto [a, slot] = *held;
  auto it = consults_.find(slot);
  if (it == consults_.end()) {
    return absl::FailedPreconditionError(
        fmt::format("contact '{}' has no consult open", command.contact));
  }
  const ContactSlot leg = it->second;
  const AgentIndex b = contacts_[leg].agent;
  Contact& contact = contacts_[slot];
  if (events_on()) {
    EmitContact(EventType::kConsultCompleted, contact, a, ContactOutcome::kNone, kNever, {},
                agents_[b].id);
  }
  // The first agent's part ends.
  BeginAgentChange(a);
  detail::EraseFirst(agents_[a].connected, slot);
  StartWrapUp(a, contact);
  ++agent_transfers_[a].first;
  if (events_on()) {
    EmitContact(EventType::kContactTransferred, contact, a, ContactOutcome::kNone, kNever,
                "consult", queues_[queues_[contact.queue].home].config.id);
  }
  EndAgentChange(a, /*repool=*/false);
  // The consulted agent holds the contact in the leg's place (the same channel's capacity).
  BeginAgentChange(b);
  for (ContactSlot& connected : agents_[b].connected) {
    if (connected == leg) connected = slot;
  }
  contact.agent = b;
  contact.state = ContactState::kConnected;
  consults_.erase(slot);
  consults_.erase(leg);
  FreeContact(leg);
  EndAgentChange(b);
  RouteAgent(a);
  return absl::OkStatus();
}

void Engine::Impl::EndConsultLeg(ContactSlot contact, ContactSlot leg) {
  const AgentIndex b = contacts_[leg].agent;
  if (events_on()) {
    EmitContact(EventType::kConsultCancelled, contacts_[contact], contacts_[contact].agent,
                ContactOutcome::kNone, kNever, {}, agents_[b].id);
  }
  BeginAgentChange(b);
  detail::EraseFirst(agents_[b].connected, leg);
  RemoveLoad(agents_[b], contacts_[leg].channel);
  consults_.erase(contact);
  consults_.erase(leg);
  FreeContact(leg);
  EndAgentChange(b, /*repool=*/false);
  RouteAgent(b);
}

absl::Status Engine::Impl::Apply(const switchboard::CancelConsult& command) {
  absl::StatusOr<AgentIndex> a = FindAgent(command.agent);
  if (!a.ok()) return a.status();
  absl::StatusOr<ContactSlot> slot = FindContact(command.contact);
  if (!slot.ok()) return slot.status();
  auto it = consults_.find(*slot);
  if (it == consults_.end()) {
    return absl::FailedPreconditionError(
        fmt::format("contact '{}' has no consult open", command.contact));
  }
  const ContactSlot leg = it->second;
  if (contacts_[*slot].agent != *a && contacts_[leg].agent != *a) {
    return absl::FailedPreconditionError(
        fmt::format("agent '{}' is neither the contact's agent nor the one consulted about it",
                    command.agent));
  }
  EndConsultLeg(*slot, leg);
  return absl::OkStatus();
}

}  // namespace switchboard
