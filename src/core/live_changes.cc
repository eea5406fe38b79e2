// Changes to a live center: UpdateAgent, RemoveAgent, UpdateQueue and RemoveQueue. Each checks
// everything as the matching Add command does before it changes anything, then re-indexes what
// the change touches and routes at once where it makes a match.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "base/durations.h"
#include "base/status_macros.h"
#include "core/engine_impl.h"
#include "core/validation.h"
#include "fmt/format.h"
#include "switchboard/limits.h"

namespace switchboard {

using detail::kNever;
using detail::kNoIndex;
using detail::ToMicros;

namespace {

// Whether the agent lists `queue` among its explicit memberships.
bool Lists(const detail::Agent& agent, std::string_view queue) {
  if (!agent.profile) return false;
  const std::vector<QueueMembership>& listed = agent.profile->explicit_queues;
  return std::any_of(listed.begin(), listed.end(),
                     [&](const QueueMembership& m) { return m.queue == queue; });
}

}  // namespace

AgentConfig Engine::Impl::ConfigOf(const Agent& agent) const {
  AgentConfig config;
  config.id = agent.id;
  for (const auto& [skill, level] : agent.skills.entries()) {
    config.skills[skills_.Name(skill)] = level;
  }
  config.groups = agent.Profile().groups;
  config.team = agent.Profile().team;
  config.attributes = agent.Profile().attributes;
  config.queues = agent.Profile().explicit_queues;
  config.capacity = agent.capacity;
  config.auto_membership = agent.auto_membership;
  config.weight = agent.weight;
  return config;
}

absl::Status Engine::Impl::Apply(const switchboard::UpdateAgent& command) {
  absl::StatusOr<AgentIndex> a = FindAgent(command.agent);
  if (!a.ok()) return a.status();
  AgentConfig config = ConfigOf(agents_[*a]);
  if (command.skills) config.skills = *command.skills;
  if (command.groups) config.groups = *command.groups;
  if (command.team) config.team = *command.team;
  if (command.attributes) config.attributes = *command.attributes;
  if (command.capacity) config.capacity = *command.capacity;
  if (command.queues) config.queues = *command.queues;
  if (command.auto_membership) config.auto_membership = *command.auto_membership;
  if (command.weight) config.weight = *command.weight;
  SWITCHBOARD_RETURN_IF_ERROR(
      CheckAgentConfig(config, /*check_listed=*/command.queues.has_value()));
  Agent& agent = agents_[*a];
  for (int c = 0; c < kChannelCount; ++c) {
    if (agent.load.count[c] > 0 && config.capacity.limit[c] == 0) {
      return absl::FailedPreconditionError(fmt::format(
          "agent '{}' holds {} {} contact(s); its capacity for {} cannot be 0 until they end",
          agent.id, agent.load.count[c], ChannelName(static_cast<Channel>(c)),
          ChannelName(static_cast<Channel>(c))));
    }
  }
  BeginAgentChange(*a);
  if (agent.logged_in) CountLoggedIn(agent, -1);
  SetAgentProfile(*a, config);
  agent.served = ComputeServed(agent);
  if (agent.logged_in) CountLoggedIn(agent, +1);
  if (events_on()) {
    Event event = NewEvent(EventType::kAgentUpdated);
    event.agent_id = agent.id;
    Emit(std::move(event));
  }
  EndAgentChange(*a, /*repool=*/false);
  RouteAgent(*a);
  return absl::OkStatus();
}

absl::Status Engine::Impl::Apply(const switchboard::RemoveAgent& command) {
  absl::StatusOr<AgentIndex> a = FindAgent(command.agent);
  if (!a.ok()) return a.status();
  Agent& agent = agents_[*a];
  if (agent.logged_in) {
    return absl::FailedPreconditionError(fmt::format(
        "agent '{}' is logged in; log it out before removing it", command.agent));
  }
  if (events_on()) {
    Event event = NewEvent(EventType::kAgentRemoved);
    event.agent_id = agent.id;
    Emit(std::move(event));
  }
  // Contacts that waited for it wait for any agent of their queue.
  if (agent.preferred_waiting) {
    std::vector<ContactSlot> held;
    for (const detail::WaitKey& key : *agent.preferred_waiting) held.push_back(key.slot);
    for (ContactSlot slot : held) {
      Contact& contact = contacts_[slot];
      LeaveWaiting(slot);
      contact.preferred = kNoIndex;
      if (events_on()) EmitContact(EventType::kPreferredTimedOut, contact, *a);
      Place(slot);
    }
  }
  for (const auto& [skill, level] : agent.skills.entries()) {
    detail::EraseFirst(agents_by_skill_[skill], *a);
  }
  agent_ids_.Erase(*a);
  agent.removed = true;
  agent.served.clear();
  agent_dispositions_.erase(*a);
  agent_transfers_.erase(*a);
  return absl::OkStatus();
}

void Engine::Impl::RearmWaitRules(QueueIndex home_index) {
  Queue& home = queues_[home_index];
  for (ContactSlot slot = 0; slot < contacts_.size(); ++slot) {
    Contact& contact = contacts_[slot];
    if (!contact.in_use || contact.shadow || contact.callback ||
        queues_[contact.queue].home != home_index ||
        (contact.state != ContactState::kWaiting && contact.state != ContactState::kOffered)) {
      continue;
    }
    // The customer's pending answer was to a rule that is gone.
    contact.asked = false;
    contact.overflow_due = false;
    // Its rules are armed here: a contact ringing since it arrived must not arm them again,
    // from its arrival, when it first waits.
    contact.waited = true;
    const Micros entered = contact.answered_at;
    size_t from = 0;
    while (from < home.wait_rules.size() &&
           entered + home.overflow[home.wait_rules[from]].wait <= now_) {
      ++from;
    }
    ArmWaitRule(slot, entered, from);
  }
}

absl::Status Engine::Impl::Apply(const switchboard::UpdateQueue& command) {
  const QueueConfig& config = command.config;
  absl::StatusOr<QueueIndex> found = FindQueue(config.id);
  if (!found.ok()) return found.status();
  const QueueIndex index = *found;
  if (config.steps.size() != queues_[index].steps.size()) {
    return absl::FailedPreconditionError(fmt::format(
        "queue '{}' has {} requirement steps and the update gives {}; remove the queue and add "
        "it again to change their number",
        config.id, queues_[index].steps.size(), config.steps.size()));
  }
  // The variant chains of entry rules' own requirements combine each of them with the new
  // requirements: they must parse too, checked before anything is interned.
  std::vector<QueueIndex> chains;
  for (QueueIndex member : queues_[index].members) {
    if (queues_[member].step == 0) chains.push_back(member);
  }
  auto combine = [](const std::string& base, const std::string& own) {
    return base.empty() ? own : fmt::format("({}) && ({})", base, own);
  };
  std::vector<std::string> bases = {config.requirement};
  for (const RequirementStep& step : config.steps) bases.push_back(step.requirement);
  {
    SkillRegistry trial = skills_;
    bool bases_parse = true;
    for (const std::string& base : bases) bases_parse &= Requirement::Parse(base, trial).ok();
    // Unparsable bases: CheckQueueConfig below gives their error.
    for (QueueIndex chain : bases_parse ? chains : std::vector<QueueIndex>()) {
      for (const std::string& base : bases) {
        absl::StatusOr<Requirement> combined =
            Requirement::Parse(combine(base, queues_[chain].own_requirement), trial);
        if (!combined.ok()) {
          return absl::FailedPreconditionError(fmt::format(
              "queue '{}': an entry rule's requirement '{}' with the new requirement: {}",
              config.id, queues_[chain].own_requirement, detail::Message(combined.status())));
        }
      }
    }
  }
  // A contact that accepted a callback follows its queue's callback rule (its retries, its
  // channel and priority when it comes due), found by its index: the index of the first
  // callback rule of the new list. Without one, the update waits until those callbacks end.
  int callback_rule = -1;
  for (size_t i = 0; i < config.overflow.size() && callback_rule < 0; ++i) {
    if (config.overflow[i].action == OverflowRule::Action::kCallback) {
      callback_rule = static_cast<int>(i);
    }
  }
  // Contacts meet the rules only of a queue that has some (before or after the update).
  const bool rules = !queues_[index].overflow.empty() || !config.overflow.empty();
  std::vector<ContactSlot> callbacks;
  for (ContactSlot slot = 0; rules && slot < contacts_.size(); ++slot) {
    const Contact& contact = contacts_[slot];
    if (!contact.in_use || contact.shadow || !contact.callback ||
        queues_[contact.queue].home != index) {
      continue;
    }
    if (callback_rule < 0) {
      return absl::FailedPreconditionError(fmt::format(
          "queue '{}': contact '{}' is a callback of its callback rule; keep a callback rule "
          "until its callbacks end",
          config.id, contact.id));
    }
    callbacks.push_back(slot);
  }

  absl::StatusOr<CheckedQueue> checked = CheckQueueConfig(config);
  if (!checked.ok()) return checked.status();

  // Accepted. Every agent that serves the queue, or may come to, leaves its pools while the
  // queue's records change (a pool's keys depend on the strategy).
  std::vector<AgentIndex> affected;
  for (AgentIndex a = 0; a < agents_.size(); ++a) {
    const Agent& agent = agents_[a];
    if (agent.removed) continue;
    const bool serves = std::any_of(agent.served.begin(), agent.served.end(),
                                    [&](const detail::ServedQueue& served) {
                                      return queues_[served.queue].home == index;
                                    });
    // An agent that lists the queue may meet the new requirement though not the old one.
    // With automatic membership, only an agent that meets one of the new requirements may join
    // (a variant chain's requirement includes the queue's).
    const bool may_join =
        agent.auto_membership &&
        std::any_of(checked->requirements.begin(), checked->requirements.end(),
                    [&](const Requirement& r) {
                      return r.Matches(agent.skills, agent.Profile().attributes);
                    });
    if (serves || may_join || Lists(agent, config.id)) {
      affected.push_back(a);
      BeginAgentChange(a);
      if (agent.logged_in) CountLoggedIn(agent, -1);
    }
  }
  std::vector<QueueIndex> records = {index};
  records.insert(records.end(), queues_[index].members.begin(), queues_[index].members.end());
  const bool strategy_changed = queues_[index].config.strategy != config.strategy;
  for (QueueIndex q : records) {
    Queue& queue = queues_[q];
    const size_t step = queue.step;
    const bool variant = !queues_[queue.chain].own_requirement.empty();
    if (queue.config.strategy == Strategy::kLeastOccupied) --least_occupied_queues_;
    if (config.strategy == Strategy::kLeastOccupied) ++least_occupied_queues_;
    queue.config = config;
    if (q != index) {
      queue.config.steps.clear();
      queue.config.overflow.clear();
    }
    if (variant) {
      absl::StatusOr<Requirement> combined =
          Requirement::Parse(combine(bases[step], queues_[queue.chain].own_requirement), skills_);
      queue.requirement = *std::move(combined);  // parsed on the trial registry above
      queue.config.requirement = queue.requirement.text();
    } else {
      queue.requirement = checked->requirements[step];
      queue.config.requirement = bases[step];
    }
    for (size_t i = 0; i < queue.steps.size(); ++i) {
      queue.steps[i].after = ToMicros(config.steps[i].after);
    }
    queue.service_level_threshold = ToMicros(config.service_level_threshold);
    if (strategy_changed) {
      for (auto& tiers : queue.tiers) tiers.clear();  // empty: their agents left above
      queue.round_robin_cursor = kNoIndex;
    }
  }
  Queue& home = queues_[index];
  const bool was_open = home.open;
  SetQueuePolicies(index, config, *checked);
  SetReservePolicy(index, config.reserve);
  multi_offer_ |= config.ring_agents > 1;
  for (ContactSlot slot : callbacks) {
    contacts_[slot].policy_rule = static_cast<uint8_t>(callback_rule);
  }
  if (rules) {
    ++home.rules_epoch;
    RearmWaitRules(index);
  }
  if (events_on()) {
    Event event = NewEvent(EventType::kQueueUpdated);
    event.queue_id = config.id;
    Emit(event);
    if (home.open != was_open) {
      event.type = home.open ? EventType::kQueueOpened : EventType::kQueueClosed;
      Emit(std::move(event));
    }
  }

  for (AgentIndex a : affected) {
    Agent& agent = agents_[a];
    agent.served = ComputeServed(agent);
    if (agent.logged_in) CountLoggedIn(agent, +1);
  }
  for (AgentIndex a : affected) {
    EndAgentChange(a, /*repool=*/false);
    RouteAgent(a);
  }
  if (home.logged_in_agents == 0 && home.no_agents_rules) {
    SetTimer(now_, TimerKind::kNoAgents, index, 0, 0);
  }
  if (!home.open && was_open && home.closed_rules) {
    ApplyToWaiting(index, OverflowRule::Trigger::kClosed);
  }
  return absl::OkStatus();
}

absl::Status Engine::Impl::Apply(const switchboard::RemoveQueue& command) {
  absl::StatusOr<QueueIndex> found = FindQueue(command.queue);
  if (!found.ok()) return found.status();
  const QueueIndex index = *found;
  QueueIndex target = kNoIndex;
  if (!command.move_to.empty()) {
    absl::StatusOr<QueueIndex> move_to = FindQueue(command.move_to);
    if (!move_to.ok()) return move_to.status();
    if (*move_to == index) {
      return absl::InvalidArgumentError(
          fmt::format("queue '{}' cannot move its contacts to itself", command.queue));
    }
    target = *move_to;
  }
  auto refuse = [&](const std::string& why) {
    return absl::FailedPreconditionError(
        fmt::format("queue '{}' cannot be removed: {}", command.queue, why));
  };
  for (QueueIndex q = 0; q < queues_.size(); ++q) {
    const Queue& queue = queues_[q];
    if (queue.home != q || queue.removed || q == index) continue;
    for (size_t i = 0; i < queue.overflow.size(); ++i) {
      if (queue.overflow[i].target == index) {
        return refuse(fmt::format("queue '{}': overflow[{}] sends contacts to it",
                                  queue.config.id, i));
      }
    }
  }
  for (size_t i = 0; i < entry_rules_.size(); ++i) {
    if (entry_rules_[i].queue == index) {
      return refuse(fmt::format("entry rule rules[{}] sends contacts to it", i));
    }
  }
  // Its contacts: those waiting move (or refuse the removal); those ringing, being called back
  // or waiting for their callback time refuse it; those connected end there as they would.
  std::vector<std::pair<ContactSlot, uint64_t>> waiting;
  for (ContactSlot slot = 0; slot < contacts_.size(); ++slot) {
    const Contact& contact = contacts_[slot];
    if (!contact.in_use || queues_[contact.queue].home != index) continue;
    if (contact.state != ContactState::kWaiting && contact.state != ContactState::kOffered &&
        contact.state != ContactState::kDialing) {
      continue;  // connected (or a consult's leg): it ends there as it would
    }
    const std::string name =
        contact.shadow ? fmt::format("a copy of contact '{}'", contacts_[copies_.at(slot)].id)
                       : fmt::format("contact '{}'", contact.id);
    if (contact.state == ContactState::kOffered || contact.state == ContactState::kDialing) {
      return refuse(fmt::format("{} is {}", name, ContactStateName(contact.state)));
    }
    if (contact.state != ContactState::kWaiting) continue;
    if (!contact.queued) return refuse(name + " waits for its callback time");
    if (contact.callback) return refuse(name + " waits to be called back");
    if (contact.shadow) return refuse(name + " waits in it");
    if (target == kNoIndex) {
      return refuse(fmt::format("{} waits in it; give a queue to move its contacts to", name));
    }
    if (contact.transfers >= kMaxTransfers) {
      return refuse(fmt::format("{} has been moved or transferred {} times", name,
                                static_cast<int>(contact.transfers)));
    }
    waiting.emplace_back(slot, contact.sequence);
  }

  Queue& home = queues_[index];
  if (events_on()) {
    Event event = NewEvent(EventType::kQueueRemoved);
    event.queue_id = home.config.id;
    event.target = command.move_to;
    Emit(std::move(event));
  }
  // Oldest first, so that they keep their order by arrival in the target.
  std::sort(waiting.begin(), waiting.end(), [this](const auto& x, const auto& y) {
    const Contact& cx = contacts_[x.first];
    const Contact& cy = contacts_[y.first];
    return cx.arrival != cy.arrival ? cx.arrival < cy.arrival : x.second < y.second;
  });
  for (const auto& [slot, sequence] : waiting) {
    // An earlier move may have ended or offered it (a copy reached); only waiting ones move.
    const Contact& contact = contacts_[slot];
    if (contact.in_use && contact.sequence == sequence && contact.queued &&
        queues_[contact.queue].home == index) {
      TransferTo(slot, target, "moved", /*by_rule=*/false);
    }
  }

  // Agents that serve it, and those that list it without meeting its requirement now (an
  // update raised it): the queue leaves their lists too.
  std::vector<AgentIndex> serving;
  for (AgentIndex a = 0; a < agents_.size(); ++a) {
    Agent& agent = agents_[a];
    if (agent.removed) continue;
    if (Lists(agent, command.queue) ||
        std::any_of(agent.served.begin(), agent.served.end(),
                    [&](const detail::ServedQueue& s) { return queues_[s.queue].home == index; })) {
      serving.push_back(a);
      BeginAgentChange(a);
      if (agent.logged_in) CountLoggedIn(agent, -1);
    }
  }
  home.removed = true;
  for (QueueIndex member : home.members) queues_[member].removed = true;
  home.overflow.clear();
  home.wait_rules.clear();
  home.arrival_rules = home.no_agents_rules = home.closed_rules = false;
  home.reserve.reset();  // queue_removed says the reserve is gone with it
  home.reserve_active = false;
  home.hours_change = kNever;
  queue_ids_.erase(home.config.id);
  for (AgentIndex a : serving) {
    Agent& agent = agents_[a];
    if (agent.profile) {
      std::erase_if(agent.profile->explicit_queues, [&](const QueueMembership& m) {
        return m.queue == command.queue;
      });
    }
    agent.served = ComputeServed(agent);
    if (agent.logged_in) CountLoggedIn(agent, +1);
    EndAgentChange(a);
  }
  return absl::OkStatus();
}

}  // namespace switchboard
