// The policies of add_queue, from the Python values a host passes (docs/policies.md): wrap-up,
// requirement steps, overflow rules, opening hours and the reserve policy; and the callback
// result of report_callback. Each raises InvalidArgumentError naming the argument and key at
// fault ("overflow[1].wait: ...", "hours['mon-fry']: ..."); what only the engine can check
// (ranges of values, the order of opening ranges, the time zone) it checks in AddQueue, with its
// messages.
#ifndef SWITCHBOARD_BINDINGS_QUEUE_POLICIES_H_
#define SWITCHBOARD_BINDINGS_QUEUE_POLICIES_H_

#include <optional>
#include <string_view>
#include <vector>

#include <pybind11/pybind11.h>

#include "switchboard/commands.h"
#include "switchboard/opening_hours.h"
#include "switchboard/queue.h"

namespace switchboard::python {

// wrap_up: None (no wrap-up), seconds (timed), a mode name, or
// {"mode": ..., "duration": s, "max_extension": s}.
WrapUpPolicy ParseWrapUp(const pybind11::object& value);

// steps: None or a list of {"after": s, "requirement": expression}.
std::vector<RequirementStep> ParseSteps(const pybind11::object& value);

// overflow: None or a list of {"when": trigger, "action": action, ...} (QueueConfig::overflow).
// Besides types and names, a key that does not apply to the rule's trigger, action or callback
// mode is refused here: the engine would ignore it (target, ask and look_ahead it checks
// itself).
std::vector<OverflowRule> ParseOverflow(const pybind11::object& value);

// Opening hours from add_queue's hours, zone, closed_on and hours_on (nullopt: hours is None,
// always open; zone, closed_on and hours_on are then refused):
//   hours: {days: ranges}, days "mon".."sun" or a range such as "mon-fri" (ParseDays), ranges
//       "HH:MM-HH:MM" or a list of them (ParseOpeningRange); a day given by two keys is refused
//       naming both. {} is closed every day but the dates of hours_on.
//   zone: an IANA name (str); None: "UTC".
//   closed_on: a list of dates: "YYYY-MM-DD" (ParseDate) or datetime.date.
//   hours_on: {date: ranges}, an empty list closing the date.
// A date given twice (in closed_on, or in closed_on and hours_on) is refused naming both.
std::optional<OpeningHours> ParseOpeningHours(const pybind11::object& hours,
                                              const pybind11::object& zone,
                                              const pybind11::object& closed_on,
                                              const pybind11::object& hours_on);

// reserve: None (no reserve policy: the queue's reserve members never take its contacts) or
// {"activate_below": share, "deactivate_at": share, "activate_wait": s, "deactivate_wait": s,
//  "window": s, "check_every": s} (QueueConfig::reserve); a key not given keeps ReservePolicy's
// default. The engine checks the ranges, naming the field ("reserve.deactivate_at is 0.7; ...").
std::optional<ReservePolicy> ParseReserve(const pybind11::object& value);

// "connected", "no_answer" or "busy".
CallbackResult ParseCallbackResult(std::string_view name);

}  // namespace switchboard::python

#endif  // SWITCHBOARD_BINDINGS_QUEUE_POLICIES_H_
