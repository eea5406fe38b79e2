#include "entry_rules.h"

#include <string>

#include "values.h"

namespace py = pybind11;

namespace switchboard::python {

std::vector<EntryRule> ParseEntryRules(const py::handle& rules) {
  std::vector<EntryRule> out;
  for (const py::handle item : ListAt(rules, "rules", "rules (dicts)")) {
    const std::string where = "rules[" + std::to_string(out.size()) + "]";
    if (!py::isinstance<py::dict>(item)) {
      RaiseInvalid(where + ": expected a dict with \"when\", \"queue\", \"priority\", "
                   "\"priority_class\", \"requirement\" and \"deflect\", got " + TypeName(item));
    }
    const py::dict dict = py::reinterpret_borrow<py::dict>(item);
    CheckKeys(dict, where, {"when", "queue", "priority", "priority_class", "requirement", "deflect"});
    EntryRule& rule = out.emplace_back();
    if (dict.contains("when")) rule.when = TextAt(dict["when"], where + ".when");
    if (dict.contains("queue")) rule.queue = TextAt(dict["queue"], where + ".queue");
    if (dict.contains("deflect")) rule.deflect = TextAt(dict["deflect"], where + ".deflect");
    if (dict.contains("requirement")) {
      rule.requirement = TextAt(dict["requirement"], where + ".requirement");
    }
    for (const char* key : {"priority", "priority_class"}) {
      if (dict.contains(key) && !rule.deflect.empty()) {
        RaiseInvalid(where + "." + key + ": only for a rule that places the contact in a "
                     "queue (this one deflects it)");
      }
    }
    if (dict.contains("priority")) rule.priority = IntAt(dict["priority"], where + ".priority");
    if (dict.contains("priority_class")) {
      rule.priority_class = IntAt(dict["priority_class"], where + ".priority_class");
    }
  }
  return out;
}

}  // namespace switchboard::python
