// The contact commands: arrival, answer or decline of an offer, hold and resume, completion,
// wrap-up, abandonment and removal.
#include <algorithm>
#include <utility>

#include "base/durations.h"
#include "base/status_macros.h"
#include "core/engine_impl.h"
#include "core/validation.h"
#include "fmt/format.h"
#include "switchboard/limits.h"

namespace switchboard {

using detail::AgentCommand;
using detail::kNever;
using detail::kNoIndex;
using detail::ToMicros;
using detail::CheckId;
using detail::CheckReason;
using detail::CheckAttributes;
using detail::CheckNonNegative;
using detail::CheckPositive;

absl::Status Engine::Impl::Apply(const switchboard::AddContact& command) {
  const ContactConfig& config = command.config;
  SWITCHBOARD_RETURN_IF_ERROR(CheckId("contact", config.id));
  const auto key = decltype(contact_ids_)::KeyOf(config.id);
  if (contact_ids_.Contains(key)) {
    return absl::AlreadyExistsError(
        fmt::format("contact '{}' is already in the engine", config.id));
  }
  absl::StatusOr<QueueIndex> q = detail::kNoIndex;
  if (!config.queue.empty()) {
    q = FindQueue(config.queue);
    if (!q.ok()) {
      return absl::Status(q.status().code(),
                          fmt::format("contact '{}': {}", config.id, detail::Message(q.status())));
    }
  }
  if (static_cast<int>(config.channel) >= kChannelCount) {
    return absl::InvalidArgumentError(
        fmt::format("contact '{}': channel {} is not a channel (0..{})", config.id,
                    static_cast<int>(config.channel), kChannelCount - 1));
  }
  if (config.priority < -kMaxPriority || config.priority > kMaxPriority) {
    return absl::InvalidArgumentError(
        fmt::format("contact '{}': priority is {}; expected {}..{}", config.id, config.priority,
                    -kMaxPriority, kMaxPriority));
  }
  if (config.priority_class < 0 || config.priority_class > kMaxPriorityClass) {
    return absl::InvalidArgumentError(
        fmt::format("contact '{}': priority_class is {}; expected 0..{}", config.id,
                    config.priority_class, kMaxPriorityClass));
  }
  Micros arrival = now_;
  if (config.arrival) {
    if (*config.arrival == absl::InfinitePast() || *config.arrival > now()) {
      return absl::InvalidArgumentError(fmt::format(
          "contact '{}': arrival must be finite and not after the command's time", config.id));
    }
    SWITCHBOARD_RETURN_IF_ERROR(
        CheckTime(fmt::format("contact '{}': arrival", config.id), *config.arrival));
    arrival = absl::ToUnixMicros(*config.arrival);
  }
  if (!config.attributes.empty()) {
    SWITCHBOARD_RETURN_IF_ERROR(
        CheckAttributes(fmt::format("contact '{}'", config.id), config.attributes));
  }
  AgentIndex preferred = kNoIndex;
  if (!config.preferred_agent.empty()) {
    absl::StatusOr<AgentIndex> p = FindAgent(config.preferred_agent);
    if (!p.ok()) {
      return absl::Status(p.status().code(), fmt::format("contact '{}': preferred {}", config.id,
                                                         detail::Message(p.status())));
    }
    SWITCHBOARD_RETURN_IF_ERROR(CheckNonNegative(
        fmt::format("contact '{}': preferred_timeout", config.id), config.preferred_timeout));
    if (config.preferred_timeout > absl::ZeroDuration()) preferred = *p;
  }
  // No queue named: the entry rules place the contact (or deflect it).
  int priority = config.priority;
  int priority_class = config.priority_class;
  QueueIndex chain = *q;
  if (config.queue.empty()) {
    const EntryRuleRecord* rule = MatchEntryRule(config.attributes);
    if (rule == nullptr) {
      return absl::FailedPreconditionError(fmt::format(
          "contact '{}' names no queue and no entry rule matches its attributes", config.id));
    }
    if (events_on()) {
      Event event = NewEvent(EventType::kEntryRuleMatched);
      event.contact_id = config.id;
      event.channel = config.channel;
      if (rule->queue != kNoIndex) event.queue_id = queues_[rule->queue].config.id;
      event.reason = rule->description;
      Emit(std::move(event));
    }
    if (!rule->deflect.empty()) {
      if (rule->queue != kNoIndex) {
        QueueCounters& counters = queues_[rule->queue].counters;
        ++counters.offered;
        ++counters.deflected;
      }
      if (events_on()) {
        Event event = NewEvent(EventType::kContactDeflected);
        event.contact_id = config.id;
        event.channel = config.channel;
        if (rule->queue != kNoIndex) event.queue_id = queues_[rule->queue].config.id;
        event.reason = "entry_rule";
        event.target = rule->deflect;
        event.outcome = ContactOutcome::kDeflected;
        Emit(std::move(event));
      }
      return absl::OkStatus();
    }
    q = rule->queue;
    chain = rule->entry;
    if (rule->priority) priority = *rule->priority;
    if (rule->priority_class) priority_class = *rule->priority_class;
  }

  Queue& queue = queues_[*q];
  ++queue.counters.offered;
  if (queue.config.max_length > 0 && queue.waiting_count >= queue.config.max_length) {
    ++queue.counters.rejected;
    if (events_on()) {
      Event event = NewEvent(EventType::kContactRejected);
      event.contact_id = config.id;
      event.queue_id = queue.config.id;
      event.channel = config.channel;
      event.outcome = ContactOutcome::kRejected;
      event.reason = "queue_full";
      Emit(std::move(event));
    }
    return absl::OkStatus();
  }

  // A contact that arrived earlier than now enters the requirement step its wait has reached.
  const QueueIndex entry = StepFor(chain, now_ - arrival);
  const std::optional<AgentIndex> early =
      preferred == kNoIndex && (queue.open || !queue.closed_rules)
          ? ChooseEarly(entry, config.channel, VirtualArrival(arrival, priority))
          : std::nullopt;
  const ContactSlot slot = CreateContact(entry, config.channel, arrival, priority, priority_class);
  Contact& contact = contacts_[slot];
  contact.id = config.id;
  contact.id_hash = key.hash;
  if (!config.attributes.empty()) {
    contact.attributes = std::make_unique<Attributes>(config.attributes);
  }
  contact.preferred = preferred;
  contact_ids_.Insert(slot);
  if (preferred != kNoIndex) {
    contact.preferred_until = now_ + ToMicros(config.preferred_timeout);
    SetTimer(contact.preferred_until, TimerKind::kPreferredTimeout, slot, 0, contact.sequence);
  }
  NoteEstimate(contact, early ? *early != kNoIndex : AgentFreeFor(contact));
  if (events_on()) EmitContact(EventType::kContactQueued, contact, preferred);
  PlaceNew(slot, early);
  return absl::OkStatus();
}

ContactSlot Engine::Impl::CreateContact(QueueIndex queue, Channel channel, Micros arrival,
                                        int priority, int priority_class) {
  ContactSlot slot;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else {
    slot = static_cast<ContactSlot>(contacts_.size());
    contacts_.emplace_back();  // a new slot, default-constructed
  }
  Contact& contact = contacts_[slot];
  contact.sequence = ++next_contact_sequence_;
  contact.queue = queue;
  contact.channel = channel;
  contact.state = ContactState::kWaiting;
  contact.priority_class = static_cast<uint8_t>(priority_class);
  contact.priority = priority;
  contact.arrival = arrival;
  contact.virtual_arrival = VirtualArrival(arrival, priority);
  contact.answered_at = arrival;  // entered its queue (see Contact::answered_at)
  contact.answered = false;
  contact.agent = kNoIndex;
  contact.preferred = kNoIndex;
  contact.offer_token = 0;
  contact.in_use = true;
  contact.queued = false;
  contact.waited = false;
  contact.serve_counted = false;
  contact.callback = false;
  contact.asked = false;
  contact.overflow_due = false;
  contact.transfers = 0;
  contact.shadow = false;
  contact.copied = false;
  contact.next_rule = 0;
  contact.policy_rule = 0;
  contact.attempts = 0;
  return slot;
}

absl::Status Engine::Impl::Accept(std::string_view agent, std::string_view contact) {
  absl::StatusOr<AgentIndex> a = AgentFor(agent, AgentCommand::kAccept);
  if (!a.ok()) return a.status();
  absl::StatusOr<ContactSlot> slot = ContactWith(contact, *a, ContactState::kOffered, false);
  if (!slot.ok()) return slot.status();
  AcceptOffered(*a, *slot);
  return absl::OkStatus();
}

void Engine::Impl::AcceptOffered(AgentIndex a, ContactSlot slot) {
  if (!ringing_.empty()) WithdrawOtherRings(slot, a);
  Contact& contact = contacts_[slot];
  BeginAgentChange(a);
  Agent& agent = agents_[a];
  detail::EraseFirst(agent.offers, slot);
  agent.connected.push_back(slot);
  agent.consecutive_misses = 0;
  ++agent.handled_since_login;
  ++agent.handled_total;
  if (!contact.callback) {
    contact.state = ContactState::kConnected;
    CountAnswer(contact);
    if (events_on()) EmitContact(EventType::kOfferAccepted, contact, a);
  } else {
    // A callback: answered only once the customer picks up (ReportCallback).
    contact.state = ContactState::kDialing;
    ++contact.attempts;
    if (events_on()) {
      EmitContact(EventType::kOfferAccepted, contact, a);
      EmitContact(EventType::kCallbackDialing, contact, a);
    }
  }
  EndAgentChange(a);
}

void Engine::Impl::CountAnswer(Contact& contact) {
  contact.answered_at = now_;
  contact.answered = true;
  const Micros wait = now_ - contact.arrival;
  QueueCounters& counters = CountersOf(contact.queue);
  ++counters.answered;
  counters.total_answer_wait += wait;
  const Micros error = Micros{contact.ewt_ms} * 1000 - wait;
  counters.ewt_error_sum += error;
  counters.ewt_abs_error_sum += error < 0 ? -error : error;
  const bool within = wait <= queues_[contact.queue].service_level_threshold;
  if (within) ++counters.answered_within_threshold;
  NoteDecided(queues_[queues_[contact.queue].home], within);
}

absl::Status Engine::Impl::Apply(const RejectOffer& command) {
  absl::StatusOr<AgentIndex> a = AgentFor(command.agent, AgentCommand::kReject);
  if (!a.ok()) return a.status();
  absl::StatusOr<ContactSlot> slot =
      ContactWith(command.contact, *a, ContactState::kOffered, false);
  if (!slot.ok()) return slot.status();
  if (!ringing_.empty() && MissOneRing(*slot, *a, /*timed_out=*/false)) return absl::OkStatus();
  MissOffer(*slot, /*timed_out=*/false);
  return absl::OkStatus();
}

absl::Status Engine::Impl::Apply(const HoldContact& command) {
  absl::StatusOr<AgentIndex> a = AgentFor(command.agent, AgentCommand::kHold);
  if (!a.ok()) return a.status();
  absl::StatusOr<ContactSlot> slot =
      ContactWith(command.contact, *a, ContactState::kConnected, false);
  if (!slot.ok()) return slot.status();
  Contact& contact = contacts_[*slot];
  contact.state = ContactState::kOnHold;
  // The hold's own token: a limit timer of an earlier hold of this contact is dead.
  contact.offer_token = ++next_token_;
  const Micros limit = ToMicros(queues_[contact.queue].config.max_hold);
  if (limit > 0) SetTimer(now_ + limit, TimerKind::kHoldLimit, *slot, 0, contact.offer_token);
  if (events_on()) EmitContact(EventType::kContactHeld, contact, *a);
  return absl::OkStatus();
}

absl::Status Engine::Impl::Apply(const ResumeContact& command) {
  absl::StatusOr<AgentIndex> a = AgentFor(command.agent, AgentCommand::kResume);
  if (!a.ok()) return a.status();
  absl::StatusOr<ContactSlot> slot = ContactWith(command.contact, *a, ContactState::kOnHold, false);
  if (!slot.ok()) return slot.status();
  contacts_[*slot].state = ContactState::kConnected;
  if (events_on()) EmitContact(EventType::kContactResumed, contacts_[*slot], *a);
  return absl::OkStatus();
}

absl::Status Engine::Impl::Complete(std::string_view agent, std::string_view contact,
                                    std::string_view disposition) {
  if (!disposition.empty()) {
    SWITCHBOARD_RETURN_IF_ERROR(CheckText("disposition", disposition, kMaxTextBytes));
  }
  // At scale the agent's record and then the contact's, found through the agent's list, are
  // both cold. Both tables' lines are requested first; then the contact table's guess starts
  // the contact's record, whose miss overlaps the agent's instead of following it.
  const ContactIds::Key contact_key = ContactIds::KeyOf(contact);
  const AgentIds::Key agent_key = AgentIds::KeyOf(agent);
  contact_ids_.Prefetch(contact_key);  // also where the contact leaves the table at the end
  agent_ids_.Prefetch(agent_key);      // before the guess waits (the lookup asks again, harmlessly)
  if (std::optional<uint32_t> guess = contact_ids_.Guess(contact_key)) {
    detail::PrefetchRecord(contacts_[*guess]);
  }
  absl::StatusOr<AgentIndex> a = AgentFor(agent_key, AgentCommand::kComplete);
  if (!a.ok()) return a.status();
  // The contact is most likely one of the agent's few: fetch them alongside the next ones (the
  // guess's fetch again when it was right; this one also covers a wrong guess).
  for (ContactSlot held : agents_[*a].connected) detail::PrefetchRecord(contacts_[held]);
  PrefetchNextContacts(*a);
  absl::StatusOr<ContactSlot> slot = ContactWith(contact, *a, ContactState::kConnected, true);
  if (!slot.ok()) return slot.status();
  if (!consults_.empty() && consults_.contains(*slot)) return ConsultOpen(*slot);
  CompleteConnected(*a, *slot, disposition);
  return absl::OkStatus();
}

uint64_t Engine::Impl::StartWrapUp(AgentIndex a, const Contact& contact) {
  Agent& agent = agents_[a];
  const WrapUpPolicy& policy = queues_[contact.queue].config.wrap_up;
  if (policy.mode == WrapUpPolicy::Mode::kNone) {
    RemoveLoad(agent, contact.channel);
    return 0;
  }
  detail::WrapUp& wrap_up = agent.wrap_ups.emplace_back();
  wrap_up.contact_id = contact.id;
  wrap_up.channel = contact.channel;
  wrap_up.queue = contact.queue;
  wrap_up.token = ++next_token_;
  if (policy.mode != WrapUpPolicy::Mode::kUntilAgentEnds) {
    wrap_up.deadline = now_ + ToMicros(policy.duration);
    SetTimer(wrap_up.deadline, TimerKind::kWrapUpEnd, a, 0, wrap_up.token);
  }
  if (events_on()) {
    EmitContact(EventType::kWrapUpStarted, contact, a, ContactOutcome::kNone, wrap_up.deadline);
  }
  return wrap_up.token;
}

uint64_t Engine::Impl::CompleteConnected(AgentIndex a, ContactSlot slot,
                                         std::string_view disposition) {
  Contact& contact = contacts_[slot];
  BeginAgentChange(a);
  Agent& agent = agents_[a];
  detail::EraseFirst(agent.connected, slot);
  QueueCounters& counters = CountersOf(contact.queue);
  ++counters.completed;
  if (!disposition.empty()) {
    const std::string code(disposition);
    ++counters.dispositions[code];
    ++agent_dispositions_[a][code];
  }
  if (events_on()) {
    EmitContact(EventType::kContactCompleted, contact, a, ContactOutcome::kCompleted, kNever,
                disposition);
  }
  const uint64_t token = StartWrapUp(a, contact);
  FreeContact(slot);
  EndAgentChange(a, /*repool=*/false);
  RouteAgent(a);
  return token;
}

absl::Status Engine::Impl::Apply(const switchboard::EndWrapUp& command) {
  absl::StatusOr<AgentIndex> a = AgentFor(command.agent, AgentCommand::kEndWrapUp);
  if (!a.ok()) return a.status();
  Agent& agent = agents_[*a];
  if (!command.contact.empty()) {
    auto it =
        std::find_if(agent.wrap_ups.begin(), agent.wrap_ups.end(),
                     [&](const detail::WrapUp& w) { return w.contact_id == command.contact; });
    if (it == agent.wrap_ups.end()) {
      return absl::FailedPreconditionError(
          fmt::format("agent '{}' has no wrap-up of contact '{}'", command.agent, command.contact));
    }
    BeginAgentChange(*a);
    EndWrapUpIndex(*a, it - agent.wrap_ups.begin());
  } else {
    BeginAgentChange(*a);
    while (!agent.wrap_ups.empty()) EndWrapUpIndex(*a, 0);
  }
  EndAgentChange(*a, /*repool=*/false);
  RouteAgent(*a);
  return absl::OkStatus();
}

absl::Status Engine::Impl::Apply(const switchboard::ExtendWrapUp& command) {
  absl::StatusOr<AgentIndex> a = AgentFor(command.agent, AgentCommand::kExtendWrapUp);
  if (!a.ok()) return a.status();
  Agent& agent = agents_[*a];
  auto it =
      std::find_if(agent.wrap_ups.begin(), agent.wrap_ups.end(), [&](const detail::WrapUp& w) {
        return command.contact.empty() || w.contact_id == command.contact;
      });
  if (it == agent.wrap_ups.end()) {
    return absl::FailedPreconditionError(
        fmt::format("agent '{}' has no wrap-up of contact '{}'", command.agent, command.contact));
  }
  const WrapUpPolicy& policy = queues_[it->queue].config.wrap_up;
  if (policy.mode != WrapUpPolicy::Mode::kTimedWithExtension) {
    return absl::FailedPreconditionError(
        fmt::format("queue '{}' does not allow wrap-up extensions", queues_[it->queue].config.id));
  }
  SWITCHBOARD_RETURN_IF_ERROR(CheckPositive("extension", command.extension));
  const Micros extension = ToMicros(command.extension);
  const Micros allowed = ToMicros(policy.max_extension) - it->extended;
  if (extension > allowed) {
    return absl::FailedPreconditionError(
        fmt::format("agent '{}': wrap-up of contact '{}' {} (queue '{}' allows {} in all)",
                    command.agent, it->contact_id,
                    allowed > 0 ? fmt::format("can be extended by at most {} more",
                                              absl::FormatDuration(absl::Microseconds(allowed)))
                                : std::string("cannot be extended any further"),
                    queues_[it->queue].config.id, absl::FormatDuration(policy.max_extension)));
  }
  it->extended += extension;
  it->deadline += extension;
  it->token = ++next_token_;
  SetTimer(it->deadline, TimerKind::kWrapUpEnd, *a, 0, it->token);
  if (events_on()) {
    Event event = NewEvent(EventType::kWrapUpExtended);
    event.agent_id = agent.id;
    event.contact_id = it->contact_id;
    event.queue_id = queues_[it->queue].config.id;
    event.deadline = absl::FromUnixMicros(it->deadline);
    Emit(std::move(event));
  }
  return absl::OkStatus();
}

absl::Status Engine::Impl::Apply(const AbandonContact& command) {
  absl::StatusOr<ContactSlot> slot = FindContact(command.contact);
  if (!slot.ok()) return slot.status();
  const Contact& contact = contacts_[*slot];
  if (contact.state != ContactState::kWaiting && contact.state != ContactState::kOffered) {
    return absl::FailedPreconditionError(fmt::format(
        "contact '{}' is {} with agent '{}'; it cannot be abandoned, the agent completes it",
        command.contact, ContactStateName(contact.state), agents_[contact.agent].id));
  }
  EndUnanswered(*slot, ContactOutcome::kAbandoned, {});
  return absl::OkStatus();
}

absl::Status Engine::Impl::Apply(const RemoveContact& command) {
  SWITCHBOARD_RETURN_IF_ERROR(CheckReason(command.reason));
  absl::StatusOr<ContactSlot> slot = FindContact(command.contact);
  if (!slot.ok()) return slot.status();
  const Contact& contact = contacts_[*slot];
  if (contact.state != ContactState::kWaiting && contact.state != ContactState::kOffered) {
    return absl::FailedPreconditionError(fmt::format(
        "contact '{}' is {} with agent '{}'; only waiting or ringing contacts can be removed",
        command.contact, ContactStateName(contact.state), agents_[contact.agent].id));
  }
  EndUnanswered(*slot, ContactOutcome::kRemoved, command.reason);
  return absl::OkStatus();
}

absl::Status Engine::Impl::Apply(const Advance&) { return absl::OkStatus(); }

}  // namespace switchboard
