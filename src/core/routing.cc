// Routing decisions: which agent gets a contact that arrives, which contact an agent that
// becomes free gets, and offers with their outcomes. The data structures and the cost of each
// operation are described in docs/architecture.md.
#include <algorithm>
#include <array>
#include <cassert>
#include <cstdint>
#include <limits>
#include <memory>
#include <tuple>

#include "absl/container/inlined_vector.h"
#include "core/capacity_internal.h"
#include "base/durations.h"
#include "core/engine_impl.h"
#include "core/selection.h"
#include "base/status_macros.h"

namespace switchboard {

using detail::kNoIndex;
using detail::WaitKey;

namespace {

using detail::kNever;

// The first key of the next lower priority class after `key`'s, for skipping a whole class.
WaitKey NextClassStart(const WaitKey& key) {
  return {std::numeric_limits<Micros>::min(), 0, 0, static_cast<uint8_t>(key.inverted_class + 1)};
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Pools: an agent is in the pool of (queue, channel, its delay for the queue, whether it is a
// reserve for it) for every queue it serves and every channel it could take one more contact
// on, while it is routable.

Tier* Engine::Impl::FindTier(Queue& queue, Channel channel, Micros min_wait, bool reserve) {
  const int64_t key = Tier::TierKey(min_wait, reserve);
  for (auto& tier : queue.tiers[static_cast<int>(channel)]) {
    if (tier->key == key) return tier.get();
  }
  return nullptr;
}

Tier& Engine::Impl::TierFor(Queue& queue, Channel channel, Micros min_wait, bool reserve) {
  if (Tier* tier = FindTier(queue, channel, min_wait, reserve)) return *tier;
  auto& tiers = queue.tiers[static_cast<int>(channel)];
  // By minimum wait, the regular tier before the reserve one of the same wait.
  const int64_t key = Tier::TierKey(min_wait, reserve);
  auto it = std::find_if(tiers.begin(), tiers.end(),
                         [key](const auto& tier) { return tier->key > key; });
  it = tiers.insert(
      it, std::make_unique<Tier>(min_wait, reserve, detail::PoolLayout(queue.config.strategy)));
  return **it;
}

// Channels on which the agent could take one more contact now.
uint16_t Engine::Impl::OpenChannels(const Agent& agent) const {
  uint16_t open = 0;
  for (uint16_t rest = agent.channels; rest != 0; rest &= rest - 1) {
    const int c = __builtin_ctz(rest);
    if (detail::CanTake(agent.capacity, agent.load, agent.held_channels, static_cast<Channel>(c))) {
      open |= static_cast<uint16_t>(1u << c);
    }
  }
  return open;
}

void Engine::Impl::AddToPools(AgentIndex a) {
  Agent& agent = agents_[a];
  if (agent.pooled_channels != 0 || !Routable(agent) || agent.served.empty()) return;
  const uint16_t channels = OpenChannels(agent);
  if (channels == 0) return;
  agent.pooled_channels = channels;
  if (least_occupied_queues_ > 0) agent.occupancy_key = OccupancyPpm(agent);
  agent.pool_members.resize(agent.served.size() * agent.channel_count);
  // Null for a list still inside the record, which the record's own prefetch covers.
  auto outside = [&agent](const void* list) -> const void* {
    const auto at = reinterpret_cast<uintptr_t>(list);
    const auto record = reinterpret_cast<uintptr_t>(&agent);
    return at >= record && at < record + sizeof(Agent) ? nullptr : list;
  };
  agent_lists_at_[a] = {outside(agent.served.data()), outside(agent.pool_members.data())};
  for (size_t i = 0; i < agent.served.size(); ++i) {
    const detail::ServedQueue& served = agent.served[i];
    Queue& queue = queues_[served.queue];
    const detail::PoolEntry key = detail::PoolKey(queue.config.strategy, agent, a, served);
    for (uint16_t rest = channels; rest != 0; rest &= rest - 1) {
      const Channel channel = static_cast<Channel>(__builtin_ctz(rest));
      detail::AgentPool& pool = TierFor(queue, channel, served.delay, served.reserve).pool;
      pool.Insert(key, agent.weight, &agent.pool_members[agent.PoolMemberSlot(i, channel)]);
      // A delayed tier that already had agents has its re-check scheduled.
      if (served.delay > 0 && pool.size() == 1) ScheduleRecheck(served.queue, channel);
    }
  }
}

void Engine::Impl::RemoveFromPools(AgentIndex a) {
  Agent& agent = agents_[a];
  if (agent.pooled_channels == 0) return;
  for (size_t i = 0; i < agent.served.size(); ++i) {
    const detail::ServedQueue& served = agent.served[i];
    Queue& queue = queues_[served.queue];
    const detail::PoolEntry key = detail::PoolKey(queue.config.strategy, agent, a, served);
    for (uint16_t rest = agent.pooled_channels; rest != 0; rest &= rest - 1) {
      const Channel channel = static_cast<Channel>(__builtin_ctz(rest));
      FindTier(queue, channel, served.delay, served.reserve)
          ->pool.Erase(key, agent.weight, agent.pool_members[agent.PoolMemberSlot(i, channel)]);
    }
  }
  agent.pooled_channels = 0;
}

// ---------------------------------------------------------------------------------------------
// Waiting contacts.

QueueIndex Engine::Impl::StepFor(QueueIndex chain, Micros wait) const {
  QueueIndex queue = chain;
  for (const Queue::Step& step : queues_[chain].steps) {
    if (wait < step.after) break;
    queue = step.queue;
  }
  return queue;
}

void Engine::Impl::TakeStep(Contact& contact) {
  const QueueIndex chain = queues_[contact.queue].chain;
  if (queues_[chain].steps.empty()) return;
  const QueueIndex queue = StepFor(chain, now_ - contact.arrival);
  if (queue == contact.queue) return;
  contact.queue = queue;
  if (events_on() && !contact.shadow) {  // a copy has no events of its own
    EmitContact(EventType::kContactRequirementChanged, contact, kNoIndex, ContactOutcome::kNone,
                kNever, queues_[queue].config.requirement);
  }
}

void Engine::Impl::EnterWaiting(ContactSlot slot) {
  Contact& contact = contacts_[slot];
  TakeStep(contact);
  Queue& queue = queues_[contact.queue];
  Queue& home = queues_[queue.home];
  contact.state = ContactState::kWaiting;
  contact.agent = kNoIndex;
  contact.queued = true;
  // A wait rule counts from entry into the queue: from arrival, the first time it waits
  // (a transfer arms the target's rules itself).
  if (!contact.waited && !home.overflow.empty() && contact.transfers == 0) {
    ArmWaitRule(slot, contact.arrival, 0);
  }
  contact.waited = true;
  if (contact.preferred != kNoIndex) {
    auto& held = agents_[contact.preferred].preferred_waiting;
    if (!held) held = std::make_unique<detail::PreferredWaiting>();
    held->insert(contact.wait_key(slot));
  } else {
    queue.waiting[static_cast<int>(contact.channel)].insert(contact.wait_key(slot), now_);
    // The next step, if any, comes by timer; the steps are few, and a contact rarely waits.
    const std::vector<Queue::Step>& steps = queues_[queue.chain].steps;
    if (queue.step < steps.size()) {
      SetTimer(contact.arrival + steps[queue.step].after, TimerKind::kRequirementStep, slot,
               queue.step + 1u, contact.sequence);
    }
  }
  home.by_arrival.Enter({contact.arrival, contact.sequence});
  if (home.waiting_count == 0) home.last_serve = now_;  // the time between serves counts from here
  ++home.waiting_count;
  if (home.reserve) ScheduleReserveCheck(queue.home);
}

void Engine::Impl::LeaveWaiting(ContactSlot slot) {
  Contact& contact = contacts_[slot];
  if (!contact.queued) return;
  contact.queued = false;
  Queue& queue = queues_[contact.queue];
  Queue& home = queues_[queue.home];
  if (contact.preferred != kNoIndex) {
    auto& held = agents_[contact.preferred].preferred_waiting;
    detail::EraseKey(*held, contact.wait_key(slot));
    if (held->empty()) held.reset();
  } else {
    detail::WaitingSet& waiting = queue.waiting[static_cast<int>(contact.channel)];
    waiting.erase(contact.wait_key(slot));
    // The new head is the next contact this queue offers, likely many commands from now; with
    // many waiting its record is cold, and fetched now it stays in cache until then.
    if (const WaitKey* head = waiting.first()) detail::PrefetchRecord(contacts_[head->slot]);
  }
  home.by_arrival.Leave({contact.arrival, contact.sequence});
  --home.waiting_count;
}

// ---------------------------------------------------------------------------------------------
// Matching, contact side: a contact that is waiting looks for the best agent free now.

bool Engine::Impl::RouteContact(ContactSlot slot) {
  Contact& contact = contacts_[slot];
  if (contact.state != ContactState::kWaiting) return false;
  if (contact.preferred != kNoIndex) {
    const Agent& agent = agents_[contact.preferred];
    if (Routable(agent) &&
        detail::CanTake(agent.capacity, agent.load, agent.held_channels, contact.channel) &&
        !detail::CoolingDown(contact, contact.preferred, now_)) {
      Offer(slot, contact.preferred);
      return true;
    }
    return false;
  }
  const AgentIndex chosen =
      ChooseAgent(contact.queue, contact.channel, contact.virtual_arrival, &contact);
  if (chosen == kNoIndex) return false;
  const ContactSlot offered = Offer(slot, chosen);
  if (multi_offer_ && queues_[contacts_[offered].queue].config.ring_agents > 1) RingMore(offered);
  return true;
}

AgentIndex Engine::Impl::ChooseAgent(QueueIndex q, Channel channel, Micros virtual_arrival,
                                     const Contact* contact,
                                     std::span<const AgentIndex> ringing) {
  Queue& queue = queues_[q];
  const Micros effective_wait = now_ - virtual_arrival;
  absl::InlinedVector<detail::AgentPool*, 4> pools;
  absl::InlinedVector<detail::AgentPool*, 2> reserve_pools;  // a last resort: see below
  for (auto& tier : queue.tiers[static_cast<int>(channel)]) {
    // A delay is a minimum wait; with none, even a contact whose negative priority puts its
    // virtual arrival in the future may go.
    if (tier->min_wait > 0 && tier->min_wait > effective_wait) break;
    if (tier->pool.empty()) continue;
    if (!tier->reserve) {
      pools.push_back(&tier->pool);
    } else if (queues_[queue.home].reserve_active) {
      reserve_pools.push_back(&tier->pool);
    }
  }
  if (pools.empty() && reserve_pools.empty()) return kNoIndex;
  assert(contact != nullptr || queue.config.strategy != Strategy::kHostScore);
  detail::SelectionContext context;
  context.strategy = queue.config.strategy;
  context.contact = contact;
  context.queue = q;
  context.queue_id = queue.config.id;
  context.now = now_;
  context.agents = &agents_;
  context.random = &random_;
  context.round_robin_cursor = &queue.round_robin_cursor;
  context.scorer = &scorer_;
  context.candidates = &score_candidates_;
  context.host_score_candidates = options_.host_score_candidates;
  context.ringing = ringing;
  AgentIndex chosen = pools.empty() ? kNoIndex : detail::SelectAgent(context, pools);
  // Reserve members only when no regular member may take the contact.
  if (chosen == kNoIndex && !reserve_pools.empty()) {
    chosen = detail::SelectAgent(context, reserve_pools);
  }
  // The offer reads several lines of the chosen agent's record (its pools, its state), which
  // is cold at scale when the strategy picked it without reading it, and the lists it keeps
  // outside the record once they grow: request their first lines with the record.
  if (chosen != kNoIndex) {
    detail::PrefetchRecord(agents_[chosen]);
    const detail::AgentListsAt& lists = agent_lists_at_[chosen];
    if (lists.served != nullptr) {
      // Three lines: at least the first five queues (past a short list's end, only prefetched).
      detail::PrefetchLines(lists.served, 3 * 64);
    }
    if (lists.members != nullptr) __builtin_prefetch(lists.members);
  }
  return chosen;
}

std::optional<AgentIndex> Engine::Impl::ChooseEarly(QueueIndex q, Channel channel,
                                                    Micros virtual_arrival) {
  if (queues_[q].config.strategy == Strategy::kHostScore) return std::nullopt;
  return ChooseAgent(q, channel, virtual_arrival, /*contact=*/nullptr);
}

void Engine::Impl::PlaceNew(ContactSlot slot, std::optional<AgentIndex> early) {
  if (early && *early != kNoIndex) {
    const ContactSlot offered = Offer(slot, *early);
    if (multi_offer_ && queues_[contacts_[offered].queue].config.ring_agents > 1) {
      RingMore(offered);
    }
    return;
  }
  if (!early && !ClosedToEntry(contacts_[slot]) && RouteContact(slot)) {
    return;  // created waiting, in the step its wait reached
  }
  WaitOnEntry(slot);
}

void Engine::Impl::Place(ContactSlot slot) {
  Contact& contact = contacts_[slot];
  contact.state = ContactState::kWaiting;
  contact.agent = kNoIndex;
  TakeStep(contact);
  if (!RouteContact(slot)) Wait(slot);
}

void Engine::Impl::ReachStep(ContactSlot slot) {
  Contact& contact = contacts_[slot];
  Queue& home = queues_[queues_[contact.queue].home];
  const Micros last_serve = home.last_serve;
  LeaveWaiting(slot);
  TakeStep(contact);
  Place(slot);
  // A step does not start the queue's wait anew (the contact waited on), unless it was served
  // (a copy that was reached is gone: its contact was served).
  if (contact.in_use && contact.state == ContactState::kWaiting) home.last_serve = last_serve;
}

void Engine::Impl::Wait(ContactSlot slot) {
  EnterWaiting(slot);
  const Contact& contact = contacts_[slot];
  if (contact.preferred == kNoIndex) ScheduleRecheck(contact.queue, contact.channel);
}

// ---------------------------------------------------------------------------------------------
// Matching, agent side: an agent with free capacity takes the most urgent contact among the
// queues it serves.

namespace {

// Urgency of a candidate contact for one agent; smaller is more urgent.
struct Urgency {
  uint8_t inverted_class = 255;
  uint8_t not_preferred = 1;  // contacts waiting for this very agent come first within a class
  int agent_priority = 0;     // negated: higher priority first
  int queue_priority = 0;     // negated
  Micros virtual_arrival = 0;
  uint64_t sequence = 0;

  friend bool operator<(const Urgency& a, const Urgency& b) {
    return std::tie(a.inverted_class, a.not_preferred, a.agent_priority, a.queue_priority,
                    a.virtual_arrival, a.sequence) < std::tie(b.inverted_class, b.not_preferred,
                                                              b.agent_priority, b.queue_priority,
                                                              b.virtual_arrival, b.sequence);
  }
};

}  // namespace

ContactSlot Engine::Impl::BestContactFor(AgentIndex a) const {
  const Agent& agent = agents_[a];
  const uint16_t channels = OpenChannels(agent);
  if (channels == 0) return kNoIndex;

  ContactSlot best = kNoIndex;
  Urgency best_urgency;
  auto consider = [&](const WaitKey& key, uint8_t not_preferred, int agent_priority,
                      int queue_priority) {
    const Urgency urgency{key.inverted_class, not_preferred,       -agent_priority,
                          -queue_priority,    key.virtual_arrival, key.sequence};
    if (best == kNoIndex || urgency < best_urgency) {
      best = key.slot;
      best_urgency = urgency;
    }
  };

  // Contacts held for this agent as their preferred agent: the first it can take.
  if (agent.preferred_waiting) {
    for (const WaitKey& key : *agent.preferred_waiting) {
      const Contact& contact = contacts_[key.slot];
      if ((channels >> static_cast<int>(contact.channel) & 1u) &&
          !detail::CoolingDown(contact, a, now_)) {
        consider(key, 0, 0, 0);
        break;
      }
    }
  }

  for (const detail::ServedQueue& served : agent.served) {
    const Queue& queue = queues_[served.queue];
    if (served.reserve && !queues_[queue.home].reserve_active) continue;
    for (uint16_t rest = channels; rest != 0; rest &= rest - 1) {
      const detail::WaitingSet& waiting = queue.waiting[__builtin_ctz(rest)];
      const WaitKey* head = waiting.first();
      if (head == nullptr) continue;
      auto waited_enough = [&](const WaitKey& key) {
        return served.delay == 0 || now_ - key.virtual_arrival >= served.delay;
      };
      // The usual case: the agent may take the head (the walk below would stop there too).
      if (!head->may_cool_down && waited_enough(*head)) {
        consider(*head, 1, served.priority, queue.config.priority);
        continue;
      }
      // Within a class the first contact has waited longest; when it has not waited the agent's
      // delay, no other of its class has, so skip to the next class.
      auto it = waiting.begin();
      while (it != waiting.end()) {
        if (it->may_cool_down && detail::CoolingDown(contacts_[it->slot], a, now_)) {
          ++it;
          continue;
        }
        if (waited_enough(*it)) {
          consider(*it, 1, served.priority, queue.config.priority);
          break;
        }
        if (it->inverted_class == 255) break;
        it = waiting.lower_bound(NextClassStart(*it));
      }
    }
  }
  return best;
}

void Engine::Impl::PrefetchNextContacts(AgentIndex a) const {
  const Agent& agent = agents_[a];
  for (const detail::ServedQueue& served : agent.served) {
    const Queue& queue = queues_[served.queue];
    for (uint16_t rest = agent.channels; rest != 0; rest &= rest - 1) {
      const WaitKey* head = queue.waiting[__builtin_ctz(rest)].first();
      if (head != nullptr) detail::PrefetchRecord(contacts_[head->slot]);
    }
  }
}

void Engine::Impl::RouteAgent(AgentIndex a) {
  while (Routable(agents_[a])) {
    const ContactSlot slot = BestContactFor(a);
    if (slot == kNoIndex) break;
    // One ring: other agents free now may owe a more urgent contact that waits (one that just
    // missed an offer, and goes back to its queue right after this).
    Offer(slot, a, /*repool=*/false);
  }
  AddToPools(a);
}

// ---------------------------------------------------------------------------------------------
// Offers.

ContactSlot Engine::Impl::Offer(ContactSlot slot, AgentIndex a, bool repool) {
  // A copy reached: the contact itself is offered. (The test here spares the call on every
  // other offer: ResolveCopy lives in another file.)
  if (contacts_[slot].copied) slot = ResolveCopy(slot, /*offered=*/true);
  Contact& contact = contacts_[slot];
  // A waiting contact's first serve is what the estimated wait measures (not the offers after a
  // missed one, nor a contact offered as it arrives).
  if (contact.waited && !contact.serve_counted) {
    NoteServe(queues_[queues_[contact.queue].home]);
    contact.serve_counted = true;
  }
  LeaveWaiting(slot);
  contact.preferred = kNoIndex;
  BeginAgentChange(a);
  Agent& agent = agents_[a];
  agent.offers.push_back(slot);
  AddLoad(agent, contact.channel);
  contact.state = ContactState::kOffered;
  contact.agent = a;
  contact.offer_token = ++next_token_;
  const Micros deadline = now_ + offer_timeout_;
  if (!listener_accepts_at_once_) {
    SetTimer(deadline, TimerKind::kOfferTimeout, slot, 0, contact.offer_token);
  }
  ++CountersOf(contact.queue).offers;
  const Cause saved_cause = cause_;
  cause_ = Cause::kRouting;
  if (events_on())
    EmitContact(EventType::kContactOffered, contact, a, ContactOutcome::kNone, deadline);
  EndAgentChange(a, repool);
  cause_ = saved_cause;
  if (offer_listener_ != nullptr) offer_listener_->OnOffer(slot, a);
  return slot;
}

void Engine::Impl::NoteMissed(ContactSlot slot, AgentIndex a, bool timed_out) {
  Contact& contact = contacts_[slot];
  BeginAgentChange(a);
  Agent& agent = agents_[a];
  detail::EraseFirst(agent.offers, slot);
  RemoveLoad(agent, contact.channel);
  ++CountersOf(contact.queue).offers_missed;
  if (events_on()) {
    EmitContact(timed_out ? EventType::kOfferTimedOut : EventType::kOfferRejected, contact, a);
  }
  if (rona_cooldown_ > 0) {
    const Micros until = now_ + rona_cooldown_;
    if (!contact.cooldowns) contact.cooldowns = std::make_unique<detail::Cooldowns>();
    std::erase_if(*contact.cooldowns, [a](const auto& entry) { return entry.first == a; });
    contact.cooldowns->emplace_back(a, until);
    SetTimer(until, TimerKind::kCooldownEnd, slot, a, contact.sequence);
  }
  // The agent: not ready after too many misses in a row, else a short pause (if configured).
  ++agent.consecutive_misses;
  const Micros delay = timed_out ? timeout_delay_ : reject_delay_;
  if (options_.max_consecutive_misses > 0 &&
      agent.consecutive_misses >= options_.max_consecutive_misses) {
    agent.ready = false;
    agent.SetReason(kReasonMissedOffer);
    agent.consecutive_misses = 0;
    agent.missed_delay_token = 0;
  } else if (delay > 0 && agent.ready) {
    agent.ready = false;
    agent.SetReason(timed_out ? kReasonOfferTimedOut : kReasonOfferRejected);
    agent.missed_delay_token = ++next_token_;
    SetTimer(now_ + delay, TimerKind::kMissedOfferDelay, a, 0, agent.missed_delay_token);
  }
  EndAgentChange(a, /*repool=*/false);
}

void Engine::Impl::MissOffer(ContactSlot slot, bool timed_out) {
  Contact& contact = contacts_[slot];
  const AgentIndex a = contact.agent;
  NoteMissed(slot, a, timed_out);
  // The contact goes back with its original arrival, so it keeps its place. The agent, free
  // again, takes the most urgent contact it may (which is not this one while it cools down);
  // then the contact looks for another agent. A wait rule that fell due while it rang applies
  // first.
  EnterWaiting(slot);
  const uint64_t sequence = contact.sequence;
  ApplyDueRules(slot);
  RouteAgent(a);
  if (!contact.in_use || contact.sequence != sequence) return;
  // Still in its waiting set (not a scheduled callback gone until its time)?
  if (contact.state == ContactState::kWaiting && contact.queued && !RouteContact(slot) &&
      contact.preferred == kNoIndex) {
    ScheduleRecheck(contact.queue, contact.channel);
  }
}

void Engine::Impl::EndUnanswered(ContactSlot slot, ContactOutcome outcome,
                                 std::string_view reason) {
  ResolveCopy(slot, /*offered=*/false);
  Contact& contact = contacts_[slot];
  const AgentIndex a = contact.agent;
  if (contact.state == ContactState::kWaiting) {
    LeaveWaiting(slot);
  } else {
    if (!ringing_.empty()) WithdrawExtraRings(slot);
    BeginAgentChange(a);
    Agent& agent = agents_[a];
    detail::EraseFirst(agent.offers, slot);
    RemoveLoad(agent, contact.channel);
    if (events_on()) EmitContact(EventType::kOfferWithdrawn, contact, a);
    EndAgentChange(a, /*repool=*/false);  // RouteAgent below
  }
  if (outcome == ContactOutcome::kAbandoned) {
    ++CountersOf(contact.queue).abandoned;
    NoteDecided(queues_[queues_[contact.queue].home], /*within=*/false);
  } else {
    ++CountersOf(contact.queue).removed;
  }
  if (events_on()) {
    EmitContact(outcome == ContactOutcome::kAbandoned ? EventType::kContactAbandoned
                                                      : EventType::kContactRemoved,
                contact, kNoIndex, outcome, kNever, reason);
  }
  FreeContact(slot);
  if (a != kNoIndex) RouteAgent(a);
}

void Engine::Impl::FreeContact(ContactSlot slot) {
  Contact& contact = contacts_[slot];
  if (!contact.id.empty()) contact_ids_.Erase(slot);
  contact.in_use = false;
  contact.id.clear();
  contact.attributes.reset();
  contact.cooldowns.reset();
  contact.agent = kNoIndex;
  contact.preferred = kNoIndex;
  free_slots_.push_back(slot);
}

// ---------------------------------------------------------------------------------------------
// Agents with a delay for a queue: contacts reach them only after waiting that long, so the
// engine schedules a re-check for when the oldest contact of each class gets there.

void Engine::Impl::ScheduleRecheck(QueueIndex q, Channel channel) {
  Queue& queue = queues_[q];
  const auto& tiers = queue.tiers[static_cast<int>(channel)];
  if (tiers.empty() || tiers.back()->min_wait == 0) return;  // no delayed tier
  const detail::WaitingSet& waiting = queue.waiting[static_cast<int>(channel)];
  // For each class and each delayed tier with agents in it, the next contact to reach the
  // tier's minimum wait is the first of the class that has not reached it yet.
  Micros next = kNever;
  for (auto head = waiting.begin(); head != waiting.end();) {
    for (const auto& tier : tiers) {
      if (tier->min_wait == 0 || tier->pool.empty() || !TierOpen(queue, *tier)) continue;
      WaitKey first_not_reached{now_ - tier->min_wait + 1, 0, 0, head->inverted_class};
      auto it = waiting.lower_bound(first_not_reached);
      if (it != waiting.end() && it->inverted_class == head->inverted_class) {
        next = std::min(next, it->virtual_arrival + tier->min_wait);
      }
    }
    if (head->inverted_class == 255) break;
    head = waiting.lower_bound(NextClassStart(*head));
  }
  Micros& scheduled = queue.recheck_at[static_cast<int>(channel)];
  if (next != kNever && (next < scheduled || scheduled < now_)) {
    scheduled = next;
    SetTimer(next, TimerKind::kQueueRecheck, q, static_cast<uint32_t>(channel), 0);
  }
}

void Engine::Impl::RecheckQueue(QueueIndex q, Channel channel) {
  Queue& queue = queues_[q];
  const auto& tiers = queue.tiers[static_cast<int>(channel)];
  const detail::WaitingSet& waiting = queue.waiting[static_cast<int>(channel)];
  auto smallest_open_wait = [&]() {
    for (const auto& tier : tiers) {
      if (!tier->pool.empty() && TierOpen(queue, *tier)) return tier->min_wait;
    }
    return kNever;
  };
  Micros open_wait = smallest_open_wait();
  auto it = waiting.begin();
  while (it != waiting.end() && open_wait != kNever) {
    if (open_wait > 0 && now_ - it->virtual_arrival < open_wait) {
      // Nobody later in this class has waited long enough either.
      if (it->inverted_class == 255) break;
      it = waiting.lower_bound(NextClassStart(*it));
      continue;
    }
    const WaitKey key = *it;
    if (RouteContact(key.slot)) open_wait = smallest_open_wait();
    it = waiting.upper_bound(key);
  }
  ScheduleRecheck(q, channel);
}

}  // namespace switchboard
