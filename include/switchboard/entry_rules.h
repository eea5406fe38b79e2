// Entry rules (a workflow): where a contact that names no queue goes, decided from its
// attributes (IVR choices, language, customer tier, CRM data).
//
// Example:
//   engine.Execute({now, Actor::Host(), SetEntryRules{{
//       {.when = R"(language == "ja" && tier in ["gold", "platinum"])", .queue = "japanese",
//        .priority = 2},
//       {.when = R"(ivr == "balance")", .deflect = "web"},
//       {.when = R"(tier == "platinum")", .queue = "general", .requirement = "team == \"vip\""},
//       {.queue = "general"},  // the default: no condition
//   }}});
//   engine.AddContact(now, {.id = "c1", .attributes = {{"language", "ja"}, {"tier", "gold"}}});
#ifndef SWITCHBOARD_ENTRY_RULES_H_
#define SWITCHBOARD_ENTRY_RULES_H_

#include <optional>
#include <string>

namespace switchboard {

// One rule. The first rule whose condition the contact's attributes meet places it.
struct EntryRule {
  // A condition on the contact's attributes (contact_condition.h); empty: every contact (a
  // default rule, usually the last).
  std::string when;
  // The queue the contact enters (an existing queue's id); empty only with `deflect`.
  std::string queue;
  // When set, the contact's priority (-kMaxPriority..kMaxPriority) and priority class
  // (0..kMaxPriorityClass) instead of those it came with; not with `deflect`.
  std::optional<int> priority;
  std::optional<int> priority_class;
  // When non-empty, a requirement of the contact's own (requirement language, e.g.
  // `team == "vip_desk"` or `japanese >= 3`): in `queue`, and in each of its steps, only agents
  // that meet it as well as the queue's (or step's) requirement may take the contact. A
  // transfer by an overflow rule leaves it behind. Not with `deflect`.
  std::string requirement;
  // When non-empty, the contact does not enter a queue: it is deflected at once to this target
  // (self-service, the web; text within kMaxTextBytes), with outcome deflected, counted as
  // offered and deflected in `queue` when one is named (in no queue otherwise).
  std::string deflect;
};

}  // namespace switchboard

#endif  // SWITCHBOARD_ENTRY_RULES_H_
