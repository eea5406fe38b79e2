// The engine's side of interval statistics: what an event does not carry, handed to the
// counters with it (FeedIntervalStats, called by Emit), and the query that adds the live values
// of the engine's state to the counters' intervals (GetIntervalStats).
#include "core/engine_impl.h"

namespace switchboard {

void Engine::Impl::FeedIntervalStats(const Event& event) {
  detail::EventFacts facts;
  switch (event.type) {
    case EventType::kQueueAdded:
    case EventType::kQueueUpdated:
      if (const auto q = queue_ids_.find(event.queue_id); q != queue_ids_.end()) {
        facts.service_level_threshold = queues_[q->second].service_level_threshold;
      }
      break;
    case EventType::kAgentAdded:
    case EventType::kAgentUpdated:
      if (absl::StatusOr<AgentIndex> a = FindAgent(event.agent_id); a.ok()) {
        const Agent& agent = agents_[*a];
        if (agent.profile != nullptr) facts.team = agent.profile->team;
      }
      break;
    case EventType::kContactCompleted:
    case EventType::kContactTransferred:
      // Emitted before the contact's record is freed or moves on: its queue says whether a
      // wrap-up follows.
      if (absl::StatusOr<ContactSlot> slot = FindContact(event.contact_id); slot.ok()) {
        facts.wraps =
            queues_[contacts_[*slot].queue].config.wrap_up.mode != WrapUpPolicy::Mode::kNone;
      }
      break;
    default:
      break;
  }
  interval_stats_.Observe(event, facts);
}

absl::StatusOr<IntervalStats> Engine::Impl::GetIntervalStats(StatsScope scope,
                                                             std::string_view id) const {
  if (!events_on()) {
    return absl::FailedPreconditionError(
        "interval statistics are built from events, which are off: set "
        "EngineOptions::record_events or an event sink before adding queues and agents");
  }
  absl::StatusOr<IntervalStats> stats = interval_stats_.Report(scope, id, now_);
  if (!stats.ok()) return stats.status();
  LiveValues& live = stats->now;
  auto count_state = [&live](const Agent& agent) {
    ++live.agents_by_state[static_cast<int>(agent.state)];
  };
  switch (scope) {
    case StatsScope::kQueue: {
      absl::StatusOr<QueueStats> queue = GetQueueStats(id);
      if (!queue.ok()) return queue.status();
      live.waiting = queue->waiting;
      live.longest_wait = queue->longest_wait;
      const QueueIndex q = *FindQueue(id);
      for (AgentIndex a = 0; a < agents_.size(); ++a) {
        const Agent& agent = agents_[a];
        for (const detail::ServedQueue& served : agent.served) {
          if (queues_[served.queue].home == q) {
            count_state(agent);
            break;
          }
        }
      }
      break;
    }
    case StatsScope::kAgent: {
      absl::StatusOr<AgentIndex> a = FindAgent(id);
      if (!a.ok()) return a.status();
      count_state(agents_[*a]);
      break;
    }
    case StatsScope::kTeam:
      for (const std::string& member : *interval_stats_.TeamMembers(id)) {
        if (absl::StatusOr<AgentIndex> a = FindAgent(member); a.ok()) count_state(agents_[*a]);
      }
      break;
  }
  return stats;
}

}  // namespace switchboard
