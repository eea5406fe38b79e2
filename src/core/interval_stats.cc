// Interval statistics: counters per queue and agent for the current and previous intervals,
// fed by the engine's events (interval_stats.h). The definitions are those of the simulator's
// results (src/sim/results.cc, Evaluate), documented in docs/operations.md ("Live statistics").
#include "core/interval_stats.h"

#include <algorithm>

#include "absl/strings/string_view.h"
#include "core/state_dump.h"
#include "core/state_load.h"
#include "core/validation.h"
#include "fmt/format.h"

namespace switchboard {

std::string_view StatsScopeName(StatsScope scope) {
  switch (scope) {
    case StatsScope::kQueue:
      return "queue";
    case StatsScope::kAgent:
      return "agent";
    case StatsScope::kTeam:
      return "team";
  }
  return "unknown";
}

namespace detail {
namespace {

// Abseil's string hash takes absl::string_view, which need not be std::string_view.
absl::string_view Key(std::string_view id) { return absl::string_view(id.data(), id.size()); }

}  // namespace

void IntervalStatsTracker::Counts::Add(const Counts& other) {
  offered += other.offered;
  answered += other.answered;
  within += other.within;
  abandoned += other.abandoned;
  handled += other.handled;
  wait_sum += other.wait_sum;
  max_wait = std::max(max_wait, other.max_wait);
  handle_sum += other.handle_sum;
  for (int s = 0; s < kAgentStateCount; ++s) time_by_state[s] += other.time_by_state[s];
}

int64_t IntervalStatsTracker::IndexOf(int64_t time) const {
  // Floor division: times before the epoch belong to the interval that starts at or before them.
  const int64_t index = time / length_;
  return time % length_ < 0 ? index - 1 : index;
}

void IntervalStatsTracker::Roll(Buckets& buckets, int64_t index) {
  if (index <= buckets.index) return;
  if (index == buckets.index + 1) {
    buckets.previous = buckets.current;
  } else {
    buckets.previous = Counts{};  // a whole interval passed without events
  }
  buckets.current = Counts{};
  buckets.index = index;
}

void IntervalStatsTracker::Advance(AgentTrack& agent, int64_t time) const {
  Buckets& buckets = agent.buckets;
  const int state = static_cast<int>(agent.state);
  const int64_t index = IndexOf(time);
  if (index > buckets.index) {
    // The rest of the interval it was in, then (when a whole interval passed) all of the one
    // before the new current, were spent in the same state.
    const int64_t end = (buckets.index + 1) * length_;
    buckets.current.time_by_state[state] += std::max<int64_t>(0, end - agent.accounted_to);
    const bool gap = index > buckets.index + 1;
    Roll(buckets, index);
    if (gap) buckets.previous.time_by_state[state] = length_;
    agent.accounted_to = index * length_;
  }
  if (time > agent.accounted_to) {
    buckets.current.time_by_state[state] += time - agent.accounted_to;
    agent.accounted_to = time;
  }
}

IntervalStatsTracker::Counts* IntervalStatsTracker::QueueCounts(std::string_view queue,
                                                                int64_t time) {
  const auto found = queues_.find(Key(queue));
  if (found == queues_.end()) return nullptr;  // added while events were off
  Roll(found->second.buckets, IndexOf(time));
  return &found->second.buckets.current;
}

IntervalStatsTracker::Counts* IntervalStatsTracker::AgentCounts(std::string_view agent,
                                                                int64_t time) {
  const auto found = agents_.find(Key(agent));
  if (found == agents_.end()) return nullptr;
  Advance(found->second, time);
  return &found->second.buckets.current;
}

void IntervalStatsTracker::CountAnswer(const Event& event, int64_t time) {
  const int64_t wait = event.wait_micros;
  const auto queue = queues_.find(Key(event.queue_id));
  const bool within = queue != queues_.end() && wait <= queue->second.threshold;
  for (Counts* counts : {QueueCounts(event.queue_id, time), AgentCounts(event.agent_id, time)}) {
    if (counts == nullptr) continue;
    ++counts->answered;
    counts->within += within;
    counts->wait_sum += wait;
    counts->max_wait = std::max(counts->max_wait, wait);
  }
  contacts_[event.contact_id].at = time;
}

void IntervalStatsTracker::CountHandled(std::string_view queue, std::string_view agent,
                                        int64_t handle, int64_t time) {
  for (Counts* counts : {QueueCounts(queue, time), AgentCounts(agent, time)}) {
    if (counts == nullptr) continue;
    ++counts->handled;
    counts->handle_sum += handle;
  }
}

void IntervalStatsTracker::EndHandling(const Event& event, int64_t answered_at, bool wraps,
                                       int64_t time) {
  if (wraps) {
    wrap_ups_[{event.agent_id, event.contact_id}] = answered_at;
  } else {
    CountHandled(event.queue_id, event.agent_id, time - answered_at, time);
  }
}

void IntervalStatsTracker::SetTeam(const std::string& agent, AgentTrack& track,
                                   std::string_view team) {
  if (track.team == team) return;
  if (!track.team.empty()) {
    if (const auto found = teams_.find(track.team); found != teams_.end()) {
      std::erase(found->second, agent);
      if (found->second.empty()) teams_.erase(found);
    }
  }
  track.team = std::string(team);
  if (!track.team.empty()) teams_[track.team].push_back(agent);
}

void IntervalStatsTracker::Observe(const Event& event, const EventFacts& facts) {
  const int64_t time = absl::ToUnixMicros(event.time);
  switch (event.type) {
    case EventType::kQueueAdded: {
      QueueTrack& queue = queues_[event.queue_id];
      queue.buckets.index = IndexOf(time);
      queue.threshold = facts.service_level_threshold;
      return;
    }
    case EventType::kQueueUpdated:
      if (const auto found = queues_.find(Key(event.queue_id)); found != queues_.end()) {
        found->second.threshold = facts.service_level_threshold;
      }
      return;
    case EventType::kQueueRemoved:
      queues_.erase(Key(event.queue_id));
      return;
    case EventType::kAgentAdded: {
      AgentTrack& agent = agents_[event.agent_id];
      agent.buckets.index = IndexOf(time);
      agent.accounted_to = time;
      SetTeam(event.agent_id, agent, facts.team);
      return;
    }
    case EventType::kAgentUpdated:
      if (const auto found = agents_.find(Key(event.agent_id)); found != agents_.end()) {
        SetTeam(event.agent_id, found->second, facts.team);
      }
      return;
    case EventType::kAgentRemoved:
      if (const auto found = agents_.find(Key(event.agent_id)); found != agents_.end()) {
        SetTeam(event.agent_id, found->second, {});
        agents_.erase(found);
      }
      return;
    case EventType::kAgentStateChanged: {
      const auto found = agents_.find(Key(event.agent_id));
      if (found == agents_.end()) return;
      Advance(found->second, time);
      found->second.state = event.to_state;
      return;
    }
    case EventType::kContactQueued:
    case EventType::kContactRejected:
      if (Counts* counts = QueueCounts(event.queue_id, time)) ++counts->offered;
      return;
    case EventType::kContactTransferred: {
      if (!event.agent_id.empty()) {
        // An agent handed it on: that agent's handling ends here. After a consult the consulted
        // agent handles it from now; after a transfer it waits, to be answered again.
        const auto found = contacts_.find(event.contact_id);
        if (found != contacts_.end() && found->second.at >= 0) {
          EndHandling(event, found->second.at, facts.wraps, time);
          if (event.reason == "consult") {
            found->second.at = time;
            return;
          }
          contacts_.erase(found);
        }
      }
      // Offered again in the queue it enters.
      if (Counts* counts = QueueCounts(event.target, time)) ++counts->offered;
      return;
    }
    case EventType::kContactOffered:
      if (Counts* counts = AgentCounts(event.agent_id, time)) ++counts->offered;
      return;
    case EventType::kCallbackAccepted:
    case EventType::kCallbackScheduled:
      contacts_[event.contact_id].callback = true;
      return;
    case EventType::kOfferAccepted: {
      // A callback's agent dials now; it is answered when the customer picks up.
      const auto found = contacts_.find(event.contact_id);
      if (found == contacts_.end() || !found->second.callback) CountAnswer(event, time);
      return;
    }
    case EventType::kCallbackConnected:
      CountAnswer(event, time);
      return;
    case EventType::kContactAbandoned:
      if (Counts* counts = QueueCounts(event.queue_id, time)) ++counts->abandoned;
      contacts_.erase(event.contact_id);
      return;
    case EventType::kContactRemoved:
    case EventType::kContactDeflected:
    case EventType::kContactVoicemail:
    case EventType::kContactDisconnected:
    case EventType::kCallbackFailed:
      contacts_.erase(event.contact_id);
      return;
    case EventType::kContactCompleted: {
      const auto found = contacts_.find(event.contact_id);
      if (found == contacts_.end()) return;
      const int64_t answered_at = found->second.at;
      contacts_.erase(found);
      if (answered_at >= 0) EndHandling(event, answered_at, facts.wraps, time);
      return;
    }
    case EventType::kWrapUpEnded: {
      const auto found = wrap_ups_.find(std::pair{event.agent_id, event.contact_id});
      if (found == wrap_ups_.end()) return;
      const int64_t answered_at = found->second;
      wrap_ups_.erase(found);
      CountHandled(event.queue_id, event.agent_id, time - answered_at, time);
      return;
    }
    default:
      return;
  }
}

const std::vector<std::string>* IntervalStatsTracker::TeamMembers(std::string_view team) const {
  const auto found = teams_.find(team);
  return found == teams_.end() ? nullptr : &found->second;
}

IntervalKpis IntervalStatsTracker::Kpis(const Counts& c, int64_t index) const {
  IntervalKpis kpis;
  kpis.start = absl::FromUnixMicros(index * length_);
  kpis.end = absl::FromUnixMicros((index + 1) * length_);
  kpis.offered = c.offered;
  kpis.answered = c.answered;
  kpis.answered_within_threshold = c.within;
  kpis.abandoned = c.abandoned;
  kpis.handled = c.handled;
  const int64_t decided = c.answered + c.abandoned;
  if (decided > 0) {
    kpis.service_level = static_cast<double>(c.within) / static_cast<double>(decided);
    kpis.abandon_rate = static_cast<double>(c.abandoned) / static_cast<double>(decided);
  }
  // Whole microseconds, as QueueStats::asa.
  if (c.answered > 0) kpis.asa = absl::Microseconds(c.wait_sum / c.answered);
  kpis.max_wait = absl::Microseconds(c.max_wait);
  if (c.handled > 0) kpis.aht = absl::Microseconds(c.handle_sum / c.handled);
  int64_t logged_in = 0;
  for (int s = 0; s < kAgentStateCount; ++s) {
    kpis.time_by_state[s] = absl::Microseconds(c.time_by_state[s]);
    if (s != static_cast<int>(AgentState::kLoggedOut)) logged_in += c.time_by_state[s];
  }
  const int64_t working = c.time_by_state[static_cast<int>(AgentState::kBusy)] +
                          c.time_by_state[static_cast<int>(AgentState::kWrapUp)];
  if (logged_in > 0) {
    kpis.occupancy = static_cast<double>(working) / static_cast<double>(logged_in);
  }
  return kpis;
}

absl::StatusOr<IntervalStats> IntervalStatsTracker::Report(StatsScope scope, std::string_view id,
                                                           int64_t now) const {
  const int64_t index = IndexOf(now);
  Buckets total;
  total.index = index;
  auto add_agent = [&](const AgentTrack& track) {
    AgentTrack copy = track;
    Advance(copy, now);
    total.current.Add(copy.buckets.current);
    total.previous.Add(copy.buckets.previous);
  };
  switch (scope) {
    case StatsScope::kQueue: {
      const auto found = queues_.find(Key(id));
      if (found == queues_.end()) {
        return UnknownId("queue", id);
      }
      total = found->second.buckets;
      Roll(total, index);
      break;
    }
    case StatsScope::kAgent: {
      const auto found = agents_.find(Key(id));
      if (found == agents_.end()) {
        return UnknownId("agent", id);
      }
      add_agent(found->second);
      break;
    }
    case StatsScope::kTeam: {
      const std::vector<std::string>* members = TeamMembers(id);
      if (members == nullptr) {
        return UnknownId("team", id, "; a team is known once an agent in it is added");
      }
      for (const std::string& member : *members) add_agent(agents_.find(Key(member))->second);
      break;
    }
    default:
      return absl::InvalidArgumentError(
          fmt::format("stats scope {} is not a scope (0..2)", static_cast<int>(scope)));
  }
  IntervalStats stats;
  stats.scope = scope;
  stats.id = std::string(id);
  stats.as_of = absl::FromUnixMicros(now);
  stats.current = Kpis(total.current, index);
  stats.previous = Kpis(total.previous, index - 1);
  return stats;
}

}  // namespace detail
}  // namespace switchboard

namespace switchboard::detail {

namespace {

// The keys of a hash map, sorted: the dump's order is never the table's.
template <typename Map>
std::vector<typename Map::key_type> SortedKeys(const Map& map) {
  std::vector<typename Map::key_type> keys;
  keys.reserve(map.size());
  for (const auto& entry : map) keys.push_back(entry.first);
  std::sort(keys.begin(), keys.end());
  return keys;
}

}  // namespace

void IntervalStatsTracker::Dump(JsonWriter& out) const {
  const auto write_counts = [&out](const Counts& counts) {
    out.BeginObject();
    out.Key("offered").Int(counts.offered);
    out.Key("answered").Int(counts.answered);
    out.Key("within").Int(counts.within);
    out.Key("abandoned").Int(counts.abandoned);
    out.Key("handled").Int(counts.handled);
    out.Key("wait_sum");
    WriteMicrosDuration(out, counts.wait_sum);
    out.Key("max_wait");
    WriteMicrosDuration(out, counts.max_wait);
    out.Key("handle_sum");
    WriteMicrosDuration(out, counts.handle_sum);
    out.Key("time_by_state").BeginArray();
    for (const int64_t time : counts.time_by_state) WriteMicrosDuration(out, time);
    out.EndArray();
    out.EndObject();
  };
  const auto write_buckets = [&out, &write_counts](const Buckets& buckets) {
    out.Key("index").Int(buckets.index);
    out.Key("current");
    write_counts(buckets.current);
    out.Key("previous");
    write_counts(buckets.previous);
  };
  out.BeginObject();
  out.Key("length");
  WriteMicrosDuration(out, length_);
  out.Key("queues").BeginObject();
  for (const std::string& id : SortedKeys(queues_)) {
    const QueueTrack& track = queues_.at(id);
    out.Key(id).BeginObject();
    write_buckets(track.buckets);
    out.Key("threshold");
    WriteMicrosDuration(out, track.threshold);
    out.EndObject();
  }
  out.EndObject();
  out.Key("agents").BeginObject();
  for (const std::string& id : SortedKeys(agents_)) {
    const AgentTrack& track = agents_.at(id);
    out.Key(id).BeginObject();
    write_buckets(track.buckets);
    out.Key("team").String(track.team);
    out.Key("state").String(AgentStateName(track.state));
    out.Key("accounted_to");
    WriteTime(out, track.accounted_to);
    out.EndObject();
  }
  out.EndObject();
  out.Key("teams").BeginObject();
  for (const auto& [team, members] : teams_) {
    out.Key(team).BeginArray();
    for (const std::string& member : members) out.String(member);
    out.EndArray();
  }
  out.EndObject();
  out.Key("contacts").BeginObject();
  for (const std::string& id : SortedKeys(contacts_)) {
    const Answered& answered = contacts_.at(id);
    out.Key(id).BeginObject();
    out.Key("at");
    if (answered.at < 0) {
      out.Null();
    } else {
      WriteTime(out, answered.at);
    }
    out.Key("callback").Bool(answered.callback);
    out.EndObject();
  }
  out.EndObject();
  out.Key("wrap_ups").BeginArray();  // [agent, contact, answered at], by agent then contact
  for (const auto& key : SortedKeys(wrap_ups_)) {
    out.BeginArray().String(key.first).String(key.second);
    WriteTime(out, wrap_ups_.at(key));
    out.EndArray();
  }
  out.EndArray();
  out.EndObject();
}

void IntervalStatsTracker::Load(DumpReader& in, const DumpNode& node) {
  const auto read_counts = [&in](const DumpNode& at, Counts& counts) {
    counts.offered = in.Int(in.Field(at, "offered"), 0);
    counts.answered = in.Int(in.Field(at, "answered"), 0);
    counts.within = in.Int(in.Field(at, "within"), 0);
    counts.abandoned = in.Int(in.Field(at, "abandoned"), 0);
    counts.handled = in.Int(in.Field(at, "handled"), 0);
    counts.wait_sum = in.MicrosDuration(in.Field(at, "wait_sum"));
    counts.max_wait = in.MicrosDuration(in.Field(at, "max_wait"));
    counts.handle_sum = in.MicrosDuration(in.Field(at, "handle_sum"));
    const std::vector<DumpNode> times = in.Items(in.Field(at, "time_by_state"));
    if (in.ok() && times.size() != kAgentStateCount) {
      in.Fail(in.Field(at, "time_by_state"), "expected one time per agent state");
      return;
    }
    for (size_t i = 0; i < times.size(); ++i) counts.time_by_state[i] = in.MicrosDuration(times[i]);
  };
  const auto read_buckets = [&](const DumpNode& at, Buckets& buckets) {
    buckets.index = in.Int(in.Field(at, "index"));
    read_counts(in.Field(at, "current"), buckets.current);
    read_counts(in.Field(at, "previous"), buckets.previous);
  };
  const DumpNode length = in.Field(node, "length");
  if (in.MicrosDuration(length) != length_ && in.ok()) {
    in.Fail(length, "expected the options' stats_interval");
  }
  for (const auto& [id, at] : in.Members(in.Field(node, "queues"))) {
    QueueTrack& track = queues_[id];
    read_buckets(at, track.buckets);
    track.threshold = in.MicrosDuration(in.Field(at, "threshold"));
  }
  for (const auto& [id, at] : in.Members(in.Field(node, "agents"))) {
    AgentTrack& track = agents_[id];
    read_buckets(at, track.buckets);
    track.team = in.String(in.Field(at, "team"));
    track.state = ReadEnum<AgentState>(in, in.Field(at, "state"), kAgentStateCount,
                                       AgentStateName);
    track.accounted_to = in.Time(in.Field(at, "accounted_to"));
  }
  for (const auto& [team, at] : in.Members(in.Field(node, "teams"))) {
    std::vector<std::string>& members = teams_[team];
    for (const DumpNode& member : in.Items(at)) members.push_back(in.String(member));
  }
  for (const auto& [id, at] : in.Members(in.Field(node, "contacts"))) {
    Answered& answered = contacts_[id];
    const DumpNode when = in.Field(at, "at");
    answered.at = in.IsNull(when) ? -1 : in.Time(when);
    answered.callback = in.Bool(in.Field(at, "callback"));
  }
  for (const DumpNode& item : in.Items(in.Field(node, "wrap_ups"))) {
    const std::vector<DumpNode> triple = in.Items(item);
    if (in.ok() && triple.size() != 3) in.Fail(item, "expected [agent, contact, answered at]");
    if (!in.ok()) return;
    wrap_ups_[{in.String(triple[0]), in.String(triple[1])}] = in.Time(triple[2]);
  }
}

}  // namespace switchboard::detail
