// Overflow rules and callbacks: what a queue does with a contact it is not serving well enough
// (docs/policies.md). Rules are checked only where they can fire: on entry for the arrival
// triggers, by one timer per contact for the next wait rule, and when a queue's last agent logs
// out; a queue without rules pays one branch per entering contact.
#include <algorithm>
#include <cassert>
#include <optional>
#include <string_view>
#include <vector>

#include "base/durations.h"
#include "base/status_macros.h"
#include "core/engine_impl.h"
#include "fmt/format.h"
#include "switchboard/limits.h"

namespace switchboard {

using detail::kNever;
using detail::kNoIndex;
using detail::ToMicros;
using Trigger = OverflowRule::Trigger;
using Action = OverflowRule::Action;

std::string_view OverflowTriggerName(Trigger trigger) {
  switch (trigger) {
    case Trigger::kWait:
      return "wait";
    case Trigger::kQueueLength:
      return "queue_length";
    case Trigger::kEstimatedWait:
      return "estimated_wait";
    case Trigger::kNoAgents:
      return "no_agents";
    case Trigger::kClosed:
      return "closed";
  }
  return "?";
}

std::string_view OverflowActionName(Action action) {
  switch (action) {
    case Action::kTransfer:
      return "transfer";
    case Action::kCallback:
      return "callback";
    case Action::kDeflect:
      return "deflect";
    case Action::kVoicemail:
      return "voicemail";
    case Action::kDisconnect:
      return "disconnect";
    case Action::kCopy:
      return "copy";
  }
  return "?";
}

std::optional<Trigger> ParseOverflowTrigger(std::string_view name) {
  for (int i = 0; i <= static_cast<int>(Trigger::kClosed); ++i) {
    if (OverflowTriggerName(static_cast<Trigger>(i)) == name) return static_cast<Trigger>(i);
  }
  return std::nullopt;
}

std::optional<Action> ParseOverflowAction(std::string_view name) {
  for (int i = 0; i <= static_cast<int>(Action::kCopy); ++i) {
    if (OverflowActionName(static_cast<Action>(i)) == name) return static_cast<Action>(i);
  }
  return std::nullopt;
}


void Engine::Impl::WaitOnEntry(ContactSlot slot) {
  Contact& contact = contacts_[slot];
  const QueueIndex home_index = queues_[contact.queue].home;
  const Queue& home = queues_[home_index];
  const int64_t ahead = home.waiting_count;
  const uint64_t sequence = contact.sequence;
  Wait(slot);
  // Still waiting here after a rule that did not take it out (or none)?
  auto still_here = [&] {
    return contact.in_use && contact.sequence == sequence && contact.queued &&
           queues_[contact.queue].home == home_index;
  };
  // It arrived earlier than now, past wait rules: they apply first. One that asked the
  // customer, or made it a callback, has dealt with its arrival.
  ApplyDueRules(slot);
  if (still_here() && !contact.asked && !contact.callback && home.arrival_rules) {
    for (size_t i = 0; i < home.overflow.size(); ++i) {
      const OverflowRule& rule = home.overflow[i].config;
      bool fires = false;
      switch (rule.trigger) {
        case Trigger::kWait:
          break;
        case Trigger::kQueueLength:
          fires = ahead >= rule.queue_length;
          break;
        case Trigger::kEstimatedWait:
          fires = Micros{contact.ewt_ms} * 1000 >= ToMicros(rule.wait);
          break;
        case Trigger::kNoAgents:
          fires = home.logged_in_agents == 0;
          break;
        case Trigger::kClosed:
          fires = !home.open;
          break;
      }
      // A rule that did not apply (look-ahead, transfer limit) leaves the contact waiting here.
      if ((fires && ApplyRule(slot, i)) || !still_here()) break;
    }
  }
  // Entering a closed queue skipped routing. A contact still waiting in it (no rule took it, or
  // one left it waiting: a keep-place callback, an offer not yet answered) goes as in an open
  // queue.
  if (!home.open && still_here()) RouteContact(slot);
}

void Engine::Impl::ArmWaitRule(ContactSlot slot, Micros entered, size_t from) {
  Contact& contact = contacts_[slot];
  const Queue& home = queues_[queues_[contact.queue].home];
  contact.next_rule = static_cast<uint8_t>(from);
  if (from >= home.wait_rules.size()) return;
  const Micros due = entered + home.overflow[home.wait_rules[from]].wait;
  if (due > now_) {
    SetTimer(due, TimerKind::kOverflowWait, slot,
             static_cast<uint32_t>(home.rules_epoch) << 16 |
                 static_cast<uint32_t>(contact.transfers) << 8 | static_cast<uint32_t>(from),
             contact.sequence);
  } else {
    contact.overflow_due = true;
  }
}

void Engine::Impl::ApplyDueRules(ContactSlot slot) {
  Contact& contact = contacts_[slot];
  const uint64_t sequence = contact.sequence;
  while (contact.in_use && contact.sequence == sequence && contact.overflow_due &&
         contact.state == ContactState::kWaiting && contact.queued && !contact.callback) {
    contact.overflow_due = false;
    const size_t position = contact.next_rule;
    const size_t rule = queues_[queues_[contact.queue].home].wait_rules[position];
    // The next one first (it may be due too): the rule may move the contact, which then
    // follows its new queue's rules.
    ArmWaitRule(slot, contact.answered_at, position + 1);
    ApplyRule(slot, rule);
  }
}

void Engine::Impl::FireWaitRule(ContactSlot slot, size_t position) {
  Contact& contact = contacts_[slot];
  // An offered contact keeps its offer; the rule applies if the offer fails (MissOffer).
  contact.overflow_due = true;
  contact.next_rule = static_cast<uint8_t>(position);
  if (contact.state == ContactState::kWaiting) ApplyDueRules(slot);
}

bool Engine::Impl::ApplyRule(ContactSlot slot, size_t index) {
  Contact& contact = contacts_[slot];
  const QueueIndex home_index = queues_[contact.queue].home;
  const Queue::Rule& rule = queues_[home_index].overflow[index];
  const OverflowRule& config = rule.config;
  // One copy at a time: a copy rule does not fire for a contact that has one.
  if (config.action == Action::kCopy && contact.copied) return false;
  if (config.action == Action::kTransfer || config.action == Action::kCopy) {
    // A copy that wins moves the contact: it counts as a transfer.
    const Queue& target = queues_[rule.target];
    if (target.config.max_length > 0 && target.waiting_count >= target.config.max_length) {
      // A full queue takes no transfer or copy, as it takes no new contact.
      if (events_on()) {
        EmitContact(EventType::kTransferTargetFull, contact, kNoIndex, ContactOutcome::kNone,
                    kNever, OverflowTriggerName(config.trigger), target.config.id);
      }
      return false;
    }
    if (contact.transfers >= options_.max_transfers) {
      if (events_on()) {
        EmitContact(EventType::kTransferLimitHit, contact, kNoIndex, ContactOutcome::kNone, kNever,
                    OverflowTriggerName(config.trigger), queues_[rule.target].config.id);
      }
      return false;
    }
    if (config.look_ahead) {
      const Micros here = EstimateWaitOf(slot);
      // The estimate it would get entering the target now (its record pointed there a moment).
      const QueueIndex own = contact.queue;
      contact.queue = rule.target;
      const Micros there =
          AgentFreeFor(contact) ? 0 : EstimateWait(contact, /*offered_at_once=*/false);
      contact.queue = own;
      if (there >= here) return false;
    }
  }
  if (config.ask && (config.action == Action::kCallback || config.action == Action::kDeflect)) {
    contact.asked = true;
    contact.policy_rule = static_cast<uint8_t>(index);
    if (events_on()) {
      EmitContact(EventType::kOverflowOffered, contact, kNoIndex, ContactOutcome::kNone, kNever,
                  OverflowActionName(config.action), config.target);
    }
    if (policy_listener_ != nullptr) policy_listener_->OnAsked(slot, index);
    return true;
  }
  TakeAction(slot, index);
  return true;
}

void Engine::Impl::TakeAction(ContactSlot slot, size_t index) {
  Contact& contact = contacts_[slot];
  const Queue::Rule& rule = queues_[queues_[contact.queue].home].overflow[index];
  const OverflowRule& config = rule.config;
  const std::string_view trigger = OverflowTriggerName(config.trigger);
  contact.asked = false;
  switch (config.action) {
    case Action::kTransfer:
      TransferTo(slot, rule.target, trigger);
      return;
    case Action::kCopy:
      CopyTo(slot, rule.target, trigger);
      return;
    case Action::kCallback: {
      ResolveCopy(slot, /*offered=*/false);  // off the line: its copy elsewhere is withdrawn
      QueueCounters& counters = CountersOf(contact.queue);
      ++counters.overflowed;
      ++counters.callbacks;
      contact.callback = true;
      contact.policy_rule = static_cast<uint8_t>(index);
      contact.attempts = 0;
      if (config.callback.mode == CallbackPolicy::Mode::kKeepPlace) {
        if (events_on()) EmitContact(EventType::kCallbackAccepted, contact, kNoIndex);
      } else {
        LeaveWaiting(slot);
        contact.preferred = kNoIndex;  // routed as an outbound callback, not held for anyone
        // The time the customer chose (AnswerOverflow), else the policy's delay.
        const Micros due = contact_callback_at_.value_or(now_ + ToMicros(config.callback.after));
        SetTimer(due, TimerKind::kCallbackDue, slot, 0, contact.sequence);
        if (events_on()) {
          EmitContact(EventType::kCallbackScheduled, contact, kNoIndex, ContactOutcome::kNone,
                      due);
        }
      }
      if (policy_listener_ != nullptr) policy_listener_->OnCallback(slot, index);
      return;
    }
    case Action::kDeflect:
      EndByRule(slot, ContactOutcome::kDeflected, trigger, config.target);
      return;
    case Action::kVoicemail:
      EndByRule(slot, ContactOutcome::kVoicemail, config.reason.empty() ? trigger : config.reason,
                {});
      return;
    case Action::kDisconnect:
      EndByRule(slot, ContactOutcome::kDisconnected,
                config.reason.empty() ? trigger : config.reason, {});
      return;
  }
}

void Engine::Impl::TransferTo(ContactSlot slot, QueueIndex target, std::string_view trigger,
                              bool by_rule) {
  ResolveCopy(slot, /*offered=*/false);
  Contact& contact = contacts_[slot];
  LeaveWaiting(slot);
  QueueCounters& from = CountersOf(contact.queue);
  if (by_rule) ++from.overflowed;
  ++from.transferred;
  if (events_on()) {
    EmitContact(EventType::kContactTransferred, contact, kNoIndex, ContactOutcome::kNone, kNever,
                trigger, queues_[target].config.id);
  }
  const QueueIndex from_home = queues_[contact.queue].home;
  contact.queue = target;
  contact.preferred = kNoIndex;  // the preferred agent was for the queue it leaves
  ++contact.transfers;
  contact.next_rule = 0;
  contact.asked = false;
  contact.overflow_due = false;
  ++queues_[target].counters.offered;
  if (policy_listener_ != nullptr) policy_listener_->OnTransferred(slot, from_home, target);
  contact.answered_at = now_;  // entered the target (see Contact::answered_at)
  ArmWaitRule(slot, now_, 0);
  contact.state = ContactState::kWaiting;
  TakeStep(contact);
  NoteEstimate(contact, /*offered_at_once=*/false);  // the target's, for its triggers
  if (ClosedToEntry(contact) || !RouteContact(slot)) WaitOnEntry(slot);
}

void Engine::Impl::CopyTo(ContactSlot slot, QueueIndex target, std::string_view trigger) {
  const ContactSlot copy_slot = CreateContact(StepFor(target, now_ - contacts_[slot].arrival),
                                              contacts_[slot].channel, contacts_[slot].arrival,
                                              contacts_[slot].priority,
                                              contacts_[slot].priority_class);
  Contact& contact = contacts_[slot];  // records keep their addresses: CreateContact moved none
  Contact& copy = contacts_[copy_slot];
  copy.shadow = true;
  copy.copied = true;
  copy.virtual_arrival = contact.virtual_arrival;
  copy.ewt_ms = contact.ewt_ms;
  copy.waited = true;         // its wait is the contact's: no wait rules of its own
  copy.serve_counted = true;  // nor a serve of its own for the estimated wait
  contact.copied = true;
  copies_[slot] = copy_slot;
  copies_[copy_slot] = slot;
  if (events_on()) {
    EmitContact(EventType::kContactCopied, contact, kNoIndex, ContactOutcome::kNone, kNever,
                trigger, queues_[target].config.id);
  }
  Place(copy_slot);  // an agent free there takes it at once: then the contact moves there
}

ContactSlot Engine::Impl::ResolveCopy(ContactSlot slot, bool offered) {
  if (!contacts_[slot].copied) return slot;
  const auto found = copies_.find(slot);
  const ContactSlot other = found->second;
  copies_.erase(found);
  copies_.erase(other);
  contacts_[slot].copied = false;
  contacts_[other].copied = false;
  if (!contacts_[slot].shadow) {
    // The contact is offered or leaves: its copy is withdrawn.
    LeaveWaiting(other);
    FreeContact(other);
    return slot;
  }
  // The copy was reached first (it is never ended otherwise): the contact moves to the copy's
  // queue, as a transfer, and is offered there.
  assert(offered);
  (void)offered;
  const ContactSlot shadow = slot;
  const ContactSlot primary = other;
  Contact& contact = contacts_[primary];
  const QueueIndex from_home = queues_[contact.queue].home;
  const QueueIndex to = contacts_[shadow].queue;
  LeaveWaiting(primary);
  LeaveWaiting(shadow);
  FreeContact(shadow);
  QueueCounters& from = CountersOf(contact.queue);
  ++from.overflowed;
  ++from.transferred;
  if (events_on()) {
    EmitContact(EventType::kContactTransferred, contact, kNoIndex, ContactOutcome::kNone, kNever,
                "copy", queues_[to].config.id);
  }
  contact.queue = to;
  ++contact.transfers;
  contact.next_rule = 0;
  contact.asked = false;
  contact.overflow_due = false;
  ++queues_[queues_[to].home].counters.offered;
  if (policy_listener_ != nullptr) {
    policy_listener_->OnTransferred(primary, from_home, queues_[to].home);
  }
  contact.answered_at = now_;      // entered the copy's queue (see Contact::answered_at)
  ArmWaitRule(primary, now_, 0);  // the new queue's wait rules, should the offer fail
  return primary;
}

void Engine::Impl::EndByRule(ContactSlot slot, ContactOutcome outcome, std::string_view reason,
                             std::string_view target) {
  ResolveCopy(slot, /*offered=*/false);
  Contact& contact = contacts_[slot];
  LeaveWaiting(slot);
  QueueCounters& counters = CountersOf(contact.queue);
  ++counters.overflowed;
  EventType type = EventType::kContactDisconnected;
  if (outcome == ContactOutcome::kDeflected) {
    ++counters.deflected;
    type = EventType::kContactDeflected;
  } else if (outcome == ContactOutcome::kVoicemail) {
    ++counters.voicemail;
    type = EventType::kContactVoicemail;
  } else {
    ++counters.disconnected;
  }
  if (events_on()) EmitContact(type, contact, kNoIndex, outcome, kNever, reason, target);
  if (policy_listener_ != nullptr) policy_listener_->OnEnded(slot, outcome);
  FreeContact(slot);
}

void Engine::Impl::FailCallback(ContactSlot slot, CallbackResult result) {
  Contact& contact = contacts_[slot];
  const AgentIndex a = contact.agent;
  BeginAgentChange(a);
  Agent& agent = agents_[a];
  detail::EraseFirst(agent.connected, slot);
  RemoveLoad(agent, contact.channel);
  const std::string_view reason = result == CallbackResult::kBusy ? "busy" : "no_answer";
  const CallbackPolicy& policy =
      queues_[queues_[contact.queue].home].overflow[contact.policy_rule].config.callback;
  contact.agent = kNoIndex;
  // The attempt's outcome comes before the agent's state change it causes, as an offer's does.
  if (contact.attempts <= policy.retries) {
    contact.state = ContactState::kWaiting;
    const Micros due = now_ + ToMicros(policy.retry_after);
    SetTimer(due, TimerKind::kCallbackDue, slot, 0, contact.sequence);
    if (events_on()) {
      EmitContact(EventType::kCallbackAttemptFailed, contact, a, ContactOutcome::kNone, due,
                  reason);
    }
  } else {
    ++CountersOf(contact.queue).callbacks_failed;
    if (events_on()) {
      EmitContact(EventType::kCallbackFailed, contact, a, ContactOutcome::kCallbackFailed, kNever,
                  reason);
    }
    if (policy_listener_ != nullptr) policy_listener_->OnEnded(slot, ContactOutcome::kCallbackFailed);
    FreeContact(slot);
  }
  EndAgentChange(a, /*repool=*/false);
  RouteAgent(a);
}

void Engine::Impl::CallbackDue(ContactSlot slot) {
  Contact& contact = contacts_[slot];
  const CallbackPolicy& policy =
      queues_[queues_[contact.queue].home].overflow[contact.policy_rule].config.callback;
  if (policy.mode == CallbackPolicy::Mode::kScheduled && contact.attempts == 0) {
    // Routed as an outbound callback: its own channel and priority, its place kept by arrival.
    contact.channel = Channel::kCallback;
    contact.priority = policy.priority;
    contact.virtual_arrival = VirtualArrival(contact.arrival, policy.priority);
  }
  if (events_on()) EmitContact(EventType::kCallbackDue, contact, kNoIndex);
  Place(slot);
}

void Engine::Impl::NoAgentsLeft(QueueIndex home_index) {
  if (queues_[home_index].logged_in_agents != 0) return;
  ApplyToWaiting(home_index, Trigger::kNoAgents);
}

void Engine::Impl::HoursChange(QueueIndex home_index) {
  Queue& home = queues_[home_index];
  home.open = home.schedule->IsOpen(absl::FromUnixMicros(now_));
  if (events_on()) {
    Event event = NewEvent(home.open ? EventType::kQueueOpened : EventType::kQueueClosed);
    event.queue_id = home.config.id;
    Emit(std::move(event));
  }
  ArmHoursChange(home_index);
  if (!home.open && home.closed_rules) ApplyToWaiting(home_index, Trigger::kClosed);
}

void Engine::Impl::ArmHoursChange(QueueIndex home_index) {
  Queue& home = queues_[home_index];
  const absl::Time next = home.schedule->NextChange(absl::FromUnixMicros(now_));
  if (next == absl::InfiniteFuture() || next > kMaxTime) {
    home.hours_change = kNever;
    return;
  }
  home.hours_change = absl::ToUnixMicros(next);
  SetTimer(home.hours_change, TimerKind::kQueueHours, home_index, 0, 0);
}

void Engine::Impl::ApplyToWaiting(QueueIndex home_index, Trigger trigger) {
  Queue& home = queues_[home_index];
  // The contacts first, in order of urgency per waiting set: a rule may move or end each.
  std::vector<std::pair<ContactSlot, uint64_t>> waiting;
  auto collect = [&](const Queue& queue) {
    for (const detail::WaitingSet& set : queue.waiting) {
      for (const detail::WaitKey& key : set) waiting.emplace_back(key.slot, contacts_[key.slot].sequence);
    }
  };
  collect(home);
  for (QueueIndex member : home.members) collect(queues_[member]);
  // Then those held for a preferred agent: they wait in the queue too.
  for (size_t a = 0; a < agents_.size(); ++a) {
    const Agent& agent = agents_[a];
    if (!agent.preferred_waiting) continue;
    for (const detail::WaitKey& key : *agent.preferred_waiting) {
      if (queues_[contacts_[key.slot].queue].home == home_index) {
        waiting.emplace_back(key.slot, contacts_[key.slot].sequence);
      }
    }
  }
  for (const auto& [slot, sequence] : waiting) {
    for (size_t i = 0; i < home.overflow.size(); ++i) {
      const Contact& contact = contacts_[slot];
      if (!contact.in_use || contact.sequence != sequence || !contact.queued ||
          contact.callback || contact.shadow || queues_[contact.queue].home != home_index) {
        break;
      }
      if (home.overflow[i].config.trigger == trigger && ApplyRule(slot, i)) break;
    }
  }
}

void Engine::Impl::CountLoggedIn(const Agent& agent, int delta) {
  // Once per queue, however many of its records the agent serves.
  std::vector<QueueIndex> homes;
  homes.reserve(agent.served.size());
  for (const detail::ServedQueue& served : agent.served) homes.push_back(queues_[served.queue].home);
  std::sort(homes.begin(), homes.end());
  homes.erase(std::unique(homes.begin(), homes.end()), homes.end());
  for (QueueIndex home : homes) {
    Queue& queue = queues_[home];
    queue.logged_in_agents += delta;
    if (queue.logged_in_agents == 0 && queue.no_agents_rules) {
      SetTimer(now_, TimerKind::kNoAgents, home, 0, 0);
    }
  }
}

absl::Status Engine::Impl::Apply(const switchboard::AnswerOverflow& command) {
  absl::StatusOr<ContactSlot> slot = FindContact(command.contact);
  if (!slot.ok()) return slot.status();
  const Contact& contact = contacts_[*slot];
  if (!contact.asked || contact.state != ContactState::kWaiting) {
    return absl::FailedPreconditionError(
        fmt::format("contact '{}' has no overflow offer waiting for an answer", command.contact));
  }
  if (command.callback_at) {
    const OverflowRule& rule =
        queues_[queues_[contact.queue].home].overflow[contact.policy_rule].config;
    if (rule.action != Action::kCallback || rule.callback.mode != CallbackPolicy::Mode::kScheduled) {
      return absl::InvalidArgumentError(fmt::format(
          "contact '{}': callback_at is only for a scheduled callback; the offer is {}",
          command.contact, OverflowActionName(rule.action)));
    }
    if (*command.callback_at < now() || *command.callback_at > kMaxTime) {
      return absl::InvalidArgumentError(fmt::format(
          "contact '{}': callback_at must be from the command's time to year 9999",
          command.contact));
    }
    contact_callback_at_ = absl::ToUnixMicros(*command.callback_at);
  }
  AnswerOverflowByIndex(*slot, command.accepted);
  contact_callback_at_.reset();
  return absl::OkStatus();
}

void Engine::Impl::AnswerOverflowByIndex(ContactSlot slot, bool accepted) {
  Contact& contact = contacts_[slot];
  contact.asked = false;
  if (accepted) {
    TakeAction(slot, contact.policy_rule);
    return;
  }
  if (events_on()) EmitContact(EventType::kOverflowDeclined, contact, kNoIndex);
  // It may have been asked on entering a closed queue, which skipped routing.
  if (contact.queued) RouteContact(slot);
}

void Engine::Impl::ReportCallbackByIndex(ContactSlot slot, CallbackResult result) {
  if (result == CallbackResult::kConnected) {
    ConnectCallback(slot);
  } else {
    FailCallback(slot, result);
  }
}

absl::Status Engine::Impl::Apply(const switchboard::ReportCallback& command) {
  if (command.result > CallbackResult::kBusy) {
    return absl::InvalidArgumentError(fmt::format("callback result {} is not a result (0..2)",
                                                  static_cast<int>(command.result)));
  }
  absl::StatusOr<ContactSlot> slot = FindContact(command.contact);
  if (!slot.ok()) return slot.status();
  Contact& contact = contacts_[*slot];
  if (contact.state != ContactState::kDialing) {
    return absl::FailedPreconditionError(
        fmt::format("contact '{}' is {}; only a callback being dialled has a result",
                    command.contact, ContactStateName(contact.state)));
  }
  ReportCallbackByIndex(*slot, command.result);
  return absl::OkStatus();
}

void Engine::Impl::ConnectCallback(ContactSlot slot) {
  Contact& contact = contacts_[slot];
  contact.state = ContactState::kConnected;
  CountAnswer(contact);
  ++CountersOf(contact.queue).callbacks_connected;
  if (events_on()) EmitContact(EventType::kCallbackConnected, contact, contact.agent);
}

}  // namespace switchboard
