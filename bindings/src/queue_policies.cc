#include "queue_policies.h"

#include <array>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "status.h"
#include "values.h"

namespace py = pybind11;

namespace switchboard::python {
namespace {

absl::Status Invalid(std::string message) {
  return absl::InvalidArgumentError(std::move(message));
}

// The last enumerators, for the lists of names in messages (queue.h has no count of either).
constexpr OverflowRule::Trigger kLastTrigger = OverflowRule::Trigger::kClosed;
constexpr OverflowRule::Action kLastAction = OverflowRule::Action::kCopy;

constexpr std::array<Named<CallbackPolicy::Mode>, 2> kCallbackModes{{
    {"keep_place", CallbackPolicy::Mode::kKeepPlace},
    {"scheduled", CallbackPolicy::Mode::kScheduled},
}};
constexpr std::array<Named<CallbackResult>, 3> kCallbackResults{{
    {"connected", CallbackResult::kConnected},
    {"no_answer", CallbackResult::kNoAnswer},
    {"busy", CallbackResult::kBusy},
}};

CallbackPolicy ParseCallbackPolicy(py::handle value, const std::string& where) {
  if (!py::isinstance<py::dict>(value)) {
    RaiseInvalid(where + ": expected a dict with \"mode\", \"after\", \"priority\", "
                 "\"retries\" and \"retry_after\", got " + TypeName(value));
  }
  const py::dict dict = py::reinterpret_borrow<py::dict>(value);
  CheckKeys(dict, where, {"mode", "after", "priority", "retries", "retry_after"});
  CallbackPolicy policy;
  if (dict.contains("mode")) {
    policy.mode = NameAt(dict["mode"], where + ".mode", "callback mode", kCallbackModes);
  }
  const bool scheduled = policy.mode == CallbackPolicy::Mode::kScheduled;
  for (const char* key : {"after", "priority"}) {
    if (dict.contains(key) && !scheduled) {
      RaiseInvalid(where + "." + key + ": only for mode \"scheduled\"");
    }
  }
  if (dict.contains("after")) policy.after = SecondsAt(dict["after"], where + ".after");
  if (dict.contains("priority")) policy.priority = IntAt(dict["priority"], where + ".priority");
  if (dict.contains("retries")) policy.retries = IntAt(dict["retries"], where + ".retries");
  if (dict.contains("retry_after")) {
    policy.retry_after = SecondsAt(dict["retry_after"], where + ".retry_after");
  }
  return policy;
}

// ---- Opening hours.

// OpeningHours::weekly's order, for messages (ParseDays reads the same names).
constexpr std::array<std::string_view, 7> kDayNames = {"mon", "tue", "wed", "thu",
                                                       "fri", "sat", "sun"};

std::string MessageOf(const absl::Status& status) { return std::string(status.message()); }

// The ranges of one day or date: "HH:MM-HH:MM" or a list of them (empty: closed).
std::vector<OpeningRange> RangesAt(py::handle value, const std::string& where) {
  std::vector<OpeningRange> ranges;
  const auto range_at = [&](py::handle item, const std::string& at) {
    if (!py::isinstance<py::str>(item)) {
      RaiseInvalid(at + ": expected a range \"HH:MM-HH:MM\", got " + TypeName(item));
    }
    absl::StatusOr<OpeningRange> range = ParseOpeningRange(TextAt(item, at));
    if (!range.ok()) RaiseInvalid(at + ": " + MessageOf(range.status()));
    ranges.push_back(*range);
  };
  if (py::isinstance<py::str>(value)) {
    range_at(value, where);
    return ranges;
  }
  if (py::isinstance<py::bytes>(value) || py::isinstance<py::dict>(value) ||
      !py::isinstance<py::iterable>(value)) {
    RaiseInvalid(where + ": expected a range \"HH:MM-HH:MM\" or a list of them, got " +
                 TypeName(value));
  }
  for (const py::handle item : py::iter(value)) {
    range_at(item, where + "[" + std::to_string(ranges.size()) + "]");
  }
  return ranges;
}

// A date: "YYYY-MM-DD" or a datetime.date (not a datetime.datetime, whose time would be
// dropped).
absl::CivilDay DateAt(py::handle value, const std::string& where) {
  if (py::isinstance<py::str>(value)) {
    absl::StatusOr<absl::CivilDay> day = ParseDate(TextAt(value, where));
    if (!day.ok()) RaiseInvalid(where + ": " + MessageOf(day.status()));
    return *day;
  }
  const py::module_ datetime = py::module_::import("datetime");
  if (py::isinstance(value, datetime.attr("date")) &&
      !py::isinstance(value, datetime.attr("datetime"))) {
    return absl::CivilDay(value.attr("year").cast<int>(), value.attr("month").cast<int>(),
                          value.attr("day").cast<int>());
  }
  RaiseInvalid(where + ": expected a date \"YYYY-MM-DD\" or a datetime.date, got " +
               TypeName(value));
}

}  // namespace

WrapUpPolicy ParseWrapUp(const py::object& value) {
  WrapUpPolicy policy;
  if (value.is_none()) return policy;
  auto parse_mode = [](const std::string& mode) {
    if (mode == "none") return WrapUpPolicy::Mode::kNone;
    if (mode == "timed") return WrapUpPolicy::Mode::kTimed;
    if (mode == "until_agent_ends") return WrapUpPolicy::Mode::kUntilAgentEnds;
    if (mode == "timed_with_extension") return WrapUpPolicy::Mode::kTimedWithExtension;
    ThrowIfError(Invalid("wrap_up: unknown mode '" + mode +
                         "'; expected none, timed, until_agent_ends or timed_with_extension"));
    return WrapUpPolicy::Mode::kNone;
  };
  if (py::isinstance<py::str>(value)) {
    policy.mode = parse_mode(value.cast<std::string>());
    return policy;
  }
  if (py::isinstance<py::dict>(value)) {
    const py::dict dict = value.cast<py::dict>();
    CheckKeys(dict, "wrap_up", {"mode", "duration", "max_extension"});
    policy.mode = dict.contains("mode") ? parse_mode(dict["mode"].cast<std::string>())
                  : dict.contains("max_extension") ? WrapUpPolicy::Mode::kTimedWithExtension
                                                   : WrapUpPolicy::Mode::kTimed;
    if (dict.contains("duration")) {
      policy.duration = SecondsAt(dict["duration"], "wrap_up duration");
    }
    if (dict.contains("max_extension")) {
      policy.max_extension = SecondsAt(dict["max_extension"], "wrap_up max_extension");
    }
    return policy;
  }
  policy.mode = WrapUpPolicy::Mode::kTimed;
  policy.duration = SecondsAt(value, "wrap_up");
  return policy;
}

std::vector<RequirementStep> ParseSteps(const py::object& value) {
  std::vector<RequirementStep> steps;
  if (value.is_none()) return steps;
  if (py::isinstance<py::str>(value) || py::isinstance<py::dict>(value)) {
    ThrowIfError(Invalid("steps: expected a list of {\"after\": s, \"requirement\": str}"));
  }
  for (const py::handle item : py::iter(value)) {
    const std::string where = "steps[" + std::to_string(steps.size()) + "]";
    if (!py::isinstance<py::dict>(item)) {
      ThrowIfError(Invalid(where + ": expected a dict with \"after\" and \"requirement\""));
    }
    const py::dict dict = item.cast<py::dict>();
    CheckKeys(dict, where, {"after", "requirement"});
    if (!dict.contains("after")) ThrowIfError(Invalid(where + ": \"after\" is required"));
    RequirementStep& step = steps.emplace_back();
    step.after = SecondsAt(dict["after"], where + ".after");
    if (dict.contains("requirement")) {
      step.requirement = TextAt(dict["requirement"], where + ".requirement");
    }
  }
  return steps;
}

std::vector<OverflowRule> ParseOverflow(const py::object& value) {
  using Trigger = OverflowRule::Trigger;
  using Action = OverflowRule::Action;
  std::vector<OverflowRule> rules;
  if (value.is_none()) return rules;
  for (const py::handle item : ListAt(value, "overflow", "rules (dicts)")) {
    const std::string where = "overflow[" + std::to_string(rules.size()) + "]";
    if (!py::isinstance<py::dict>(item)) {
      RaiseInvalid(where + ": expected a dict with \"when\" and \"action\", got " +
                   TypeName(item));
    }
    const py::dict dict = py::reinterpret_borrow<py::dict>(item);
    CheckKeys(dict, where, {"when", "wait", "queue_length", "action", "target", "look_ahead",
                            "ask", "reason", "callback"});
    for (const char* key : {"when", "action"}) {
      if (!dict.contains(key)) RaiseInvalid(where + ": \"" + key + "\" is required");
    }
    OverflowRule& rule = rules.emplace_back();
    rule.trigger = EnumAt(dict["when"], where + ".when", "trigger", ParseOverflowTrigger,
                          OverflowTriggerName, kLastTrigger);
    rule.action = EnumAt(dict["action"], where + ".action", "action", ParseOverflowAction,
                         OverflowActionName, kLastAction);
    if (dict.contains("wait")) {
      if (rule.trigger != Trigger::kWait && rule.trigger != Trigger::kEstimatedWait) {
        RaiseInvalid(where + ".wait: only for when \"wait\" or \"estimated_wait\"");
      }
      rule.wait = SecondsAt(dict["wait"], where + ".wait");
    }
    if (dict.contains("queue_length")) {
      if (rule.trigger != Trigger::kQueueLength) {
        RaiseInvalid(where + ".queue_length: only for when \"queue_length\"");
      }
      rule.queue_length = IntAt(dict["queue_length"], where + ".queue_length",
                                std::numeric_limits<int64_t>::min(),
                                std::numeric_limits<int64_t>::max());
    }
    if (dict.contains("target")) rule.target = TextAt(dict["target"], where + ".target");
    if (dict.contains("look_ahead")) {
      rule.look_ahead = BoolAt(dict["look_ahead"], where + ".look_ahead");
    }
    if (dict.contains("ask")) rule.ask = BoolAt(dict["ask"], where + ".ask");
    if (dict.contains("reason")) {
      if (rule.action != Action::kDisconnect && rule.action != Action::kVoicemail) {
        RaiseInvalid(where + ".reason: only for action \"disconnect\" or \"voicemail\"");
      }
      rule.reason = TextAt(dict["reason"], where + ".reason");
    }
    if (dict.contains("callback")) {
      if (rule.action != Action::kCallback) {
        RaiseInvalid(where + ".callback: only for action \"callback\"");
      }
      rule.callback = ParseCallbackPolicy(dict["callback"], where + ".callback");
    }
  }
  return rules;
}

std::optional<OpeningHours> ParseOpeningHours(const py::object& hours, const py::object& zone,
                                              const py::object& closed_on,
                                              const py::object& hours_on) {
  if (hours.is_none()) {
    const std::pair<const char*, const py::object*> need_hours[] = {
        {"zone", &zone}, {"closed_on", &closed_on}, {"hours_on", &hours_on}};
    for (const auto& [name, value] : need_hours) {
      if (!value->is_none()) {
        RaiseInvalid(std::string(name) + ": only with hours (a queue without hours is always "
                     "open)");
      }
    }
    return std::nullopt;
  }
  if (!py::isinstance<py::dict>(hours)) {
    RaiseInvalid("hours: expected a dict of days -> ranges, e.g. {\"mon-fri\": [\"09:00-12:00\", "
                 "\"13:00-18:00\"], \"sat\": \"10:00-13:00\"}, got " + TypeName(hours));
  }
  OpeningHours parsed;
  if (!zone.is_none()) parsed.zone = TextAt(zone, "zone");

  std::array<std::string, 7> given_by;  // the key that gave each weekday its hours
  for (const auto& item : py::reinterpret_borrow<py::dict>(hours)) {
    // Owned: the key's repr() runs Python code, which may take the key out of the dict.
    const py::object key = py::reinterpret_borrow<py::object>(item.first);
    const py::object value = py::reinterpret_borrow<py::object>(item.second);
    const std::string where = "hours[" + ReprOf(key) + "]";
    if (!py::isinstance<py::str>(key)) {
      RaiseInvalid(where + ": expected a str key, a day (mon..sun) or a range of days such as "
                   "'mon-fri', got " + TypeName(key));
    }
    const absl::StatusOr<std::vector<int>> days = ParseDays(TextAt(key, where));
    if (!days.ok()) RaiseInvalid(where + ": " + MessageOf(days.status()));
    const std::vector<OpeningRange> ranges = RangesAt(value, where);
    for (const int day : *days) {
      if (!given_by[day].empty()) {
        RaiseInvalid(where + ": " + std::string(kDayNames[day]) + " is also in " +
                     given_by[day] + "; give each day once");
      }
      given_by[day] = where;
      parsed.weekly[day] = ranges;
    }
  }

  std::map<absl::CivilDay, std::string> dated;  // each date, and where it was given
  const auto add_date = [&](absl::CivilDay day, const std::string& where) {
    const auto [it, added] = dated.emplace(day, where);
    if (!added) {
      RaiseInvalid(where + ": date " + absl::FormatCivilTime(day) + " is also in " + it->second);
    }
  };
  if (!closed_on.is_none()) {
    for (const py::handle item : ListAt(closed_on, "closed_on", "dates")) {
      const std::string where = "closed_on[" + std::to_string(parsed.closed_on.size()) + "]";
      add_date(parsed.closed_on.emplace_back(DateAt(item, where)), where);
    }
  }
  if (!hours_on.is_none()) {
    if (!py::isinstance<py::dict>(hours_on)) {
      RaiseInvalid("hours_on: expected a dict of dates -> ranges, e.g. {\"2026-12-24\": "
                   "[\"09:00-12:00\"]}, got " + TypeName(hours_on));
    }
    for (const auto& item : py::reinterpret_borrow<py::dict>(hours_on)) {
      const py::object key = py::reinterpret_borrow<py::object>(item.first);  // as above
      const py::object value = py::reinterpret_borrow<py::object>(item.second);
      const std::string where = "hours_on[" + ReprOf(key) + "]";
      DatedHours& entry = parsed.overrides.emplace_back();
      entry.day = DateAt(key, where);
      add_date(entry.day, where);
      entry.ranges = RangesAt(value, where);
    }
  }
  return parsed;
}

std::optional<ReservePolicy> ParseReserve(const py::object& value) {
  if (value.is_none()) return std::nullopt;
  if (!py::isinstance<py::dict>(value)) {
    RaiseInvalid("reserve: expected a dict such as {\"activate_wait\": 60, \"deactivate_wait\": "
                 "10}, got " + TypeName(value));
  }
  const py::dict dict = py::reinterpret_borrow<py::dict>(value);
  CheckKeys(dict, "reserve", {"activate_below", "deactivate_at", "activate_wait",
                              "deactivate_wait", "window", "check_every"});
  ReservePolicy policy;
  if (dict.contains("activate_below")) {
    policy.activate_below = RealAt(dict["activate_below"], "reserve.activate_below");
  }
  if (dict.contains("deactivate_at")) {
    policy.deactivate_at = RealAt(dict["deactivate_at"], "reserve.deactivate_at");
  }
  if (dict.contains("activate_wait")) {
    policy.activate_wait = SecondsAt(dict["activate_wait"], "reserve.activate_wait");
  }
  if (dict.contains("deactivate_wait")) {
    policy.deactivate_wait = SecondsAt(dict["deactivate_wait"], "reserve.deactivate_wait");
  }
  if (dict.contains("window")) policy.window = SecondsAt(dict["window"], "reserve.window");
  if (dict.contains("check_every")) {
    policy.check_every = SecondsAt(dict["check_every"], "reserve.check_every");
  }
  return policy;
}

CallbackResult ParseCallbackResult(std::string_view name) {
  return ParseName(name, "", "callback result", kCallbackResults);
}

}  // namespace switchboard::python
