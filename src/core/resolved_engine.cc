// The simulator's interface to the engine below Execute: commands by record index instead of
// id, on a clock the simulator moves (docs/architecture.md).
#include <algorithm>
#include <utility>

#include "base/durations.h"
#include "core/engine_impl.h"

namespace switchboard {

using detail::kNever;

void Engine::Impl::MoveTo(Micros now) {
  FireTimersUpTo(now);  // never stops early: the simulator keeps no events
  now_ = std::max(now_, now);
  actor_ = Actor::Host();
  cause_ = Cause::kCommand;
}

Micros Engine::Impl::NextDeadlineMicros() const {
  while (!timers_.empty() && !IsLive(timers_.top())) timers_.pop();
  return timers_.empty() ? kNever : timers_.top().time;
}

ContactSlot Engine::Impl::AddContactByIndex(QueueIndex queue, Channel channel, Micros arrival,
                                            int priority, int priority_class) {
  const Queue& home = queues_[queues_[queue].home];
  ++CountersOf(queue).offered;
  const QueueIndex entry = StepFor(queue, now_ - arrival);
  const std::optional<AgentIndex> early =
      home.open || !home.closed_rules
          ? ChooseEarly(entry, channel, VirtualArrival(arrival, priority))
          : std::nullopt;
  const ContactSlot slot = CreateContact(entry, channel, arrival, priority, priority_class);
  Contact& contact = contacts_[slot];
  NoteEstimate(contact, early ? *early != detail::kNoIndex : AgentFreeFor(contact));
  PlaceNew(slot, early);
  return slot;
}

void Engine::Impl::AcceptByIndex(AgentIndex agent, ContactSlot contact) {
  AcceptOffered(agent, contact);
}

uint64_t Engine::Impl::CompleteByIndex(AgentIndex agent, ContactSlot contact) {
  return CompleteConnected(agent, contact);
}

void Engine::Impl::EndWrapUpByToken(AgentIndex a, uint64_t token) {
  Agent& agent = agents_[a];
  for (size_t i = 0; i < agent.wrap_ups.size(); ++i) {
    if (agent.wrap_ups[i].token != token) continue;
    BeginAgentChange(a);
    EndWrapUpIndex(a, i);
    EndAgentChange(a, /*repool=*/false);
    RouteAgent(a);
    return;
  }
}

void Engine::Impl::AbandonByIndex(ContactSlot contact) {
  EndUnanswered(contact, ContactOutcome::kAbandoned, {});
}

std::array<Micros, kAgentStateCount> Engine::Impl::TimeByState(const Agent& agent) const {
  std::array<Micros, kAgentStateCount> times = agent.time_by_state;
  times[static_cast<int>(agent.state)] += std::max(now_, agent.state_since) - agent.state_since;
  return times;
}

std::pair<Micros, Micros> Engine::Impl::WorkAndLoggedIn(AgentIndex a) const {
  const std::array<Micros, kAgentStateCount> times = TimeByState(agents_[a]);
  Micros logged_in = 0;
  for (int s = 0; s < kAgentStateCount; ++s) {
    if (s != static_cast<int>(AgentState::kLoggedOut)) logged_in += times[s];
  }
  return {times[static_cast<int>(AgentState::kBusy)] + times[static_cast<int>(AgentState::kWrapUp)],
          logged_in};
}

}  // namespace switchboard
