// The configuration commands: AddQueue and AddAgent, each validating everything it is given
// before it changes anything.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "base/durations.h"
#include "base/status_macros.h"
#include "core/engine_impl.h"
#include "core/selection.h"
#include "core/validation.h"
#include "fmt/format.h"
#include "switchboard/limits.h"

namespace switchboard {

using detail::kNever;
using detail::ToMicros;
using detail::CheckId;
using detail::CheckAttributes;
using detail::CheckNonNegative;
using detail::CheckPositive;

absl::StatusOr<std::vector<QueueIndex>> Engine::Impl::CheckOverflow(
    const QueueConfig& config) const {
  using Trigger = OverflowRule::Trigger;
  using Action = OverflowRule::Action;
  if (config.overflow.size() > kMaxOverflowRules) {
    return absl::InvalidArgumentError(fmt::format("queue '{}': {} overflow rules; expected at most {}",
                                                  config.id, config.overflow.size(),
                                                  kMaxOverflowRules));
  }
  std::vector<QueueIndex> targets;
  for (size_t i = 0; i < config.overflow.size(); ++i) {
    const OverflowRule& rule = config.overflow[i];
    const std::string where = fmt::format("queue '{}': overflow[{}]", config.id, i);
    // A rule as a whole: "queue 'q': overflow[0]: ..."; one of its fields:
    // "queue 'q': overflow[0].field is ...".
    auto invalid = [&](std::string_view what) {
      return absl::InvalidArgumentError(fmt::format("{}: {}", where, what));
    };
    auto field = [&](std::string_view what) {
      return absl::InvalidArgumentError(fmt::format("{}.{}", where, what));
    };
    if (rule.trigger > Trigger::kClosed) {
      return field(fmt::format("trigger {} is not a trigger (0..{})",
                                 static_cast<int>(rule.trigger),
                                 static_cast<int>(Trigger::kClosed)));
    }
    if (rule.trigger == Trigger::kClosed && !config.hours) {
      return invalid("the closed trigger needs the queue's opening hours (hours)");
    }
    if (rule.action > Action::kCopy) {
      return field(fmt::format("action {} is not an action (0..{})",
                                 static_cast<int>(rule.action),
                                 static_cast<int>(Action::kCopy)));
    }
    if (rule.trigger == Trigger::kWait) {
      SWITCHBOARD_RETURN_IF_ERROR(CheckPositive(where + ".wait", rule.wait));
    } else if (rule.trigger == Trigger::kEstimatedWait) {
      SWITCHBOARD_RETURN_IF_ERROR(CheckNonNegative(where + ".wait", rule.wait));
    }
    if (rule.queue_length < 0) {
      return field(fmt::format("queue_length is {}; expected >= 0", rule.queue_length));
    }
    QueueIndex target = detail::kNoIndex;
    if (rule.action == Action::kTransfer || rule.action == Action::kCopy) {
      if (rule.target.empty()) {
        return invalid(fmt::format("a {} needs a target (the queue's id)",
                                   OverflowActionName(rule.action)));
      }
      if (rule.target == config.id) {
        return invalid(fmt::format("a queue cannot {} to itself", OverflowActionName(rule.action)));
      }
      absl::StatusOr<QueueIndex> found = FindQueue(rule.target);
      if (!found.ok()) {
        return absl::Status(found.status().code(),
                            fmt::format("{}.target: {}", where, detail::Message(found.status())));
      }
      target = *found;
    } else if (rule.action == Action::kDeflect) {
      if (rule.target.empty()) {
        return invalid("a deflection needs a target (where the host sends the customer)");
      }
      SWITCHBOARD_RETURN_IF_ERROR(CheckText(where + ".target", rule.target, kMaxTextBytes));
    } else if (!rule.target.empty()) {
      return invalid("target is only for transfer, copy and deflect");
    }
    targets.push_back(target);
    if (rule.look_ahead && rule.action != Action::kTransfer) {
      return invalid("look_ahead is only for transfer");
    }
    if (rule.ask && rule.action != Action::kCallback && rule.action != Action::kDeflect) {
      return invalid("ask is only for callback and deflect");
    }
    SWITCHBOARD_RETURN_IF_ERROR(CheckText(where + ".reason", rule.reason, kMaxTextBytes));
    const CallbackPolicy& callback = rule.callback;
    if (callback.mode > CallbackPolicy::Mode::kScheduled) {
      return field(fmt::format("callback.mode {} is not a mode (0..1)",
                                 static_cast<int>(callback.mode)));
    }
    if (rule.action == Action::kCallback && callback.mode == CallbackPolicy::Mode::kScheduled) {
      SWITCHBOARD_RETURN_IF_ERROR(CheckPositive(where + ".callback.after", callback.after));
    }
    if (callback.retries < 0 || callback.retries > kMaxCallbackRetries) {
      return field(fmt::format("callback.retries is {}; expected 0..{}", callback.retries,
                                 kMaxCallbackRetries));
    }
    SWITCHBOARD_RETURN_IF_ERROR(
        CheckPositive(where + ".callback.retry_after", callback.retry_after));
    if (callback.priority < -kMaxPriority || callback.priority > kMaxPriority) {
      return field(fmt::format("callback.priority is {}; expected {}..{}", callback.priority,
                                 -kMaxPriority, kMaxPriority));
    }
  }
  return targets;
}

absl::StatusOr<Engine::Impl::CheckedQueue> Engine::Impl::CheckQueueConfig(
    const QueueConfig& config) {
  SWITCHBOARD_RETURN_IF_ERROR(
      CheckNonNegative(fmt::format("queue '{}': service_level_threshold", config.id),
                       config.service_level_threshold));
  if (!(config.service_level_target >= 0 && config.service_level_target <= 1)) {
    return absl::InvalidArgumentError(
        fmt::format("queue '{}': service_level_target is {}; expected 0..1", config.id,
                    config.service_level_target));
  }
  SWITCHBOARD_RETURN_IF_ERROR(
      CheckNonNegative(fmt::format("queue '{}': max_hold", config.id), config.max_hold));
  if (config.ring_agents < 1 || config.ring_agents > kMaxRingAgents) {
    return absl::InvalidArgumentError(fmt::format("queue '{}': ring_agents is {}; expected 1..{}",
                                                  config.id, config.ring_agents, kMaxRingAgents));
  }
  if (config.max_length < 0) {
    return absl::InvalidArgumentError(
        fmt::format("queue '{}': max_length is {}; expected >= 0", config.id, config.max_length));
  }
  // Enumerations cast from integers by a C++ host.
  if (static_cast<int>(config.strategy) >= kStrategyCount) {
    return absl::InvalidArgumentError(
        fmt::format("queue '{}': strategy {} is not a strategy (0..{})", config.id,
                    static_cast<int>(config.strategy), kStrategyCount - 1));
  }
  if (config.wrap_up.mode > WrapUpPolicy::Mode::kTimedWithExtension) {
    return absl::InvalidArgumentError(
        fmt::format("queue '{}': wrap_up.mode {} is not a mode (0..{})", config.id,
                    static_cast<int>(config.wrap_up.mode),
                    static_cast<int>(WrapUpPolicy::Mode::kTimedWithExtension)));
  }
  const WrapUpPolicy& wrap_up = config.wrap_up;
  if (wrap_up.mode == WrapUpPolicy::Mode::kTimed ||
      wrap_up.mode == WrapUpPolicy::Mode::kTimedWithExtension) {
    SWITCHBOARD_RETURN_IF_ERROR(
        CheckPositive(fmt::format("queue '{}': wrap_up.duration", config.id), wrap_up.duration));
  }
  SWITCHBOARD_RETURN_IF_ERROR(CheckNonNegative(
      fmt::format("queue '{}': wrap_up.max_extension", config.id), wrap_up.max_extension));
  if (config.steps.size() > kMaxRequirementSteps) {
    return absl::InvalidArgumentError(fmt::format("queue '{}': {} steps; expected at most {}",
                                                  config.id, config.steps.size(),
                                                  kMaxRequirementSteps));
  }
  absl::Duration previous = absl::ZeroDuration();
  for (size_t i = 0; i < config.steps.size(); ++i) {
    const std::string where = fmt::format("queue '{}': steps[{}].after", config.id, i);
    SWITCHBOARD_RETURN_IF_ERROR(CheckPositive(where, config.steps[i].after));
    if (config.steps[i].after <= previous) {
      return absl::InvalidArgumentError(
          fmt::format("{} is {}; expected more than the step before ({})", where,
                      absl::FormatDuration(config.steps[i].after), absl::FormatDuration(previous)));
    }
    previous = config.steps[i].after;
  }
  if (config.reserve) SWITCHBOARD_RETURN_IF_ERROR(CheckReservePolicy(config.id, *config.reserve));
  absl::StatusOr<std::vector<QueueIndex>> targets = CheckOverflow(config);
  if (!targets.ok()) return targets.status();
  absl::StatusOr<std::shared_ptr<const OpeningSchedule>> schedule = CompileSchedule(config);
  if (!schedule.ok()) return schedule.status();
  // Parse last: on success it interns the skills it names. With steps, every expression is
  // parsed on a copy first, so that a bad step interns nothing.
  auto parse = [&](SkillRegistry& skills) -> absl::StatusOr<std::vector<Requirement>> {
    std::vector<Requirement> parsed;
    for (size_t i = 0; i <= config.steps.size(); ++i) {
      const std::string& text = i == 0 ? config.requirement : config.steps[i - 1].requirement;
      absl::StatusOr<Requirement> requirement = Requirement::Parse(text, skills);
      if (!requirement.ok()) {
        const std::string where =
            i == 0 ? fmt::format("queue '{}'", config.id)
                   : fmt::format("queue '{}': steps[{}].requirement", config.id, i - 1);
        return absl::InvalidArgumentError(
            fmt::format("{}: {}", where, detail::Message(requirement.status())));
      }
      parsed.push_back(*std::move(requirement));
    }
    return parsed;
  };
  if (!config.steps.empty()) {
    SkillRegistry trial = skills_;
    SWITCHBOARD_RETURN_IF_ERROR(parse(trial).status());
  }
  absl::StatusOr<std::vector<Requirement>> requirements = parse(skills_);
  if (!requirements.ok()) return requirements.status();
  return CheckedQueue{.targets = *std::move(targets),
                      .schedule = *std::move(schedule),
                      .requirements = *std::move(requirements)};
}

absl::StatusOr<std::shared_ptr<const OpeningSchedule>> Engine::Impl::CompileSchedule(
    const QueueConfig& config) {
  if (!config.hours) return nullptr;
  absl::StatusOr<OpeningSchedule> created = OpeningSchedule::Create(*config.hours);
  if (!created.ok()) {
    return absl::InvalidArgumentError(
        fmt::format("queue '{}': {}", config.id, detail::Message(created.status())));
  }
  return std::make_shared<const OpeningSchedule>(*std::move(created));
}

void Engine::Impl::SetQueuePolicies(QueueIndex index, const QueueConfig& config,
                                    const CheckedQueue& checked) {
  Queue& home = queues_[index];
  home.overflow.clear();
  home.wait_rules.clear();
  home.arrival_rules = home.no_agents_rules = home.closed_rules = false;
  for (size_t i = 0; i < config.overflow.size(); ++i) {
    const OverflowRule& rule = config.overflow[i];
    home.overflow.push_back({rule, checked.targets[i], ToMicros(rule.wait)});
    home.arrival_rules |= rule.trigger != OverflowRule::Trigger::kWait;
    home.no_agents_rules |= rule.trigger == OverflowRule::Trigger::kNoAgents;
    home.closed_rules |= rule.trigger == OverflowRule::Trigger::kClosed;
    if (rule.trigger == OverflowRule::Trigger::kWait) {
      home.wait_rules.push_back(static_cast<uint8_t>(i));
    }
  }
  std::stable_sort(home.wait_rules.begin(), home.wait_rules.end(), [&home](uint8_t a, uint8_t b) {
    return home.overflow[a].wait < home.overflow[b].wait;
  });
  home.schedule = checked.schedule;
  home.hours_change = kNever;
  home.open = true;
  if (home.schedule) {
    home.open = home.schedule->IsOpen(absl::FromUnixMicros(now_));
    ArmHoursChange(index);
  }
}

absl::Status Engine::Impl::Apply(const switchboard::AddQueue& command) {
  const QueueConfig& config = command.config;
  SWITCHBOARD_RETURN_IF_ERROR(CheckId("queue", config.id));
  if (queue_ids_.contains(config.id)) {
    return absl::AlreadyExistsError(fmt::format("queue '{}' already exists", config.id));
  }
  absl::StatusOr<CheckedQueue> checked = CheckQueueConfig(config);
  if (!checked.ok()) return checked.status();
  std::vector<Requirement>* requirements = &checked->requirements;

  // The queue, then one queue record per step (see Queue).
  const QueueIndex index = static_cast<QueueIndex>(queues_.size());
  for (size_t i = 0; i < requirements->size(); ++i) {
    Queue& queue = queues_.emplace_back();
    queue.config = config;
    queue.requirement = std::move((*requirements)[i]);
    queue.service_level_threshold = ToMicros(config.service_level_threshold);
    queue.home = index;
    queue.chain = index;
    queue.step = static_cast<uint8_t>(i);
    queue.serve_interval = static_cast<double>(ToMicros(options_.ewt_initial_interval));
    queue.last_serve = now_;
    if (i > 0) {
      queue.config.requirement = config.steps[i - 1].requirement;
      queue.config.steps.clear();
      queues_[index].steps.push_back({.after = ToMicros(config.steps[i - 1].after),
                                      .queue = static_cast<QueueIndex>(index + i)});
      queues_[index].members.push_back(static_cast<QueueIndex>(index + i));
    }
    if (config.strategy == Strategy::kLeastOccupied) ++least_occupied_queues_;
  }
  SetQueuePolicies(index, config, *checked);
  SetReservePolicy(index, config.reserve);
  multi_offer_ |= config.ring_agents > 1;
  for (size_t i = 1; i < requirements->size(); ++i) queues_[index + i].config.overflow.clear();
  queue_ids_.emplace(config.id, index);
  if (events_on()) {
    Event event = NewEvent(EventType::kQueueAdded);
    event.queue_id = config.id;
    Emit(event);
    if (!queues_[index].open) {  // added outside its hours
      event.type = EventType::kQueueClosed;
      Emit(std::move(event));
    }
  }

  // Agents with automatic membership that meet the requirement of the queue or of a step now
  // serve it. Only agents that hold the first required skill of one of them need checking.
  const QueueIndex end = static_cast<QueueIndex>(queues_.size());
  auto consider = [&](AgentIndex a) {
    Agent& agent = agents_[a];
    if (!agent.auto_membership || agent.removed) return;
    for (QueueIndex q = index; q < end; ++q) {
      if (queues_[q].requirement.Matches(agent.skills, agent.Profile().attributes)) {
        RecomputeServed(a);
        return;
      }
    }
  };
  std::vector<const std::vector<AgentIndex>*> candidates;
  for (QueueIndex q = index; q < end; ++q) {
    const Requirement& requirement = queues_[q].requirement;
    if (requirement.required_skills().empty()) {
      for (AgentIndex a = 0; a < agents_.size(); ++a) consider(a);
      return absl::OkStatus();
    }
    // The rarest required skill gives the fewest candidates; a skill nobody holds, none.
    const std::vector<AgentIndex>* narrowest = nullptr;
    for (SkillId skill : requirement.required_skills()) {
      static const std::vector<AgentIndex> kNobody;
      const std::vector<AgentIndex>& holders =
          skill < agents_by_skill_.size() ? agents_by_skill_[skill] : kNobody;
      if (narrowest == nullptr || holders.size() < narrowest->size()) narrowest = &holders;
    }
    candidates.push_back(narrowest);
  }
  for (const std::vector<AgentIndex>* holders : candidates) {
    for (AgentIndex a : *holders) consider(a);
  }
  return absl::OkStatus();
}

void Engine::Impl::RecomputeServed(AgentIndex a) {
  Agent& agent = agents_[a];
  BeginAgentChange(a);
  if (agent.logged_in) CountLoggedIn(agent, -1);
  agent.served = ComputeServed(agent);
  if (agent.logged_in) CountLoggedIn(agent, +1);
  EndAgentChange(a);
}

detail::ServedQueues Engine::Impl::ComputeServed(const Agent& agent) const {
  detail::ServedQueues served;
  const std::vector<QueueMembership>& listed = agent.Profile().explicit_queues;
  const Attributes& attributes = agent.Profile().attributes;
  auto serve = [&](QueueIndex q, const QueueMembership* membership) {
    served.push_back({.delay = membership ? ToMicros(membership->delay) : 0,
                      .queue = q,
                      .priority = membership ? membership->priority : 0,
                      .skill_score = queues_[q].requirement.Score(agent.skills),
                      .reserve = membership != nullptr && membership->reserve});
  };
  if (agent.auto_membership) {
    // Every queue record whose requirement it meets; a listed queue with the listed priority
    // and delay.
    for (QueueIndex q = 0; q < queues_.size(); ++q) {
      if (queues_[q].removed || !queues_[q].requirement.Matches(agent.skills, attributes)) {
        continue;
      }
      const std::string& id = queues_[queues_[q].home].config.id;
      auto it = std::find_if(listed.begin(), listed.end(),
                             [&id](const QueueMembership& m) { return m.queue == id; });
      serve(q, it == listed.end() ? nullptr : &*it);
    }
  } else {
    // The listed queues, each with its steps and the chains of entry rules' own requirements:
    // the records whose requirement it meets.
    for (const QueueMembership& membership : listed) {
      const QueueIndex q = queue_ids_.at(membership.queue);
      if (queues_[q].requirement.Matches(agent.skills, attributes)) serve(q, &membership);
      for (QueueIndex member : queues_[q].members) {
        if (queues_[member].requirement.Matches(agent.skills, attributes)) {
          serve(member, &membership);
        }
      }
    }
  }
  std::stable_sort(served.begin(), served.end(),
                   [this](const detail::ServedQueue& x, const detail::ServedQueue& y) {
                     if (x.priority != y.priority) return x.priority > y.priority;
                     const int px = queues_[x.queue].config.priority;
                     const int py = queues_[y.queue].config.priority;
                     if (px != py) return px > py;
                     return x.queue < y.queue;
                   });
  served.shrink_to_fit();  // kept for the agent's life: no growth slack
  return served;
}

absl::Status Engine::Impl::CheckAgentConfig(const AgentConfig& config, bool check_listed) const {
  const std::string owner = fmt::format("agent '{}'", config.id);
  SWITCHBOARD_RETURN_IF_ERROR(CheckAttributes(owner, config.attributes));
  if (config.groups.size() > kMaxEntries || config.queues.size() > kMaxEntries) {
    return absl::InvalidArgumentError(
        fmt::format("{}: {} groups and {} queues; expected at most {} of each", owner,
                    config.groups.size(), config.queues.size(), kMaxEntries));
  }
  for (const std::string& group : config.groups) {
    SWITCHBOARD_RETURN_IF_ERROR(CheckText(owner + ": group name", group, kMaxNameBytes));
  }
  SWITCHBOARD_RETURN_IF_ERROR(CheckText(owner + ": team", config.team, kMaxNameBytes));
  for (const auto& [name, level] : config.skills) {
    absl::Status status = ValidateSkillName(name);
    if (status.ok()) status = ValidateSkillLevel(name, level);
    if (!status.ok()) {
      return absl::InvalidArgumentError(
          fmt::format("agent '{}': {}", config.id, detail::Message(status)));
    }
  }
  if (absl::Status status = ValidateCapacity(config.capacity); !status.ok()) {
    return absl::InvalidArgumentError(
        fmt::format("agent '{}': {}", config.id, detail::Message(status)));
  }
  // Random pools sum weights in 64-bit integer units of 1/1000: the bound keeps any sum of
  // them (up to 2^32 members) from overflowing, and rules out infinity.
  if (!(config.weight > 0 && config.weight <= kMaxAgentWeight)) {
    return absl::InvalidArgumentError(
        fmt::format("agent '{}': weight is {}; expected > 0 and <= {}", config.id, config.weight,
                    kMaxAgentWeight));
  }
  if (!config.auto_membership && config.queues.empty()) {
    return absl::InvalidArgumentError(
        fmt::format("agent '{}': auto_membership is off and no queues are listed", config.id));
  }

  // Skills as the agent will hold them; names are interned only once everything checks out.
  SkillSet skills;
  int new_names = 0;
  for (const auto& [name, level] : config.skills) {
    if (std::optional<SkillId> id = skills_.Find(name)) {
      skills.Set(*id, static_cast<SkillLevel>(level));
    } else {
      ++new_names;
    }
  }
  if (skills_.size() + new_names > kMaxSkills) {
    return absl::ResourceExhaustedError(
        fmt::format("agent '{}': the engine already knows {} skills; at most {} are supported",
                    config.id, skills_.size(), kMaxSkills));
  }
  for (size_t i = 0; i < config.queues.size(); ++i) {
    const QueueMembership& membership = config.queues[i];
    absl::StatusOr<QueueIndex> q = FindQueue(membership.queue);
    if (!q.ok()) {
      return absl::Status(q.status().code(),
                          fmt::format("agent '{}': {}", config.id, detail::Message(q.status())));
    }
    for (size_t j = 0; j < i; ++j) {
      if (config.queues[j].queue == membership.queue) {
        return absl::InvalidArgumentError(
            fmt::format("agent '{}': queue '{}' is listed twice", config.id, membership.queue));
      }
    }
    SWITCHBOARD_RETURN_IF_ERROR(CheckNonNegative(
        fmt::format("agent '{}': delay for queue '{}'", config.id, membership.queue),
        membership.delay));
    // Skills the registry does not know yet appear in no requirement, so `skills` (which
    // lacks them) decides the match correctly.
    const Queue& queue = queues_[*q];
    const bool meets_a_step =
        std::any_of(queue.steps.begin(), queue.steps.end(), [&](const Queue::Step& step) {
          return queues_[step.queue].requirement.Matches(skills, config.attributes);
        });
    if (check_listed && !queue.requirement.Matches(skills, config.attributes) && !meets_a_step) {
      return absl::InvalidArgumentError(
          fmt::format("agent '{}' is listed for queue '{}' but does not meet its requirement "
                      "'{}'{}",
                      config.id, membership.queue, queue.requirement.text(),
                      queue.steps.empty() ? "" : " nor that of one of its steps"));
    }
  }

  return absl::OkStatus();
}

void Engine::Impl::SetAgentProfile(AgentIndex index, const AgentConfig& config) {
  Agent& agent = agents_[index];
  for (const auto& [skill, level] : agent.skills.entries()) {
    detail::EraseFirst(agents_by_skill_[skill], index);
  }
  agent.skills = SkillSet();
  for (const auto& [name, level] : config.skills) {
    const SkillId id = skills_.Intern(name);
    agent.skills.Set(id, static_cast<SkillLevel>(level));
    if (id >= agents_by_skill_.size()) agents_by_skill_.resize(id + 1);
    agents_by_skill_[id].push_back(index);
  }
  agent.profile.reset();
  if (!config.groups.empty() || !config.attributes.empty() || !config.queues.empty() ||
      !config.team.empty()) {
    agent.profile = std::make_unique<detail::AgentProfile>(
        detail::AgentProfile{config.groups, config.attributes, config.queues, config.team});
  }
  agent.capacity = config.capacity;
  agent.channels = 0;
  agent.channel_rank = {};
  agent.channel_count = 0;
  agent.load.used_cost = 0;
  for (int c = 0; c < kChannelCount; ++c) {
    if (config.capacity.model == CapacityConfig::Model::kCost) {
      agent.load.used_cost = static_cast<uint16_t>(agent.load.used_cost +
                                                     agent.load.count[c] * config.capacity.cost[c]);
    }
    if (config.capacity.limit[c] == 0) continue;
    agent.channels |= static_cast<uint16_t>(1u << c);
    agent.channel_rank[c] = agent.channel_count++;
  }
  agent.weight = config.weight;
  agent.auto_membership = config.auto_membership;
}

absl::Status Engine::Impl::Apply(const switchboard::AddAgent& command) {
  const AgentConfig& config = command.config;
  SWITCHBOARD_RETURN_IF_ERROR(CheckId("agent", config.id));
  if (agent_ids_.Contains(config.id)) {
    return absl::AlreadyExistsError(fmt::format("agent '{}' already exists", config.id));
  }
  SWITCHBOARD_RETURN_IF_ERROR(CheckAgentConfig(config));
  const AgentIndex index = static_cast<AgentIndex>(agents_.size());
  Agent& agent = agents_.emplace_back();
  agent_lists_at_.emplace_back();
  agent.id = config.id;
  SetAgentProfile(index, config);
  agent.served = ComputeServed(agent);
  agent.state_since = now_;
  agent_ids_.Insert(index);
  if (events_on()) {
    Event event = NewEvent(EventType::kAgentAdded);
    event.agent_id = config.id;
    Emit(std::move(event));
  }
  return absl::OkStatus();
}

}  // namespace switchboard
