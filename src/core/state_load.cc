// Engine::LoadState: an engine rebuilt from Engine::DumpState's text (engine.h states the
// contract). This file reads the engine-wide state, the options, the queues, the entry rules and
// the timers, and rebuilds the indexes the dump leaves out (id tables, pools with their member
// numbers, waiting sets, arrival orders, the maps of copies, consults and rings);
// state_load_records.cc reads agents and contacts. The reader's checks are structural; the last
// one is semantic: the engine built must dump to the very text it was read from, so that nothing
// the dump holds is lost or read differently.
#include <algorithm>
#include <charconv>
#include <climits>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "base/status_macros.h"
#include "base/json_reader.h"
#include "core/engine_impl.h"
#include "core/state_load.h"

namespace switchboard {

namespace detail {

namespace {
const JsonValue kNullValue;

const char* TypeName(JsonValue::Type type) {
  switch (type) {
    case JsonValue::Type::kNull: return "null";
    case JsonValue::Type::kBool: return "a boolean";
    case JsonValue::Type::kNumber: return "a number";
    case JsonValue::Type::kString: return "a string";
    case JsonValue::Type::kArray: return "an array";
    case JsonValue::Type::kObject: return "an object";
  }
  return "?";
}
}  // namespace

void DumpReader::Fail(const Node& at, std::string_view problem) {
  if (!status_.ok()) return;
  status_ = absl::DataLossError(detail::Cat("snapshot: ", at.path, ": ", problem));
}

DumpNode DumpReader::Field(const Node& object, std::string_view key) {
  const std::string path = detail::Cat(object.path, ".", key);
  if (!ok()) return {&kNullValue, path};
  if (object.value->type != JsonValue::Type::kObject) {
    Fail(object, detail::Cat("expected an object, found ", TypeName(object.value->type)));
    return {&kNullValue, path};
  }
  for (size_t i = 0; i < object.value->keys.size(); ++i) {
    if (object.value->keys[i] == key) return {&object.value->items[i], path};
  }
  Fail(object, detail::Cat("missing member '", key, "'"));
  return {&kNullValue, path};
}

std::vector<DumpNode> DumpReader::Items(const Node& array) {
  std::vector<Node> items;
  if (!ok()) return items;
  if (array.value->type != JsonValue::Type::kArray) {
    Fail(array, detail::Cat("expected an array, found ", TypeName(array.value->type)));
    return items;
  }
  items.reserve(array.value->items.size());
  for (size_t i = 0; i < array.value->items.size(); ++i) {
    items.push_back({&array.value->items[i], detail::Cat(array.path, "[", i, "]")});
  }
  return items;
}

std::vector<std::pair<std::string, DumpNode>> DumpReader::Members(const Node& object) {
  std::vector<std::pair<std::string, Node>> members;
  if (!ok()) return members;
  if (object.value->type != JsonValue::Type::kObject) {
    Fail(object, detail::Cat("expected an object, found ", TypeName(object.value->type)));
    return members;
  }
  for (size_t i = 0; i < object.value->keys.size(); ++i) {
    const std::string& name = object.value->keys[i];
    members.push_back(
        {name, {&object.value->items[i], detail::Cat(object.path, "[\"", name, "\"]")}});
  }
  return members;
}

int64_t DumpReader::Int(const Node& node, int64_t min, int64_t max) {
  if (!ok()) return std::max<int64_t>(min, std::min<int64_t>(0, max));
  int64_t value = 0;
  const std::string& text = node.value->text;
  if (node.value->type == JsonValue::Type::kNumber) {
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error == std::errc() && end == text.data() + text.size() && value >= min && value <= max) {
      return value;
    }
  }
  Fail(node, detail::Cat("expected an integer in [", min, ", ", max, "]"));
  return std::max<int64_t>(min, std::min<int64_t>(0, max));
}

uint64_t DumpReader::Uint(const Node& node, uint64_t max) {
  if (!ok()) return 0;
  uint64_t value = 0;
  const std::string& text = node.value->text;
  if (node.value->type == JsonValue::Type::kNumber) {
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error == std::errc() && end == text.data() + text.size() && value <= max) return value;
  }
  Fail(node, detail::Cat("expected an integer in [0, ", max, "]"));
  return 0;
}

double DumpReader::Double(const Node& node) {
  if (!ok()) return 0;
  const std::string& text = node.value->text;
  if (node.value->type == JsonValue::Type::kString) {
    if (text == "inf") return std::numeric_limits<double>::infinity();
    if (text == "-inf") return -std::numeric_limits<double>::infinity();
    if (text == "nan") return std::numeric_limits<double>::quiet_NaN();
  } else if (node.value->type == JsonValue::Type::kNumber) {
    double value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error == std::errc() && end == text.data() + text.size()) return value;
  }
  Fail(node, "expected a number");
  return 0;
}

bool DumpReader::Bool(const Node& node) {
  if (!ok()) return false;
  if (node.value->type == JsonValue::Type::kBool) return node.value->boolean;
  Fail(node, detail::Cat("expected a boolean, found ", TypeName(node.value->type)));
  return false;
}

std::string DumpReader::String(const Node& node) {
  if (!ok()) return {};
  if (node.value->type == JsonValue::Type::kString) return node.value->text;
  Fail(node, detail::Cat("expected a string, found ", TypeName(node.value->type)));
  return {};
}

Micros DumpReader::Time(const Node& node, Micros none) {
  if (!ok()) return 0;
  if (IsNull(node)) return none;
  if (node.value->type == JsonValue::Type::kString) {
    absl::Time time;
    std::string error;
    if (absl::ParseTime(absl::RFC3339_full, node.value->text, absl::UTCTimeZone(), &time,
                        &error)) {
      const Micros micros = absl::ToUnixMicros(time);
      if (absl::FromUnixMicros(micros) == time && micros != std::numeric_limits<Micros>::max() &&
          micros != std::numeric_limits<Micros>::min()) {
        return micros;
      }
    }
  }
  Fail(node, "expected an RFC 3339 time to the microsecond, or null");
  return 0;
}

Micros DumpReader::MicrosDuration(const Node& node) {
  if (!ok()) return 0;
  if (IsNull(node)) return std::numeric_limits<Micros>::max();
  if (node.value->type == JsonValue::Type::kNumber) {
    std::string_view text = node.value->text;
    if (text == "0") return 0;
    if (text.size() > 3 && text.substr(text.size() - 3) == "000") {
      text.remove_suffix(3);
      Micros value = 0;
      const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (error == std::errc() && end == text.data() + text.size() && value != 0) return value;
    }
  }
  Fail(node, "expected a duration in whole microseconds (integer nanoseconds), or null");
  return 0;
}

absl::Duration DumpReader::Duration(const Node& node) {
  return absl::Nanoseconds(Int(node));
}

uint32_t DumpReader::Index(const Node& node, uint64_t size) {
  if (!ok()) return kNoIndex;
  if (IsNull(node)) return kNoIndex;
  if (size == 0) {
    Fail(node, "expected null (nothing to refer to)");
    return kNoIndex;
  }
  return static_cast<uint32_t>(Uint(node, size - 1));
}

WaitKey DumpReader::Key(const Node& node) {
  WaitKey key;
  key.slot = static_cast<ContactSlot>(Uint(Field(node, "slot"), kNoIndex - 1));
  key.inverted_class = static_cast<uint8_t>(255 - Int(Field(node, "class"), 0, 255));
  key.virtual_arrival = Time(Field(node, "virtual_arrival"));
  key.sequence = static_cast<uint32_t>(Uint(Field(node, "sequence"), UINT32_MAX));
  key.may_cool_down = Bool(Field(node, "may_cool_down"));
  return key;
}

Attributes DumpReader::ReadAttributes(const Node& node) {
  Attributes attributes;
  for (const auto& [name, value] : Members(node)) {
    if (value.value->type == JsonValue::Type::kString) {
      attributes.emplace(name, value.value->text);
    } else {
      attributes.emplace(name, Double(value));
    }
  }
  return attributes;
}

}  // namespace detail

using detail::DumpNode;
using detail::DumpReader;
using detail::kNoIndex;
using detail::ReadEnum;

namespace {

constexpr std::string_view kFormat = "switchboard.state.v1";

Actor ReadActor(DumpReader& in, const DumpNode& node) {
  const std::string text = in.String(node);
  if (text == "system") return Actor::System();
  if (text == "host") return Actor::Host();
  const size_t colon = text.find(':');
  const std::string kind = text.substr(0, colon == std::string::npos ? text.size() : colon);
  const std::string id = colon == std::string::npos ? "" : text.substr(colon + 1);
  Actor actor;
  if (colon != std::string::npos && !id.empty()) {
    if (kind == "host") return Actor{.kind = Actor::Kind::kHost, .id = id};
    if (kind == "agent") return Actor{.kind = Actor::Kind::kAgent, .id = id};
    if (kind == "supervisor") return Actor{.kind = Actor::Kind::kSupervisor, .id = id};
  }
  if (in.ok()) in.Fail(node, detail::Cat("unknown actor '", text, "'"));
  return actor;
}

EngineOptions ReadOptions(DumpReader& in, const DumpNode& node) {
  EngineOptions o;
  o.offer_timeout = in.Duration(in.Field(node, "offer_timeout"));
  o.rona_cooldown = in.Duration(in.Field(node, "rona_cooldown"));
  o.max_consecutive_misses =
      static_cast<int>(in.Int(in.Field(node, "max_consecutive_misses"), INT32_MIN, INT32_MAX));
  o.reject_delay = in.Duration(in.Field(node, "reject_delay"));
  o.timeout_delay = in.Duration(in.Field(node, "timeout_delay"));
  o.aging_unit = in.Duration(in.Field(node, "aging_unit"));
  o.occupancy_window = in.Duration(in.Field(node, "occupancy_window"));
  o.seed = in.Uint(in.Field(node, "seed"));
  o.host_score_candidates =
      static_cast<int>(in.Int(in.Field(node, "host_score_candidates"), INT32_MIN, INT32_MAX));
  o.record_events = in.Bool(in.Field(node, "record_events"));
  o.max_buffered_events = in.Int(in.Field(node, "max_buffered_events"));
  o.huge_page_records = in.Bool(in.Field(node, "huge_page_records"));
  o.expected_agents = in.Int(in.Field(node, "expected_agents"));
  o.expected_contacts = in.Int(in.Field(node, "expected_contacts"));
  o.ewt_initial_interval = in.Duration(in.Field(node, "ewt_initial_interval"));
  o.max_transfers = static_cast<int>(in.Int(in.Field(node, "max_transfers"), INT32_MIN, INT32_MAX));
  o.stats_interval = in.Duration(in.Field(node, "stats_interval"));
  return o;
}

OverflowRule ReadOverflowRule(DumpReader& in, const DumpNode& node) {
  OverflowRule rule;
  const std::string trigger = in.String(in.Field(node, "trigger"));
  const std::string action = in.String(in.Field(node, "action"));
  if (!in.ok()) return rule;
  if (auto parsed = ParseOverflowTrigger(trigger)) {
    rule.trigger = *parsed;
  } else {
    in.Fail(in.Field(node, "trigger"), "unknown trigger");
  }
  if (auto parsed = ParseOverflowAction(action)) {
    rule.action = *parsed;
  } else {
    in.Fail(in.Field(node, "action"), "unknown action");
  }
  rule.wait = in.Duration(in.Field(node, "wait"));
  rule.queue_length = static_cast<int>(in.Int(in.Field(node, "queue_length"), INT32_MIN, INT32_MAX));
  rule.target = in.String(in.Field(node, "target"));
  rule.look_ahead = in.Bool(in.Field(node, "look_ahead"));
  rule.ask = in.Bool(in.Field(node, "ask"));
  rule.reason = in.String(in.Field(node, "reason"));
  const DumpNode callback = in.Field(node, "callback");
  const std::string mode = in.String(in.Field(callback, "mode"));
  if (mode == "keep_place") {
    rule.callback.mode = CallbackPolicy::Mode::kKeepPlace;
  } else if (mode == "scheduled") {
    rule.callback.mode = CallbackPolicy::Mode::kScheduled;
  } else if (in.ok()) {
    in.Fail(in.Field(callback, "mode"), "unknown callback mode");
  }
  rule.callback.after = in.Duration(in.Field(callback, "after"));
  rule.callback.priority =
      static_cast<int>(in.Int(in.Field(callback, "priority"), INT32_MIN, INT32_MAX));
  rule.callback.retries =
      static_cast<int>(in.Int(in.Field(callback, "retries"), INT32_MIN, INT32_MAX));
  rule.callback.retry_after = in.Duration(in.Field(callback, "retry_after"));
  return rule;
}

std::string_view WrapUpModeName(WrapUpPolicy::Mode mode) {
  switch (mode) {
    case WrapUpPolicy::Mode::kNone: return "none";
    case WrapUpPolicy::Mode::kTimed: return "timed";
    case WrapUpPolicy::Mode::kUntilAgentEnds: return "until_agent_ends";
    case WrapUpPolicy::Mode::kTimedWithExtension: return "timed_with_extension";
  }
  return "unknown";
}

// WriteRanges' [[start_minute, end_minute], ...], as given (OpeningSchedule::Create checks them).
std::vector<OpeningRange> ReadRanges(DumpReader& in, const DumpNode& node) {
  std::vector<OpeningRange> ranges;
  for (const DumpNode& range : in.Items(node)) {
    const std::vector<DumpNode> pair = in.Items(range);
    if (in.ok() && pair.size() != 2) in.Fail(range, "expected [start_minute, end_minute]");
    if (!in.ok()) break;
    const int start = static_cast<int>(in.Int(pair[0], INT32_MIN, INT32_MAX));
    const int end = static_cast<int>(in.Int(pair[1], INT32_MIN, INT32_MAX));
    ranges.push_back({.start_minute = start, .end_minute = end});
  }
  return ranges;
}

// WriteHours' date: absl::FormatCivilTime's text of a day, and nothing else.
absl::CivilDay ReadDay(DumpReader& in, const DumpNode& node) {
  const std::string text = in.String(node);
  absl::CivilDay day;
  if (in.ok() && (!absl::ParseCivilTime(detail::AbslView(text), &day) ||
                  absl::FormatCivilTime(day) != text)) {
    in.Fail(node, "expected a date YYYY-MM-DD");
  }
  return day;
}

// WriteHours' object: the hours as configured (zone, weekly ranges, closed dates, dated
// overrides), in their given order; LoadQueue compiles them as AddQueue does.
OpeningHours ReadHours(DumpReader& in, const DumpNode& node) {
  OpeningHours hours;
  hours.zone = in.String(in.Field(node, "zone"));
  const DumpNode weekly = in.Field(node, "weekly");
  const std::vector<DumpNode> days = in.Items(weekly);
  if (in.ok() && days.size() != hours.weekly.size()) {
    in.Fail(weekly, "expected the ranges of 7 days (Monday first)");
  }
  if (!in.ok()) return hours;
  for (size_t i = 0; i < days.size(); ++i) hours.weekly[i] = ReadRanges(in, days[i]);
  for (const DumpNode& day : in.Items(in.Field(node, "closed_on"))) {
    hours.closed_on.push_back(ReadDay(in, day));
  }
  for (const DumpNode& dated : in.Items(in.Field(node, "overrides"))) {
    const absl::CivilDay day = ReadDay(in, in.Field(dated, "day"));
    hours.overrides.push_back({.day = day, .ranges = ReadRanges(in, in.Field(dated, "ranges"))});
  }
  return hours;
}

QueueConfig ReadQueueConfig(DumpReader& in, const DumpNode& node) {
  QueueConfig config;
  config.id = in.String(in.Field(node, "id"));
  config.requirement = in.String(in.Field(node, "requirement"));
  const DumpNode strategy = in.Field(node, "strategy");
  config.strategy = ReadEnum<Strategy>(in, strategy, kStrategyCount, StrategyName);
  config.ring_agents = static_cast<int>(in.Int(in.Field(node, "ring_agents"), 1, 64));
  config.priority = static_cast<int>(in.Int(in.Field(node, "priority"), INT32_MIN, INT32_MAX));
  config.service_level_threshold = in.Duration(in.Field(node, "service_level_threshold"));
  config.service_level_target = in.Double(in.Field(node, "service_level_target"));
  config.max_length = static_cast<int>(in.Int(in.Field(node, "max_length"), INT32_MIN, INT32_MAX));
  config.max_hold = in.Duration(in.Field(node, "max_hold"));
  const DumpNode wrap_up = in.Field(node, "wrap_up");
  config.wrap_up.mode =
      ReadEnum<WrapUpPolicy::Mode>(in, in.Field(wrap_up, "mode"), 4, WrapUpModeName);
  config.wrap_up.duration = in.Duration(in.Field(wrap_up, "duration"));
  config.wrap_up.max_extension = in.Duration(in.Field(wrap_up, "max_extension"));
  for (const DumpNode& step : in.Items(in.Field(node, "steps"))) {
    config.steps.push_back({.after = in.Duration(in.Field(step, "after")),
                            .requirement = in.String(in.Field(step, "requirement"))});
  }
  for (const DumpNode& rule : in.Items(in.Field(node, "overflow"))) {
    config.overflow.push_back(ReadOverflowRule(in, rule));
  }
  const DumpNode hours = in.Field(node, "hours");
  if (in.ok() && !in.IsNull(hours)) config.hours = ReadHours(in, hours);
  const DumpNode reserve = in.Field(node, "reserve");
  if (in.ok() && !in.IsNull(reserve)) {
    ReservePolicy policy;
    policy.activate_below = in.Double(in.Field(reserve, "activate_below"));
    policy.deactivate_at = in.Double(in.Field(reserve, "deactivate_at"));
    policy.activate_wait = in.Duration(in.Field(reserve, "activate_wait"));
    policy.deactivate_wait = in.Duration(in.Field(reserve, "deactivate_wait"));
    policy.window = in.Duration(in.Field(reserve, "window"));
    policy.check_every = in.Duration(in.Field(reserve, "check_every"));
    config.reserve = policy;
  }
  return config;
}

void ReadCounters(DumpReader& in, const DumpNode& node, QueueCounters& c) {
  auto count = [&](std::string_view key) { return in.Int(in.Field(node, key)); };
  c.offered = count("offered");
  c.rejected = count("rejected");
  c.answered = count("answered");
  c.answered_within_threshold = count("answered_within_threshold");
  c.abandoned = count("abandoned");
  c.removed = count("removed");
  c.completed = count("completed");
  c.offers = count("offers");
  c.offers_missed = count("offers_missed");
  c.overflowed = count("overflowed");
  c.transferred = count("transferred");
  c.callbacks = count("callbacks");
  c.callbacks_connected = count("callbacks_connected");
  c.callbacks_failed = count("callbacks_failed");
  c.deflected = count("deflected");
  c.voicemail = count("voicemail");
  c.disconnected = count("disconnected");
  c.total_answer_wait = in.MicrosDuration(in.Field(node, "total_answer_wait"));
  c.ewt_error_sum = in.MicrosDuration(in.Field(node, "ewt_error_sum"));
  c.ewt_abs_error_sum = in.MicrosDuration(in.Field(node, "ewt_abs_error_sum"));
  for (const auto& [code, value] : in.Members(in.Field(node, "dispositions"))) {
    c.dispositions[code] = in.Int(value);
  }
}

std::string_view TimerKindName(TimerKind kind) {
  static constexpr std::string_view kNames[] = {
      "offer_timeout", "wrap_up_end",  "missed_offer_delay", "preferred_timeout",
      "cooldown_end",  "requirement_step", "overflow_wait",  "callback_due",
      "no_agents",     "queue_hours",  "hold_limit",         "reserve_check",
      "queue_recheck"};
  static_assert(std::size(kNames) == kTimerKinds);
  return kNames[static_cast<size_t>(kind)];
}

std::string_view LayoutName(detail::AgentPool::Layout layout) {
  switch (layout) {
    case detail::AgentPool::Layout::kHeap: return "heap";
    case detail::AgentPool::Layout::kByAgent: return "by_agent";
    case detail::AgentPool::Layout::kWeighted: return "weighted";
  }
  return "unknown";
}

}  // namespace

void Engine::Impl::LoadQueue(DumpReader& in, const DumpNode& node, QueueIndex index,
                             LoadScratch& scratch) {
  Queue& queue = queues_.emplace_back();
  const uint64_t count = in.Uint(in.Field(node, "index"));
  if (in.ok() && count != index) in.Fail(in.Field(node, "index"), "expected the record's place");
  // Records refer to records before and after them: checked against the dump's queue count.
  const uint64_t size = scratch.queues;
  queue.home = static_cast<QueueIndex>(in.Uint(in.Field(node, "home"), size - 1));
  queue.chain = static_cast<QueueIndex>(in.Uint(in.Field(node, "chain"), size - 1));
  queue.step = static_cast<uint8_t>(in.Uint(in.Field(node, "step"), 255));
  queue.removed = in.Bool(in.Field(node, "removed"));
  const DumpNode requirement = in.Field(node, "requirement");
  const std::string text = in.String(requirement);
  if (in.ok()) {
    const int skills = skills_.size();
    absl::StatusOr<Requirement> parsed = Requirement::Parse(text, skills_);
    if (!parsed.ok()) {
      in.Fail(requirement, std::string(parsed.status().message()));
    } else if (skills_.size() != skills) {
      in.Fail(requirement, "names a skill missing from $.skills");
    } else {
      queue.requirement = *std::move(parsed);
    }
  }
  queue.own_requirement = in.String(in.Field(node, "own_requirement"));
  queue.config = ReadQueueConfig(in, in.Field(node, "config"));
  for (const DumpNode& step : in.Items(in.Field(node, "steps"))) {
    queue.steps.push_back(
        {.after = in.MicrosDuration(in.Field(step, "after")),
         .queue = static_cast<QueueIndex>(in.Uint(in.Field(step, "queue"), size - 1))});
  }
  for (const DumpNode& member : in.Items(in.Field(node, "members"))) {
    queue.members.push_back(static_cast<QueueIndex>(in.Uint(member, size - 1)));
  }
  queue.serve_interval = in.Double(in.Field(node, "serve_interval_us"));
  queue.last_serve = in.Time(in.Field(node, "last_serve"));
  queue.service_level_threshold = in.MicrosDuration(in.Field(node, "service_level_threshold"));
  queue.waiting_count = in.Int(in.Field(node, "waiting_count"), 0);
  for (const auto& [name, keys] : in.Members(in.Field(node, "waiting"))) {
    const std::optional<Channel> channel = ParseChannel(name);
    if (!channel) {
      in.Fail(keys, "unknown channel");
      break;
    }
    for (const DumpNode& key : in.Items(keys)) {
      scratch.waiting.push_back({key, index, *channel, in.Key(key)});
    }
  }
  for (const auto& [name, tiers] : in.Members(in.Field(node, "tiers"))) {
    const std::optional<Channel> channel = ParseChannel(name);
    if (!channel) {
      in.Fail(tiers, "unknown channel");
      break;
    }
    auto& list = queue.tiers[static_cast<size_t>(*channel)];
    for (const DumpNode& tier : in.Items(tiers)) {
      const Micros min_wait = in.MicrosDuration(in.Field(tier, "min_wait"));
      const bool reserve = in.Bool(in.Field(tier, "reserve"));
      const auto layout = ReadEnum<detail::AgentPool::Layout>(in, in.Field(tier, "layout"), 3,
                                                              LayoutName);
      if (!in.ok()) return;
      if (min_wait < 0 || min_wait > (Micros{1} << 50) ||
          (!list.empty() && list.back()->key >= Tier::TierKey(min_wait, reserve))) {
        in.Fail(tier, "expected tiers by increasing minimum wait");
        return;
      }
      list.push_back(std::make_unique<Tier>(min_wait, reserve, layout));
      LoadScratch::Numbers numbers{
          .tier = list.back().get(),
          .node = tier,
          .numbers = static_cast<uint32_t>(
              in.Uint(in.Field(tier, "member_numbers"), uint32_t{1} << 30)),
          .free = {},
          .size = in.Int(in.Field(tier, "size"), 0)};  // checked against the agents pooled
      for (const DumpNode& member : in.Items(in.Field(tier, "free_members"))) {
        numbers.free.push_back(static_cast<uint32_t>(in.Uint(member, UINT32_MAX)));
      }
      scratch.tiers.push_back(std::move(numbers));
    }
  }
  queue.round_robin_cursor = in.Index(in.Field(node, "round_robin_cursor"), kNoIndex);
  for (const auto& [name, at] : in.Members(in.Field(node, "recheck_at"))) {
    const std::optional<Channel> channel = ParseChannel(name);
    if (!channel) {
      in.Fail(at, "unknown channel");
      break;
    }
    queue.recheck_at[static_cast<size_t>(*channel)] = in.Time(at);
  }
  ReadCounters(in, in.Field(node, "counters"), queue.counters);
  const std::vector<DumpNode> rules = in.Items(in.Field(node, "overflow"));
  if (in.ok() && rules.size() != (queue.home == index ? queue.config.overflow.size() : 0)) {
    in.Fail(in.Field(node, "overflow"), "expected one entry per overflow rule of the config");
    return;
  }
  for (size_t r = 0; r < rules.size(); ++r) {
    queue.overflow.push_back({.config = queue.config.overflow[r],
                              .target = in.Index(in.Field(rules[r], "target"), size),
                              .wait = in.MicrosDuration(in.Field(rules[r], "wait"))});
  }
  for (const DumpNode& rule : in.Items(in.Field(node, "wait_rules"))) {
    queue.wait_rules.push_back(static_cast<uint8_t>(in.Uint(rule, 255)));
    if (in.ok() && queue.wait_rules.back() >= queue.overflow.size()) {
      in.Fail(rule, "expected the index of an overflow rule");
    }
  }
  queue.arrival_rules = in.Bool(in.Field(node, "arrival_rules"));
  queue.no_agents_rules = in.Bool(in.Field(node, "no_agents_rules"));
  queue.closed_rules = in.Bool(in.Field(node, "closed_rules"));
  queue.rules_epoch = static_cast<uint16_t>(in.Uint(in.Field(node, "rules_epoch"), 65535));
  // The schedule is not dumped: it is compiled from config.hours as AddQueue and UpdateQueue
  // compile it (only home records have one; a removed queue keeps its own).
  const DumpNode has_schedule = in.Field(node, "has_schedule");
  if (in.Bool(has_schedule)) {
    if (!queue.config.hours) {
      in.Fail(has_schedule, "expected opening hours in the config");
    } else if (in.ok()) {
      absl::StatusOr<std::shared_ptr<const OpeningSchedule>> schedule =
          CompileSchedule(queue.config);
      if (schedule.ok()) {
        queue.schedule = *std::move(schedule);
      } else {
        in.Fail(in.Field(in.Field(node, "config"), "hours"),
                std::string(schedule.status().message()));
      }
    }
  }
  // As dumped, not recomputed from the schedule: the engine sets it when hours are set and when
  // the kQueueHours timer runs, not at every instant.
  const DumpNode open = in.Field(node, "open");
  queue.open = in.Bool(open);
  if (in.ok() && !queue.open && !queue.schedule) {
    in.Fail(open, "expected a queue without opening hours to be open");
  }
  queue.hours_change = in.Time(in.Field(node, "hours_change"));
  queue.logged_in_agents = in.Int(in.Field(node, "logged_in_agents"), 0);
  queue.reserve_active = in.Bool(in.Field(node, "reserve_active"));
  const DumpNode reserve = in.Field(node, "reserve");
  if (in.ok() && !in.IsNull(reserve)) {
    auto state = std::make_unique<ReserveState>();
    state->activate_below = in.Double(in.Field(reserve, "activate_below"));
    state->deactivate_at = in.Double(in.Field(reserve, "deactivate_at"));
    state->activate_wait = in.MicrosDuration(in.Field(reserve, "activate_wait"));
    state->deactivate_wait = in.MicrosDuration(in.Field(reserve, "deactivate_wait"));
    state->window = in.MicrosDuration(in.Field(reserve, "window"));
    state->check_every = in.MicrosDuration(in.Field(reserve, "check_every"));
    for (const DumpNode& decided : in.Items(in.Field(reserve, "decided"))) {
      const std::vector<DumpNode> pair = in.Items(decided);
      if (in.ok() && pair.size() != 2) {
        in.Fail(decided, "expected [time, within]");
        break;
      }
      if (!in.ok()) break;
      state->decided.emplace_back(in.Time(pair[0]), in.Bool(pair[1]));
    }
    state->within = in.Int(in.Field(reserve, "within"), 0);
    state->check_at = in.Time(in.Field(reserve, "check_at"));
    queue.reserve = std::move(state);
  }
}

absl::StatusOr<std::unique_ptr<Engine::Impl>> Engine::Impl::LoadState(std::string_view dump) {
  absl::StatusOr<detail::JsonValue> json = detail::ParseJson(dump);
  if (!json.ok()) return json.status();
  DumpReader in;
  const DumpNode root{&*json, "$"};
  const DumpNode format = in.Field(root, "format");
  const std::string version = in.String(format);
  if (!in.ok()) return in.status();
  if (version != kFormat) {
    return absl::FailedPreconditionError(detail::Cat(
        "snapshot format is '", version, "'; this engine reads '", kFormat, "'"));
  }
  const DumpNode options_node = in.Field(root, "options");
  EngineOptions options = ReadOptions(in, options_node);
  if (!in.ok()) return in.status();
  if (absl::Status valid = ValidateOptions(options); !valid.ok()) {
    in.Fail(options_node, std::string(valid.message()));
    return in.status();
  }
  auto impl = std::make_unique<Impl>(std::move(options));
  impl->Load(in, root);
  if (!in.ok()) return in.status();
  // What was read must be all there is: the engine dumps to the same text (but for the events
  // buffered, which are not restored: the engine starts with none).
  std::string expected(dump);
  const std::string buffered_key = "\"events_buffered\":";
  if (const size_t at = expected.find(buffered_key); at != std::string::npos) {
    const size_t from = at + buffered_key.size();
    const size_t to = expected.find(',', from);
    if (to != std::string::npos) expected.replace(from, to - from, "0");
  }
  const std::string again = impl->DumpState();
  if (again != expected) {
    size_t at = 0;
    while (at < again.size() && at < expected.size() && again[at] == expected[at]) ++at;
    return absl::DataLossError(detail::Cat(
        "snapshot: inconsistent: the engine read back dumps differently from byte ", at,
        " on (\"", expected.substr(at > 40 ? at - 40 : 0, 80), "\")"));
  }
  return impl;
}

void Engine::Impl::Load(DumpReader& in, const DumpNode& root) {
  LoadScratch scratch;
  now_ = in.Time(in.Field(root, "now"), std::numeric_limits<Micros>::min());
  const std::vector<DumpNode> random = in.Items(in.Field(root, "random"));
  if (in.ok() && random.size() != detail::Random::kStateWords) {
    in.Fail(in.Field(root, "random"), "expected 4 state words");
    return;
  }
  uint64_t words[4] = {};
  for (size_t i = 0; i < random.size(); ++i) words[i] = in.Uint(random[i]);
  if (in.ok() && words[0] == 0 && words[1] == 0 && words[2] == 0 && words[3] == 0) {
    in.Fail(in.Field(root, "random"), "expected a state that is not all zero");
  }
  random_.SetState(words);
  next_token_ = in.Uint(in.Field(root, "next_token"));
  next_contact_sequence_ = in.Uint(in.Field(root, "next_contact_sequence"));
  event_sequence_ = in.Uint(in.Field(root, "event_sequence"));
  in.Uint(in.Field(root, "events_buffered"));
  const uint64_t scheduled =
      in.Uint(in.Field(root, "timers_scheduled"), (uint64_t{1} << 56) - 1);
  least_occupied_queues_ = static_cast<int>(in.Int(in.Field(root, "least_occupied_queues"), 0,
                                                   INT32_MAX));
  multi_offer_ = in.Bool(in.Field(root, "multi_offer"));
  actor_ = ReadActor(in, in.Field(root, "actor"));
  cause_ = ReadEnum<Cause>(in, in.Field(root, "cause"), 16, [](Cause c) {
    return static_cast<int>(c) < 16 ? CauseName(c) : std::string_view();
  });
  const DumpNode callback_at = in.Field(root, "contact_callback_at");
  if (in.ok() && !in.IsNull(callback_at)) contact_callback_at_ = in.Time(callback_at);

  for (const DumpNode& skill : in.Items(in.Field(root, "skills"))) {
    const std::string name = in.String(skill);
    if (!in.ok()) return;
    if (static_cast<int>(skills_.Intern(name)) + 1 != skills_.size()) {
      in.Fail(skill, "expected a skill name not listed before");
      return;
    }
  }
  const std::vector<DumpNode> agents = in.Items(in.Field(root, "agents"));
  const std::vector<DumpNode> contacts = in.Items(in.Field(root, "contacts"));
  const std::vector<DumpNode> queues = in.Items(in.Field(root, "queues"));
  scratch.agents = agents.size();
  scratch.contacts = contacts.size();
  scratch.queues = queues.size();
  if (!in.ok()) return;
  if (scratch.agents >= kNoIndex || scratch.contacts >= kNoIndex || scratch.queues >= kNoIndex) {
    in.Fail(root, "too many records");
    return;
  }
  for (const DumpNode& list : in.Items(in.Field(root, "agents_by_skill"))) {
    auto& indexes = agents_by_skill_.emplace_back();
    for (const DumpNode& agent : in.Items(list)) {
      indexes.push_back(static_cast<AgentIndex>(in.Uint(agent, scratch.agents - 1)));
    }
  }
  if (in.ok() && agents_by_skill_.size() > static_cast<size_t>(skills_.size())) {
    in.Fail(in.Field(root, "agents_by_skill"), "expected at most one list per skill");
  }

  for (size_t q = 0; q < queues.size() && in.ok(); ++q) {
    LoadQueue(in, queues[q], static_cast<QueueIndex>(q), scratch);
  }
  if (!in.ok()) return;
  for (size_t q = 0; q < queues_.size(); ++q) {
    const Queue& queue = queues_[q];
    if (queue.home == q && !queue.removed) {
      if (!queue_ids_.emplace(queue.config.id, static_cast<QueueIndex>(q)).second) {
        in.Fail(queues[q], "duplicate queue id");
        return;
      }
    }
  }

  for (const DumpNode& node : in.Items(in.Field(root, "entry_rules"))) {
    EntryRuleRecord rule;
    const DumpNode when = in.Field(node, "when");
    const std::string text = in.String(when);
    if (!in.ok()) return;
    absl::StatusOr<ContactCondition> condition = ContactCondition::Parse(text);
    if (!condition.ok()) {
      in.Fail(when, std::string(condition.status().message()));
      return;
    }
    rule.when = *std::move(condition);
    rule.queue = in.Index(in.Field(node, "queue"), scratch.queues);
    rule.entry = in.Index(in.Field(node, "entry"), scratch.queues);
    const DumpNode priority = in.Field(node, "priority");
    if (in.ok() && !in.IsNull(priority)) {
      rule.priority = static_cast<int>(in.Int(priority, INT32_MIN, INT32_MAX));
    }
    const DumpNode priority_class = in.Field(node, "priority_class");
    if (in.ok() && !in.IsNull(priority_class)) {
      rule.priority_class = static_cast<int>(in.Int(priority_class, INT32_MIN, INT32_MAX));
    }
    rule.deflect = in.String(in.Field(node, "deflect"));
    rule.description = in.String(in.Field(node, "description"));
    entry_rules_.push_back(std::move(rule));
  }

  for (size_t a = 0; a < agents.size() && in.ok(); ++a) {
    LoadAgent(in, agents[a], static_cast<AgentIndex>(a), scratch);
  }
  for (size_t s = 0; s < contacts.size() && in.ok(); ++s) {
    LoadContact(in, contacts[s], static_cast<ContactSlot>(s), scratch);
  }
  if (!in.ok()) return;
  std::vector<bool> free(contacts_.size(), false);
  for (const DumpNode& node : in.Items(in.Field(root, "free_slots"))) {
    const ContactSlot slot = static_cast<ContactSlot>(in.Uint(node, scratch.contacts - 1));
    if (!in.ok()) return;
    if (contacts_[slot].in_use || free[slot]) {
      in.Fail(node, "expected a free slot listed once");
      return;
    }
    free[slot] = true;
    free_slots_.push_back(slot);
  }
  size_t unused = 0;
  for (size_t s = 0; s < contacts_.size(); ++s) unused += contacts_[s].in_use ? 0 : 1;
  if (free_slots_.size() != unused) {
    in.Fail(in.Field(root, "free_slots"), "expected every free slot");
    return;
  }
  RebuildIndexes(in, root, scratch);
  if (!in.ok()) return;

  for (const DumpNode& node : in.Items(in.Field(root, "timers"))) {
    Timer timer;
    timer.time = in.Time(in.Field(node, "time"));
    const auto kind = ReadEnum<TimerKind>(in, in.Field(node, "kind"),
                                          static_cast<int>(kTimerKinds), TimerKindName);
    const uint64_t order = in.Uint(in.Field(node, "order"), scheduled);
    timer.rank = static_cast<uint64_t>(kind) << 56 | order;
    timer.a = static_cast<uint32_t>(in.Uint(in.Field(node, "a"), UINT32_MAX));
    timer.b = static_cast<uint32_t>(in.Uint(in.Field(node, "b"), UINT32_MAX));
    timer.token = in.Uint(in.Field(node, "token"));
    if (!in.ok()) return;
    uint64_t records = scratch.contacts;  // what `a` refers to
    switch (kind) {
      case TimerKind::kWrapUpEnd:
      case TimerKind::kMissedOfferDelay:
        records = scratch.agents;
        break;
      case TimerKind::kNoAgents:
      case TimerKind::kQueueHours:
      case TimerKind::kReserveCheck:
      case TimerKind::kQueueRecheck:
        records = scratch.queues;
        break;
      default:
        break;
    }
    if (timer.a >= records || (kind == TimerKind::kQueueRecheck && timer.b >= kChannelCount)) {
      in.Fail(node, "expected a timer about an existing record");
      return;
    }
    if (kind == TimerKind::kQueueHours && !queues_[timer.a].schedule) {
      in.Fail(node, "expected a timer about a queue with opening hours");
      return;
    }
    timers_.Restore(timer);
    if (!IsLive(timer)) {
      in.Fail(node, "expected a live timer");
      return;
    }
  }
  timers_.SetScheduled(scheduled);
  interval_stats_.Load(in, in.Field(root, "interval_stats"));
}

}  // namespace switchboard
