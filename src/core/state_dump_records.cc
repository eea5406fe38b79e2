// Engine::DumpState's agents and contacts (state_dump.cc writes the rest and lists what is left
// out). Every field of the records is written but those state_dump.cc names as derived.
#include <algorithm>
#include <string_view>
#include <vector>

#include "base/json_writer.h"
#include "core/engine_impl.h"
#include "core/state_dump.h"

namespace switchboard {

using detail::JsonWriter;
using detail::WriteDuration;
using detail::WriteIndex;
using detail::WriteMicrosDuration;
using detail::WriteTime;

namespace {

std::string_view PendingName(PendingChange pending) {
  switch (pending) {
    case PendingChange::kNone: return "none";
    case PendingChange::kNotReady: return "not_ready";
    case PendingChange::kLogout: return "logout";
  }
  return "unknown";
}

template <typename List>
void WriteSlots(JsonWriter& out, const List& list) {
  out.BeginArray();
  for (const uint32_t slot : list) out.Uint(slot);
  out.EndArray();
}

void WriteCapacity(JsonWriter& out, const CapacityConfig& capacity) {
  out.BeginObject();
  out.Key("model").String(capacity.model == CapacityConfig::Model::kLimits ? "limits" : "cost");
  out.Key("limit");
  WriteSlots(out, capacity.limit);
  out.Key("blocks");
  WriteSlots(out, capacity.blocks);
  out.Key("cost");
  WriteSlots(out, capacity.cost);
  out.Key("total").Uint(capacity.total);
  out.EndObject();
}

}  // namespace

void Engine::Impl::DumpAgent(JsonWriter& out, AgentIndex index) const {
  const Agent& agent = agents_[index];
  out.BeginObject();
  out.Key("index").Uint(index);
  out.Key("id").String(agent.id);
  out.Key("removed").Bool(agent.removed);
  out.Key("logged_in").Bool(agent.logged_in);
  out.Key("ready").Bool(agent.ready);
  out.Key("pending").String(PendingName(agent.pending));
  out.Key("state").String(AgentStateName(agent.state));
  out.Key("reason").String(agent.Reason());
  out.Key("reported_reason").String(agent.ReportedReason());
  out.Key("pending_reason").String(agent.PendingReason());
  out.Key("routable_reported").Bool(agent.routable_reported);
  out.Key("state_since");
  WriteTime(out, agent.state_since);
  out.Key("channels").Uint(agent.channels);
  out.Key("held_channels").Uint(agent.held_channels);
  out.Key("pooled_channels").Uint(agent.pooled_channels);
  out.Key("load");
  WriteSlots(out, agent.load.count);
  out.Key("used_cost").Uint(agent.load.used_cost);
  out.Key("capacity");
  WriteCapacity(out, agent.capacity);
  out.Key("offers");
  WriteSlots(out, agent.offers);
  out.Key("connected");
  WriteSlots(out, agent.connected);
  out.Key("wrap_ups").BeginArray();
  for (const detail::WrapUp& wrap_up : agent.wrap_ups) {
    out.BeginObject();
    out.Key("contact").String(wrap_up.contact_id);
    out.Key("channel").String(ChannelName(wrap_up.channel));
    out.Key("queue");
    WriteIndex(out, wrap_up.queue);
    out.Key("deadline");
    WriteTime(out, wrap_up.deadline);
    out.Key("extended");
    WriteMicrosDuration(out, wrap_up.extended);
    out.Key("token").Uint(wrap_up.token);
    out.EndObject();
  }
  out.EndArray();
  out.Key("missed_delay_token").Uint(agent.missed_delay_token);
  out.Key("consecutive_misses").Int(agent.consecutive_misses);

  // Routing keys and served queues, in the agent's order.
  out.Key("free_since");
  WriteTime(out, agent.free_since);
  out.Key("handled_since_login").Int(agent.handled_since_login);
  out.Key("handled_total").Int(agent.handled_total);
  out.Key("occupancy_key").Int(agent.occupancy_key);
  out.Key("weight").Double(agent.weight);
  out.Key("served").BeginArray();
  for (const detail::ServedQueue& served : agent.served) {
    out.BeginObject();
    out.Key("queue").Uint(served.queue);
    out.Key("delay");
    WriteMicrosDuration(out, served.delay);
    out.Key("priority").Int(served.priority);
    out.Key("skill_score").Int(served.skill_score);
    out.Key("reserve").Bool(served.reserve);
    out.EndObject();
  }
  out.EndArray();
  out.Key("pool_members");
  WriteSlots(out, agent.pool_members);
  out.Key("preferred_waiting").BeginArray();
  if (agent.preferred_waiting) {
    for (const detail::WaitKey& key : *agent.preferred_waiting) detail::WriteWaitKey(out, key);
  }
  out.EndArray();

  // Statistics.
  out.Key("busy_since");
  if (agent.busy_since < 0) {
    out.Null();
  } else {
    WriteTime(out, agent.busy_since);
  }
  out.Key("time_by_state").BeginArray();
  for (const Micros time : agent.time_by_state) WriteMicrosDuration(out, time);
  out.EndArray();
  out.Key("busy_intervals");
  if (agent.busy_intervals) {
    out.BeginArray();
    for (const auto& [from, to] : *agent.busy_intervals) {
      out.BeginArray();
      WriteTime(out, from);
      WriteTime(out, to);
      out.EndArray();
    }
    out.EndArray();
  } else {
    out.Null();
  }
  out.Key("dispositions").BeginObject();
  if (auto it = agent_dispositions_.find(index); it != agent_dispositions_.end()) {
    for (const auto& [code, count] : it->second) out.Key(code).Int(count);
  }
  out.EndObject();
  const auto transfers = agent_transfers_.find(index);
  out.Key("transfers").Int(transfers == agent_transfers_.end() ? 0 : transfers->second.first);
  out.Key("consults").Int(transfers == agent_transfers_.end() ? 0 : transfers->second.second);

  // What the host configured besides capacity and weight.
  out.Key("skills").BeginArray();  // [skill id, level], in the set's order
  for (const auto& [skill, level] : agent.skills.entries()) {
    out.BeginArray().Uint(skill).Uint(level).EndArray();
  }
  out.EndArray();
  out.Key("auto_membership").Bool(agent.auto_membership);
  const detail::AgentProfile& profile = agent.Profile();
  out.Key("groups").BeginArray();
  for (const std::string& group : profile.groups) out.String(group);
  out.EndArray();
  out.Key("attributes");
  detail::WriteAttributes(out, profile.attributes);
  out.Key("queues").BeginArray();
  for (const QueueMembership& membership : profile.explicit_queues) {
    out.BeginObject();
    out.Key("queue").String(membership.queue);
    out.Key("priority").Int(membership.priority);
    out.Key("delay");
    WriteDuration(out, membership.delay);
    out.Key("reserve").Bool(membership.reserve);
    out.EndObject();
  }
  out.EndArray();
  out.Key("team").String(profile.team);
  out.EndObject();
}

void Engine::Impl::DumpContact(JsonWriter& out, ContactSlot slot) const {
  const Contact& contact = contacts_[slot];
  if (!contact.in_use) {
    out.Null();  // a free slot: nothing in it is read again before it is reused
    return;
  }
  out.BeginObject();
  out.Key("slot").Uint(slot);
  out.Key("id").String(contact.id);
  out.Key("sequence").Uint(contact.sequence);
  out.Key("queue");
  WriteIndex(out, contact.queue);
  out.Key("channel").String(ChannelName(contact.channel));
  out.Key("state").String(ContactStateName(contact.state));
  out.Key("agent");
  WriteIndex(out, contact.agent);
  out.Key("preferred");
  WriteIndex(out, contact.preferred);
  out.Key("preferred_until");
  WriteTime(out, contact.preferred_until);
  out.Key("priority").Int(contact.priority);
  out.Key("priority_class").Uint(contact.priority_class);
  out.Key("arrival");
  WriteTime(out, contact.arrival);
  out.Key("virtual_arrival");
  WriteTime(out, contact.virtual_arrival);
  out.Key("answered_at");
  WriteTime(out, contact.answered_at);
  out.Key("ewt_ms").Uint(contact.ewt_ms);
  out.Key("offer_token").Uint(contact.offer_token);
  out.Key("answered").Bool(contact.answered);
  out.Key("queued").Bool(contact.queued);
  out.Key("waited").Bool(contact.waited);
  out.Key("serve_counted").Bool(contact.serve_counted);
  out.Key("shadow").Bool(contact.shadow);
  out.Key("callback").Bool(contact.callback);
  out.Key("asked").Bool(contact.asked);
  out.Key("overflow_due").Bool(contact.overflow_due);
  out.Key("transfers").Uint(contact.transfers);
  out.Key("next_rule").Uint(contact.next_rule);
  out.Key("policy_rule").Uint(contact.policy_rule);
  out.Key("attempts").Uint(contact.attempts);
  out.Key("copied").Bool(contact.copied);
  // The other half of a copy (copy rules) and of a consult (its leg, or the contact of a leg).
  out.Key("copy");
  if (auto it = copies_.find(slot); it != copies_.end()) {
    out.Uint(it->second);
  } else {
    out.Null();
  }
  out.Key("consult");
  if (auto it = consults_.find(slot); it != consults_.end()) {
    out.Uint(it->second);
  } else {
    out.Null();
  }
  // Multi-offer: the agents it rings at besides `agent`, in the order they were offered.
  out.Key("rings").BeginArray();
  if (const auto* rings = ExtraRings(slot)) {
    for (const AgentIndex agent : *rings) out.Uint(agent);
  }
  out.EndArray();
  out.Key("cooldowns").BeginArray();  // [agent, until], in the contact's order
  if (contact.cooldowns) {
    for (const auto& [agent, until] : *contact.cooldowns) {
      out.BeginArray().Uint(agent);
      WriteTime(out, until);
      out.EndArray();
    }
  }
  out.EndArray();
  out.Key("attributes");
  if (contact.attributes) {
    detail::WriteAttributes(out, *contact.attributes);
  } else {
    out.Null();
  }
  out.EndObject();
}

}  // namespace switchboard
