// Timers: setting them, the next deadline, and firing what fell due (offer timeouts, wrap-up
// ends, preferred-agent timeouts, missed-offer delays, cool-downs, requirement steps, overflow
// waits, callbacks coming due, queues left without agents, reserve checks, queue delays).
#include <algorithm>

#include "core/engine_impl.h"

namespace switchboard {

using detail::kNoIndex;

void Engine::Impl::SetTimer(Micros time, TimerKind kind, uint32_t a, uint32_t b, uint64_t token) {
  timers_.Schedule(time, kind, a, b, token);
}

bool Engine::Impl::IsLive(const Timer& timer) const {
  switch (timer.kind()) {
    case TimerKind::kOfferTimeout: {
      const Contact& contact = contacts_[timer.a];
      return contact.in_use && contact.state == ContactState::kOffered &&
             contact.offer_token == timer.token;
    }
    case TimerKind::kWrapUpEnd:
      for (const detail::WrapUp& wrap_up : agents_[timer.a].wrap_ups) {
        if (wrap_up.token == timer.token) return true;
      }
      return false;
    case TimerKind::kMissedOfferDelay:
      return agents_[timer.a].missed_delay_token == timer.token;
    case TimerKind::kPreferredTimeout: {
      const Contact& contact = contacts_[timer.a];
      // The hold's own timer: a direct transfer holds the contact anew, with a new deadline.
      return contact.in_use && contact.sequence == timer.token &&
             contact.state == ContactState::kWaiting && contact.preferred != kNoIndex &&
             contact.preferred_until == timer.time;
    }
    case TimerKind::kCooldownEnd: {
      const Contact& contact = contacts_[timer.a];
      return contact.in_use && contact.sequence == timer.token;
    }
    case TimerKind::kRequirementStep: {
      const Contact& contact = contacts_[timer.a];
      return contact.in_use && contact.sequence == timer.token &&
             contact.state == ContactState::kWaiting && contact.queued &&
             contact.preferred == kNoIndex && queues_[contact.queue].step < timer.b;
    }
    case TimerKind::kOverflowWait: {
      const Contact& contact = contacts_[timer.a];
      return contact.in_use && contact.sequence == timer.token && !contact.callback &&
             (contact.state == ContactState::kWaiting || contact.state == ContactState::kOffered) &&
             contact.transfers == ((timer.b >> 8) & 0xff) && contact.next_rule <= (timer.b & 0xff) &&
             queues_[queues_[contact.queue].home].rules_epoch == (timer.b >> 16) &&
             (timer.b & 0xff) < queues_[queues_[contact.queue].home].wait_rules.size();
    }
    case TimerKind::kCallbackDue: {
      const Contact& contact = contacts_[timer.a];
      return contact.in_use && contact.sequence == timer.token && contact.callback &&
             contact.state == ContactState::kWaiting && !contact.queued;
    }
    case TimerKind::kNoAgents:  // (a removed queue, or one updated, may have no such rule now)
      return queues_[timer.a].logged_in_agents == 0 && queues_[timer.a].no_agents_rules;
    case TimerKind::kQueueHours:
      return queues_[timer.a].hours_change == timer.time;
    case TimerKind::kHoldLimit: {
      const Contact& contact = contacts_[timer.a];
      return contact.in_use && contact.state == ContactState::kOnHold &&
             contact.offer_token == timer.token;
    }
    case TimerKind::kReserveCheck: {
      const Queue& queue = queues_[timer.a];
      return !queue.removed && queue.reserve && queue.reserve->check_at == timer.time;
    }
    case TimerKind::kQueueRecheck:
      return queues_[timer.a].recheck_at[timer.b] == timer.time;
  }
  return false;
}

std::optional<absl::Time> Engine::Impl::NextDeadline() const {
  while (!timers_.empty() && !IsLive(timers_.top())) timers_.pop();
  if (timers_.empty()) return std::nullopt;
  return absl::FromUnixMicros(timers_.top().time);
}

bool Engine::Impl::FireTimersUpTo(Micros time) {
  while (!timers_.empty() && timers_.top().time <= time) {
    const Timer timer = timers_.top();
    if (!IsLive(timer)) {
      timers_.pop();
      continue;
    }
    if (EventBufferFull()) return false;  // the rest waits until the host has drained
    timers_.pop();
    now_ = std::max(now_, timer.time);
    actor_ = Actor::System();
    Fire(timer);
  }
  return true;
}

void Engine::Impl::Fire(const Timer& timer) {
  switch (timer.kind()) {
    case TimerKind::kOfferTimeout:
      cause_ = Cause::kOfferTimeout;
      if (!ringing_.empty()) TimeOutExtraRings(timer.a);
      MissOffer(timer.a, /*timed_out=*/true);
      return;
    case TimerKind::kWrapUpEnd: {
      cause_ = Cause::kWrapUpTimeout;
      const AgentIndex a = timer.a;
      Agent& agent = agents_[a];
      BeginAgentChange(a);
      for (size_t i = 0; i < agent.wrap_ups.size(); ++i) {
        if (agent.wrap_ups[i].token == timer.token) {
          EndWrapUpIndex(a, i);
          break;
        }
      }
      EndAgentChange(a, /*repool=*/false);
      RouteAgent(a);
      return;
    }
    case TimerKind::kMissedOfferDelay: {
      cause_ = Cause::kMissedOfferDelay;
      const AgentIndex a = timer.a;
      BeginAgentChange(a);
      Agent& agent = agents_[a];
      agent.missed_delay_token = 0;
      agent.ready = true;
      agent.SetReason({});
      agent.free_since = now_;
      EndAgentChange(a, /*repool=*/false);
      RouteAgent(a);
      return;
    }
    case TimerKind::kPreferredTimeout: {
      cause_ = Cause::kPreferredTimeout;
      const ContactSlot slot = timer.a;
      Contact& contact = contacts_[slot];
      const AgentIndex preferred = contact.preferred;
      LeaveWaiting(slot);
      contact.preferred = kNoIndex;
      if (events_on()) EmitContact(EventType::kPreferredTimedOut, contact, preferred);
      Place(slot);
      return;
    }
    case TimerKind::kCooldownEnd: {
      cause_ = Cause::kRouting;
      Contact& contact = contacts_[timer.a];
      if (contact.cooldowns) {
        std::erase_if(*contact.cooldowns,
                      [this](const auto& entry) { return entry.second <= now_; });
      }
      if (contact.state == ContactState::kWaiting) RouteAgent(timer.b);
      return;
    }
    case TimerKind::kRequirementStep:
      cause_ = Cause::kRequirementStep;
      ReachStep(timer.a);
      return;
    case TimerKind::kOverflowWait: {
      cause_ = Cause::kOverflow;
      FireWaitRule(timer.a, timer.b & 0xff);
      return;
    }
    case TimerKind::kCallbackDue:
      cause_ = Cause::kCallbackDue;
      CallbackDue(timer.a);
      return;
    case TimerKind::kNoAgents:
      cause_ = Cause::kOverflow;
      NoAgentsLeft(timer.a);
      return;
    case TimerKind::kQueueHours:
      cause_ = Cause::kOpeningHours;
      HoursChange(timer.a);
      return;
    case TimerKind::kHoldLimit: {
      cause_ = Cause::kHoldLimit;
      const Contact& contact = contacts_[timer.a];
      if (events_on()) EmitContact(EventType::kHoldLimitReached, contact, contact.agent);
      return;
    }
    case TimerKind::kReserveCheck:
      cause_ = Cause::kReserveCheck;
      CheckReserve(timer.a);
      return;
    case TimerKind::kQueueRecheck:
      cause_ = Cause::kRouting;
      queues_[timer.a].recheck_at[timer.b] = std::numeric_limits<Micros>::max();
      RecheckQueue(timer.a, static_cast<Channel>(timer.b));
      return;
  }
}

}  // namespace switchboard
