// Explain: why a waiting contact is still waiting, agent by agent, and what changes that next.
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
