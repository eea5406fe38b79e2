// The contact policies' tables and keys (scenario_tables.h): a [[queue]]'s [[queue.overflow]],
// `hours`, `closed_on` and [queue.reserve]; [[route]]; a [[traffic]]'s `attributes` and `redial`.
#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "base/status_macros.h"
#include "fmt/format.h"
#include "scenario/scenario_internal.h"  // toml++, with its assertions off
#include "scenario/scenario_tables.h"
#include "scenario/toml_reader.h"
#include "switchboard/contact_condition.h"
#include "switchboard/entry_rules.h"
#include "switchboard/limits.h"
#include "switchboard/opening_hours.h"
#include "switchboard/queue.h"
#include "switchboard/requirements.h"
#include "switchboard/sim.h"

namespace switchboard::detail::scenario {
namespace {

using Trigger = OverflowRule::Trigger;
using Action = OverflowRule::Action;

constexpr std::string_view kWhenExample =
    R"({ wait = "120s" }, { queue_length = 10 }, { ewt = "5m" }, { no_agents = true } or )"
    R"({ closed = true })";

absl::Status ParseTrigger(const Where& where, std::string_view key, const toml::node& value,
                          const std::string& key_path, OverflowRule& out);

// `when = { ... }`: exactly one trigger.
absl::Status ParseWhen(const Where& where, const toml::table& rule, const std::string& path,
                       OverflowRule& out) {
  const std::string when_path = Join(path, "when");
  const toml::node* node = rule.get("when");
  if (node == nullptr) return where.Missing(when_path, kWhenExample);
  const toml::table* when = node->as_table();
  if (when == nullptr) return where.WrongType(when_path, kWhenExample, *node);
  SWITCHBOARD_RETURN_IF_ERROR(
      CheckKeys(where, *when, when_path, {"wait", "queue_length", "ewt", "no_agents", "closed"}));
  if (when->size() != 1) {
    return where.KeyError(when_path, fmt::format("expected exactly one trigger, like {}",
                                                 kWhenExample));
  }
  for (auto&& [key, value] : *when) {
    SWITCHBOARD_RETURN_IF_ERROR(ParseTrigger(where, key.str(), value, Join(when_path, key.str()), out));
  }
  return absl::OkStatus();
}

absl::Status ParseTrigger(const Where& where, std::string_view key, const toml::node& value,
                          const std::string& key_path, OverflowRule& out) {
  if (key == "wait" || key == "ewt") {
    const bool wait = key == "wait";
    absl::StatusOr<absl::Duration> duration =
        ReadDuration(where, value, key_path, wait ? Bound::kPositive : Bound::kNonNegative);
    if (!duration.ok()) return duration.status();
    out.trigger = wait ? Trigger::kWait : Trigger::kEstimatedWait;
    out.wait = *duration;
  } else if (key == "queue_length") {
    absl::StatusOr<int64_t> length = ReadInteger(where, value, key_path, 0, kMaxInt);
    if (!length.ok()) return length.status();
    out.trigger = Trigger::kQueueLength;
    out.queue_length = *length;
  } else {
    const toml::value<bool>* flag = value.as_boolean();
    if (flag == nullptr || !flag->get()) return where.WrongType(key_path, "true", value);
    out.trigger = key == "closed" ? Trigger::kClosed : Trigger::kNoAgents;
  }
  return absl::OkStatus();
}

// `callback = { mode, after, priority, retries, retry_after, answer }`.
absl::Status ParseCallback(const Where& where, const toml::table& rule, const std::string& path,
                           OverflowRule& out, CustomerResponse& response) {
  const std::string callback_path = Join(path, "callback");
  absl::StatusOr<const toml::table*> table = ReadTable(
      where, rule, "callback", callback_path,
      R"({ mode = "keep_place", answer = 0.85, retries = 2, retry_after = "10m" })");
  if (!table.ok()) return table.status();
  if (*table == nullptr) return absl::OkStatus();
  const toml::table& callback = **table;
  SWITCHBOARD_RETURN_IF_ERROR(
      CheckKeys(where, callback, callback_path,
                {"mode", "after", "priority", "retries", "retry_after", "answer"}));
  CallbackPolicy& policy = out.callback;
  if (const toml::node* node = callback.get("mode")) {
    absl::StatusOr<std::string> mode = ReadName(where, *node, Join(callback_path, "mode"),
                                                "callback mode", {"keep_place", "scheduled"});
    if (!mode.ok()) return mode.status();
    policy.mode = *mode == "scheduled" ? CallbackPolicy::Mode::kScheduled
                                       : CallbackPolicy::Mode::kKeepPlace;
  }
  if (const toml::node* node = callback.get("after")) {
    absl::StatusOr<absl::Duration> after =
        ReadDuration(where, *node, Join(callback_path, "after"), Bound::kPositive);
    if (!after.ok()) return after.status();
    policy.after = *after;
  }
  if (policy.mode == CallbackPolicy::Mode::kScheduled && !callback.contains("after")) {
    return where.Missing(Join(callback_path, "after"),
                         R"(how long after the acceptance the callback is made, e.g. "2h")");
  }
  if (policy.mode == CallbackPolicy::Mode::kKeepPlace && callback.contains("after")) {
    return where.KeyError(Join(callback_path, "after"),
                          R"(only a scheduled callback has 'after' (mode = "scheduled"))");
  }
  if (const toml::node* node = callback.get("priority")) {
    absl::StatusOr<int64_t> priority =
        ReadInteger(where, *node, Join(callback_path, "priority"), -kMaxPriority, kMaxPriority);
    if (!priority.ok()) return priority.status();
    policy.priority = static_cast<int>(*priority);
  }
  if (const toml::node* node = callback.get("retries")) {
    absl::StatusOr<int64_t> retries =
        ReadInteger(where, *node, Join(callback_path, "retries"), 0, kMaxCallbackRetries);
    if (!retries.ok()) return retries.status();
    policy.retries = static_cast<int>(*retries);
  }
  if (const toml::node* node = callback.get("retry_after")) {
    absl::StatusOr<absl::Duration> spacing =
        ReadDuration(where, *node, Join(callback_path, "retry_after"), Bound::kPositive);
    if (!spacing.ok()) return spacing.status();
    policy.retry_after = *spacing;
  }
  if (const toml::node* node = callback.get("answer")) {
    absl::StatusOr<double> answer =
        ReadNumber(where, *node, Join(callback_path, "answer"), Bound::kFraction);
    if (!answer.ok()) return answer.status();
    response.answer = *answer;
  }
  return absl::OkStatus();
}

absl::Status ParseRule(const Where& where, const toml::table& rule, const std::string& path,
                       OverflowRule& out, CustomerResponse& response) {
  SWITCHBOARD_RETURN_IF_ERROR(CheckKeys(
      where, rule, path,
      {"when", "action", "target", "accept", "callback", "reason", "look_ahead"}));
  SWITCHBOARD_RETURN_IF_ERROR(ParseWhen(where, rule, path, out));
  const toml::node* action_node = rule.get("action");
  const std::string action_path = Join(path, "action");
  if (action_node == nullptr) {
    return where.Missing(action_path,
                         "transfer | copy | callback | deflect | voicemail | disconnect");
  }
  absl::StatusOr<std::string> action =
      ReadName(where, *action_node, action_path, "action",
               {"transfer", "copy", "callback", "deflect", "voicemail", "disconnect"});
  if (!action.ok()) return action.status();
  out.action = *ParseOverflowAction(*action);
  // Keys that only some actions take.
  auto only_for = [&](std::string_view key, bool allowed, std::string_view actions) {
    if (allowed || !rule.contains(key)) return absl::OkStatus();
    return where.KeyError(Join(path, key), fmt::format("only {} take '{}'; this rule's action is '{}'",
                                                       actions, key, *action));
  };
  const bool offers = out.action == Action::kCallback || out.action == Action::kDeflect;
  const bool moves = out.action == Action::kTransfer || out.action == Action::kCopy;
  SWITCHBOARD_RETURN_IF_ERROR(only_for("target", moves || out.action == Action::kDeflect,
                                       "transfer, copy and deflect"));
  SWITCHBOARD_RETURN_IF_ERROR(only_for("accept", offers, "callback and deflect"));
  SWITCHBOARD_RETURN_IF_ERROR(only_for("callback", out.action == Action::kCallback, "callback"));
  SWITCHBOARD_RETURN_IF_ERROR(only_for(
      "reason", out.action == Action::kVoicemail || out.action == Action::kDisconnect,
      "voicemail and disconnect"));
  SWITCHBOARD_RETURN_IF_ERROR(only_for("look_ahead", out.action == Action::kTransfer, "transfer"));
  if (moves || out.action == Action::kDeflect) {
    const toml::node* node = rule.get("target");
    if (node == nullptr) {
      return where.Missing(Join(path, "target"),
                           moves ? "the name of the queue to transfer or copy to"
                                 : R"(where the host sends the customer, e.g. "web")");
    }
    absl::StatusOr<std::string> target = ReadString(where, *node, Join(path, "target"));
    if (!target.ok()) return target.status();
    if (target->empty()) {
      return where.KeyError(Join(path, "target"), "expected a non-empty string, found \"\"");
    }
    out.target = *std::move(target);
  }
  if (const toml::node* node = rule.get("accept")) {
    absl::StatusOr<double> accept = ReadNumber(where, *node, Join(path, "accept"), Bound::kFraction);
    if (!accept.ok()) return accept.status();
    response.accept = *accept;
  }
  if (const toml::node* node = rule.get("reason")) {
    absl::StatusOr<std::string> reason = ReadString(where, *node, Join(path, "reason"));
    if (!reason.ok()) return reason.status();
    out.reason = *std::move(reason);
  }
  if (const toml::node* node = rule.get("look_ahead")) {
    const toml::value<bool>* flag = node->as_boolean();
    if (flag == nullptr) return where.WrongType(Join(path, "look_ahead"), "true or false", *node);
    out.look_ahead = flag->get();
  }
  return ParseCallback(where, rule, path, out, response);
}

}  // namespace

absl::Status ParseOverflow(const Where& where, const toml::table& table, ParsedQueue& queue) {
  const toml::node* node = table.get("overflow");
  if (node == nullptr) return absl::OkStatus();
  constexpr std::string_view kExpected =
      R"(an array of tables like [[queue.overflow]] when = { wait = "2m" } action = "callback")";
  const toml::array* array = node->as_array();
  if (array == nullptr || (!array->empty() && !array->is_array_of_tables())) {
    return where.WrongType("overflow", kExpected, *node);
  }
  if (array->size() > kMaxOverflowRules) {
    return where.KeyError("overflow", fmt::format("{} rules; expected at most {}", array->size(),
                                                  kMaxOverflowRules));
  }
  for (size_t i = 0; i < array->size(); ++i) {
    OverflowRule& rule = queue.config.overflow.emplace_back();
    CustomerResponse& response = queue.responses.emplace_back();
    SWITCHBOARD_RETURN_IF_ERROR(
        ParseRule(where, *(*array)[i].as_table(), Indexed("overflow", i), rule, response));
    if (rule.trigger == Trigger::kClosed && !queue.config.hours) {
      return where.KeyError(Join(Indexed("overflow", i), "when.closed"),
                            "the closed trigger needs the queue's opening hours ('hours')");
    }
  }
  return absl::OkStatus();
}

absl::Status ParseHours(const Where& where, const toml::table& table, ParsedQueue& queue) {
  if (!table.contains("hours")) {
    if (table.contains("closed_on")) {
      return where.KeyError("closed_on", "closed_on needs opening hours ('hours') too");
    }
    return absl::OkStatus();
  }
  constexpr std::string_view kExample =
      R"({ mon-fri = ["09:00-12:00", "13:00-18:00"], sat = "10:00-13:00" })";
  absl::StatusOr<const toml::table*> hours_table = ReadTable(where, table, "hours", "hours", kExample);
  if (!hours_table.ok()) return hours_table.status();
  OpeningHours hours;
  std::array<std::string, 7> given_by;  // the key that gave each day its hours
  for (auto&& [key, node] : **hours_table) {
    const std::string path = Join("hours", Printable(key.str(), 0));
    absl::StatusOr<std::vector<int>> days = ParseDays(key.str());
    if (!days.ok()) return where.KeyError(path, detail::Message(days.status()));
    std::vector<OpeningRange> ranges;
    auto add_range = [&](const toml::node& item) -> absl::Status {
      const auto* text = item.as_string();
      if (text == nullptr) return where.WrongType(path, R"("HH:MM-HH:MM" or a list of them)", item);
      absl::StatusOr<OpeningRange> range = ParseOpeningRange(text->get());
      if (!range.ok()) return where.KeyError(path, detail::Message(range.status()));
      ranges.push_back(*range);
      return absl::OkStatus();
    };
    if (const toml::array* list = node.as_array()) {
      for (const toml::node& item : *list) SWITCHBOARD_RETURN_IF_ERROR(add_range(item));
    } else {
      SWITCHBOARD_RETURN_IF_ERROR(add_range(node));
    }
    for (int day : *days) {
      if (!given_by[day].empty()) {
        return where.KeyError(path, fmt::format("a day given hours twice (also by '{}')",
                                                given_by[day]));
      }
      given_by[day] = path;
      hours.weekly[day] = ranges;
    }
  }
  if (const toml::node* node = table.get("closed_on")) {
    const toml::array* dates = node->as_array();
    if (dates == nullptr) return where.WrongType("closed_on", R"(a list of dates like ["2026-01-01"])", *node);
    for (size_t i = 0; i < dates->size(); ++i) {
      const std::string path = Indexed("closed_on", i);
      const auto* text = (*dates)[i].as_string();
      if (text == nullptr) return where.WrongType(path, R"(a date like "2026-01-01")", (*dates)[i]);
      absl::StatusOr<absl::CivilDay> day = ParseDate(text->get());
      if (!day.ok()) return where.KeyError(path, detail::Message(day.status()));
      hours.closed_on.push_back(*day);
    }
  }
  // The zone is the simulation's: the loader sets it and checks the whole with the zone.
  if (absl::StatusOr<OpeningSchedule> check = OpeningSchedule::Create(hours); !check.ok()) {
    return where.KeyError("hours", detail::Message(check.status()));
  }
  queue.config.hours = std::move(hours);
  return absl::OkStatus();
}

absl::Status ParseReserve(const Where& where, const toml::table& table, ParsedQueue& queue) {
  absl::StatusOr<const toml::table*> found = ReadTable(
      where, table, "reserve", "reserve", R"({ activate_wait = "45s", deactivate_wait = "10s" })");
  if (!found.ok()) return found.status();
  if (*found == nullptr) return absl::OkStatus();
  const toml::table& reserve = **found;
  SWITCHBOARD_RETURN_IF_ERROR(CheckKeys(where, reserve, "reserve",
                                        {"activate_below", "deactivate_at", "activate_wait",
                                         "deactivate_wait", "window", "check_every"}));
  ReservePolicy policy;
  if (const toml::node* node = reserve.get("activate_below")) {
    absl::StatusOr<double> share =
        ReadNumber(where, *node, "reserve.activate_below", Bound::kFraction);
    if (!share.ok()) return share.status();
    policy.activate_below = *share;
  }
  if (const toml::node* node = reserve.get("activate_wait")) {
    absl::StatusOr<absl::Duration> wait = ReadDuration(where, *node, "reserve.activate_wait");
    if (!wait.ok()) return wait.status();
    policy.activate_wait = *wait;
  }
  if (policy.activate_below == 0 && policy.activate_wait == absl::ZeroDuration()) {
    return where.KeyError(
        "reserve",
        "expected activate_below (a service level > 0) or activate_wait (an oldest "
        "wait > 0), or both: what makes the queue short of staff");
  }
  // Without its own key, each measure deactivates where it activates (no hysteresis) for the
  // service level, and once nobody waits for the oldest wait.
  policy.deactivate_at = policy.activate_below;
  if (const toml::node* node = reserve.get("deactivate_at")) {
    if (policy.activate_below == 0) {
      return where.KeyError("reserve.deactivate_at",
                            "only a reserve with activate_below > 0 takes 'deactivate_at'");
    }
    absl::StatusOr<double> share =
        ReadNumber(where, *node, "reserve.deactivate_at", Bound::kFraction);
    if (!share.ok()) return share.status();
    if (*share < policy.activate_below) {
      return where.KeyError("reserve.deactivate_at",
                            fmt::format("expected a number from reserve.activate_below ({}) to 1, "
                                        "found {}",
                                        policy.activate_below, Show(*node)));
    }
    policy.deactivate_at = *share;
  }
  if (const toml::node* node = reserve.get("deactivate_wait")) {
    if (policy.activate_wait == absl::ZeroDuration()) {
      return where.KeyError("reserve.deactivate_wait",
                            "only a reserve with activate_wait > 0 takes 'deactivate_wait'");
    }
    absl::StatusOr<absl::Duration> wait = ReadDuration(where, *node, "reserve.deactivate_wait");
    if (!wait.ok()) return wait.status();
    if (*wait > policy.activate_wait) {
      return where.KeyError("reserve.deactivate_wait",
                            fmt::format("expected a duration of at most reserve.activate_wait "
                                        "({}), found {}",
                                        absl::FormatDuration(policy.activate_wait), Show(*node)));
    }
    policy.deactivate_wait = *wait;
  }
  // A duration within [low, high], which messages show as `range`.
  auto bounded = [&](std::string_view key, absl::Duration low, absl::Duration high,
                     std::string_view range, absl::Duration& out) -> absl::Status {
    const toml::node* node = reserve.get(key);
    if (node == nullptr) return absl::OkStatus();
    const std::string path = Join("reserve", key);
    absl::StatusOr<absl::Duration> value = ReadDuration(where, *node, path, Bound::kPositive);
    if (!value.ok()) return value.status();
    if (*value < low || *value > high) {
      return where.KeyError(path,
                            fmt::format("expected a duration {}, found {}", range, Show(*node)));
    }
    out = *value;
    return absl::OkStatus();
  };
  SWITCHBOARD_RETURN_IF_ERROR(bounded("window", absl::ZeroDuration(), absl::Hours(24),
                                      "> 0 and at most 24h", policy.window));
  SWITCHBOARD_RETURN_IF_ERROR(bounded("check_every", absl::Seconds(1), absl::Hours(1),
                                      "from 1s to 1h", policy.check_every));
  queue.config.reserve = policy;
  return absl::OkStatus();
}

absl::Status ParseRoute(const Where& where, const toml::table& table,
                        const std::vector<ParsedQueue>& queues, EntryRule& rule) {
  SWITCHBOARD_RETURN_IF_ERROR(
      CheckKeys(where, table, "",
                {"when", "queue", "priority", "priority_class", "requirement", "deflect"}));
  if (const toml::node* node = table.get("when")) {
    absl::StatusOr<std::string> when = ReadString(where, *node, "when");
    if (!when.ok()) return when.status();
    if (absl::StatusOr<ContactCondition> parsed = ContactCondition::Parse(*when); !parsed.ok()) {
      return where.KeyError("when", detail::Message(parsed.status()));
    }
    rule.when = *std::move(when);
  }
  if (const toml::node* node = table.get("queue")) {
    absl::StatusOr<std::string> queue = ReadString(where, *node, "queue");
    if (!queue.ok()) return queue.status();
    const bool exists = std::any_of(queues.begin(), queues.end(), [&](const ParsedQueue& q) {
      return q.config.id == *queue;
    });
    if (!exists) {
      return where.KeyError("queue", fmt::format("unknown queue '{}'; no [[queue]] has that name",
                                                 Printable(*queue, 0)));
    }
    rule.queue = *std::move(queue);
  }
  if (const toml::node* node = table.get("deflect")) {
    absl::StatusOr<std::string> target = ReadString(where, *node, "deflect");
    if (!target.ok()) return target.status();
    if (target->empty()) return where.KeyError("deflect", "expected a non-empty string, found \"\"");
    rule.deflect = *std::move(target);
  }
  if (rule.queue.empty() && rule.deflect.empty()) {
    return where.Missing("queue", "the queue the matching contacts enter (or 'deflect')");
  }
  if (const toml::node* node = table.get("requirement")) {
    absl::StatusOr<std::string> requirement = ReadString(where, *node, "requirement");
    if (!requirement.ok()) return requirement.status();
    if (!rule.deflect.empty()) {
      return where.KeyError("requirement", "a deflecting route sends no contact to an agent");
    }
    SkillRegistry trial;
    if (absl::StatusOr<Requirement> parsed = Requirement::Parse(*requirement, trial);
        !parsed.ok()) {
      return where.KeyError("requirement", detail::Message(parsed.status()));
    }
    rule.requirement = *std::move(requirement);
  }
  if (const toml::node* node = table.get("priority")) {
    absl::StatusOr<int64_t> priority =
        ReadInteger(where, *node, "priority", -kMaxPriority, kMaxPriority);
    if (!priority.ok()) return priority.status();
    rule.priority = static_cast<int>(*priority);
  }
  if (const toml::node* node = table.get("priority_class")) {
    absl::StatusOr<int64_t> value = ReadInteger(where, *node, "priority_class", 0, kMaxPriorityClass);
    if (!value.ok()) return value.status();
    rule.priority_class = static_cast<int>(*value);
  }
  return absl::OkStatus();
}

namespace {

// One attribute set: `share` and the attributes (strings or numbers).
absl::Status ParseAttributeShare(const Where& where, const toml::table& table,
                                 const std::string& path, AttributeShare& out) {
  for (auto&& [key, node] : table) {
    const std::string key_path = Join(path, Printable(key.str(), 0));
    if (key.str() == "share") {
      absl::StatusOr<double> share = ReadNumber(where, node, key_path, Bound::kPositive);
      if (!share.ok()) return share.status();
      out.share = *share;
    } else if (const auto* text = node.as_string()) {
      out.attributes[std::string(key.str())] = text->get();
    } else if (const std::optional<double> number = node.value<double>();
               node.is_number() && number && std::isfinite(*number)) {
      out.attributes[std::string(key.str())] = *number;
    } else {
      return where.WrongType(key_path, "a string or a finite number", node);
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ParseTrafficPolicies(const Where& where, const toml::table& table,
                                  TrafficConfig& traffic) {
  if (const toml::node* node = table.get("attributes")) {
    constexpr std::string_view kExpected =
        R"(a table like { language = "en" } or a list like [ { share = 0.7, language = "en" }, )"
        R"({ share = 0.3, language = "ja" } ])";
    if (const toml::table* one = node->as_table()) {
      SWITCHBOARD_RETURN_IF_ERROR(
          ParseAttributeShare(where, *one, "attributes", traffic.attributes.emplace_back()));
    } else if (const toml::array* list = node->as_array();
               list != nullptr && !list->empty() && list->is_array_of_tables()) {
      if (list->size() > kMaxEntries) {
        return where.KeyError("attributes", fmt::format("{} attribute sets; expected at most {}",
                                                        list->size(), kMaxEntries));
      }
      for (size_t i = 0; i < list->size(); ++i) {
        SWITCHBOARD_RETURN_IF_ERROR(ParseAttributeShare(where, *(*list)[i].as_table(),
                                                        Indexed("attributes", i),
                                                        traffic.attributes.emplace_back()));
      }
    } else {
      return where.WrongType("attributes", kExpected, *node);
    }
  }
  absl::StatusOr<const toml::table*> redial = ReadTable(
      where, table, "redial", "redial",
      R"({ probability = 0.4, after = { dist = "exponential", mean = "10m" } })");
  if (!redial.ok()) return redial.status();
  if (*redial != nullptr) {
    const toml::table& r = **redial;
    SWITCHBOARD_RETURN_IF_ERROR(CheckKeys(where, r, "redial", {"probability", "after"}));
    const toml::node* probability = r.get("probability");
    if (probability == nullptr) {
      return where.Missing("redial.probability", "the share of abandoning customers who call again");
    }
    absl::StatusOr<double> p = ReadNumber(where, *probability, "redial.probability", Bound::kFraction);
    if (!p.ok()) return p.status();
    traffic.redial.probability = *p;
    absl::StatusOr<Distribution> after =
        ParseDistribution(where, r, "after", /*patience=*/false, "redial");
    if (!after.ok()) return after.status();
    traffic.redial.after = *std::move(after);
  }
  return absl::OkStatus();
}

}  // namespace switchboard::detail::scenario
