// Entry rules (entry_rules.h): checking a workflow, and placing a contact that names no queue.
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
    record.priority = rule.priority;
    record.priority_class = rule.priority_class;
    record.deflect = rule.deflect;
    const bool is_default = absl::StripAsciiWhitespace(rule.when).empty();
    record.description = fmt::format("{}: {}", where, is_default ? "default" : rule.when);
  }
  entry_rules_ = std::move(records);
  return absl::OkStatus();
}

const EntryRuleRecord* Engine::Impl::MatchEntryRule(const Attributes& attributes) const {
  for (const EntryRuleRecord& rule : entry_rules_) {
    if (rule.when.Matches(attributes)) return &rule;
  }
  return nullptr;
}

}  // namespace switchboard
