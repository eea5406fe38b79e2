// What every change to an agent goes through: its load per channel, its wrap-ups, the
// bracket around a state change (BeginAgentChange / EndAgentChange: events, pools, pending
// changes) and its occupancy.
#include <algorithm>
#include <utility>

#include "core/engine_impl.h"

namespace switchboard {

using detail::HoldsSomething;

void Engine::Impl::AddLoad(Agent& agent, Channel channel) {
  const int c = static_cast<int>(channel);
  ++agent.load.count[c];
  agent.held_channels |= static_cast<uint16_t>(1u << c);
  if (agent.capacity.model == CapacityConfig::Model::kCost) {
    agent.load.used_cost += agent.capacity.cost[c];
  }
}

void Engine::Impl::RemoveLoad(Agent& agent, Channel channel) {
  const int c = static_cast<int>(channel);
  if (--agent.load.count[c] == 0) agent.held_channels &= static_cast<uint16_t>(~(1u << c));
  if (agent.capacity.model == CapacityConfig::Model::kCost) {
    agent.load.used_cost -= agent.capacity.cost[c];
  }
  agent.free_since = now_;
}

void Engine::Impl::EndWrapUpIndex(AgentIndex a, size_t index) {
  Agent& agent = agents_[a];
  const detail::WrapUp wrap_up = std::move(agent.wrap_ups[index]);
  agent.wrap_ups.erase(agent.wrap_ups.begin() + static_cast<ptrdiff_t>(index));
  RemoveLoad(agent, wrap_up.channel);
  if (events_on()) {
    Event event = NewEvent(EventType::kWrapUpEnded);
    event.agent_id = agent.id;
    event.contact_id = wrap_up.contact_id;
    event.queue_id = queues_[wrap_up.queue].config.id;
    Emit(std::move(event));
  }
}

void Engine::Impl::BeginAgentChange(AgentIndex a) { RemoveFromPools(a); }

void Engine::Impl::EndAgentChange(AgentIndex a, bool repool) {
  Agent& agent = agents_[a];
  const Cause saved_cause = cause_;
  if (!HoldsSomething(agent) && agent.pending != PendingChange::kNone) {
    if (agent.pending == PendingChange::kLogout) {
      agent.logged_in = false;
      CountLoggedIn(agent, -1);
      agent.ready = false;
      agent.SetReason({});
    } else {
      agent.ready = false;
      agent.SetReason(agent.PendingReason());
    }
    agent.missed_delay_token = 0;
    agent.pending = PendingChange::kNone;
    agent.SetPendingReason({});
    if (agent.state == AgentState::kBusy || agent.state == AgentState::kWrapUp ||
        agent.state == AgentState::kReserved) {
      cause_ = Cause::kPendingChange;
    }
  }

  // Occupancy intervals (for least_occupied queues only): open while the agent handles or
  // wraps up a contact.
  const bool busy =
      least_occupied_queues_ > 0 && (!agent.connected.empty() || !agent.wrap_ups.empty());
  if (busy && agent.busy_since < 0) {
    agent.busy_since = now_;
  } else if (!busy && agent.busy_since >= 0) {
    if (!agent.busy_intervals) {
      agent.busy_intervals = std::make_unique<std::vector<std::pair<Micros, Micros>>>();
    }
    auto& intervals = *agent.busy_intervals;
    intervals.emplace_back(agent.busy_since, now_);
    agent.busy_since = -1;
    const Micros horizon = now_ - occupancy_window_;
    auto keep = std::find_if(intervals.begin(), intervals.end(),
                             [horizon](const auto& interval) { return interval.second > horizon; });
    intervals.erase(intervals.begin(), keep);
  }

  const AgentState state = detail::DeriveState(View(agent));
  const bool reason_changed =
      state == AgentState::kNotReady && agent.ReportedReason() != agent.Reason();
  const bool state_event = state != agent.state || reason_changed;
  if (state_event) {
    agent.time_by_state[static_cast<int>(agent.state)] += now_ - agent.state_since;
    if (events_on()) {
      Event event = NewEvent(EventType::kAgentStateChanged);
      event.agent_id = agent.id;
      event.from_state = agent.state;
      event.to_state = state;
      if (state == AgentState::kNotReady) event.reason = std::string(agent.Reason());
      Emit(std::move(event));
    }
    agent.state = state;
    agent.state_since = now_;
    if (state == AgentState::kNotReady) {
      agent.SetReportedReason(agent.Reason());
    } else if (!agent.ReportedReason().empty()) {
      agent.SetReportedReason({});
    }
  }
  // Whether the agent may be offered a contact follows from its state (available), except for
  // an agent with room for more than one contact: reserved, busy or in wrap-up and still
  // routable, or no longer. Such a change gets an event of its own.
  if (events_on()) {
    const bool routable = NotRoutableCode(agent) == 0;
    const bool told = state_event && routable == (state == AgentState::kAvailable);
    if (routable != agent.routable_reported && !told) {
      Event event = NewEvent(EventType::kAgentRoutableChanged);
      event.agent_id = agent.id;
      event.to_state = agent.state;
      event.reason = std::string(NotRoutableReason(agent));
      Emit(std::move(event));
    }
    agent.routable_reported = routable;
  }
  cause_ = saved_cause;
  if (repool) AddToPools(a);
}

int64_t Engine::Impl::OccupancyPpm(const Agent& agent) const {
  const Micros start = now_ - occupancy_window_;
  Micros busy = 0;
  if (agent.busy_intervals) {
    for (const auto& [from, to] : *agent.busy_intervals) {
      if (to > start) busy += to - std::max(from, start);
    }
  }
  if (agent.busy_since >= 0) busy += now_ - std::max(agent.busy_since, start);
  return static_cast<int64_t>(static_cast<double>(busy) * 1e6 /
                              static_cast<double>(occupancy_window_));
}

}  // namespace switchboard
