// Engine::LoadState's agents and contacts, and the indexes rebuilt from them (state_load.cc
// reads the rest). Mirrors state_dump_records.cc field by field.
#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/capacity_internal.h"
#include "core/engine_impl.h"
#include "core/selection.h"
#include "core/state_load.h"

namespace switchboard {

using detail::DumpNode;
using detail::DumpReader;
using detail::kNoIndex;
using detail::ReadEnum;

namespace {

std::string_view PendingName(PendingChange pending) {
  switch (pending) {
    case PendingChange::kNone: return "none";
    case PendingChange::kNotReady: return "not_ready";
    case PendingChange::kLogout: return "logout";
  }
  return "unknown";
}

// A list of unsigned integers, each at most `max`, of exactly `size` entries unless 0.
template <typename T>
std::vector<T> ReadNumbers(DumpReader& in, const DumpNode& node, uint64_t max, size_t size = 0) {
  std::vector<T> numbers;
  const std::vector<DumpNode> items = in.Items(node);
  if (in.ok() && size != 0 && items.size() != size) {
    in.Fail(node, detail::Cat("expected ", size, " numbers"));
    return numbers;
  }
  for (const DumpNode& item : items) numbers.push_back(static_cast<T>(in.Uint(item, max)));
  return numbers;
}

}  // namespace

void Engine::Impl::LoadAgent(DumpReader& in, const DumpNode& node, AgentIndex index,
                             LoadScratch& scratch) {
  Agent& agent = agents_.emplace_back();
  agent_lists_at_.emplace_back();
  if (in.Uint(in.Field(node, "index")) != index && in.ok()) {
    in.Fail(in.Field(node, "index"), "expected the record's place");
  }
  agent.id = in.String(in.Field(node, "id"));
  agent.removed = in.Bool(in.Field(node, "removed"));
  agent.logged_in = in.Bool(in.Field(node, "logged_in"));
  agent.ready = in.Bool(in.Field(node, "ready"));
  agent.pending = ReadEnum<PendingChange>(in, in.Field(node, "pending"), 3, PendingName);
  agent.state =
      ReadEnum<AgentState>(in, in.Field(node, "state"), kAgentStateCount, AgentStateName);
  agent.SetReason(in.String(in.Field(node, "reason")));
  agent.SetReportedReason(in.String(in.Field(node, "reported_reason")));
  agent.SetPendingReason(in.String(in.Field(node, "pending_reason")));
  agent.routable_reported = in.Bool(in.Field(node, "routable_reported"));
  agent.state_since = in.Time(in.Field(node, "state_since"));
  const DumpNode channels = in.Field(node, "channels");
  const uint64_t dumped_channels = in.Uint(channels, 0xffff);
  agent.held_channels = static_cast<uint16_t>(in.Uint(in.Field(node, "held_channels"), 0xffff));
  agent.pooled_channels =
      static_cast<uint16_t>(in.Uint(in.Field(node, "pooled_channels"), 0xffff));
  const auto load = ReadNumbers<uint8_t>(in, in.Field(node, "load"), 255, kChannelCount);
  if (!in.ok()) return;
  std::copy(load.begin(), load.end(), agent.load.count.begin());
  agent.load.used_cost = static_cast<uint16_t>(in.Uint(in.Field(node, "used_cost"), 0xffff));
  const DumpNode capacity = in.Field(node, "capacity");
  const std::string model = in.String(in.Field(capacity, "model"));
  if (model == "limits") {
    agent.capacity.model = CapacityConfig::Model::kLimits;
  } else if (model == "cost") {
    agent.capacity.model = CapacityConfig::Model::kCost;
  } else if (in.ok()) {
    in.Fail(in.Field(capacity, "model"), "unknown capacity model");
  }
  const auto limit = ReadNumbers<uint8_t>(in, in.Field(capacity, "limit"), 255, kChannelCount);
  const auto blocks =
      ReadNumbers<uint16_t>(in, in.Field(capacity, "blocks"), 0xffff, kChannelCount);
  const auto cost = ReadNumbers<uint16_t>(in, in.Field(capacity, "cost"), 0xffff, kChannelCount);
  agent.capacity.total = static_cast<uint16_t>(in.Uint(in.Field(capacity, "total"), 0xffff));
  if (!in.ok()) return;
  std::copy(limit.begin(), limit.end(), agent.capacity.limit.begin());
  std::copy(blocks.begin(), blocks.end(), agent.capacity.blocks.begin());
  std::copy(cost.begin(), cost.end(), agent.capacity.cost.begin());
  // Channels and their ranks follow from the capacity (as SetAgentProfile sets them).
  for (int c = 0; c < kChannelCount; ++c) {
    if (agent.capacity.limit[c] == 0) continue;
    agent.channels |= static_cast<uint16_t>(1u << c);
    agent.channel_rank[c] = agent.channel_count++;
  }
  if (agent.channels != dumped_channels) {
    in.Fail(channels, "expected the channels of the capacity's limits");
    return;
  }
  for (const ContactSlot slot :
       ReadNumbers<ContactSlot>(in, in.Field(node, "offers"), scratch.contacts - 1)) {
    agent.offers.push_back(slot);
  }
  for (const ContactSlot slot :
       ReadNumbers<ContactSlot>(in, in.Field(node, "connected"), scratch.contacts - 1)) {
    agent.connected.push_back(slot);
  }
  if (in.ok() && scratch.contacts == 0 && (!agent.offers.empty() || !agent.connected.empty())) {
    in.Fail(node, "expected no contacts (there are none)");
  }
  for (const DumpNode& item : in.Items(in.Field(node, "wrap_ups"))) {
    detail::WrapUp wrap_up;
    wrap_up.contact_id = in.String(in.Field(item, "contact"));
    const DumpNode channel = in.Field(item, "channel");
    const std::optional<Channel> parsed = ParseChannel(in.String(channel));
    if (in.ok() && !parsed) in.Fail(channel, "unknown channel");
    wrap_up.channel = parsed.value_or(Channel::kVoice);
    wrap_up.queue = in.Index(in.Field(item, "queue"), scratch.queues);
    wrap_up.deadline = in.Time(in.Field(item, "deadline"));
    wrap_up.extended = in.MicrosDuration(in.Field(item, "extended"));
    wrap_up.token = in.Uint(in.Field(item, "token"));
    agent.wrap_ups.push_back(std::move(wrap_up));
  }
  agent.missed_delay_token = in.Uint(in.Field(node, "missed_delay_token"));
  agent.consecutive_misses =
      static_cast<int>(in.Int(in.Field(node, "consecutive_misses"), 0, INT32_MAX));
  agent.free_since = in.Time(in.Field(node, "free_since"));
  agent.handled_since_login = in.Int(in.Field(node, "handled_since_login"));
  agent.handled_total = in.Int(in.Field(node, "handled_total"));
  agent.occupancy_key = in.Int(in.Field(node, "occupancy_key"));
  agent.weight = in.Double(in.Field(node, "weight"));
  for (const DumpNode& item : in.Items(in.Field(node, "served"))) {
    agent.served.push_back(
        {.delay = in.MicrosDuration(in.Field(item, "delay")),
         .queue = static_cast<QueueIndex>(in.Uint(in.Field(item, "queue"), scratch.queues - 1)),
         .priority = static_cast<int>(in.Int(in.Field(item, "priority"), INT32_MIN, INT32_MAX)),
         .skill_score =
             static_cast<int>(in.Int(in.Field(item, "skill_score"), INT32_MIN, INT32_MAX)),
         .reserve = in.Bool(in.Field(item, "reserve"))});
  }
  if (in.ok() && scratch.queues == 0 && !agent.served.empty()) {
    in.Fail(node, "expected no served queues (there are none)");
  }
  for (const uint32_t member :
       ReadNumbers<uint32_t>(in, in.Field(node, "pool_members"), UINT32_MAX)) {
    agent.pool_members.push_back(member);
  }
  for (const DumpNode& item : in.Items(in.Field(node, "preferred_waiting"))) {
    if (!agent.preferred_waiting) {
      agent.preferred_waiting = std::make_unique<detail::PreferredWaiting>();
    }
    if (!agent.preferred_waiting->insert(in.Key(item)).second && in.ok()) {
      in.Fail(item, "expected a key listed once");
    }
  }
  const DumpNode busy_since = in.Field(node, "busy_since");
  agent.busy_since = in.IsNull(busy_since) ? -1 : in.Time(busy_since);
  const std::vector<DumpNode> times = in.Items(in.Field(node, "time_by_state"));
  if (in.ok() && times.size() != kAgentStateCount) {
    in.Fail(in.Field(node, "time_by_state"), "expected one time per agent state");
    return;
  }
  for (size_t i = 0; i < times.size(); ++i) agent.time_by_state[i] = in.MicrosDuration(times[i]);
  const DumpNode busy_intervals = in.Field(node, "busy_intervals");
  if (in.ok() && !in.IsNull(busy_intervals)) {
    agent.busy_intervals = std::make_unique<std::vector<std::pair<Micros, Micros>>>();
    for (const DumpNode& item : in.Items(busy_intervals)) {
      const std::vector<DumpNode> pair = in.Items(item);
      if (in.ok() && pair.size() != 2) in.Fail(item, "expected [from, to]");
      if (!in.ok()) return;
      agent.busy_intervals->emplace_back(in.Time(pair[0]), in.Time(pair[1]));
    }
  }
  std::map<std::string, int64_t, std::less<>> dispositions;
  for (const auto& [code, count] : in.Members(in.Field(node, "dispositions"))) {
    dispositions[code] = in.Int(count);
  }
  if (!dispositions.empty()) agent_dispositions_[index] = std::move(dispositions);
  const int64_t transfers = in.Int(in.Field(node, "transfers"));
  const int64_t consults = in.Int(in.Field(node, "consults"));
  if (transfers != 0 || consults != 0) agent_transfers_[index] = {transfers, consults};

  for (const DumpNode& item : in.Items(in.Field(node, "skills"))) {
    const std::vector<DumpNode> pair = in.Items(item);
    if (in.ok() && pair.size() != 2) in.Fail(item, "expected [skill, level]");
    if (!in.ok() || skills_.size() == 0) {
      if (in.ok()) in.Fail(item, "expected no skills (there are none)");
      return;
    }
    const auto skill = static_cast<SkillId>(in.Uint(pair[0], skills_.size() - 1));
    const auto level = static_cast<SkillLevel>(in.Uint(pair[1], 255));
    if (in.ok() && agent.skills.Has(skill)) in.Fail(item, "expected a skill listed once");
    agent.skills.Set(skill, level);
  }
  agent.auto_membership = in.Bool(in.Field(node, "auto_membership"));
  detail::AgentProfile profile;
  for (const DumpNode& item : in.Items(in.Field(node, "groups"))) {
    profile.groups.push_back(in.String(item));
  }
  profile.attributes = in.ReadAttributes(in.Field(node, "attributes"));
  for (const DumpNode& item : in.Items(in.Field(node, "queues"))) {
    profile.explicit_queues.push_back(
        {.queue = in.String(in.Field(item, "queue")),
         .priority = static_cast<int>(in.Int(in.Field(item, "priority"), INT32_MIN, INT32_MAX)),
         .delay = in.Duration(in.Field(item, "delay")),
         .reserve = in.Bool(in.Field(item, "reserve"))});
  }
  profile.team = in.String(in.Field(node, "team"));
  if (!profile.groups.empty() || !profile.attributes.empty() ||
      !profile.explicit_queues.empty() || !profile.team.empty()) {
    agent.profile = std::make_unique<detail::AgentProfile>(std::move(profile));
  }
}

void Engine::Impl::LoadContact(DumpReader& in, const DumpNode& node, ContactSlot slot,
                               LoadScratch& scratch) {
  Contact& contact = contacts_.emplace_back();
  if (in.IsNull(node)) return;  // a free slot
  contact.in_use = true;
  if (in.Uint(in.Field(node, "slot")) != slot && in.ok()) {
    in.Fail(in.Field(node, "slot"), "expected the record's place");
  }
  contact.id = in.String(in.Field(node, "id"));
  contact.id_hash = ContactIds::HashOf(contact.id);
  contact.sequence = in.Uint(in.Field(node, "sequence"));
  contact.queue = in.Index(in.Field(node, "queue"), scratch.queues);
  if (in.ok() && contact.queue == kNoIndex) in.Fail(in.Field(node, "queue"), "expected a queue");
  const DumpNode channel = in.Field(node, "channel");
  const std::optional<Channel> parsed = ParseChannel(in.String(channel));
  if (in.ok() && !parsed) in.Fail(channel, "unknown channel");
  contact.channel = parsed.value_or(Channel::kVoice);
  contact.state = ReadEnum<ContactState>(in, in.Field(node, "state"), 6, ContactStateName);
  contact.agent = in.Index(in.Field(node, "agent"), scratch.agents);
  contact.preferred = in.Index(in.Field(node, "preferred"), scratch.agents);
  contact.preferred_until = in.Time(in.Field(node, "preferred_until"));
  contact.priority = static_cast<int>(in.Int(in.Field(node, "priority"), INT32_MIN, INT32_MAX));
  contact.priority_class = static_cast<uint8_t>(in.Uint(in.Field(node, "priority_class"), 255));
  contact.arrival = in.Time(in.Field(node, "arrival"));
  contact.virtual_arrival = in.Time(in.Field(node, "virtual_arrival"));
  contact.answered_at = in.Time(in.Field(node, "answered_at"));
  contact.ewt_ms = static_cast<uint32_t>(in.Uint(in.Field(node, "ewt_ms"), UINT32_MAX));
  contact.offer_token = in.Uint(in.Field(node, "offer_token"));
  contact.answered = in.Bool(in.Field(node, "answered"));
  contact.queued = in.Bool(in.Field(node, "queued"));
  contact.waited = in.Bool(in.Field(node, "waited"));
  contact.serve_counted = in.Bool(in.Field(node, "serve_counted"));
  contact.shadow = in.Bool(in.Field(node, "shadow"));
  contact.callback = in.Bool(in.Field(node, "callback"));
  contact.asked = in.Bool(in.Field(node, "asked"));
  contact.overflow_due = in.Bool(in.Field(node, "overflow_due"));
  contact.transfers = static_cast<uint8_t>(in.Uint(in.Field(node, "transfers"), 127));
  contact.next_rule = static_cast<uint8_t>(in.Uint(in.Field(node, "next_rule"), 255));
  contact.policy_rule = static_cast<uint8_t>(in.Uint(in.Field(node, "policy_rule"), 255));
  contact.attempts = static_cast<uint8_t>(in.Uint(in.Field(node, "attempts"), 127));
  contact.copied = in.Bool(in.Field(node, "copied"));
  const DumpNode copy = in.Field(node, "copy");
  if (const uint32_t other = in.Index(copy, scratch.contacts); other != kNoIndex) {
    copies_[slot] = other;
  }
  const DumpNode consult = in.Field(node, "consult");
  if (const uint32_t other = in.Index(consult, scratch.contacts); other != kNoIndex) {
    consults_[slot] = other;
  }
  const std::vector<AgentIndex> rings =
      ReadNumbers<AgentIndex>(in, in.Field(node, "rings"), scratch.agents - 1);
  if (in.ok() && !rings.empty()) {
    if (scratch.agents == 0) {
      in.Fail(in.Field(node, "rings"), "expected no agents (there are none)");
      return;
    }
    ringing_[slot].assign(rings.begin(), rings.end());
  }
  for (const DumpNode& item : in.Items(in.Field(node, "cooldowns"))) {
    const std::vector<DumpNode> pair = in.Items(item);
    if (in.ok() && (pair.size() != 2 || scratch.agents == 0)) {
      in.Fail(item, "expected [agent, until]");
    }
    if (!in.ok()) return;
    if (!contact.cooldowns) contact.cooldowns = std::make_unique<detail::Cooldowns>();
    contact.cooldowns->emplace_back(static_cast<AgentIndex>(in.Uint(pair[0], scratch.agents - 1)),
                                    in.Time(pair[1]));
  }
  const DumpNode attributes = in.Field(node, "attributes");
  if (in.ok() && !in.IsNull(attributes)) {
    contact.attributes = std::make_unique<Attributes>(in.ReadAttributes(attributes));
  }
}

void Engine::Impl::RebuildIndexes(DumpReader& in, const DumpNode& root, LoadScratch& scratch) {
  const DumpNode agents = in.Field(root, "agents");
  const DumpNode contacts = in.Field(root, "contacts");
  // Records refer to each other: check what the rebuilding below indexes by.
  for (size_t a = 0; a < agents_.size(); ++a) {
    const Agent& agent = agents_[a];
    const DumpNode at{agents.value, detail::Cat(agents.path, "[", a, "]")};
    for (const ContactSlot slot : agent.offers) {
      if (!contacts_[slot].in_use) return in.Fail(at, "offers a free contact slot");
    }
    for (const ContactSlot slot : agent.connected) {
      if (!contacts_[slot].in_use) return in.Fail(at, "holds a free contact slot");
    }
    if (agent.pooled_channels != 0) {
      if ((agent.pooled_channels & ~agent.channels) != 0 ||
          agent.pool_members.size() != agent.served.size() * agent.channel_count) {
        return in.Fail(at, "pooled on channels it has no member numbers for");
      }
    }
    if (!agent.removed) {
      if (agent_ids_.Contains(agent.id)) return in.Fail(at, "duplicate agent id");
      agent_ids_.Insert(static_cast<AgentIndex>(a));
    }
  }
  for (size_t s = 0; s < contacts_.size(); ++s) {
    const Contact& contact = contacts_[s];
    if (!contact.in_use) continue;
    const DumpNode at{contacts.value, detail::Cat(contacts.path, "[", s, "]")};
    for (const auto* map : {&copies_, &consults_}) {
      auto it = map->find(static_cast<ContactSlot>(s));
      if (it == map->end()) continue;
      auto back = map->find(it->second);
      if (!contacts_[it->second].in_use || back == map->end() || back->second != s) {
        return in.Fail(at, "expected a copy or consult that refers back to it");
      }
    }
    if (!contact.id.empty()) {
      if (contact_ids_.Contains(contact.id)) return in.Fail(at, "duplicate contact id");
      contact_ids_.Insert(static_cast<ContactSlot>(s));
    }
  }

  // Waiting sets (in each set's order) and the contacts held for preferred agents: the keys
  // as dumped, which must be those of queued contacts.
  std::vector<int64_t> counted(queues_.size(), 0);
  auto check_key = [&](const DumpNode& at, const detail::WaitKey& key) {
    if (key.slot >= contacts_.size() || !contacts_[key.slot].in_use ||
        !contacts_[key.slot].queued) {
      in.Fail(at, "expected the key of a waiting contact");
      return false;
    }
    const Contact& contact = contacts_[key.slot];
    const detail::WaitKey own = contact.wait_key(key.slot);
    if (!detail::SameKey(own, key)) {
      in.Fail(at, "expected the key of its contact");
      return false;
    }
    return true;
  };
  for (const LoadScratch::Waiting& waiting : scratch.waiting) {
    if (!check_key(waiting.node, waiting.key)) return;
    const Contact& contact = contacts_[waiting.key.slot];
    if (contact.queue != waiting.queue || contact.channel != waiting.channel ||
        contact.preferred != kNoIndex) {
      return in.Fail(waiting.node, "expected a contact waiting in this queue and channel");
    }
    detail::WaitingSet& set = queues_[waiting.queue].waiting[static_cast<size_t>(waiting.channel)];
    set.insert(waiting.key, now_);
    ++counted[queues_[waiting.queue].home];
  }
  for (size_t a = 0; a < agents_.size(); ++a) {
    if (!agents_[a].preferred_waiting) continue;
    const DumpNode at{agents.value, detail::Cat(agents.path, "[", a, "].preferred_waiting")};
    for (const detail::WaitKey& key : *agents_[a].preferred_waiting) {
      if (!check_key(at, key)) return;
      if (contacts_[key.slot].preferred != a) {
        return in.Fail(at, "expected a contact held for this agent");
      }
      ++counted[queues_[contacts_[key.slot].queue].home];
    }
  }
  // Arrival orders: every queued contact, in its home queue, oldest first.
  std::vector<std::pair<detail::ArrivalOrder::Key, QueueIndex>> arrivals;
  int64_t queued = 0;
  for (size_t s = 0; s < contacts_.size(); ++s) {
    const Contact& contact = contacts_[s];
    if (!contact.in_use || !contact.queued) continue;
    ++queued;
    arrivals.push_back({{contact.arrival, contact.sequence}, queues_[contact.queue].home});
  }
  int64_t keys = 0;
  for (size_t q = 0; q < queues_.size(); ++q) {
    keys += counted[q];
    if (counted[q] != queues_[q].waiting_count) {
      return in.Fail({root.value, detail::Cat("$.queues[", q, "].waiting_count")},
                     "expected the number of its contacts waiting");
    }
  }
  if (keys != queued) {
    return in.Fail(contacts, "expected every waiting contact in a waiting set");
  }
  std::sort(arrivals.begin(), arrivals.end(),
            [](const auto& x, const auto& y) { return x.first < y.first; });
  for (const auto& [key, home] : arrivals) queues_[home].by_arrival.Enter(key);

  // Pools: every pooled agent with the member numbers it holds, then each pool's numbering.
  for (size_t a = 0; a < agents_.size(); ++a) {
    const Agent& agent = agents_[a];
    if (agent.pooled_channels == 0) continue;
    const DumpNode at{agents.value, detail::Cat(agents.path, "[", a, "]")};
    for (size_t i = 0; i < agent.served.size(); ++i) {
      const detail::ServedQueue& served = agent.served[i];
      Queue& queue = queues_[served.queue];
      const detail::PoolEntry key =
          detail::PoolKey(queue.config.strategy, agent, static_cast<AgentIndex>(a), served);
      for (uint16_t rest = agent.pooled_channels; rest != 0; rest &= rest - 1) {
        const Channel channel = static_cast<Channel>(__builtin_ctz(rest));
        Tier* tier = FindTier(queue, channel, served.delay, served.reserve);
        if (tier == nullptr ||
            !tier->pool.InsertAs(key, agent.weight,
                                 agent.pool_members[agent.PoolMemberSlot(i, channel)])) {
          return in.Fail(at, "expected its pools' tiers, with member numbers of its own");
        }
      }
    }
  }
  for (const LoadScratch::Numbers& numbers : scratch.tiers) {
    if (numbers.tier->pool.size() != numbers.size ||
        !numbers.tier->pool.RestoreMembers(numbers.numbers, numbers.free)) {
      return in.Fail(numbers.node, "expected the size and member numbers of its agents");
    }
  }
}

}  // namespace switchboard
