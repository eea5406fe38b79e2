#include "center_generator.h"

#include <algorithm>
#include <random>
#include <set>

#include "fmt/format.h"

namespace switchboard::bench {

std::string SkillName(int skill) { return fmt::format("s{}", skill); }

Center GenerateCenter(const CenterShape& shape) {
  std::mt19937_64 rng(shape.seed);
  auto uniform = [&rng](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  Center center;
  for (int q = 0; q < shape.queues; ++q) {
    std::set<int> required;
    const int count = uniform(1, 3);
    while (static_cast<int>(required.size()) < count) required.insert(uniform(0, shape.skills - 1));
    std::vector<std::string> names;
    std::string requirement;
    for (int skill : required) {
      names.push_back(SkillName(skill));
      requirement += (requirement.empty() ? "" : " && ") + SkillName(skill);
    }
    QueueConfig queue;
    queue.id = fmt::format("q{}", q);
    queue.requirement = requirement;
    queue.strategy = shape.strategy;
    center.queues.push_back(queue);
    center.queue_skills.push_back(std::move(names));
  }
  for (int a = 0; a < shape.agents; ++a) {
    AgentConfig agent;
    agent.id = fmt::format("a{}", a);
    // The skills of one queue, so that every agent serves something, then random ones up to
    // 3-8 in all.
    for (const std::string& skill : center.queue_skills[uniform(0, shape.queues - 1)]) {
      agent.skills[skill] = uniform(1, 100);
    }
    const int total = std::max<int>(uniform(3, 8), static_cast<int>(agent.skills.size()));
    while (static_cast<int>(agent.skills.size()) < std::min(total, shape.skills)) {
      agent.skills[SkillName(uniform(0, shape.skills - 1))] = uniform(1, 100);
    }
    if (shape.chats > 0) agent.capacity.Allow(Channel::kChat, shape.chats);
    center.agents.push_back(std::move(agent));
  }
  // After the random draws, so that the centers are the same with and without.
  if (shape.policies & kRequirementSteps) {
    for (size_t q = 0; q < center.queues.size(); ++q) {
      std::string experts;
      for (const std::string& skill : center.queue_skills[q]) {
        experts += (experts.empty() ? "" : " && ") + skill + " >= 50";
      }
      center.queues[q].steps.push_back({.after = absl::Hours(1), .requirement = experts});
    }
  }
  if (shape.policies & kEntryRules) {
    for (size_t q = 0; q < center.queues.size(); ++q) {
      center.entry_rules.push_back({.when = "vip",
                                    .queue = center.queues[q].id,
                                    .requirement = center.queue_skills[q].front() + " >= 90"});
    }
  }
  if (shape.policies & kOpeningHours) {
    OpeningHours hours;
    for (auto& day : hours.weekly) day = {{.start_minute = 0, .end_minute = 24 * 60}};
    for (QueueConfig& queue : center.queues) {
      queue.hours = hours;
      queue.overflow.push_back(
          {.trigger = OverflowRule::Trigger::kClosed, .action = OverflowRule::Action::kVoicemail});
    }
  }
  if (shape.policies & kOverflow) {
    using Trigger = OverflowRule::Trigger;
    using Action = OverflowRule::Action;
    // Each queue transfers to the one added before it (the first to none): targets must exist.
    for (size_t q = 0; q < center.queues.size(); ++q) {
      std::vector<OverflowRule>& rules = center.queues[q].overflow;
      rules.push_back({.trigger = Trigger::kWait,
                       .wait = absl::Hours(1),
                       .action = Action::kCallback,
                       .ask = true});
      rules.push_back({.trigger = Trigger::kQueueLength,
                       .queue_length = 1'000'000,
                       .action = Action::kVoicemail});
      if (q > 0) {
        rules.push_back({.trigger = Trigger::kEstimatedWait,
                         .wait = absl::Hours(1000),
                         .action = Action::kTransfer,
                         .target = center.queues[q - 1].id});
      }
      rules.push_back({.trigger = Trigger::kNoAgents, .action = Action::kVoicemail});
    }
  }
  return center;
}

}  // namespace switchboard::bench
