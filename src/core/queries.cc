// Queries: statistics of queues and agents, contacts and an agent's queues, as of now().
#include <algorithm>
#include <array>
#include <tuple>

#include "core/capacity_internal.h"
#include "core/engine_impl.h"

namespace switchboard {

using detail::kNoIndex;

absl::StatusOr<QueueStats> Engine::Impl::GetQueueStats(std::string_view id) const {
  absl::StatusOr<QueueIndex> q = FindQueue(id);
  if (!q.ok()) return q.status();
  const Queue& queue = queues_[*q];
  const QueueCounters& c = queue.counters;
  QueueStats stats;
  stats.queue_id = queue.config.id;
  stats.waiting = queue.waiting_count;
  const std::optional<Micros> oldest = queue.by_arrival.Oldest();
  stats.longest_wait = oldest ? absl::Microseconds(now_ - *oldest) : absl::ZeroDuration();
  stats.offered = c.offered;
  stats.rejected = c.rejected;
  stats.answered = c.answered;
  stats.answered_within_threshold = c.answered_within_threshold;
  stats.abandoned = c.abandoned;
  stats.removed = c.removed;
  stats.completed = c.completed;
  stats.offers = c.offers;
  stats.offers_missed = c.offers_missed;
  stats.open = queue.open;
  stats.overflowed = c.overflowed;
  stats.transferred = c.transferred;
  stats.callbacks = c.callbacks;
  stats.callbacks_connected = c.callbacks_connected;
  stats.callbacks_failed = c.callbacks_failed;
  stats.deflected = c.deflected;
  stats.voicemail = c.voicemail;
  stats.disconnected = c.disconnected;
  const int64_t decided = c.answered + c.abandoned;
  stats.service_level =
      decided == 0 ? 1.0 : static_cast<double>(c.answered_within_threshold) / decided;
  stats.asa =
      c.answered == 0 ? absl::ZeroDuration() : absl::Microseconds(c.total_answer_wait / c.answered);
  if (c.answered > 0) {
    stats.ewt_error = absl::Microseconds(c.ewt_abs_error_sum / c.answered);
    stats.ewt_bias = absl::Microseconds(c.ewt_error_sum / c.answered);
  }
  stats.dispositions = c.dispositions;
  stats.reserve_active = queue.reserve_active;
  stats.reserve_service_level = ReserveServiceLevel(queue);
  return stats;
}

absl::StatusOr<AgentStats> Engine::Impl::GetAgentStats(std::string_view id) const {
  absl::StatusOr<AgentIndex> a = FindAgent(id);
  if (!a.ok()) return a.status();
  const Agent& agent = agents_[*a];
  AgentStats stats;
  stats.agent_id = agent.id;
  stats.team = agent.Profile().team;
  stats.state = agent.state;
  stats.not_ready_reason =
      agent.state == AgentState::kNotReady ? std::string(agent.Reason()) : std::string();
  const Micros now = std::max(now_, agent.state_since);
  stats.time_in_state = absl::Microseconds(now - agent.state_since);
  stats.contacts_handled = agent.handled_since_login;
  stats.contacts_handled_total = agent.handled_total;
  stats.active_contacts =
      static_cast<int>(agent.offers.size() + agent.connected.size() + agent.wrap_ups.size());
  const std::array<Micros, kAgentStateCount> times = TimeByState(agent);
  for (int s = 0; s < kAgentStateCount; ++s) stats.time_by_state[s] = absl::Microseconds(times[s]);
  const auto [working, logged_in] = WorkAndLoggedIn(*a);
  stats.occupancy = logged_in == 0 ? 0.0 : static_cast<double>(working) / logged_in;
  stats.not_routable_reason = NotRoutableReason(agent);
  stats.routable = stats.not_routable_reason.empty();
  if (const auto found = agent_dispositions_.find(*a); found != agent_dispositions_.end()) {
    stats.dispositions = found->second;
  }
  if (const auto found = agent_transfers_.find(*a); found != agent_transfers_.end()) {
    std::tie(stats.transfers, stats.consults) = found->second;
  }
  return stats;
}

uint8_t Engine::Impl::NotRoutableCode(const Agent& agent) const {
  if (!agent.logged_in) return 1;
  if (agent.pending != PendingChange::kNone) return 2;
  if (!agent.ready) {
    const std::string_view reason = agent.Reason();
    const bool missed = reason == kReasonMissedOffer || reason == kReasonOfferRejected ||
                        reason == kReasonOfferTimedOut;
    return missed ? 3 : 4;
  }
  for (int c = 0; c < kChannelCount; ++c) {
    if (detail::CanTake(agent.capacity, agent.load, agent.held_channels, static_cast<Channel>(c))) {
      return 0;
    }
  }
  return 5;
}

std::string_view Engine::Impl::NotRoutableReason(const Agent& agent) const {
  static constexpr std::string_view kReasons[] = {
      "", "logged_out", "pending_change", "missed_offer", "not_ready", "at_capacity"};
  return kReasons[NotRoutableCode(agent)];
}

absl::StatusOr<ContactInfo> Engine::Impl::GetContact(std::string_view id) const {
  absl::StatusOr<ContactSlot> slot = FindContact(id);
  if (!slot.ok()) return slot.status();
  return InfoOf(*slot);
}

ContactInfo Engine::Impl::InfoOf(ContactSlot slot) const {
  return InfoOf(slot, contacts_[slot].queued ? AheadOf(slot) : 0);
}

ContactInfo Engine::Impl::InfoOf(ContactSlot slot, int64_t ahead) const {
  const Contact& contact = contacts_[slot];
  ContactInfo info;
  info.id = contact.id;
  info.queue = queues_[contact.queue].config.id;
  info.channel = contact.channel;
  info.state = contact.state;
  if (contact.agent != kNoIndex) info.agent = agents_[contact.agent].id;
  info.arrival = absl::FromUnixMicros(contact.arrival);
  info.priority = contact.priority;
  info.priority_class = contact.priority_class;
  if (contact.attributes) info.attributes = *contact.attributes;
  if (contact.queued) {
    info.estimated_wait =
        absl::Microseconds(EstimateWithAhead(queues_[queues_[contact.queue].home], ahead));
    info.position = ahead + 1;
    info.step = queues_[contact.queue].step;
    if (contact.preferred != kNoIndex) info.held_for = agents_[contact.preferred].id;
  }
  return info;
}

absl::StatusOr<std::vector<ContactInfo>> Engine::Impl::GetQueueContacts(std::string_view id) const {
  absl::StatusOr<QueueIndex> q = FindQueue(id);
  if (!q.ok()) return q.status();
  const Queue& home = queues_[*q];
  // Every record's waiting sets, then the contacts held for a preferred agent.
  std::vector<detail::WaitKey> waiting;
  std::vector<detail::WaitKey> held;
  auto collect = [&](const Queue& queue) {
    for (const detail::WaitingSet& set : queue.waiting) {
      for (const detail::WaitKey& key : set) waiting.push_back(key);
    }
  };
  collect(home);
  for (QueueIndex member : home.members) collect(queues_[member]);
  for (size_t a = 0; a < agents_.size(); ++a) {
    if (!agents_[a].preferred_waiting) continue;
    for (const detail::WaitKey& key : *agents_[a].preferred_waiting) {
      if (queues_[contacts_[key.slot].queue].home == *q) held.push_back(key);
    }
  }
  std::sort(waiting.begin(), waiting.end());
  std::sort(held.begin(), held.end());
  std::vector<ContactInfo> contacts;
  contacts.reserve(waiting.size() + held.size());
  std::array<int64_t, kChannelCount> ahead{};  // per channel, as positions count
  for (const detail::WaitKey& key : waiting) {
    contacts.push_back(InfoOf(key.slot, ahead[static_cast<int>(contacts_[key.slot].channel)]++));
    // A copy a copy rule made waits here for its contact: listed under the contact's id.
    if (contacts_[key.slot].shadow) contacts.back().id = contacts_[copies_.at(key.slot)].id;
  }
  for (const detail::WaitKey& key : held) {
    const Channel channel = contacts_[key.slot].channel;
    contacts.push_back(InfoOf(key.slot, ahead[static_cast<int>(channel)]));
  }
  return contacts;
}

std::vector<std::string> Engine::Impl::ListQueues() const {
  std::vector<std::string> ids;
  for (QueueIndex q = 0; q < queues_.size(); ++q) {
    if (queues_[q].home == q && !queues_[q].removed) ids.push_back(queues_[q].config.id);
  }
  return ids;
}

std::vector<std::string> Engine::Impl::ListAgents() const {
  std::vector<std::string> ids;
  ids.reserve(agents_.size());
  for (size_t a = 0; a < agents_.size(); ++a) {
    if (!agents_[a].removed) ids.push_back(agents_[a].id);
  }
  return ids;
}

absl::StatusOr<std::vector<ContactInfo>> Engine::Impl::GetAgentContacts(std::string_view id) const {
  absl::StatusOr<AgentIndex> a = FindAgent(id);
  if (!a.ok()) return a.status();
  std::vector<ContactInfo> contacts;
  const Agent& agent = agents_[*a];
  for (ContactSlot slot : agent.offers) {
    contacts.push_back(InfoOf(slot));
    contacts.back().agent = agent.id;  // it may ring at others too (multi-offer)
  }
  for (ContactSlot slot : agent.connected) {
    if (!contacts_[slot].shadow) {
      contacts.push_back(InfoOf(slot));
      continue;
    }
    // A consult's leg: the contact this agent is consulted about (with another agent).
    ContactInfo& info = contacts.emplace_back(InfoOf(consults_.at(slot)));
    info.agent = agent.id;
    info.state = ContactState::kConnected;
  }
  for (const detail::WrapUp& wrap_up : agent.wrap_ups) {
    ContactInfo& info = contacts.emplace_back();
    info.id = wrap_up.contact_id;
    info.queue = queues_[wrap_up.queue].config.id;
    info.channel = wrap_up.channel;
    info.state = ContactState::kWrapUp;
    info.agent = agent.id;
  }
  return contacts;
}

absl::StatusOr<std::vector<std::string>> Engine::Impl::GetAgentQueues(std::string_view id) const {
  absl::StatusOr<AgentIndex> a = FindAgent(id);
  if (!a.ok()) return a.status();
  std::vector<std::string> ids;
  for (const detail::ServedQueue& served : agents_[*a].served) {
    // A queue once, whether the agent serves it, some of its requirement steps, or both.
    const std::string& queue = queues_[served.queue].config.id;
    if (std::find(ids.begin(), ids.end(), queue) == ids.end()) ids.push_back(queue);
  }
  return ids;
}

}  // namespace switchboard
