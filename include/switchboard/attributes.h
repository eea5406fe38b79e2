// Attributes the host sets on agents and contacts: IVR choice, customer tier, language, CRM data.
#ifndef SWITCHBOARD_ATTRIBUTES_H_
#define SWITCHBOARD_ATTRIBUTES_H_

#include <functional>
#include <map>
#include <string>
#include <variant>

namespace switchboard {

// A string or a number. Numbers are doubles so that "42" and "42.5" compare as a person expects.
using AttributeValue = std::variant<std::string, double>;

// Ordered so that iteration (and everything printed from it) is the same on every run.
using Attributes = std::map<std::string, AttributeValue, std::less<>>;

}  // namespace switchboard

#endif  // SWITCHBOARD_ATTRIBUTES_H_
