// Entry rules (entry_rules.h): checking a workflow, and placing a contact that names no queue.
#include <algorithm>
#include <cassert>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "base/status_macros.h"
#include "core/engine_impl.h"
#include "core/validation.h"
#include "fmt/format.h"
#include "switchboard/limits.h"

namespace switchboard {

absl::Status Engine::Impl::Apply(const switchboard::SetEntryRules& command) {
  if (command.rules.size() > kMaxEntryRules) {
    return absl::InvalidArgumentError(fmt::format("{} entry rules; expected at most {}",
                                                  command.rules.size(), kMaxEntryRules));
  }
  std::vector<EntryRuleRecord> records;
  records.reserve(command.rules.size());
  // Own requirements are parsed on a copy of the skill registry first, so that a refused
  // command interns no skill name.
  SkillRegistry trial = skills_;
  for (size_t i = 0; i < command.rules.size(); ++i) {
    const EntryRule& rule = command.rules[i];
    const std::string where = fmt::format("rules[{}]", i);
    EntryRuleRecord& record = records.emplace_back();
    absl::StatusOr<ContactCondition> when = ContactCondition::Parse(rule.when);
    if (!when.ok()) {
      return absl::InvalidArgumentError(
          fmt::format("{}: {}", where, detail::Message(when.status())));
    }
    record.when = *std::move(when);
    if (rule.queue.empty() && rule.deflect.empty()) {
      return absl::InvalidArgumentError(
          fmt::format("{}: names neither a queue nor a deflection target", where));
    }
    if (!rule.queue.empty()) {
      absl::StatusOr<QueueIndex> queue = FindQueue(rule.queue);
      if (!queue.ok()) {
        return absl::Status(queue.status().code(),
                            fmt::format("{}: {}", where, detail::Message(queue.status())));
      }
      record.queue = *queue;
    }
    if (rule.priority && (*rule.priority < -kMaxPriority || *rule.priority > kMaxPriority)) {
      return absl::InvalidArgumentError(fmt::format("{}.priority is {}; expected {}..{}", where,
                                                    *rule.priority, -kMaxPriority, kMaxPriority));
    }
    if (rule.priority_class &&
        (*rule.priority_class < 0 || *rule.priority_class > kMaxPriorityClass)) {
      return absl::InvalidArgumentError(fmt::format("{}.priority_class is {}; expected 0..{}",
                                                    where, *rule.priority_class,
                                                    kMaxPriorityClass));
    }
    SWITCHBOARD_RETURN_IF_ERROR(CheckText(where + ".deflect", rule.deflect, kMaxTextBytes));
    if (!rule.deflect.empty() && (rule.priority || rule.priority_class)) {
      return absl::InvalidArgumentError(fmt::format(
          "{}: priority and priority_class do not apply to a deflection", where));
    }
    if (!absl::StripAsciiWhitespace(rule.requirement).empty()) {
      if (!rule.deflect.empty()) {
        return absl::InvalidArgumentError(
            fmt::format("{}: a requirement does not apply to a deflection", where));
      }
      SWITCHBOARD_RETURN_IF_ERROR(CheckText(where + ".requirement", rule.requirement,
                                            kMaxTextBytes));
      absl::StatusOr<Requirement> own = Requirement::Parse(rule.requirement, trial);
      if (!own.ok()) {
        return absl::InvalidArgumentError(
            fmt::format("{}.requirement: {}", where, detail::Message(own.status())));
      }
      // Combined with the queue's (and its steps'), it may pass the limits of one expression.
      for (const std::string& text : ChainRequirements(record.queue, rule.requirement)) {
        absl::StatusOr<Requirement> combined = Requirement::Parse(text, trial);
        if (!combined.ok()) {
          return absl::InvalidArgumentError(
              fmt::format("{}.requirement: with the queue's: {}", where,
                          detail::Message(combined.status())));
        }
      }
    }
    record.priority = rule.priority;
    record.priority_class = rule.priority_class;
    record.deflect = rule.deflect;
    const bool is_default = absl::StripAsciiWhitespace(rule.when).empty();
    record.description = fmt::format("{}: {}", where, is_default ? "default" : rule.when);
  }
  // Accepted: each own requirement's variant chain, found or made.
  for (size_t i = 0; i < records.size(); ++i) {
    EntryRuleRecord& record = records[i];
    record.entry = record.queue;
    const std::string own(absl::StripAsciiWhitespace(command.rules[i].requirement));
    if (own.empty()) continue;
    std::vector<Requirement> parsed;
    for (const std::string& text : ChainRequirements(record.queue, own)) {
      absl::StatusOr<Requirement> requirement = Requirement::Parse(text, skills_);
      assert(requirement.ok());  // as on the trial registry above
      parsed.push_back(*std::move(requirement));
    }
    record.entry = VariantChain(record.queue, own, std::move(parsed));
  }
  entry_rules_ = std::move(records);
  return absl::OkStatus();
}

std::vector<std::string> Engine::Impl::ChainRequirements(QueueIndex home,
                                                         std::string_view own) const {
  const absl::string_view stripped =
      absl::StripAsciiWhitespace(absl::string_view(own.data(), own.size()));
  const std::string trimmed(stripped.data(), stripped.size());
  std::vector<std::string> texts;
  // The queue's chain: its record, then its steps (the records right after it).
  for (QueueIndex q = home; q < queues_.size() && queues_[q].chain == home; ++q) {
    const std::string& base = queues_[q].requirement.text();
    texts.push_back(base.empty() ? trimmed : fmt::format("({}) && ({})", base, trimmed));
  }
  return texts;
}

QueueIndex Engine::Impl::VariantChain(QueueIndex home_index, const std::string& own,
                                      std::vector<Requirement> parsed) {
  for (QueueIndex member : queues_[home_index].members) {
    if (queues_[member].step == 0 && queues_[member].own_requirement == own) return member;
  }
  // The chain's records copy the queue's, with the combined requirements; they hold no rules
  // and no statistics of their own (the home record's count).
  const QueueIndex first = static_cast<QueueIndex>(queues_.size());
  for (size_t i = 0; i < parsed.size(); ++i) {
    const QueueIndex index = first + static_cast<QueueIndex>(i);
    QueueConfig config = queues_[home_index + i].config;  // before emplace_back moves records
    config.requirement = parsed[i].text();
    config.steps.clear();
    config.overflow.clear();
    const Micros threshold = queues_[home_index + i].service_level_threshold;
    Queue& queue = queues_.emplace_back();
    queue.config = std::move(config);
    queue.requirement = std::move(parsed[i]);
    queue.service_level_threshold = threshold;
    queue.home = home_index;
    queue.chain = first;
    queue.step = static_cast<uint8_t>(i);
    if (i == 0) {
      queue.own_requirement = own;
    } else {
      queues_[first].steps.push_back(
          {.after = queues_[home_index].steps[i - 1].after, .queue = index});
    }
    queues_[home_index].members.push_back(index);
    if (queue.config.strategy == Strategy::kLeastOccupied) ++least_occupied_queues_;
  }
  // The agents that meet a new record's requirement and serve the queue (automatic membership,
  // or explicit membership of the queue) now serve it too.
  const QueueIndex end = static_cast<QueueIndex>(queues_.size());
  for (AgentIndex a = 0; a < agents_.size(); ++a) {
    Agent& agent = agents_[a];
    if (!agent.auto_membership &&
        std::none_of(agent.Profile().explicit_queues.begin(),
                     agent.Profile().explicit_queues.end(),
                     [&](const QueueMembership& membership) {
                       return membership.queue == queues_[home_index].config.id;
                     })) {
      continue;
    }
    for (QueueIndex q = first; q < end; ++q) {
      if (!queues_[q].requirement.Matches(agent.skills, agent.Profile().attributes)) continue;
      RecomputeServed(a);
      break;
    }
  }
  return first;
}

const EntryRuleRecord* Engine::Impl::MatchEntryRule(const Attributes& attributes) const {
  for (const EntryRuleRecord& rule : entry_rules_) {
    if (rule.when.Matches(attributes)) return &rule;
  }
  return nullptr;
}

}  // namespace switchboard
