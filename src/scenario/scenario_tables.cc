// The scenario's tables (scenario_tables.h): which keys each takes, their types and ranges, and
// the messages for the keys that belong elsewhere or arrive with later features.
#include "scenario/scenario_tables.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "base/status_macros.h"
#include "fmt/format.h"
#include "scenario/scenario_internal.h"  // toml++, with its assertions off
#include "scenario/toml_reader.h"
#include "switchboard/attributes.h"
#include "switchboard/capacity.h"
#include "switchboard/channel.h"
#include "switchboard/engine.h"
#include "switchboard/limits.h"
#include "switchboard/opening_hours.h"
#include "switchboard/queue.h"
#include "switchboard/requirements.h"
#include "switchboard/sim.h"
#include "switchboard/skills.h"
#include "switchboard/strategy.h"

namespace switchboard::detail::scenario {
namespace {

// Bounds of the integer keys (the engine's own bounds where it has them).
constexpr int64_t kMaxReplications = std::numeric_limits<int>::max();  // limits: ValidateSimulation
constexpr int64_t kMaxAgentsPerGroup = std::numeric_limits<int>::max();  // likewise
constexpr int64_t kMaxMisses = 1000000;

Names StrategyNames() {
  Names names;
  for (int i = 0; i < kStrategyCount; ++i) {
    const auto strategy = static_cast<Strategy>(i);
    if (strategy != Strategy::kHostScore) names.push_back(StrategyName(strategy));
  }
  return names;
}

Names ChannelNames() {
  Names names;
  for (Channel channel : kAllChannels) names.push_back(ChannelName(channel));
  return names;
}

}  // namespace

absl::Status ParseSimulation(const Where& where, const toml::table& table,
                             SimulationConfig& config, std::string& zone) {
  SWITCHBOARD_RETURN_IF_ERROR(
      CheckKeys(where, table, "",
                {"seed", "duration", "warmup", "replications", "interval", "answer_delay",
                 "no_answer_probability", "start", "zone"}));
  absl::TimeZone time_zone = absl::UTCTimeZone();
  zone = "UTC";
  if (const toml::node* node = table.get("zone")) {
    absl::StatusOr<std::string> name = ReadString(where, *node, "zone");
    if (!name.ok()) return name.status();
    // OpeningSchedule's check of the name (no file paths), on hours open all the time.
    OpeningHours probe{.zone = *name};
    if (absl::StatusOr<OpeningSchedule> checked = OpeningSchedule::Create(probe); !checked.ok()) {
      return where.KeyError("zone", detail::Message(checked.status()));
    }
    absl::LoadTimeZone(*name, &time_zone);
    zone = *std::move(name);
  }
  if (const toml::node* node = table.get("start")) {
    absl::StatusOr<std::string> text = ReadString(where, *node, "start");
    if (!text.ok()) return text.status();
    absl::CivilSecond start;
    if (text->size() != 19 || !absl::ParseCivilTime(*text, &start) ||
        absl::FormatCivilTime(start) != *text) {
      return where.KeyError("start", fmt::format("expected a local date-time like "
                                                 "\"2026-01-05T08:00:00\", found '{}'",
                                                 Printable(*text, 0)));
    }
    config.start = absl::FromCivil(start, time_zone);
  } else {
    config.start = absl::FromCivil(absl::CivilSecond(2026, 1, 5, 0, 0, 0), time_zone);
  }
  if (const toml::node* node = table.get("seed")) {
    absl::StatusOr<int64_t> seed = ReadInteger(where, *node, "seed", 0, kMaxInt);
    if (!seed.ok()) return seed.status();
    config.seed = static_cast<uint64_t>(*seed);
  }
  const toml::node* duration = table.get("duration");
  if (duration == nullptr) {
    return where.Missing("duration", R"(the measured simulated time, e.g. duration = "8h")");
  }
  absl::StatusOr<absl::Duration> value =
      ReadDuration(where, *duration, "duration", Bound::kPositive);
  if (!value.ok()) return value.status();
  config.duration = *value;
  if (const toml::node* node = table.get("warmup")) {
    value = ReadDuration(where, *node, "warmup");
    if (!value.ok()) return value.status();
    config.warmup = *value;
  }
  if (const toml::node* node = table.get("replications")) {
    absl::StatusOr<int64_t> replications =
        ReadInteger(where, *node, "replications", 1, kMaxReplications);
    if (!replications.ok()) return replications.status();
    config.replications = static_cast<int>(*replications);
  }
  if (const toml::node* node = table.get("interval")) {
    value = ReadDuration(where, *node, "interval", Bound::kPositive);
    if (!value.ok()) return value.status();
    config.interval = *value;
  }
  if (const toml::node* node = table.get("answer_delay")) {
    value = ReadDuration(where, *node, "answer_delay");
    if (!value.ok()) return value.status();
    config.answer_delay = *value;
  }
  if (const toml::node* node = table.get("no_answer_probability")) {
    absl::StatusOr<double> share =
        ReadNumber(where, *node, "no_answer_probability", Bound::kFraction);
    if (!share.ok()) return share.status();
    config.no_answer_probability = *share;
  }
  return absl::OkStatus();
}

absl::Status ParseEngine(const Where& where, const toml::table& table, EngineOptions& options) {
  struct DurationKey {
    std::string_view key;
    absl::Duration EngineOptions::*field;
    Bound bound;
  };
  static constexpr std::array<DurationKey, 7> kDurations = {{
      {"offer_timeout", &EngineOptions::offer_timeout, Bound::kPositive},
      {"rona_cooldown", &EngineOptions::rona_cooldown, Bound::kNonNegative},
      {"reject_delay", &EngineOptions::reject_delay, Bound::kNonNegative},
      {"timeout_delay", &EngineOptions::timeout_delay, Bound::kNonNegative},
      {"aging_unit", &EngineOptions::aging_unit, Bound::kNonNegative},
      {"occupancy_window", &EngineOptions::occupancy_window, Bound::kPositive},
      {"ewt_initial_interval", &EngineOptions::ewt_initial_interval, Bound::kPositive},
  }};
  Names known = {"max_consecutive_misses", "max_transfers"};
  for (const DurationKey& d : kDurations) known.push_back(d.key);
  SWITCHBOARD_RETURN_IF_ERROR(CheckKeys(where, table, "", known));
  for (const DurationKey& d : kDurations) {
    const toml::node* node = table.get(d.key);
    if (node == nullptr) continue;
    absl::StatusOr<absl::Duration> value = ReadDuration(where, *node, d.key, d.bound);
    if (!value.ok()) return value.status();
    options.*d.field = *value;
  }
  if (const toml::node* node = table.get("max_consecutive_misses")) {
    absl::StatusOr<int64_t> misses =
        ReadInteger(where, *node, "max_consecutive_misses", 0, kMaxMisses);
    if (!misses.ok()) return misses.status();
    options.max_consecutive_misses = static_cast<int>(*misses);
  }
  if (const toml::node* node = table.get("max_transfers")) {
    absl::StatusOr<int64_t> transfers =
        ReadInteger(where, *node, "max_transfers", 0, kMaxTransfers);
    if (!transfers.ok()) return transfers.status();
    options.max_transfers = static_cast<int>(*transfers);
  }
  return absl::OkStatus();
}

namespace {

// skill -> level tables (queue `require`, agent `skills`).
absl::Status ParseSkillLevels(const Where& where, const toml::table& table, std::string_view path,
                              std::map<std::string, int, std::less<>>& out) {
  for (auto&& [key, node] : table) {
    const std::string_view name = key.str();
    const std::string key_path = Join(path, Printable(name, 0));
    if (absl::Status status = ValidateSkillName(name); !status.ok()) {
      return where.KeyError(key_path, detail::Message(status));
    }
    absl::StatusOr<int64_t> level =
        ReadInteger(where, node, key_path, kMinSkillLevel, kMaxSkillLevel);
    if (!level.ok()) return level.status();
    out.emplace(std::string(name), static_cast<int>(*level));
  }
  return absl::OkStatus();
}


// A requirement given as `require` (skill -> minimum level; its skills noted in
// `required_skills` for the loader's checks) or as `requirement` (an engine expression, parsed here so that an error
// points at its key): the expression text, "" when neither is given.
absl::StatusOr<std::string> ParseRequirement(
    const Where& where, const toml::table& table, std::string_view path,
    std::map<std::string, std::string, std::less<>>& required_skills) {
  const std::string require_path = Join(path, "require");
  const std::string requirement_path = Join(path, "requirement");
  if (table.contains("require") && table.contains("requirement")) {
    return where.KeyError(requirement_path,
                          fmt::format("give either '{}' or '{}', not both", require_path,
                                      requirement_path));
  }
  if (const toml::node* node = table.get("requirement")) {
    absl::StatusOr<std::string> text = ReadString(where, *node, requirement_path);
    if (!text.ok()) return text.status();
    SkillRegistry scratch;
    if (absl::StatusOr<Requirement> parsed = Requirement::Parse(*text, scratch); !parsed.ok()) {
      return where.KeyError(requirement_path, detail::Message(parsed.status()));
    }
    return *std::move(text);
  }
  absl::StatusOr<const toml::table*> levels =
      ReadTable(where, table, "require", require_path, "{ support = 1 }");
  if (!levels.ok()) return levels.status();
  if (*levels == nullptr) return std::string();
  std::map<std::string, int, std::less<>> own;
  SWITCHBOARD_RETURN_IF_ERROR(ParseSkillLevels(where, **levels, require_path, own));
  std::string text;
  for (const auto& [skill, level] : own) {
    if (!text.empty()) text += " && ";
    text += fmt::format("{} >= {}", skill, level);
    required_skills.emplace(skill, Join(require_path, skill));
  }
  return text;
}

// [[queue.step]]: { after = duration > 0, requirement = "..." or require = { ... } }, in
// increasing `after`.
absl::Status ParseSteps(const Where& where, const toml::table& table, ParsedQueue& queue) {
  const toml::node* node = table.get("step");
  if (node == nullptr) return absl::OkStatus();
  constexpr std::string_view kExpected =
      R"(an array of tables like [[queue.step]] after = "30s" requirement = "support >= 1")";
  const toml::array* array = node->as_array();
  if (array == nullptr || (!array->empty() && !array->is_array_of_tables())) {
    return where.WrongType("step", kExpected, *node);
  }
  if (array->size() > kMaxRequirementSteps) {
    return where.KeyError("step", fmt::format("{} steps; expected at most {}", array->size(),
                                              kMaxRequirementSteps));
  }
  for (size_t i = 0; i < array->size(); ++i) {
    const std::string path = Indexed("step", i);
    const toml::table& step = *(*array)[i].as_table();
    SWITCHBOARD_RETURN_IF_ERROR(CheckKeys(where, step, path, {"after", "requirement", "require"}));
    const toml::node* after_node = step.get("after");
    if (after_node == nullptr) {
      return where.Missing(Join(path, "after"), "the wait after which the step applies");
    }
    absl::StatusOr<absl::Duration> after =
        ReadDuration(where, *after_node, Join(path, "after"), Bound::kPositive);
    if (!after.ok()) return after.status();
    if (i > 0 && *after <= queue.config.steps.back().after) {
      return where.KeyError(Join(path, "after"),
                            fmt::format("expected more than {} ({}), found {}",
                                        Join(Indexed("step", i - 1), "after"),
                                        absl::FormatDuration(queue.config.steps.back().after),
                                        Show(*after_node)));
    }
    if (!step.contains("requirement") && !step.contains("require")) {
      return where.Missing(Join(path, "requirement"),
                           "the step's requirement, an expression (or a 'require' table)");
    }
    absl::StatusOr<std::string> requirement =
        ParseRequirement(where, step, path, queue.required_skills);
    if (!requirement.ok()) return requirement.status();
    queue.config.steps.push_back({.after = *after, .requirement = *std::move(requirement)});
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ParseQueue(const Where& where, const toml::table& table, ParsedQueue& queue) {
  // Keys that belong elsewhere get their own message.
  if (table.contains("wrap_up")) {
    return where.KeyError("wrap_up",
                          "wrap-up is set per traffic stream: move it to the [[traffic]] tables "
                          "of this queue");
  }
  SWITCHBOARD_RETURN_IF_ERROR(
      CheckKeys(where, table, "",
                {"name", "strategy", "priority", "require", "requirement", "service_level",
                 "max_length", "step", "overflow", "hours", "closed_on", "reserve"}));
  QueueConfig& config = queue.config;

  const toml::node* name = table.get("name");
  if (name == nullptr) return where.Missing("name", "the queue's name, a string");
  absl::StatusOr<std::string> id = ReadString(where, *name, "name");
  if (!id.ok()) return id.status();
  if (id->empty()) return where.KeyError("name", "expected a non-empty string, found \"\"");
  if (absl::Status status = CheckText("the name", *id, kMaxIdBytes); !status.ok()) {
    return where.KeyError("name", detail::Message(status));
  }
  config.id = *std::move(id);

  if (const toml::node* node = table.get("strategy")) {
    if (const auto* s = node->as_string(); s != nullptr && s->get() == "host_score") {
      return where.KeyError(
          "strategy",
          fmt::format("strategy 'host_score' needs a host callback and cannot be used in a "
                      "scenario file; expected one of {}",
                      JoinNames(StrategyNames(), " | ")));
    }
    absl::StatusOr<std::string> strategy =
        ReadName(where, *node, "strategy", "strategy", StrategyNames());
    if (!strategy.ok()) return strategy.status();
    config.strategy = *ParseStrategy(*strategy);
  }

  if (const toml::node* node = table.get("priority")) {
    absl::StatusOr<int64_t> priority =
        ReadInteger(where, *node, "priority", -kMaxPriority, kMaxPriority);
    if (!priority.ok()) return priority.status();
    config.priority = static_cast<int>(*priority);
  }

  absl::StatusOr<std::string> requirement = ParseRequirement(where, table, "", queue.required_skills);
  if (!requirement.ok()) return requirement.status();
  config.requirement = *std::move(requirement);
  SWITCHBOARD_RETURN_IF_ERROR(ParseSteps(where, table, queue));
  SWITCHBOARD_RETURN_IF_ERROR(ParseHours(where, table, queue));
  SWITCHBOARD_RETURN_IF_ERROR(ParseOverflow(where, table, queue));
  SWITCHBOARD_RETURN_IF_ERROR(ParseReserve(where, table, queue));

  absl::StatusOr<const toml::table*> service_level = ReadTable(
      where, table, "service_level", "service_level", R"({ threshold = "20s", target = 0.8 })");
  if (!service_level.ok()) return service_level.status();
  if (*service_level != nullptr) {
    const toml::table& sl = **service_level;
    SWITCHBOARD_RETURN_IF_ERROR(CheckKeys(where, sl, "service_level", {"threshold", "target"}));
    if (const toml::node* node = sl.get("threshold")) {
      absl::StatusOr<absl::Duration> threshold =
          ReadDuration(where, *node, "service_level.threshold");
      if (!threshold.ok()) return threshold.status();
      config.service_level_threshold = *threshold;
    }
    if (const toml::node* node = sl.get("target")) {
      absl::StatusOr<double> target =
          ReadNumber(where, *node, "service_level.target", Bound::kFraction);
      if (!target.ok()) return target.status();
      config.service_level_target = *target;
    }
  }

  if (const toml::node* node = table.get("max_length")) {
    absl::StatusOr<int64_t> max_length = ReadInteger(where, *node, "max_length", 0, kMaxInt);
    if (!max_length.ok()) return max_length.status();
    config.max_length = *max_length;
  }
  return absl::OkStatus();
}

namespace {

absl::StatusOr<Arrivals> ParseArrivals(const Where& where, const toml::table& parent) {
  constexpr std::string_view kExample =
      R"({ rate = 600, per = "1h" } or { per = "30m", rates = [40, 55, 80] })";
  const toml::node* node = parent.get("arrivals");
  if (node == nullptr) return where.Missing("arrivals", fmt::format("a table like {}", kExample));
  const toml::table* table = node->as_table();
  if (table == nullptr)
    return where.WrongType("arrivals", fmt::format("a table like {}", kExample), *node);
  SWITCHBOARD_RETURN_IF_ERROR(CheckKeys(where, *table, "arrivals", {"rate", "per", "rates"}));

  Arrivals arrivals;
  arrivals.per = absl::Hours(1);
  if (const toml::node* per = table->get("per")) {
    absl::StatusOr<absl::Duration> value =
        ReadDuration(where, *per, "arrivals.per", Bound::kPositive);
    if (!value.ok()) return value.status();
    arrivals.per = *value;
  }
  const toml::node* rate = table->get("rate");
  const toml::node* rates = table->get("rates");
  if (rate != nullptr && rates != nullptr) {
    return where.KeyError("arrivals",
                          "give either 'rate' (constant) or 'rates' (piecewise), not both");
  }
  if (rate != nullptr) {
    absl::StatusOr<double> value = ReadNumber(where, *rate, "arrivals.rate", Bound::kPositive);
    if (!value.ok()) return value.status();
    arrivals.rates = {*value};
    return arrivals;
  }
  if (rates == nullptr) {
    return where.KeyError("arrivals",
                          "expected 'rate' (arrivals per 'per', constant) or 'rates' (one per "
                          "period of length 'per', piecewise)");
  }
  const toml::array* array = rates->as_array();
  if (array == nullptr) {
    return where.WrongType("arrivals.rates", "an array of numbers >= 0", *rates);
  }
  if (array->empty()) {
    return where.KeyError("arrivals.rates",
                          "expected a non-empty array of numbers >= 0, found an empty array");
  }
  bool any_positive = false;
  for (size_t i = 0; i < array->size(); ++i) {
    absl::StatusOr<double> value =
        ReadNumber(where, (*array)[i], Indexed("arrivals.rates", i), Bound::kNonNegative);
    if (!value.ok()) return value.status();
    any_positive = any_positive || *value > 0;
    arrivals.rates.push_back(*value);
  }
  if (!any_positive) {
    return where.KeyError("arrivals.rates", "expected at least one rate > 0, found only zeros");
  }
  return arrivals;
}

}  // namespace

absl::StatusOr<Distribution> ParseDistribution(const Where& where, const toml::table& parent,
                                               std::string_view key, bool patience,
                                               std::string_view prefix) {
  const std::string path = Join(prefix, key);
  const std::string example =
      fmt::format(R"({{ dist = "exponential", mean = "{}" }})", patience ? "5m" : "3m");
  const toml::node* node = parent.get(key);
  if (node == nullptr) {
    if (patience) return Distribution::None();
    return where.Missing(path, fmt::format("a table like {}", example));
  }
  const toml::table* table = node->as_table();
  if (table == nullptr) return where.WrongType(path, fmt::format("a table like {}", example), *node);
  SWITCHBOARD_RETURN_IF_ERROR(CheckKeys(where, *table, path, {"dist", "mean", "sd", "values"}));

  Names dists = {"exponential", "lognormal", "constant", "gamma", "empirical"};
  if (patience) dists.push_back("none");
  const std::string dist_path = Join(path, "dist");
  const toml::node* dist_node = table->get("dist");
  if (dist_node == nullptr) {
    return where.Missing(dist_path, fmt::format("one of {}", JoinNames(dists, " | ")));
  }
  absl::StatusOr<std::string> dist = ReadName(where, *dist_node, dist_path, "distribution", dists);
  if (!dist.ok()) return dist.status();

  // The keys each distribution takes.
  Names takes;
  if (*dist == "exponential" || *dist == "constant") {
    takes = {"mean"};
  } else if (*dist == "lognormal" || *dist == "gamma") {
    takes = {"mean", "sd"};
  } else if (*dist == "empirical") {
    takes = {"values"};
  }
  for (std::string_view k : {"mean", "sd", "values"}) {
    const bool used = std::find(takes.begin(), takes.end(), k) != takes.end();
    if (!used && table->contains(k)) {
      return where.KeyError(
          Join(path, k),
          fmt::format("not used by dist '{}' ({})", *dist,
                      takes.empty() ? std::string("it takes no parameters")
                                    : fmt::format("it takes {}", JoinNames(takes, ", "))));
    }
    if (used && !table->contains(k)) {
      const std::string_view what = k == "values" ? "a non-empty array of durations"
                                    : k == "sd"   ? "a standard deviation > 0"
                                                  : "a mean duration";
      return where.Missing(Join(path, k), fmt::format("{} for dist '{}'", what, *dist));
    }
  }

  if (*dist == "none") return Distribution::None();
  if (*dist == "empirical") {
    const std::string values_path = Join(path, "values");
    const toml::node* values = table->get("values");
    const toml::array* array = values->as_array();
    if (array == nullptr) {
      return where.WrongType(values_path, "a non-empty array of durations", *values);
    }
    if (array->empty()) {
      return where.KeyError(values_path,
                            "expected a non-empty array of durations, found an empty array");
    }
    std::vector<double> seconds;
    bool any_positive = false;
    for (size_t i = 0; i < array->size(); ++i) {
      absl::StatusOr<absl::Duration> value =
          ReadDuration(where, (*array)[i], Indexed(values_path, i));
      if (!value.ok()) return value.status();
      any_positive = any_positive || *value > absl::ZeroDuration();
      seconds.push_back(absl::ToDoubleSeconds(*value));
    }
    if (!any_positive) {
      return where.KeyError(values_path, "expected at least one duration > 0, found only zeros");
    }
    return Distribution::Empirical(std::move(seconds));
  }

  // A constant patience may be 0 (abandon unless answered at once); every other mean is > 0.
  const Bound mean_bound = patience && *dist == "constant" ? Bound::kNonNegative : Bound::kPositive;
  absl::StatusOr<absl::Duration> mean =
      ReadDuration(where, *table->get("mean"), Join(path, "mean"), mean_bound);
  if (!mean.ok()) return mean.status();
  const double mean_s = absl::ToDoubleSeconds(*mean);
  if (*dist == "exponential") return Distribution::Exponential(mean_s);
  if (*dist == "constant") return Distribution::Constant(mean_s);
  absl::StatusOr<absl::Duration> sd =
      ReadDuration(where, *table->get("sd"), Join(path, "sd"), Bound::kPositive);
  if (!sd.ok()) return sd.status();
  const double sd_s = absl::ToDoubleSeconds(*sd);
  if (*dist == "lognormal") return Distribution::Lognormal(mean_s, sd_s);
  return Distribution::Gamma(mean_s, sd_s);
}


absl::Status ParseTraffic(const Where& where, const toml::table& table,
                          const std::vector<ParsedQueue>& queues, bool routed,
                          TrafficConfig& traffic) {
  SWITCHBOARD_RETURN_IF_ERROR(
      CheckKeys(where, table, "",
                {"queue", "channel", "arrivals", "handle", "patience", "wrap_up", "priority",
                 "attributes", "redial"}));
  SWITCHBOARD_RETURN_IF_ERROR(ParseTrafficPolicies(where, table, traffic));

  const toml::node* queue = table.get("queue");
  if (queue == nullptr && !routed) {
    return where.Missing("queue", "the name of a [[queue]] (or [[route]] rules to place them)");
  }
  absl::StatusOr<std::string> name =
      queue == nullptr ? absl::StatusOr<std::string>("") : ReadString(where, *queue, "queue");
  if (!name.ok()) return name.status();
  Names defined;
  for (const ParsedQueue& q : queues) defined.push_back(q.config.id);
  if (queue != nullptr && std::find(defined.begin(), defined.end(), *name) == defined.end()) {
    std::string message = fmt::format("unknown queue '{}'", Printable(*name, 0));
    if (std::optional<std::string_view> close = Closest(*name, defined)) {
      message += fmt::format(" (did you mean '{}'?)", *close);
    }
    message += fmt::format("; the [[queue]] tables define {}", JoinNames(defined, ", "));
    return where.KeyError("queue", message);
  }
  traffic.queue = *std::move(name);

  if (const toml::node* node = table.get("channel")) {
    absl::StatusOr<std::string> channel =
        ReadName(where, *node, "channel", "channel", ChannelNames());
    if (!channel.ok()) return channel.status();
    traffic.channel = *ParseChannel(*channel);
  }

  absl::StatusOr<Arrivals> arrivals = ParseArrivals(where, table);
  if (!arrivals.ok()) return arrivals.status();
  traffic.arrivals = *std::move(arrivals);

  absl::StatusOr<Distribution> handle = ParseDistribution(where, table, "handle", false);
  if (!handle.ok()) return handle.status();
  traffic.handle = *std::move(handle);
  absl::StatusOr<Distribution> patience = ParseDistribution(where, table, "patience", true);
  if (!patience.ok()) return patience.status();
  traffic.patience = *std::move(patience);

  if (const toml::node* node = table.get("wrap_up")) {
    absl::StatusOr<absl::Duration> wrap_up = ReadDuration(where, *node, "wrap_up");
    if (!wrap_up.ok()) return wrap_up.status();
    traffic.wrap_up = *wrap_up;
  }
  if (const toml::node* node = table.get("priority")) {
    absl::StatusOr<int64_t> priority =
        ReadInteger(where, *node, "priority", -kMaxPriority, kMaxPriority);
    if (!priority.ok()) return priority.status();
    traffic.priority = static_cast<int>(*priority);
  }
  return absl::OkStatus();
}

namespace {

absl::Status ParseCapacity(const Where& where, const toml::table& table, CapacityConfig& capacity) {
  capacity.limit.fill(0);
  const Names channels = ChannelNames();
  for (auto&& [key, node] : table) {
    const std::string_view name = key.str();
    const std::optional<Channel> channel = ParseChannel(name);
    if (!channel) {
      std::string message = fmt::format("unknown channel '{}'", Printable(name, 0));
      if (std::optional<std::string_view> close = Closest(name, channels)) {
        message += fmt::format(" (did you mean '{}'?)", *close);
      }
      message += fmt::format("; expected one of {}", JoinNames(channels, " | "));
      return where.KeyError("capacity", message);
    }
    absl::StatusOr<int64_t> limit = ReadInteger(where, node, Join("capacity", name), 0, 255);
    if (!limit.ok()) return limit.status();
    capacity.Allow(*channel, static_cast<int>(*limit));
  }
  if (!ValidateCapacity(capacity).ok()) {
    return where.KeyError("capacity",
                          "expected at least one channel with a limit above 0, like { voice = 1 }");
  }
  return absl::OkStatus();
}

absl::Status ParseShift(const Where& where, const toml::table& parent, AgentGroupConfig& group) {
  absl::StatusOr<const toml::table*> shift =
      ReadTable(where, parent, "shift", "shift", R"({ start = "0h", end = "8h" })");
  if (!shift.ok()) return shift.status();
  if (*shift == nullptr) return absl::OkStatus();
  const toml::table& table = **shift;
  SWITCHBOARD_RETURN_IF_ERROR(CheckKeys(where, table, "shift", {"start", "end"}));
  if (const toml::node* node = table.get("start")) {
    absl::StatusOr<absl::Duration> start = ReadDuration(where, *node, "shift.start");
    if (!start.ok()) return start.status();
    group.shift_start = *start;
  }
  if (const toml::node* node = table.get("end")) {
    absl::StatusOr<absl::Duration> end = ReadDuration(where, *node, "shift.end");
    if (!end.ok()) return end.status();
    if (*end <= group.shift_start) {
      return where.KeyError("shift.end",
                            fmt::format("expected a time after shift.start ({}), found {}",
                                        absl::FormatDuration(group.shift_start), Show(*node)));
    }
    group.shift_end = *end;
  }
  return absl::OkStatus();
}

absl::Status ParseBreaks(const Where& where, const toml::table& parent, AgentGroupConfig& group) {
  const toml::node* node = parent.get("breaks");
  if (node == nullptr) return absl::OkStatus();
  constexpr std::string_view kExpected =
      R"(an array of tables like [{ start = "2h", duration = "15m" }])";
  const toml::array* array = node->as_array();
  if (array == nullptr || (!array->empty() && !array->is_array_of_tables())) {
    return where.WrongType("breaks", kExpected, *node);
  }
  absl::Duration previous_end = group.shift_start;
  for (size_t i = 0; i < array->size(); ++i) {
    const std::string path = Indexed("breaks", i);
    const toml::table& table = *(*array)[i].as_table();
    SWITCHBOARD_RETURN_IF_ERROR(CheckKeys(where, table, path, {"start", "duration"}));
    const toml::node* start_node = table.get("start");
    if (start_node == nullptr) {
      return where.Missing(Join(path, "start"), "the break's start since the simulation's start");
    }
    const toml::node* duration_node = table.get("duration");
    if (duration_node == nullptr) {
      return where.Missing(Join(path, "duration"), "the break's length, a duration > 0");
    }
    absl::StatusOr<absl::Duration> start = ReadDuration(where, *start_node, Join(path, "start"));
    if (!start.ok()) return start.status();
    absl::StatusOr<absl::Duration> duration =
        ReadDuration(where, *duration_node, Join(path, "duration"), Bound::kPositive);
    if (!duration.ok()) return duration.status();
    if (*start < previous_end) {
      return where.KeyError(
          Join(path, "start"),
          fmt::format("expected a time at or after {} ({}), found {}",
                      i == 0 ? std::string("shift.start")
                             : fmt::format("the end of {}", Indexed("breaks", i - 1)),
                      absl::FormatDuration(previous_end), Show(*start_node)));
    }
    if (group.shift_end && *start + *duration > *group.shift_end) {
      return where.KeyError(path, fmt::format("the break ends at {}, after shift.end ({})",
                                              absl::FormatDuration(*start + *duration),
                                              absl::FormatDuration(*group.shift_end)));
    }
    group.breaks.push_back({*start, *duration});
    previous_end = *start + *duration;
  }
  return absl::OkStatus();
}

// `reserve_for = ["queue", ...]`: queues of the file, each once, whose requirement (or that of
// one of their steps) the group's skills meet, as the engine requires of a listed queue.
absl::Status ParseReserveFor(const Where& where, const toml::table& table,
                             const std::vector<ParsedQueue>& queues, AgentGroupConfig& group) {
  const toml::node* node = table.get("reserve_for");
  if (node == nullptr) return absl::OkStatus();
  const toml::array* array = node->as_array();
  if (array == nullptr) {
    return where.WrongType("reserve_for", R"(a list of queue names like ["support"])", *node);
  }
  Names defined;
  for (const ParsedQueue& q : queues) defined.push_back(q.config.id);
  for (size_t i = 0; i < array->size(); ++i) {
    const std::string path = Indexed("reserve_for", i);
    absl::StatusOr<std::string> name = ReadString(where, (*array)[i], path);
    if (!name.ok()) return name.status();
    const auto found = std::find_if(queues.begin(), queues.end(),
                                    [&](const ParsedQueue& q) { return q.config.id == *name; });
    if (found == queues.end()) {
      std::string message = fmt::format("unknown queue '{}'", Printable(*name, 0));
      if (std::optional<std::string_view> close = Closest(*name, defined)) {
        message += fmt::format(" (did you mean '{}'?)", *close);
      }
      message += fmt::format("; the [[queue]] tables define {}", JoinNames(defined, ", "));
      return where.KeyError(path, message);
    }
    if (std::find(group.reserve_for.begin(), group.reserve_for.end(), *name) !=
        group.reserve_for.end()) {
      return where.KeyError(path, fmt::format("queue '{}' is listed twice", Printable(*name, 0)));
    }
    // The engine's test of a listed queue, on the group's skills (scenario agents have no
    // attributes). The requirements parsed here were checked with their queue.
    std::vector<std::string_view> texts = {found->config.requirement};
    for (const RequirementStep& step : found->config.steps) texts.push_back(step.requirement);
    SkillRegistry registry;
    std::vector<Requirement> requirements;
    for (std::string_view text : texts) {
      absl::StatusOr<Requirement> parsed = Requirement::Parse(text, registry);
      if (parsed.ok()) requirements.push_back(*std::move(parsed));
    }
    SkillSet skills;
    for (const auto& [skill, level] : group.skills) {
      if (std::optional<SkillId> id = registry.Find(skill)) {
        skills.Set(*id, static_cast<SkillLevel>(level));
      }
    }
    const Attributes none;
    if (std::none_of(requirements.begin(), requirements.end(),
                     [&](const Requirement& r) { return r.Matches(skills, none); })) {
      return where.KeyError(
          path, fmt::format("the group does not meet the requirement '{}' of queue '{}'{}, so it "
                            "cannot be its reserve",
                            Printable(found->config.requirement, 0, 200), Printable(*name, 0),
                            found->config.steps.empty() ? "" : " nor that of one of its steps"));
    }
    group.reserve_for.push_back(*std::move(name));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ParseAgents(const Where& where, const toml::table& table,
                         const std::vector<ParsedQueue>& queues, AgentGroupConfig& group,
                         bool& named) {
  SWITCHBOARD_RETURN_IF_ERROR(CheckKeys(
      where, table, "", {"name", "count", "skills", "capacity", "shift", "breaks", "reserve_for"}));
  named = false;
  if (const toml::node* node = table.get("name")) {
    absl::StatusOr<std::string> name = ReadString(where, *node, "name");
    if (!name.ok()) return name.status();
    if (name->empty()) return where.KeyError("name", "expected a non-empty string, found \"\"");
    if (absl::Status status = CheckText("the name", *name, kMaxAgentGroupNameBytes);
        !status.ok()) {
      return where.KeyError("name", detail::Message(status));
    }
    group.name = *std::move(name);
    named = true;
  }
  const toml::node* count = table.get("count");
  if (count == nullptr) return where.Missing("count", "the number of agents, an integer >= 1");
  absl::StatusOr<int64_t> n = ReadInteger(where, *count, "count", 1, kMaxAgentsPerGroup);
  if (!n.ok()) return n.status();
  group.count = static_cast<int>(*n);

  absl::StatusOr<const toml::table*> skills =
      ReadTable(where, table, "skills", "skills", "{ support = 5 }");
  if (!skills.ok()) return skills.status();
  if (*skills != nullptr) {
    SWITCHBOARD_RETURN_IF_ERROR(ParseSkillLevels(where, **skills, "skills", group.skills));
  }
  absl::StatusOr<const toml::table*> capacity =
      ReadTable(where, table, "capacity", "capacity", "{ voice = 1 }");
  if (!capacity.ok()) return capacity.status();
  if (*capacity != nullptr) {
    SWITCHBOARD_RETURN_IF_ERROR(ParseCapacity(where, **capacity, group.capacity));
  }
  SWITCHBOARD_RETURN_IF_ERROR(ParseShift(where, table, group));
  SWITCHBOARD_RETURN_IF_ERROR(ParseBreaks(where, table, group));
  return ParseReserveFor(where, table, queues, group);
}

}  // namespace switchboard::detail::scenario
