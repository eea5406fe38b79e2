// The entry rules of set_entry_rules (include/switchboard/entry_rules.h), from the Python values
// a host passes. Raises InvalidArgumentError naming the element and key at fault
// ("rules[1].priority: expected an int, got str"); what only the engine can check (the
// condition's syntax, that a rule names a queue or a deflection, that the queue exists, the
// ranges of priority and priority_class, the number of rules) it checks in SetEntryRules, with
// its messages.
#ifndef SWITCHBOARD_BINDINGS_ENTRY_RULES_H_
#define SWITCHBOARD_BINDINGS_ENTRY_RULES_H_

#include <vector>

#include <pybind11/pybind11.h>

#include "switchboard/entry_rules.h"

namespace switchboard::python {

// rules: a list (any iterable but str, bytes and dict) of dicts with the keys "when" (str,
// default "": every contact), "queue" (str), "priority" (int), "priority_class" (int) and
// "deflect" (str); a key left out is the EntryRule field's default. A key given as None, or a
// priority or priority_class in a rule that deflects (the engine would ignore it), is refused.
std::vector<EntryRule> ParseEntryRules(const pybind11::handle& rules);

}  // namespace switchboard::python

#endif  // SWITCHBOARD_BINDINGS_ENTRY_RULES_H_
