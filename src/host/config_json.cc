// The JSON forms of queue, agent and contact configurations and entry rules (config_json.h).
#include "host/config_json.h"

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "host/command_json.h"
#include "switchboard/capacity.h"
#include "switchboard/channel.h"
#include "switchboard/opening_hours.h"

namespace switchboard::host::detail {

using ::switchboard::detail::AbslView;

namespace {

using Trigger = OverflowRule::Trigger;
using Action = OverflowRule::Action;

// OpeningHours::weekly's order (ParseDays reads the same names).
constexpr std::array<std::string_view, 7> kDayNames = {"mon", "tue", "wed", "thu",
                                                       "fri", "sat", "sun"};

std::string MessageOf(const absl::Status& status) { return std::string(status.message()); }

// ---- Queue: wrap-up, steps, overflow, hours, reserve.

// A number or duration string (timed), a mode name, or {"mode", "duration", "max_extension"}
// (mode default: timed_with_extension with max_extension, else timed).
absl::Status DecodeWrapUp(const Json& value, const std::string& path, WrapUpPolicy* out) {
  WrapUpPolicy policy;
  if (value.is_string()) {
    const std::string& text = value.get_ref<const std::string&>();
    for (int m = 0; m < kWrapUpModeCount; ++m) {
      if (WrapUpModeName(WrapUpPolicy::Mode(m)) == text) {
        policy.mode = WrapUpPolicy::Mode(m);
        *out = policy;
        return absl::OkStatus();
      }
    }
  }
  if (value.is_number() || value.is_string()) {
    policy.mode = WrapUpPolicy::Mode::kTimed;
    if (!Read(value, "", &policy.duration).ok()) {
      return Invalid(path,
                     "expected seconds, a duration such as \"30s\", a mode (none, timed, "
                     "until_agent_ends, timed_with_extension) or an object, got " +
                         Describe(value));
    }
    *out = policy;
    return absl::OkStatus();
  }
  const Fields fields(value, path);
  SWITCHBOARD_RETURN_IF_ERROR(fields.Check({"mode", "duration", "max_extension"}));
  policy.mode = fields.Has("max_extension") ? WrapUpPolicy::Mode::kTimedWithExtension
                                            : WrapUpPolicy::Mode::kTimed;
  if (const Json* mode = fields.Find("mode")) {
    SWITCHBOARD_RETURN_IF_ERROR(ReadEnum(*mode, fields.PathOf("mode"), "wrap-up mode",
                                         kWrapUpModeCount, &WrapUpModeName, &policy.mode));
  }
  SWITCHBOARD_RETURN_IF_ERROR(fields.Optional("duration", &policy.duration));
  SWITCHBOARD_RETURN_IF_ERROR(fields.Optional("max_extension", &policy.max_extension));
  *out = policy;
  return absl::OkStatus();
}

Json EncodeWrapUp(const WrapUpPolicy& policy) {
  Json out = {{"mode", WrapUpModeName(policy.mode)}};
  if (policy.duration != absl::ZeroDuration()) out["duration"] = EncodeDuration(policy.duration);
  if (policy.max_extension != absl::ZeroDuration()) {
    out["max_extension"] = EncodeDuration(policy.max_extension);
  }
  return out;
}

absl::Status DecodeSteps(const Json& value, const std::string& path,
                         std::vector<RequirementStep>* out) {
  if (!value.is_array()) {
    return Invalid(path, "expected a list of {\"after\": seconds, \"requirement\": string}, got " +
                             Describe(value));
  }
  std::vector<RequirementStep> steps(value.size());
  for (size_t i = 0; i < value.size(); ++i) {
    const Fields fields(value[i], IndexPath(path, i));
    SWITCHBOARD_RETURN_IF_ERROR(fields.Check({"after", "requirement"}));
    SWITCHBOARD_RETURN_IF_ERROR(fields.Required("after", &steps[i].after));
    SWITCHBOARD_RETURN_IF_ERROR(fields.Optional("requirement", &steps[i].requirement));
  }
  *out = std::move(steps);
  return absl::OkStatus();
}

absl::Status DecodeCallback(const Json& value, const std::string& path, CallbackPolicy* out) {
  const Fields fields(value, path);
  SWITCHBOARD_RETURN_IF_ERROR(
      fields.Check({"mode", "after", "priority", "retries", "retry_after"}));
  CallbackPolicy policy;
  if (const Json* mode = fields.Find("mode")) {
    SWITCHBOARD_RETURN_IF_ERROR(ReadEnum(*mode, fields.PathOf("mode"), "callback mode",
                                         kCallbackModeCount, &CallbackModeName, &policy.mode));
  }
  SWITCHBOARD_RETURN_IF_ERROR(fields.Optional("after", &policy.after));
  SWITCHBOARD_RETURN_IF_ERROR(fields.Optional("priority", &policy.priority));
  SWITCHBOARD_RETURN_IF_ERROR(fields.Optional("retries", &policy.retries));
  SWITCHBOARD_RETURN_IF_ERROR(fields.Optional("retry_after", &policy.retry_after));
  *out = policy;
  return absl::OkStatus();
}

// Only the keys away from their defaults; {} for a default policy.
Json EncodeCallback(const CallbackPolicy& policy) {
  const CallbackPolicy defaults;
  Json out = Json::object();
  if (policy.mode != defaults.mode) out["mode"] = CallbackModeName(policy.mode);
  if (policy.after != defaults.after) out["after"] = EncodeDuration(policy.after);
  if (policy.priority != defaults.priority) out["priority"] = policy.priority;
  if (policy.retries != defaults.retries) out["retries"] = policy.retries;
  if (policy.retry_after != defaults.retry_after) {
    out["retry_after"] = EncodeDuration(policy.retry_after);
  }
  return out;
}

// Unlike the Python bindings, a key that does not apply to the rule's trigger, action or mode
// is read, not refused: the engine ignores it, and every rule encodes and decodes exactly.
absl::Status DecodeOverflow(const Json& value, const std::string& path,
                            std::vector<OverflowRule>* out) {
  if (!value.is_array()) {
    return Invalid(path, "expected a list of rules (objects), got " + Describe(value));
  }
  std::vector<OverflowRule> rules(value.size());
  for (size_t i = 0; i < value.size(); ++i) {
    OverflowRule& rule = rules[i];
    const Fields fields(value[i], IndexPath(path, i));
    SWITCHBOARD_RETURN_IF_ERROR(fields.Check({"when", "wait", "queue_length", "action", "target",
                                              "look_ahead", "ask", "reason", "callback"}));
    const Json* when = fields.Find("when");
    if (when == nullptr) return fields.Missing("when");
    SWITCHBOARD_RETURN_IF_ERROR(ReadEnum(*when, fields.PathOf("when"), "trigger",
                                         kOverflowTriggerCount, &OverflowTriggerName,
                                         &rule.trigger));
    const Json* action = fields.Find("action");
    if (action == nullptr) return fields.Missing("action");
    SWITCHBOARD_RETURN_IF_ERROR(ReadEnum(*action, fields.PathOf("action"), "action",
                                         kOverflowActionCount, &OverflowActionName, &rule.action));
    SWITCHBOARD_RETURN_IF_ERROR(fields.Optional("wait", &rule.wait));
    SWITCHBOARD_RETURN_IF_ERROR(fields.Optional("queue_length", &rule.queue_length));
    SWITCHBOARD_RETURN_IF_ERROR(fields.Optional("target", &rule.target));
    SWITCHBOARD_RETURN_IF_ERROR(fields.Optional("look_ahead", &rule.look_ahead));
    SWITCHBOARD_RETURN_IF_ERROR(fields.Optional("ask", &rule.ask));
    SWITCHBOARD_RETURN_IF_ERROR(fields.Optional("reason", &rule.reason));
    if (const Json* callback = fields.Find("callback")) {
      SWITCHBOARD_RETURN_IF_ERROR(
          DecodeCallback(*callback, fields.PathOf("callback"), &rule.callback));
    }
  }
  *out = std::move(rules);
  return absl::OkStatus();
}

Json EncodeOverflow(const std::vector<OverflowRule>& rules) {
  Json out = Json::array();
  for (const OverflowRule& rule : rules) {
    Json item = {{"when", OverflowTriggerName(rule.trigger)},
                 {"action", OverflowActionName(rule.action)}};
    if (rule.wait != absl::ZeroDuration()) item["wait"] = EncodeDuration(rule.wait);
    if (rule.queue_length != 0) item["queue_length"] = rule.queue_length;
    if (!rule.target.empty()) item["target"] = rule.target;
    if (rule.look_ahead) item["look_ahead"] = true;
    if (rule.ask) item["ask"] = true;
    if (!rule.reason.empty()) item["reason"] = rule.reason;
    Json callback = EncodeCallback(rule.callback);
    if (!callback.empty()) item["callback"] = std::move(callback);
    out.push_back(std::move(item));
  }
  return out;
}

// "HH:MM-HH:MM" or a list of them (empty: closed).
absl::Status DecodeRanges(const Json& value, const std::string& path,
                          std::vector<OpeningRange>* out) {
  const auto range_at = [](const Json& item, const std::string& at,
                           std::vector<OpeningRange>* ranges) {
    if (!item.is_string()) {
      return Invalid(at, "expected a range \"HH:MM-HH:MM\", got " + Describe(item));
    }
    absl::StatusOr<OpeningRange> range = ParseOpeningRange(item.get_ref<const std::string&>());
    if (!range.ok()) return Invalid(at, MessageOf(range.status()));
    ranges->push_back(*range);
    return absl::OkStatus();
  };
  std::vector<OpeningRange> ranges;
  if (value.is_string()) {
    SWITCHBOARD_RETURN_IF_ERROR(range_at(value, path, &ranges));
  } else if (value.is_array()) {
    for (size_t i = 0; i < value.size(); ++i) {
      SWITCHBOARD_RETURN_IF_ERROR(range_at(value[i], IndexPath(path, i), &ranges));
    }
  } else {
    return Invalid(path,
                   "expected a range \"HH:MM-HH:MM\" or a list of them, got " + Describe(value));
  }
  *out = std::move(ranges);
  return absl::OkStatus();
}

Json EncodeRanges(const std::vector<OpeningRange>& ranges) {
  Json out = Json::array();
  for (const OpeningRange& range : ranges) out.push_back(FormatOpeningRange(range));
  return out;
}

absl::Status DecodeDate(const Json& value, const std::string& path, absl::CivilDay* out) {
  if (!value.is_string()) {
    return Invalid(path, "expected a date \"YYYY-MM-DD\", got " + Describe(value));
  }
  absl::StatusOr<absl::CivilDay> day = ParseDate(value.get_ref<const std::string&>());
  if (!day.ok()) return Invalid(path, MessageOf(day.status()));
  *out = *day;
  return absl::OkStatus();
}

// hours (day or range of days -> ranges), zone, closed_on (dates) and hours_on (date ->
// ranges), as add_queue takes them. A weekday given twice is refused (the second would replace
// the first); a date in both closed_on and hours_on is left to the engine, which names it.
absl::Status DecodeHours(const Fields& args, std::optional<OpeningHours>* out) {
  const Json* hours = args.Find("hours");
  if (hours == nullptr) {
    for (const std::string_view key : {"zone", "closed_on", "hours_on"}) {
      if (args.Has(key)) {
        return Invalid(args.PathOf(key), "only with hours (a queue without hours is always open)");
      }
    }
    out->reset();
    return absl::OkStatus();
  }
  const std::string hours_path = args.PathOf("hours");
  if (!hours->is_object()) {
    return Invalid(hours_path,
                   "expected an object of days -> ranges, e.g. {\"mon-fri\": "
                   "[\"09:00-12:00\", \"13:00-18:00\"], \"sat\": \"10:00-13:00\"}, "
                   "got " +
                       Describe(*hours));
  }
  OpeningHours parsed;
  SWITCHBOARD_RETURN_IF_ERROR(args.Optional("zone", &parsed.zone));
  std::array<std::string, 7> given_by;  // the path that gave each weekday its hours
  for (const auto& [key, value] : hours->items()) {
    const std::string where = MemberPath(hours_path, key);
    const absl::StatusOr<std::vector<int>> days = ParseDays(key);
    if (!days.ok()) return Invalid(where, MessageOf(days.status()));
    std::vector<OpeningRange> ranges;
    SWITCHBOARD_RETURN_IF_ERROR(DecodeRanges(value, where, &ranges));
    for (const int day : *days) {
      if (!given_by[day].empty()) {
        return Invalid(where, absl::StrCat(AbslView(kDayNames[day]), " is also in ", given_by[day],
                                           "; give each day once"));
      }
      given_by[day] = where;
      parsed.weekly[day] = ranges;
    }
  }
  if (const Json* closed_on = args.Find("closed_on")) {
    const std::string path = args.PathOf("closed_on");
    if (!closed_on->is_array()) {
      return Invalid(path, "expected a list of dates \"YYYY-MM-DD\", got " + Describe(*closed_on));
    }
    parsed.closed_on.resize(closed_on->size());
    for (size_t i = 0; i < closed_on->size(); ++i) {
      SWITCHBOARD_RETURN_IF_ERROR(
          DecodeDate((*closed_on)[i], IndexPath(path, i), &parsed.closed_on[i]));
    }
  }
  if (const Json* hours_on = args.Find("hours_on")) {
    const std::string path = args.PathOf("hours_on");
    if (!hours_on->is_object()) {
      return Invalid(path,
                     "expected an object of dates -> ranges, e.g. {\"2026-12-24\": "
                     "[\"09:00-12:00\"]}, got " +
                         Describe(*hours_on));
    }
    for (const auto& [key, value] : hours_on->items()) {
      const std::string where = MemberPath(path, key);
      DatedHours& entry = parsed.overrides.emplace_back();
      SWITCHBOARD_RETURN_IF_ERROR(DecodeDate(Json(key), where, &entry.day));
      SWITCHBOARD_RETURN_IF_ERROR(DecodeRanges(value, where, &entry.ranges));
    }
  }
  *out = std::move(parsed);
  return absl::OkStatus();
}

void EncodeHours(const std::optional<OpeningHours>& hours, Json& args) {
  if (!hours) return;
  Json weekly = Json::object();
  for (int day = 0; day < 7; ++day) {
    if (!hours->weekly[day].empty()) {
      weekly[std::string(kDayNames[day])] = EncodeRanges(hours->weekly[day]);
    }
  }
  args["hours"] = std::move(weekly);
  if (hours->zone != OpeningHours{}.zone) args["zone"] = hours->zone;
  if (!hours->closed_on.empty()) {
    Json dates = Json::array();
    for (const absl::CivilDay day : hours->closed_on) dates.push_back(absl::FormatCivilTime(day));
    args["closed_on"] = std::move(dates);
  }
  if (!hours->overrides.empty()) {
    Json dated = Json::object();
    for (const DatedHours& entry : hours->overrides) {
      dated[absl::FormatCivilTime(entry.day)] = EncodeRanges(entry.ranges);
    }
    args["hours_on"] = std::move(dated);
  }
}

absl::Status DecodeReserve(const Json& value, const std::string& path,
                           std::optional<ReservePolicy>* out) {
  const Fields fields(value, path);
  SWITCHBOARD_RETURN_IF_ERROR(fields.Check({"activate_below", "deactivate_at", "activate_wait",
                                            "deactivate_wait", "window", "check_every"}));
  ReservePolicy policy;
  SWITCHBOARD_RETURN_IF_ERROR(fields.Optional("activate_below", &policy.activate_below));
  SWITCHBOARD_RETURN_IF_ERROR(fields.Optional("deactivate_at", &policy.deactivate_at));
  SWITCHBOARD_RETURN_IF_ERROR(fields.Optional("activate_wait", &policy.activate_wait));
  SWITCHBOARD_RETURN_IF_ERROR(fields.Optional("deactivate_wait", &policy.deactivate_wait));
  SWITCHBOARD_RETURN_IF_ERROR(fields.Optional("window", &policy.window));
  SWITCHBOARD_RETURN_IF_ERROR(fields.Optional("check_every", &policy.check_every));
  *out = policy;
  return absl::OkStatus();
}

Json EncodeReserve(const ReservePolicy& policy) {
  const ReservePolicy defaults;
  Json out = Json::object();
  if (policy.activate_below != defaults.activate_below) {
    out["activate_below"] = policy.activate_below;
  }
  if (policy.deactivate_at != defaults.deactivate_at) out["deactivate_at"] = policy.deactivate_at;
  if (policy.activate_wait != defaults.activate_wait) {
    out["activate_wait"] = EncodeDuration(policy.activate_wait);
  }
  if (policy.deactivate_wait != defaults.deactivate_wait) {
    out["deactivate_wait"] = EncodeDuration(policy.deactivate_wait);
  }
  if (policy.window != defaults.window) out["window"] = EncodeDuration(policy.window);
  if (policy.check_every != defaults.check_every) {
    out["check_every"] = EncodeDuration(policy.check_every);
  }
  return out;
}

// ---- Agent: capacity and memberships.

// A channel name -> integer 0..`hi` object; *values zeroed first.
template <typename T, size_t N>
absl::Status DecodeChannelNumbers(const Json& value, const std::string& path, int64_t hi,
                                  std::array<T, N>* values) {
  if (!value.is_object()) {
    return Invalid(path, "expected an object of channels -> integers, e.g. {\"chat\": 3}, got " +
                             Describe(value));
  }
  std::array<T, N> read{};
  for (const auto& [key, item] : value.items()) {
    const std::string where = MemberPath(path, key);
    Channel channel = Channel::kVoice;
    SWITCHBOARD_RETURN_IF_ERROR(Read(Json(key), where, &channel));
    int64_t n = 0;
    SWITCHBOARD_RETURN_IF_ERROR(ReadInteger(item, where, 0, hi, &n));
    read[static_cast<int>(channel)] = static_cast<T>(n);
  }
  *values = read;
  return absl::OkStatus();
}

template <typename T, size_t N>
Json EncodeChannelNumbers(const std::array<T, N>& values) {
  Json out = Json::object();
  for (const Channel channel : kAllChannels) {
    const int n = values[static_cast<int>(channel)];
    if (n != 0) out[std::string(ChannelName(channel))] = n;
  }
  return out;
}

// capacity (limits, replacing one voice contact), cost and cost_total (the cost model), blocks
// (channel -> the channels one contact of it blocks; others keep their default). *given:
// whether any of them is present.
absl::Status DecodeCapacity(const Fields& args, CapacityConfig* out, bool* given) {
  CapacityConfig config;
  *given = false;
  if (const Json* limits = args.Find("capacity")) {
    *given = true;
    SWITCHBOARD_RETURN_IF_ERROR(
        DecodeChannelNumbers(*limits, args.PathOf("capacity"), 255, &config.limit));
  }
  if (const Json* cost = args.Find("cost")) {
    *given = true;
    config.model = CapacityConfig::Model::kCost;
    SWITCHBOARD_RETURN_IF_ERROR(
        DecodeChannelNumbers(*cost, args.PathOf("cost"), 65535, &config.cost));
    if (const Json* total = args.Find("cost_total")) {
      int64_t n = 0;
      SWITCHBOARD_RETURN_IF_ERROR(ReadInteger(*total, args.PathOf("cost_total"), 0, 65535, &n));
      config.total = static_cast<uint16_t>(n);
    }
  } else if (args.Has("cost_total")) {
    return Invalid(args.PathOf("cost_total"), "only with cost (the cost model)");
  }
  if (const Json* blocks = args.Find("blocks")) {
    *given = true;
    const std::string path = args.PathOf("blocks");
    if (!blocks->is_object()) {
      return Invalid(
          path, "expected an object of channels -> lists of channels, got " + Describe(*blocks));
    }
    for (const auto& [key, item] : blocks->items()) {
      const std::string where = MemberPath(path, key);
      Channel channel = Channel::kVoice;
      SWITCHBOARD_RETURN_IF_ERROR(Read(Json(key), where, &channel));
      if (!item.is_array()) {
        return Invalid(where, "expected a list of channels, got " + Describe(item));
      }
      uint16_t mask = 0;
      for (size_t i = 0; i < item.size(); ++i) {
        Channel blocked = Channel::kVoice;
        SWITCHBOARD_RETURN_IF_ERROR(Read(item[i], IndexPath(where, i), &blocked));
        mask |= static_cast<uint16_t>(1u << static_cast<int>(blocked));
      }
      config.blocks[static_cast<int>(channel)] = mask;
    }
  }
  *out = config;
  return absl::OkStatus();
}

// With `always`, "capacity" is written even at its default, so that the keys say "given".
void EncodeCapacity(const CapacityConfig& config, bool always, Json& args) {
  const CapacityConfig defaults;
  if (always || config.limit != defaults.limit) {
    args["capacity"] = EncodeChannelNumbers(config.limit);
  }
  if (config.model == CapacityConfig::Model::kCost) {
    args["cost"] = EncodeChannelNumbers(config.cost);
    if (config.total != defaults.total) args["cost_total"] = config.total;
  }
  Json blocks = Json::object();
  for (const Channel channel : kAllChannels) {
    const int c = static_cast<int>(channel);
    if (config.blocks[c] == defaults.blocks[c]) continue;
    Json blocked = Json::array();
    for (const Channel other : kAllChannels) {
      if (config.blocks[c] & (1u << static_cast<int>(other))) {
        blocked.push_back(ChannelName(other));
      }
    }
    blocks[std::string(ChannelName(channel))] = std::move(blocked);
  }
  if (!blocks.empty()) args["blocks"] = std::move(blocks);
}

// A list of queue ids or {"queue", "priority", "delay", "reserve"}.
absl::Status DecodeMemberships(const Json& value, const std::string& path,
                               std::vector<QueueMembership>* out) {
  if (!value.is_array()) {
    return Invalid(path, "expected a list of queue ids or objects, got " + Describe(value));
  }
  std::vector<QueueMembership> memberships(value.size());
  for (size_t i = 0; i < value.size(); ++i) {
    QueueMembership& membership = memberships[i];
    const std::string where = IndexPath(path, i);
    if (value[i].is_string()) {
      membership.queue = value[i].get<std::string>();
      continue;
    }
    if (!value[i].is_object()) {
      return Invalid(where,
                     "expected a queue id or an object with \"queue\", \"priority\", "
                     "\"delay\" and \"reserve\", got " +
                         Describe(value[i]));
    }
    const Fields fields(value[i], where);
    SWITCHBOARD_RETURN_IF_ERROR(fields.Check({"queue", "priority", "delay", "reserve"}));
    SWITCHBOARD_RETURN_IF_ERROR(fields.Required("queue", &membership.queue));
    SWITCHBOARD_RETURN_IF_ERROR(fields.Optional("priority", &membership.priority));
    SWITCHBOARD_RETURN_IF_ERROR(fields.Optional("delay", &membership.delay));
    SWITCHBOARD_RETURN_IF_ERROR(fields.Optional("reserve", &membership.reserve));
  }
  *out = std::move(memberships);
  return absl::OkStatus();
}

Json EncodeMemberships(const std::vector<QueueMembership>& memberships) {
  Json out = Json::array();
  for (const QueueMembership& membership : memberships) {
    if (membership.priority == 0 && membership.delay == absl::ZeroDuration() &&
        !membership.reserve) {
      out.push_back(membership.queue);
      continue;
    }
    Json item = {{"queue", membership.queue}};
    if (membership.priority != 0) item["priority"] = membership.priority;
    if (membership.delay != absl::ZeroDuration()) item["delay"] = EncodeDuration(membership.delay);
    if (membership.reserve) item["reserve"] = true;
    out.push_back(std::move(item));
  }
  return out;
}

Json SkillsJson(const std::map<std::string, int, std::less<>>& skills) {
  Json out = Json::object();
  for (const auto& [name, level] : skills) out[name] = level;
  return out;
}

}  // namespace

absl::Status DecodeQueueConfig(const Fields& args, QueueConfig* out) {
  QueueConfig config;
  SWITCHBOARD_RETURN_IF_ERROR(args.Required("id", &config.id));
  SWITCHBOARD_RETURN_IF_ERROR(args.Optional("requirement", &config.requirement));
  SWITCHBOARD_RETURN_IF_ERROR(args.Optional("strategy", &config.strategy));
  SWITCHBOARD_RETURN_IF_ERROR(args.Optional("priority", &config.priority));
  SWITCHBOARD_RETURN_IF_ERROR(args.Optional("ring_agents", &config.ring_agents));
  SWITCHBOARD_RETURN_IF_ERROR(
      args.Optional("service_level_threshold", &config.service_level_threshold));
  SWITCHBOARD_RETURN_IF_ERROR(args.Optional("service_level_target", &config.service_level_target));
  SWITCHBOARD_RETURN_IF_ERROR(args.Optional("max_length", &config.max_length));
  SWITCHBOARD_RETURN_IF_ERROR(args.Optional("max_hold", &config.max_hold));
  if (const Json* wrap_up = args.Find("wrap_up")) {
    SWITCHBOARD_RETURN_IF_ERROR(DecodeWrapUp(*wrap_up, args.PathOf("wrap_up"), &config.wrap_up));
  }
  if (const Json* steps = args.Find("steps")) {
    SWITCHBOARD_RETURN_IF_ERROR(DecodeSteps(*steps, args.PathOf("steps"), &config.steps));
  }
  if (const Json* overflow = args.Find("overflow")) {
    SWITCHBOARD_RETURN_IF_ERROR(
        DecodeOverflow(*overflow, args.PathOf("overflow"), &config.overflow));
  }
  SWITCHBOARD_RETURN_IF_ERROR(DecodeHours(args, &config.hours));
  if (const Json* reserve = args.Find("reserve")) {
    SWITCHBOARD_RETURN_IF_ERROR(DecodeReserve(*reserve, args.PathOf("reserve"), &config.reserve));
  }
  *out = std::move(config);
  return absl::OkStatus();
}

void EncodeQueueConfig(const QueueConfig& config, Json& args) {
  const QueueConfig defaults;
  args["id"] = config.id;
  if (!config.requirement.empty()) args["requirement"] = config.requirement;
  if (config.strategy != defaults.strategy) args["strategy"] = StrategyName(config.strategy);
  if (config.priority != defaults.priority) args["priority"] = config.priority;
  if (config.ring_agents != defaults.ring_agents) args["ring_agents"] = config.ring_agents;
  if (config.service_level_threshold != defaults.service_level_threshold) {
    args["service_level_threshold"] = EncodeDuration(config.service_level_threshold);
  }
  if (config.service_level_target != defaults.service_level_target) {
    args["service_level_target"] = config.service_level_target;
  }
  if (config.max_length != defaults.max_length) args["max_length"] = config.max_length;
  if (config.max_hold != defaults.max_hold) args["max_hold"] = EncodeDuration(config.max_hold);
  if (config.wrap_up.mode != defaults.wrap_up.mode ||
      config.wrap_up.duration != defaults.wrap_up.duration ||
      config.wrap_up.max_extension != defaults.wrap_up.max_extension) {
    args["wrap_up"] = EncodeWrapUp(config.wrap_up);
  }
  if (!config.steps.empty()) {
    Json steps = Json::array();
    for (const RequirementStep& step : config.steps) {
      Json item = {{"after", EncodeDuration(step.after)}};
      if (!step.requirement.empty()) item["requirement"] = step.requirement;
      steps.push_back(std::move(item));
    }
    args["steps"] = std::move(steps);
  }
  if (!config.overflow.empty()) args["overflow"] = EncodeOverflow(config.overflow);
  EncodeHours(config.hours, args);
  if (config.reserve) args["reserve"] = EncodeReserve(*config.reserve);
}

absl::Status DecodeAgentConfig(const Fields& args, AgentConfig* out) {
  AgentConfig config;
  SWITCHBOARD_RETURN_IF_ERROR(args.Required("id", &config.id));
  SWITCHBOARD_RETURN_IF_ERROR(args.Optional("skills", &config.skills));
  SWITCHBOARD_RETURN_IF_ERROR(args.Optional("groups", &config.groups));
  SWITCHBOARD_RETURN_IF_ERROR(args.Optional("attributes", &config.attributes));
  bool capacity_given = false;
  SWITCHBOARD_RETURN_IF_ERROR(DecodeCapacity(args, &config.capacity, &capacity_given));
  const Json* queues = args.Find("queues");
  if (queues != nullptr) {
    SWITCHBOARD_RETURN_IF_ERROR(DecodeMemberships(*queues, args.PathOf("queues"), &config.queues));
  }
  config.auto_membership = queues == nullptr;
  SWITCHBOARD_RETURN_IF_ERROR(args.Optional("auto_membership", &config.auto_membership));
  SWITCHBOARD_RETURN_IF_ERROR(args.Optional("weight", &config.weight));
  SWITCHBOARD_RETURN_IF_ERROR(args.Optional("team", &config.team));
  *out = std::move(config);
  return absl::OkStatus();
}

void EncodeAgentConfig(const AgentConfig& config, Json& args) {
  const AgentConfig defaults;
  args["id"] = config.id;
  if (!config.skills.empty()) args["skills"] = SkillsJson(config.skills);
  if (!config.groups.empty()) args["groups"] = config.groups;
  if (!config.attributes.empty()) args["attributes"] = AttributesJson(config.attributes);
  EncodeCapacity(config.capacity, /*always=*/false, args);
  // Written when given: a list (even empty) turns automatic membership off by default.
  const bool queues_given = !config.queues.empty();
  if (queues_given) args["queues"] = EncodeMemberships(config.queues);
  if (config.auto_membership != !queues_given) args["auto_membership"] = config.auto_membership;
  if (config.weight != defaults.weight) args["weight"] = config.weight;
  if (!config.team.empty()) args["team"] = config.team;
}

absl::Status DecodeUpdateAgent(const Fields& args, UpdateAgent* out) {
  UpdateAgent update;
  SWITCHBOARD_RETURN_IF_ERROR(args.Required("id", &update.agent));
  SWITCHBOARD_RETURN_IF_ERROR(args.Optional("skills", &update.skills));
  SWITCHBOARD_RETURN_IF_ERROR(args.Optional("groups", &update.groups));
  SWITCHBOARD_RETURN_IF_ERROR(args.Optional("team", &update.team));
  SWITCHBOARD_RETURN_IF_ERROR(args.Optional("attributes", &update.attributes));
  CapacityConfig capacity;
  bool capacity_given = false;
  SWITCHBOARD_RETURN_IF_ERROR(DecodeCapacity(args, &capacity, &capacity_given));
  if (capacity_given) update.capacity = capacity;
  if (const Json* queues = args.Find("queues")) {
    std::vector<QueueMembership> memberships;
    SWITCHBOARD_RETURN_IF_ERROR(DecodeMemberships(*queues, args.PathOf("queues"), &memberships));
    update.queues = std::move(memberships);
  }
  SWITCHBOARD_RETURN_IF_ERROR(args.Optional("auto_membership", &update.auto_membership));
  SWITCHBOARD_RETURN_IF_ERROR(args.Optional("weight", &update.weight));
  *out = std::move(update);
  return absl::OkStatus();
}

void EncodeUpdateAgent(const UpdateAgent& update, Json& args) {
  args["id"] = update.agent;
  if (update.skills) args["skills"] = SkillsJson(*update.skills);
  if (update.groups) args["groups"] = *update.groups;
  if (update.team) args["team"] = *update.team;
  if (update.attributes) args["attributes"] = AttributesJson(*update.attributes);
  if (update.capacity) EncodeCapacity(*update.capacity, /*always=*/true, args);
  if (update.queues) args["queues"] = EncodeMemberships(*update.queues);
  if (update.auto_membership) args["auto_membership"] = *update.auto_membership;
  if (update.weight) args["weight"] = *update.weight;
}

absl::Status DecodeContactConfig(const Fields& args, ContactConfig* out) {
  ContactConfig config;
  SWITCHBOARD_RETURN_IF_ERROR(args.Required("id", &config.id));
  SWITCHBOARD_RETURN_IF_ERROR(args.Optional("queue", &config.queue));
  SWITCHBOARD_RETURN_IF_ERROR(args.Optional("channel", &config.channel));
  SWITCHBOARD_RETURN_IF_ERROR(args.Optional("priority", &config.priority));
  SWITCHBOARD_RETURN_IF_ERROR(args.Optional("priority_class", &config.priority_class));
  SWITCHBOARD_RETURN_IF_ERROR(args.Optional("attributes", &config.attributes));
  SWITCHBOARD_RETURN_IF_ERROR(args.Optional("arrival", &config.arrival));
  SWITCHBOARD_RETURN_IF_ERROR(args.Optional("preferred_agent", &config.preferred_agent));
  SWITCHBOARD_RETURN_IF_ERROR(args.Optional("preferred_timeout", &config.preferred_timeout));
  *out = std::move(config);
  return absl::OkStatus();
}

void EncodeContactConfig(const ContactConfig& config, Json& args) {
  const ContactConfig defaults;
  args["id"] = config.id;
  if (!config.queue.empty()) args["queue"] = config.queue;
  if (config.channel != defaults.channel) args["channel"] = ChannelName(config.channel);
  if (config.priority != defaults.priority) args["priority"] = config.priority;
  if (config.priority_class != defaults.priority_class) {
    args["priority_class"] = config.priority_class;
  }
  if (!config.attributes.empty()) args["attributes"] = AttributesJson(config.attributes);
  if (config.arrival) args["arrival"] = EncodeTime(*config.arrival);
  if (!config.preferred_agent.empty()) args["preferred_agent"] = config.preferred_agent;
  if (config.preferred_timeout != defaults.preferred_timeout) {
    args["preferred_timeout"] = EncodeDuration(config.preferred_timeout);
  }
}

absl::Status DecodeEntryRules(const Json& value, std::string_view path,
                              std::vector<EntryRule>* out) {
  if (!value.is_array()) {
    return Invalid(path, "expected a list of rules (objects), got " + Describe(value));
  }
  std::vector<EntryRule> rules(value.size());
  for (size_t i = 0; i < value.size(); ++i) {
    EntryRule& rule = rules[i];
    const Fields fields(value[i], IndexPath(path, i));
    SWITCHBOARD_RETURN_IF_ERROR(
        fields.Check({"when", "queue", "priority", "priority_class", "requirement", "deflect"}));
    SWITCHBOARD_RETURN_IF_ERROR(fields.Optional("when", &rule.when));
    SWITCHBOARD_RETURN_IF_ERROR(fields.Optional("queue", &rule.queue));
    SWITCHBOARD_RETURN_IF_ERROR(fields.Optional("priority", &rule.priority));
    SWITCHBOARD_RETURN_IF_ERROR(fields.Optional("priority_class", &rule.priority_class));
    SWITCHBOARD_RETURN_IF_ERROR(fields.Optional("requirement", &rule.requirement));
    SWITCHBOARD_RETURN_IF_ERROR(fields.Optional("deflect", &rule.deflect));
  }
  *out = std::move(rules);
  return absl::OkStatus();
}

Json EncodeEntryRules(const std::vector<EntryRule>& rules) {
  Json out = Json::array();
  for (const EntryRule& rule : rules) {
    Json item = Json::object();
    if (!rule.when.empty()) item["when"] = rule.when;
    if (!rule.queue.empty()) item["queue"] = rule.queue;
    if (rule.priority) item["priority"] = *rule.priority;
    if (rule.priority_class) item["priority_class"] = *rule.priority_class;
    if (!rule.requirement.empty()) item["requirement"] = rule.requirement;
    if (!rule.deflect.empty()) item["deflect"] = rule.deflect;
    out.push_back(std::move(item));
  }
  return out;
}

}  // namespace switchboard::host::detail
