// Explain: why a waiting contact is still waiting, agent by agent, and what changes that next;
// ExplainOffer: why a ringing contact went to its agent, and who would be next.
#include <algorithm>
#include <string>

#include "core/capacity_internal.h"
#include "core/engine_impl.h"
#include "core/selection.h"
#include "fmt/format.h"

namespace switchboard {

using detail::kNoIndex;

absl::StatusOr<Explanation> Engine::Impl::Explain(std::string_view id) const {
  absl::StatusOr<ContactSlot> slot = FindContact(id);
  if (!slot.ok()) return slot.status();
  const Contact& contact = contacts_[*slot];
  if (contact.state != ContactState::kWaiting || !contact.queued) {
    return absl::FailedPreconditionError(fmt::format(
        "contact '{}' is {}; only a waiting contact is explained", id,
        contact.state == ContactState::kWaiting ? std::string_view("waiting for its callback time")
                                                : ContactStateName(contact.state)));
  }
  const Queue& record = queues_[contact.queue];
  const QueueIndex home_index = record.home;
  const Queue& home = queues_[home_index];
  Explanation out;
  out.contact = InfoOf(*slot);
  out.virtual_arrival = absl::FromUnixMicros(contact.virtual_arrival);
  out.requirement = record.config.requirement;
  Micros next = std::numeric_limits<Micros>::max();
  auto until = [&](Micros time) {
    next = std::min(next, time);
    return absl::FromUnixMicros(time);
  };
  const Micros effective_wait = now_ - contact.virtual_arrival;
  for (size_t a = 0; a < agents_.size(); ++a) {
    const Agent& agent = agents_[a];
    const detail::ServedQueue* here = nullptr;  // the agent's entry for the contact's record
    bool serves_queue = false;
    for (const detail::ServedQueue& served : agent.served) {
      serves_queue |= queues_[served.queue].home == home_index;
      if (served.queue == contact.queue) here = &served;
    }
    if (!serves_queue) continue;
    Explanation::Agent& verdict = out.agents.emplace_back();
    verdict.id = agent.id;
    const std::string_view not_routable = NotRoutableReason(agent);
    if (!not_routable.empty() && not_routable != "at_capacity") {
      verdict.reason = not_routable;
    } else if (here == nullptr) {
      verdict.reason = "requirement";
    } else if (contact.preferred != kNoIndex && contact.preferred != a) {
      verdict.reason = "held_for_another";
    } else if (!detail::CanTake(agent.capacity, agent.load, agent.held_channels,
                                contact.channel)) {
      verdict.reason = "at_capacity";
    } else if (here->reserve && !home.reserve_active) {
      verdict.reason = "reserve_inactive";
      // The next check may activate it.
      if (home.reserve && home.reserve->check_at != std::numeric_limits<Micros>::max()) {
        verdict.until = until(home.reserve->check_at);
      }
    } else if (here->delay > 0 && here->delay > effective_wait) {
      verdict.reason = "queue_delay";
      verdict.until = until(contact.virtual_arrival + here->delay);
    } else if (detail::CoolingDown(contact, static_cast<AgentIndex>(a), now_)) {
      verdict.reason = "cooling_down";
      for (const auto& [cooling, end] : *contact.cooldowns) {
        if (cooling == a) verdict.until = until(end);
      }
    } else {
      verdict.reason = "free";
    }
  }
  // What the engine does by itself next for this contact.
  const std::vector<Queue::Step>& steps = queues_[record.chain].steps;
  if (contact.preferred == kNoIndex && record.step < steps.size()) {
    until(contact.arrival + steps[record.step].after);
  }
  if (contact.preferred != kNoIndex) until(contact.preferred_until);
  if (!contact.callback && contact.next_rule < home.wait_rules.size()) {
    until(contact.answered_at + home.overflow[home.wait_rules[contact.next_rule]].wait);
  }
  if (next != std::numeric_limits<Micros>::max()) out.next_change = absl::FromUnixMicros(next);

  std::string& text = out.text;
  text = fmt::format("{} waits in {} ({}), position {}, step {} (requirement '{}'), estimated {}",
                     out.contact.id, out.contact.queue, ChannelName(contact.channel),
                     out.contact.position, out.contact.step, out.requirement,
                     absl::FormatDuration(out.contact.estimated_wait));
  if (!out.contact.held_for.empty()) text += fmt::format(", held for {}", out.contact.held_for);
  text += out.agents.empty() ? "\n  no agent serves the queue" : "";
  for (const Explanation::Agent& verdict : out.agents) {
    text += fmt::format("\n  {}: {}", verdict.id, verdict.reason);
    if (verdict.until != absl::InfiniteFuture()) {
      text += fmt::format(" until {}", absl::FormatTime(verdict.until, absl::UTCTimeZone()));
    }
  }
  text += out.next_change
              ? fmt::format("\n  next change: {}",
                            absl::FormatTime(*out.next_change, absl::UTCTimeZone()))
              : "\n  next change: only a command (an agent ready, logged in or freed)";
  return out;
}

}  // namespace switchboard

namespace switchboard {

namespace {

// The strategy's key of an agent for a queue it serves, in words.
std::string KeyText(Strategy strategy, const detail::Agent& agent,
                    const detail::ServedQueue& served, detail::Micros now,
                    int64_t occupancy_ppm) {
  switch (strategy) {
    case Strategy::kLongestIdle:
    case Strategy::kHostScore:
      return fmt::format("free since {} ({:.0f} s before now)",
                         absl::FormatTime(absl::RFC3339_sec,
                                          absl::FromUnixMicros(agent.free_since),
                                          absl::UTCTimeZone()),
                         static_cast<double>(now - agent.free_since) / 1e6);
    case Strategy::kMostSkilled:
      return fmt::format("skill score {} on the queue's requirement", served.skill_score);
    case Strategy::kLeastOccupied:
      return fmt::format("occupancy {:.1f} %", static_cast<double>(occupancy_ppm) / 1e4);
    case Strategy::kFewestContacts:
      return fmt::format("{} contact(s) since login", agent.handled_since_login);
    case Strategy::kRoundRobin:
      return "next in turn after the queue's last choice";
    case Strategy::kRandom:
      return fmt::format("weight {} in a weighted random draw", agent.weight);
  }
  return {};
}

}  // namespace

absl::StatusOr<OfferExplanation> Engine::Impl::ExplainOffer(std::string_view id) const {
  absl::StatusOr<ContactSlot> slot = FindContact(id);
  if (!slot.ok()) return slot.status();
  const Contact& contact = contacts_[*slot];
  if (contact.state != ContactState::kOffered) {
    return absl::FailedPreconditionError(
        fmt::format("contact '{}' is {}; only a ringing offer is explained", id,
                    ContactStateName(contact.state)));
  }
  const Queue& record = queues_[contact.queue];
  const Strategy strategy = record.config.strategy;
  const AgentIndex winner = contact.agent;
  const Agent& agent = agents_[winner];
  OfferExplanation out;
  out.contact = contact.id;
  out.agent = agent.id;
  out.queue = queues_[record.home].config.id;
  out.strategy = std::string(StrategyName(strategy));
  const auto serves_record = [&](const detail::ServedQueue& s) { return s.queue == contact.queue; };
  const auto here = std::find_if(agent.served.begin(), agent.served.end(), serves_record);
  if (here == agent.served.end()) {
    out.agent_key = "not by the strategy: the agent does not serve the queue (a preferred agent, "
                    "an assignment or a direct transfer)";
  } else {
    out.agent_key = KeyText(strategy, agent, *here, now_, OccupancyPpm(agent));
  }
  // The runner-up: whom the strategy would pick now among the agents free for the contact in
  // its queue's pools (the winner aside), in the tiers its wait qualifies for.
  const Micros effective_wait = now_ - contact.virtual_arrival;
  // Not an agent it rings at already (a multi-offer).
  const auto* others = ExtraRings(*slot);
  const auto allowed = [&](AgentIndex a) {
    return a != winner && !detail::CoolingDown(contact, a, now_) &&
           (others == nullptr || std::find(others->begin(), others->end(), a) == others->end());
  };
  bool found = false;
  detail::PoolEntry best;
  for (const auto& tier : record.tiers[static_cast<int>(contact.channel)]) {
    if (tier->min_wait > effective_wait) break;
    if (!TierOpen(record, *tier)) continue;
    const detail::AgentPool& pool = tier->pool;
    if (pool.layout() == detail::AgentPool::Layout::kWeighted) continue;
    detail::PoolEntry candidate;
    bool has = false;
    if (strategy == Strategy::kRoundRobin) {  // the first after the winner, wrapping around
      has = pool.BestFrom({winner + 1, 0, winner + 1}, allowed, candidate) ||
            pool.Best(allowed, candidate);
    } else {
      has = pool.Best(allowed, candidate);
    }
    if (has && (!found || candidate < best)) {
      best = candidate;
      found = true;
    }
  }
  if (found) {
    const Agent& runner = agents_[best.agent];
    out.runner_up = runner.id;
    const auto served = std::find_if(runner.served.begin(), runner.served.end(), serves_record);
    if (served != runner.served.end()) {
      out.runner_up_key = KeyText(strategy, runner, *served, now_, OccupancyPpm(runner));
    }
  }
  out.text = fmt::format("contact {} in queue {} went to {} by {}: {}.", out.contact, out.queue,
                         out.agent, out.strategy, out.agent_key);
  if (strategy == Strategy::kRandom) {
    out.text += " A weighted random draw has no runner-up.";
  } else if (found) {
    out.text += fmt::format(" Next now: {} ({}).", out.runner_up, out.runner_up_key);
  } else {
    out.text += " No other agent could take it now.";
  }
  return out;
}

}  // namespace switchboard
