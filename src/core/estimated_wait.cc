// Estimated wait (EWT): how long a contact entering a queue now will wait. A queue measures the
// time between serves (a waiting contact taken by an agent) while contacts wait, smoothed over
// the recent serves; a contact with k contacts ahead of it will wait about k + 1 such times.
// This is exact in expectation for Erlang C's queue (all agents busy, exponential handling: each
// serve is the next of N agents to finish) and follows a center whose staffing changes, since
// it measures serves rather than assuming agents or handle times.
#include <algorithm>
#include <cstdint>

#include "core/capacity_internal.h"
#include "core/engine_impl.h"

namespace switchboard {

namespace {

// Weight of the newest interval in the smoothed one: about the last 16 serves count.
constexpr double kServeWeight = 1.0 / 16;

// (ahead + 1) serves, in microseconds, within what an int64 holds.
Micros ServesAway(int64_t ahead, double interval) {
  const double micros = static_cast<double>(ahead + 1) * interval;
  return static_cast<Micros>(std::clamp(micros, 0.0, 1e18));
}

}  // namespace

int64_t Engine::Impl::WaitingOn(const Queue& home, Channel channel) const {
  int64_t waiting = static_cast<int64_t>(home.waiting[static_cast<int>(channel)].size());
  for (QueueIndex member : home.members) {
    waiting += static_cast<int64_t>(queues_[member].waiting[static_cast<int>(channel)].size());
  }
  return waiting;
}

Micros Engine::Impl::EstimateWait(const Contact& contact, bool offered_at_once) const {
  if (offered_at_once) return 0;
  const Queue& home = queues_[queues_[contact.queue].home];
  return ServesAway(WaitingOn(home, contact.channel), home.serve_interval);
}

bool Engine::Impl::AgentFreeFor(const Contact& contact) const {
  if (contact.preferred != detail::kNoIndex) {
    const Agent& agent = agents_[contact.preferred];
    return Routable(agent) &&
           detail::CanTake(agent.capacity, agent.load, agent.held_channels, contact.channel);
  }
  const Queue& queue = queues_[contact.queue];
  const Micros effective_wait = now_ - contact.virtual_arrival;
  for (const auto& tier : queue.tiers[static_cast<int>(contact.channel)]) {
    if (tier->min_wait > 0 && tier->min_wait > effective_wait) break;
    if (!tier->pool.empty() && TierOpen(queue, *tier)) return true;
  }
  return false;
}

Micros Engine::Impl::EstimateWaitOf(ContactSlot slot) const {
  const Contact& contact = contacts_[slot];
  return EstimateWithAhead(queues_[queues_[contact.queue].home], AheadOf(slot));
}

Micros Engine::Impl::EstimateWithAhead(const Queue& home, int64_t ahead) const {
  return ServesAway(ahead, home.serve_interval);
}

int64_t Engine::Impl::AheadOf(ContactSlot slot) const {
  const Contact& contact = contacts_[slot];
  const Queue& home = queues_[queues_[contact.queue].home];
  // Held for a preferred agent: as if at the back of the queue, as at entry.
  if (contact.preferred != detail::kNoIndex) return WaitingOn(home, contact.channel);
  const detail::WaitKey key = contact.wait_key(slot);
  int64_t ahead = 0;
  auto count = [&](const Queue& queue) {
    const detail::WaitingSet& waiting = queue.waiting[static_cast<int>(contact.channel)];
    for (auto it = waiting.begin(); it != waiting.end() && *it < key; ++it) ++ahead;
  };
  count(home);
  for (QueueIndex member : home.members) count(queues_[member]);
  return ahead;
}

void Engine::Impl::NoteEstimate(Contact& contact, bool offered_at_once) {
  const Micros estimate = EstimateWait(contact, offered_at_once);
  contact.ewt_ms = static_cast<uint32_t>(std::min<Micros>(estimate / 1000, UINT32_MAX));
}

void Engine::Impl::NoteServe(Queue& home) {
  const double interval = static_cast<double>(now_ - home.last_serve);
  home.serve_interval += (interval - home.serve_interval) * kServeWeight;
  home.last_serve = now_;
}

}  // namespace switchboard
