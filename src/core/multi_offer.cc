// Multi-offer (QueueConfig::ring_agents): a contact rings at several free agents at once; the
// first to accept takes it. contact.agent is one of them (the first chosen, or the one that
// accepted), ringing_ holds the others; every ringing agent has the contact in its offers and
// its load. The offers share one deadline, so one offer-timeout timer serves them all.
#include <algorithm>

#include "core/engine_impl.h"
#include "switchboard/limits.h"

namespace switchboard {

using detail::kNever;
using detail::kNoIndex;

namespace {

constexpr std::string_view kAcceptedByAnother = "accepted_by_another";

}  // namespace

void Engine::Impl::RingMore(ContactSlot slot) {
  Contact& contact = contacts_[slot];
  const int wanted = queues_[contact.queue].config.ring_agents;
  const Micros deadline = now_ + offer_timeout_;
  absl::InlinedVector<AgentIndex, kMaxRingAgents> ringing = {contact.agent};
  while (static_cast<int>(ringing.size()) < wanted && contact.state == ContactState::kOffered) {
    const AgentIndex a =
        ChooseAgent(contact.queue, contact.channel, contact.virtual_arrival, &contact, ringing);
    if (a == kNoIndex) return;
    ringing.push_back(a);
    ringing_[slot].push_back(a);
    BeginAgentChange(a);
    Agent& agent = agents_[a];
    agent.offers.push_back(slot);
    AddLoad(agent, contact.channel);
    ++CountersOf(contact.queue).offers;
    const Cause saved_cause = cause_;
    cause_ = Cause::kRouting;
    if (events_on()) {
      EmitContact(EventType::kContactOffered, contact, a, ContactOutcome::kNone, deadline);
    }
    EndAgentChange(a);
    cause_ = saved_cause;
    if (offer_listener_ != nullptr) offer_listener_->OnOffer(slot, a);
  }
}

void Engine::Impl::WithdrawOtherRings(ContactSlot slot, AgentIndex taker) {
  auto it = ringing_.find(slot);
  if (it == ringing_.end()) return;
  Contact& contact = contacts_[slot];
  absl::InlinedVector<AgentIndex, 3> others = std::move(it->second);
  ringing_.erase(it);
  if (taker != contact.agent) {  // the first chosen is withdrawn instead of the taker
    std::replace(others.begin(), others.end(), taker, contact.agent);
    contact.agent = taker;
  }
  WithdrawRings(slot, others, kAcceptedByAnother);
}

void Engine::Impl::WithdrawExtraRings(ContactSlot slot) {
  auto it = ringing_.find(slot);
  if (it == ringing_.end()) return;
  const absl::InlinedVector<AgentIndex, 3> others = std::move(it->second);
  ringing_.erase(it);
  WithdrawRings(slot, others, {});
}

void Engine::Impl::WithdrawRings(ContactSlot slot, std::span<const AgentIndex> agents,
                                 std::string_view reason) {
  const Contact& contact = contacts_[slot];
  for (AgentIndex a : agents) {
    BeginAgentChange(a);
    Agent& agent = agents_[a];
    detail::EraseFirst(agent.offers, slot);
    RemoveLoad(agent, contact.channel);
    if (events_on()) {
      EmitContact(EventType::kOfferWithdrawn, contact, a, ContactOutcome::kNone, kNever, reason);
    }
    EndAgentChange(a, /*repool=*/false);
  }
  // Free again, each takes the most urgent contact it may (ringing at it alone).
  for (AgentIndex a : agents) RouteAgent(a);
}

bool Engine::Impl::MissOneRing(ContactSlot slot, AgentIndex a, bool timed_out) {
  auto it = ringing_.find(slot);
  if (it == ringing_.end()) return false;
  Contact& contact = contacts_[slot];
  absl::InlinedVector<AgentIndex, 3>& others = it->second;
  if (a == contact.agent) {  // the next chosen becomes the contact's agent
    contact.agent = others.front();
    others.erase(others.begin());
  } else {
    others.erase(std::find(others.begin(), others.end(), a));
  }
  if (others.empty()) ringing_.erase(it);
  NoteMissed(slot, a, timed_out);
  RouteAgent(a);
  return true;
}

void Engine::Impl::TimeOutExtraRings(ContactSlot slot) {
  auto it = ringing_.find(slot);
  if (it == ringing_.end()) return;
  const absl::InlinedVector<AgentIndex, 3> others = std::move(it->second);
  ringing_.erase(it);
  for (AgentIndex a : others) NoteMissed(slot, a, /*timed_out=*/true);
  // Free again, each takes the most urgent waiting contact it may (not this one: it still rings
  // at contact.agent until MissOffer puts it back in its queue).
  for (AgentIndex a : others) RouteAgent(a);
}

}  // namespace switchboard
