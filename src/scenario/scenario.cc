// The scenario loader: TOML (../shared/SCENARIO.md) to a validated SimulationConfig.
//
// Every check lives in ParseScenarioTable, which the Python bindings call with a table built
// from a dict. Each table is first checked for unknown keys (so that a typo is reported as a
// typo, not as a missing key), then read key by key; the first problem ends the parse with one
// line "<source>: <table>: key '<key>': <what was wrong>".
#include "switchboard/scenario.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "fmt/format.h"
#include "scenario/scenario_internal.h"  // toml++, with its assertions off
#include "base/status_macros.h"
#include "switchboard/capacity.h"
#include "switchboard/channel.h"
#include "switchboard/queue.h"
#include "switchboard/skills.h"
#include "switchboard/strategy.h"

namespace switchboard {
namespace {

using Names = std::vector<std::string_view>;

constexpr std::string_view kDurationHint =
    R"(expected a number of seconds or a string like "45s", "15m", "1h30m")";
constexpr std::string_view kTooLong = "longer than the maximum of 100000h";
static_assert(kMaxScenarioDuration == absl::Hours(100000), "kTooLong names the maximum");
constexpr int64_t kMaxInt = std::numeric_limits<int64_t>::max();
// Bounds of the integer keys (the engine's own bounds where it has them).
constexpr int64_t kMaxReplications = std::numeric_limits<int>::max();  // limits: ValidateSimulation
constexpr int64_t kMaxAgentsPerGroup = std::numeric_limits<int>::max();  // likewise
constexpr int64_t kMaxMisses = 1000000;

// ---------------------------------------------------------------------------------------------
// Text helpers.

// Optimal string alignment distance: insertions, deletions, substitutions and transpositions of
// adjacent characters each cost 1.
int EditDistance(std::string_view a, std::string_view b) {
  const size_t n = a.size();
  const size_t m = b.size();
  std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1, 0));
  for (size_t i = 0; i <= n; ++i) d[i][0] = static_cast<int>(i);
  for (size_t j = 0; j <= m; ++j) d[0][j] = static_cast<int>(j);
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[n][m];
}

// The candidate `word` is most likely a typo of: at most 2 edits away and fewer edits than
// `word` has characters (so "x" suggests nothing). Ties go to the earlier candidate.
std::optional<std::string_view> Closest(std::string_view word, const Names& candidates) {
  if (word.size() > 64) return std::nullopt;
  std::optional<std::string_view> best;
  int best_distance = 3;
  for (std::string_view candidate : candidates) {
    const int distance = EditDistance(word, candidate);
    if (distance < best_distance && distance < static_cast<int>(word.size())) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

std::string JoinNames(const Names& names, std::string_view separator) {
  std::string out;
  for (std::string_view name : names) {
    if (!out.empty()) out += separator;
    out += name;
  }
  return out;
}

// `text` made printable for a one-line message: control characters escaped, `quote` and
// backslashes escaped when `quote` is given, cut after `max` characters.
std::string Printable(std::string_view text, char quote, size_t max = 60) {
  std::string out;
  size_t shown = 0;
  for (char c : text) {
    if (++shown > max) {
      out += "...";
      break;
    }
    const auto u = static_cast<unsigned char>(c);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u == 0x7f) {
      out += fmt::format("\\x{:02x}", u);
    } else if (quote != 0 && (c == quote || c == '\\')) {
      out += '\\';
      out += c;
    } else {
      out += c;
    }
  }
  return out;
}

std::string FormatFloat(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  std::string text = fmt::format("{}", value);
  if (text.find_first_of(".e") == std::string::npos) text += ".0";
  return text;
}

// The type and value of a node, for type errors: `string "abc"`, `integer 5`, `a table`.
std::string Describe(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string:
      return fmt::format("string \"{}\"", Printable(node.as_string()->get(), '"'));
    case toml::node_type::integer:
      return fmt::format("integer {}", node.as_integer()->get());
    case toml::node_type::floating_point:
      return fmt::format("float {}", FormatFloat(node.as_floating_point()->get()));
    case toml::node_type::boolean:
      return fmt::format("boolean {}", node.as_boolean()->get() ? "true" : "false");
    case toml::node_type::array: {
      const toml::array& array = *node.as_array();
      if (array.empty()) return "an empty array";
      return array.is_array_of_tables() ? "an array of tables" : "an array";
    }
    case toml::node_type::table:
      return "a table";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

// A value of the right type, for range errors: '0s' for strings, -5 for numbers.
std::string Show(const toml::node& node) {
  if (const auto* s = node.as_string()) return fmt::format("'{}'", Printable(s->get(), 0));
  if (const auto* i = node.as_integer()) return fmt::format("{}", i->get());
  if (const auto* f = node.as_floating_point()) return FormatFloat(f->get());
  return Describe(node);
}

std::string Join(std::string_view prefix, std::string_view key) {
  if (prefix.empty()) return std::string(key);
  return fmt::format("{}.{}", prefix, key);
}

std::string Indexed(std::string_view path, size_t index) {
  return fmt::format("{}[{}]", path, index + 1);
}

// ---------------------------------------------------------------------------------------------
// Where a problem is: the source and the table, e.g. "support.toml" and "[[agents]] #2".

class Where {
 public:
  Where(std::string_view source, std::string table) : source_(source), table_(std::move(table)) {}

  const std::string& table() const { return table_; }

  // "<source>: <table>: <message>"
  absl::Status Error(std::string_view message) const {
    return absl::InvalidArgumentError(fmt::format("{}: {}: {}", source_, table_, message));
  }
  // "<source>: <table>: key '<path>': <message>"
  absl::Status KeyError(std::string_view path, std::string_view message) const {
    return Error(fmt::format("key '{}': {}", path, message));
  }
  absl::Status Missing(std::string_view path, std::string_view expected) const {
    return Error(fmt::format("missing key '{}': expected {}", path, expected));
  }
  absl::Status WrongType(std::string_view path, std::string_view expected,
                         const toml::node& node) const {
    return KeyError(path, fmt::format("expected {}, found {}", expected, Describe(node)));
  }

 private:
  std::string_view source_;
  std::string table_;
};

// The first key of `table` not in `known`, as an error (with a suggestion when one is close).
absl::Status CheckKeys(const Where& where, const toml::table& table, std::string_view prefix,
                       const Names& known) {
  for (auto&& [key, node] : table) {
    const std::string_view name = key.str();
    if (std::find(known.begin(), known.end(), name) != known.end()) continue;
    std::string message = fmt::format("unknown key '{}'", Printable(Join(prefix, name), 0));
    if (std::optional<std::string_view> close = Closest(name, known)) {
      message += fmt::format("; did you mean '{}'?", Join(prefix, *close));
    } else {
      message += fmt::format("; expected one of {}", JoinNames(known, ", "));
    }
    return where.Error(message);
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------------------------
// Typed readers. `path` is the key as shown in messages ("arrivals.rate", "breaks[2].start").

std::string IntegerRange(int64_t lo, int64_t hi) {
  if (hi == kMaxInt) return fmt::format("an integer >= {}", lo);
  return fmt::format("an integer from {} to {}", lo, hi);
}

absl::StatusOr<int64_t> ReadInteger(const Where& where, const toml::node& node,
                                    std::string_view path, int64_t lo, int64_t hi) {
  const auto* value = node.as_integer();
  if (value == nullptr) return where.WrongType(path, "an integer", node);
  const int64_t v = value->get();
  if (v < lo || v > hi) {
    return where.KeyError(path, fmt::format("expected {}, found {}", IntegerRange(lo, hi), v));
  }
  return v;
}

enum class Bound : uint8_t {
  kNonNegative,  // >= 0
  kPositive,     // > 0
  kFraction,     // 0..1
};

std::string_view BoundText(Bound bound) {
  switch (bound) {
    case Bound::kNonNegative:
      return ">= 0";
    case Bound::kPositive:
      return "> 0";
    case Bound::kFraction:
      return "from 0 to 1";
  }
  return "";
}

// An integer or a float, finite and within `bound`.
absl::StatusOr<double> ReadNumber(const Where& where, const toml::node& node, std::string_view path,
                                  Bound bound) {
  double v = 0;
  if (const auto* i = node.as_integer()) {
    v = static_cast<double>(i->get());
  } else if (const auto* f = node.as_floating_point()) {
    v = f->get();
  } else {
    return where.WrongType(path, "a number", node);
  }
  const bool ok = std::isfinite(v) && (bound == Bound::kPositive ? v > 0 : v >= 0) &&
                  (bound != Bound::kFraction || v <= 1);
  if (!ok) {
    return where.KeyError(
        path, fmt::format("expected a number {}, found {}", BoundText(bound), Show(node)));
  }
  return v;
}

absl::StatusOr<std::string> ReadString(const Where& where, const toml::node& node,
                                       std::string_view path) {
  const auto* value = node.as_string();
  if (value == nullptr) return where.WrongType(path, "a string", node);
  // TOML text is UTF-8 already; a table built in memory (a Python dict) may not be.
  if (absl::Status status = CheckText("the string", value->get(), kMaxTextBytes); !status.ok()) {
    return where.KeyError(path, detail::Message(status));
  }
  return value->get();
}

// A duration: a number of seconds or text ParseDurationText accepts; >= 0, or > 0 with
// Bound::kPositive.
absl::StatusOr<absl::Duration> ReadDuration(const Where& where, const toml::node& node,
                                            std::string_view path,
                                            Bound bound = Bound::kNonNegative) {
  absl::Duration value;
  if (const auto* s = node.as_string()) {
    absl::StatusOr<absl::Duration> parsed = ParseDurationText(s->get());
    if (!parsed.ok()) {
      return where.KeyError(path, fmt::format("bad duration '{}': {}", Printable(s->get(), 0),
                                              detail::Message(parsed.status())));
    }
    value = *parsed;
  } else if (const auto* i = node.as_integer()) {
    if (i->get() > absl::ToInt64Seconds(kMaxScenarioDuration)) {
      return where.KeyError(path, fmt::format("bad duration {}: {}", i->get(), kTooLong));
    }
    value = absl::Seconds(i->get());
  } else if (const auto* f = node.as_floating_point()) {
    const double seconds = f->get();
    if (!std::isfinite(seconds)) {
      return where.KeyError(
          path, fmt::format("bad duration {}: {}", FormatFloat(seconds), kDurationHint));
    }
    if (seconds > absl::ToDoubleSeconds(kMaxScenarioDuration)) {
      return where.KeyError(path,
                            fmt::format("bad duration {}: {}", FormatFloat(seconds), kTooLong));
    }
    value = absl::Seconds(seconds);
  } else {
    return where.WrongType(
        path, R"(a duration (a number of seconds or a string like "45s", "15m", "1h30m"))", node);
  }
  if (value < absl::ZeroDuration() ||
      (bound == Bound::kPositive && value == absl::ZeroDuration())) {
    return where.KeyError(
        path, fmt::format("expected a duration {}, found {}", BoundText(bound), Show(node)));
  }
  return value;
}

// A table-valued key; nullptr when absent.
absl::StatusOr<const toml::table*> ReadTable(const Where& where, const toml::table& parent,
                                             std::string_view key, std::string_view path,
                                             std::string_view example) {
  const toml::node* node = parent.get(key);
  if (node == nullptr) return nullptr;
  const toml::table* table = node->as_table();
  if (table == nullptr) {
    return where.WrongType(path, fmt::format("a table like {}", example), *node);
  }
  return table;
}

// One of `valid` names, or an error listing them.
absl::StatusOr<std::string> ReadName(const Where& where, const toml::node& node,
                                     std::string_view path, std::string_view what,
                                     const Names& valid) {
  absl::StatusOr<std::string> name = ReadString(where, node, path);
  if (!name.ok()) return name.status();
  if (std::find(valid.begin(), valid.end(), *name) != valid.end()) return name;
  std::string message = fmt::format("unknown {} '{}'", what, Printable(*name, 0));
  if (std::optional<std::string_view> close = Closest(*name, valid)) {
    message += fmt::format(" (did you mean '{}'?)", *close);
  }
  message += fmt::format("; expected one of {}", JoinNames(valid, " | "));
  return where.KeyError(path, message);
}

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

// ---------------------------------------------------------------------------------------------
// Tables.

absl::Status ParseSimulation(const Where& where, const toml::table& table,
                             SimulationConfig& config) {
  SWITCHBOARD_RETURN_IF_ERROR(
      CheckKeys(where, table, "",
                {"seed", "duration", "warmup", "replications", "interval", "answer_delay",
                 "no_answer_probability"}));
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
  static constexpr std::array<DurationKey, 6> kDurations = {{
      {"offer_timeout", &EngineOptions::offer_timeout, Bound::kPositive},
      {"rona_cooldown", &EngineOptions::rona_cooldown, Bound::kNonNegative},
      {"reject_delay", &EngineOptions::reject_delay, Bound::kNonNegative},
      {"timeout_delay", &EngineOptions::timeout_delay, Bound::kNonNegative},
      {"aging_unit", &EngineOptions::aging_unit, Bound::kNonNegative},
      {"occupancy_window", &EngineOptions::occupancy_window, Bound::kPositive},
  }};
  Names known = {"max_consecutive_misses"};
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
  return absl::OkStatus();
}

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

struct ParsedQueue {
  QueueConfig config;
  std::string where;  // "[[queue]] #1 'support'"
  std::map<std::string, int, std::less<>> require;
};

absl::Status ParseQueue(const Where& where, const toml::table& table, ParsedQueue& queue) {
  // Keys that arrive with later features, or belong elsewhere, get their own message.
  if (table.contains("step")) {
    return where.Error(
        "[[queue.step]] (skill relaxation) is not supported yet; it arrives with the routing "
        "policies");
  }
  if (table.contains("overflow")) {
    return where.Error(
        "[[queue.overflow]] (overflow rules) is not supported yet; it arrives with the routing "
        "policies");
  }
  if (table.contains("wrap_up")) {
    return where.KeyError("wrap_up",
                          "wrap-up is set per traffic stream: move it to the [[traffic]] tables "
                          "of this queue");
  }
  SWITCHBOARD_RETURN_IF_ERROR(
      CheckKeys(where, table, "",
                {"name", "strategy", "priority", "require", "service_level", "max_length"}));
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

  absl::StatusOr<const toml::table*> require =
      ReadTable(where, table, "require", "require", "{ support = 1 }");
  if (!require.ok()) return require.status();
  if (*require != nullptr) {
    SWITCHBOARD_RETURN_IF_ERROR(ParseSkillLevels(where, **require, "require", queue.require));
    std::string text;
    for (const auto& [skill, level] : queue.require) {
      if (!text.empty()) text += " && ";
      text += fmt::format("{} >= {}", skill, level);
    }
    config.requirement = std::move(text);
  }

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

// `handle` (required, must have a positive mean) or `patience` (optional; absent or
// dist = "none": never abandons).
absl::StatusOr<Distribution> ParseDistribution(const Where& where, const toml::table& parent,
                                               std::string_view key, bool patience) {
  const std::string example =
      fmt::format(R"({{ dist = "exponential", mean = "{}" }})", patience ? "5m" : "3m");
  const toml::node* node = parent.get(key);
  if (node == nullptr) {
    if (patience) return Distribution::None();
    return where.Missing(key, fmt::format("a table like {}", example));
  }
  const toml::table* table = node->as_table();
  if (table == nullptr) return where.WrongType(key, fmt::format("a table like {}", example), *node);
  SWITCHBOARD_RETURN_IF_ERROR(CheckKeys(where, *table, key, {"dist", "mean", "sd", "values"}));

  Names dists = {"exponential", "lognormal", "constant", "gamma", "empirical"};
  if (patience) dists.push_back("none");
  const std::string dist_path = Join(key, "dist");
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
          Join(key, k),
          fmt::format("not used by dist '{}' ({})", *dist,
                      takes.empty() ? std::string("it takes no parameters")
                                    : fmt::format("it takes {}", JoinNames(takes, ", "))));
    }
    if (used && !table->contains(k)) {
      const std::string_view what = k == "values" ? "a non-empty array of durations"
                                    : k == "sd"   ? "a standard deviation > 0"
                                                  : "a mean duration";
      return where.Missing(Join(key, k), fmt::format("{} for dist '{}'", what, *dist));
    }
  }

  if (*dist == "none") return Distribution::None();
  if (*dist == "empirical") {
    const std::string path = Join(key, "values");
    const toml::node* values = table->get("values");
    const toml::array* array = values->as_array();
    if (array == nullptr) return where.WrongType(path, "a non-empty array of durations", *values);
    if (array->empty()) {
      return where.KeyError(path, "expected a non-empty array of durations, found an empty array");
    }
    std::vector<double> seconds;
    bool any_positive = false;
    for (size_t i = 0; i < array->size(); ++i) {
      absl::StatusOr<absl::Duration> value = ReadDuration(where, (*array)[i], Indexed(path, i));
      if (!value.ok()) return value.status();
      any_positive = any_positive || *value > absl::ZeroDuration();
      seconds.push_back(absl::ToDoubleSeconds(*value));
    }
    if (!any_positive) {
      return where.KeyError(path, "expected at least one duration > 0, found only zeros");
    }
    return Distribution::Empirical(std::move(seconds));
  }

  // A constant patience may be 0 (abandon unless answered at once); every other mean is > 0.
  const Bound mean_bound = patience && *dist == "constant" ? Bound::kNonNegative : Bound::kPositive;
  absl::StatusOr<absl::Duration> mean =
      ReadDuration(where, *table->get("mean"), Join(key, "mean"), mean_bound);
  if (!mean.ok()) return mean.status();
  const double mean_s = absl::ToDoubleSeconds(*mean);
  if (*dist == "exponential") return Distribution::Exponential(mean_s);
  if (*dist == "constant") return Distribution::Constant(mean_s);
  absl::StatusOr<absl::Duration> sd =
      ReadDuration(where, *table->get("sd"), Join(key, "sd"), Bound::kPositive);
  if (!sd.ok()) return sd.status();
  const double sd_s = absl::ToDoubleSeconds(*sd);
  if (*dist == "lognormal") return Distribution::Lognormal(mean_s, sd_s);
  return Distribution::Gamma(mean_s, sd_s);
}

absl::Status ParseTraffic(const Where& where, const toml::table& table,
                          const std::vector<ParsedQueue>& queues, TrafficConfig& traffic) {
  SWITCHBOARD_RETURN_IF_ERROR(
      CheckKeys(where, table, "",
                {"queue", "channel", "arrivals", "handle", "patience", "wrap_up", "priority"}));

  const toml::node* queue = table.get("queue");
  if (queue == nullptr) return where.Missing("queue", "the name of a [[queue]]");
  absl::StatusOr<std::string> name = ReadString(where, *queue, "queue");
  if (!name.ok()) return name.status();
  Names defined;
  for (const ParsedQueue& q : queues) defined.push_back(q.config.id);
  if (std::find(defined.begin(), defined.end(), *name) == defined.end()) {
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

absl::Status ParseAgents(const Where& where, const toml::table& table, AgentGroupConfig& group,
                         bool& named) {
  SWITCHBOARD_RETURN_IF_ERROR(
      CheckKeys(where, table, "", {"name", "count", "skills", "capacity", "shift", "breaks"}));
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
  return absl::OkStatus();
}

// The tables of an array of tables ([[queue]]); empty when absent.
absl::StatusOr<std::vector<const toml::table*>> RootArray(std::string_view source,
                                                          const toml::table& root,
                                                          std::string_view key) {
  std::vector<const toml::table*> tables;
  const toml::node* node = root.get(key);
  if (node == nullptr) return tables;
  const toml::array* array = node->as_array();
  if (array == nullptr || (!array->empty() && !array->is_array_of_tables())) {
    return absl::InvalidArgumentError(
        fmt::format("{}: key '{}': expected an array of tables [[{}]] (one [[{}]] header each), "
                    "found {}",
                    source, key, key, key, Describe(*node)));
  }
  for (const toml::node& element : *array) tables.push_back(element.as_table());
  return tables;
}

// "[[queue]] #2", with " 'name'" when the table has a string `name`.
std::string ArrayWhere(std::string_view key, size_t index, const toml::table& table) {
  std::string where = fmt::format("[[{}]] #{}", key, index + 1);
  if (const toml::node* name = table.get("name")) {
    const auto* s = name->as_string();
    if (s != nullptr && !s->get().empty()) where += fmt::format(" '{}'", Printable(s->get(), 0));
  }
  return where;
}

}  // namespace

// ---------------------------------------------------------------------------------------------

absl::StatusOr<absl::Duration> ParseDurationText(std::string_view text) {
  struct Unit {
    std::string_view suffix;
    absl::Duration length;
  };
  // Largest first; "ms" before "m" so that the longer suffix wins.
  static const std::array<Unit, 4> kUnits = {{{"h", absl::Hours(1)},
                                              {"m", absl::Minutes(1)},
                                              {"s", absl::Seconds(1)},
                                              {"ms", absl::Milliseconds(1)}}};
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  const absl::Status bad = absl::InvalidArgumentError(std::string(kDurationHint));
  if (text.empty()) return bad;
  if (std::all_of(text.begin(), text.end(), [&](char c) { return digit(c) || c == '.'; })) {
    return absl::InvalidArgumentError(
        "a number in a string needs a unit (h, m, s or ms); write \"45s\", or 45 without quotes "
        "for seconds");
  }
  absl::Duration total = absl::ZeroDuration();
  size_t pos = 0;
  size_t last_unit = 0;  // index into kUnits + 1 of the previous part's unit; 0: none yet
  while (pos < text.size()) {
    // <digits>[.<digits>]
    const size_t start = pos;
    while (pos < text.size() && digit(text[pos])) ++pos;
    const std::string_view whole = text.substr(start, pos - start);
    std::string_view fraction;
    if (pos < text.size() && text[pos] == '.') {
      const size_t fraction_start = ++pos;
      while (pos < text.size() && digit(text[pos])) ++pos;
      fraction = text.substr(fraction_start, pos - fraction_start);
      if (fraction.empty()) return bad;
    }
    if (whole.empty()) return bad;
    // The unit.
    size_t unit = kUnits.size();
    for (size_t u = 0; u < kUnits.size(); ++u) {
      const std::string_view suffix = kUnits[u].suffix;
      if (text.substr(pos, suffix.size()) == suffix &&
          (unit == kUnits.size() || suffix.size() > kUnits[unit].suffix.size())) {
        unit = u;
      }
    }
    if (unit == kUnits.size()) return bad;
    pos += kUnits[unit].suffix.size();
    if (unit + 1 <= last_unit) {
      return absl::InvalidArgumentError(
          "units must go from the largest to the smallest (h, m, s, ms), each at most once");
    }
    last_unit = unit + 1;
    // whole * unit + fraction * unit, exactly for up to 9 decimals (further ones are dropped).
    const absl::Duration length = kUnits[unit].length;
    absl::Duration remainder;
    const int64_t max_whole = absl::IDivDuration(kMaxScenarioDuration, length, &remainder);
    int64_t n = 0;
    const auto [end, error] = std::from_chars(whole.data(), whole.data() + whole.size(), n);
    if (error != std::errc() || n > max_whole)
      return absl::InvalidArgumentError(std::string(kTooLong));
    total += length * n;
    if (!fraction.empty()) {
      const std::string_view digits = fraction.substr(0, 9);
      int64_t f = 0;
      int64_t scale = 1;
      for (char c : digits) {
        f = f * 10 + (c - '0');
        scale *= 10;
      }
      total += length * f / scale;
    }
    if (total > kMaxScenarioDuration) return absl::InvalidArgumentError(std::string(kTooLong));
  }
  return total;
}

absl::StatusOr<SimulationConfig> ParseScenarioTable(const toml::table& root,
                                                    std::string_view source_name) {
  const std::string_view source = source_name;
  SimulationConfig config;
  config.scenario = std::string(source_name);

  // Top level: the five known tables, each of the right kind.
  static const Names kSingle = {"simulation", "engine"};
  static const Names kArrays = {"queue", "traffic", "agents"};
  Names known = kSingle;
  known.insert(known.end(), kArrays.begin(), kArrays.end());
  const auto header = [&](std::string_view key) {
    return std::find(kSingle.begin(), kSingle.end(), key) != kSingle.end()
               ? fmt::format("[{}]", key)
               : fmt::format("[[{}]]", key);
  };
  for (auto&& [key, node] : root) {
    const std::string_view name = key.str();
    if (std::find(known.begin(), known.end(), name) != known.end()) continue;
    std::string message;
    if (node.is_table()) {
      message = fmt::format("unknown table [{}]", Printable(name, 0));
    } else if (node.is_array_of_tables()) {
      message = fmt::format("unknown table [[{}]]", Printable(name, 0));
    } else {
      message = fmt::format("unknown top-level key '{}'", Printable(name, 0));
    }
    if (std::optional<std::string_view> close = Closest(name, known)) {
      message += fmt::format("; did you mean {}?", header(*close));
    } else {
      message += "; expected [simulation], [engine], [[queue]], [[traffic]] and [[agents]]";
    }
    return absl::InvalidArgumentError(fmt::format("{}: {}", source, message));
  }
  for (std::string_view key : kSingle) {
    const toml::node* node = root.get(key);
    if (node != nullptr && !node->is_table()) {
      return absl::InvalidArgumentError(fmt::format("{}: key '{}': expected a table [{}], found {}",
                                                    source, key, key, Describe(*node)));
    }
  }
  absl::StatusOr<std::vector<const toml::table*>> queue_tables = RootArray(source, root, "queue");
  if (!queue_tables.ok()) return queue_tables.status();
  absl::StatusOr<std::vector<const toml::table*>> traffic_tables =
      RootArray(source, root, "traffic");
  if (!traffic_tables.ok()) return traffic_tables.status();
  absl::StatusOr<std::vector<const toml::table*>> agent_tables = RootArray(source, root, "agents");
  if (!agent_tables.ok()) return agent_tables.status();

  // [simulation], [engine]
  const toml::table* simulation = root.get_as<toml::table>("simulation");
  if (simulation == nullptr) {
    return absl::InvalidArgumentError(
        fmt::format("{}: missing table [simulation] (with at least duration = \"8h\")", source));
  }
  SWITCHBOARD_RETURN_IF_ERROR(ParseSimulation(Where(source, "[simulation]"), *simulation, config));
  if (const toml::table* engine = root.get_as<toml::table>("engine")) {
    SWITCHBOARD_RETURN_IF_ERROR(ParseEngine(Where(source, "[engine]"), *engine, config.engine));
  }

  // [[queue]]
  if (queue_tables->empty()) {
    return absl::InvalidArgumentError(
        fmt::format("{}: no [[queue]] table; a scenario needs at least one queue", source));
  }
  std::vector<ParsedQueue> queues(queue_tables->size());
  for (size_t i = 0; i < queues.size(); ++i) {
    const toml::table& table = *(*queue_tables)[i];
    const Where where(source, ArrayWhere("queue", i, table));
    SWITCHBOARD_RETURN_IF_ERROR(ParseQueue(where, table, queues[i]));
    queues[i].where = where.table();
    for (size_t j = 0; j < i; ++j) {
      if (queues[j].config.id == queues[i].config.id) {
        return where.KeyError("name", fmt::format("queue '{}' is already defined by [[queue]] #{}",
                                                  Printable(queues[i].config.id, 0), j + 1));
      }
    }
  }

  // [[traffic]]
  if (traffic_tables->empty()) {
    return absl::InvalidArgumentError(fmt::format(
        "{}: no [[traffic]] table; a scenario needs at least one traffic stream", source));
  }
  for (size_t i = 0; i < traffic_tables->size(); ++i) {
    const Where where(source, fmt::format("[[traffic]] #{}", i + 1));
    TrafficConfig traffic;
    SWITCHBOARD_RETURN_IF_ERROR(ParseTraffic(where, *(*traffic_tables)[i], queues, traffic));
    config.traffic.push_back(std::move(traffic));
  }

  // [[agents]]
  if (agent_tables->empty()) {
    return absl::InvalidArgumentError(
        fmt::format("{}: no [[agents]] table; a scenario needs at least one agent group", source));
  }
  std::vector<bool> named(agent_tables->size(), false);
  std::set<std::string, std::less<>> taken;
  for (size_t i = 0; i < agent_tables->size(); ++i) {
    const toml::table& table = *(*agent_tables)[i];
    const Where where(source, ArrayWhere("agents", i, table));
    AgentGroupConfig group;
    bool is_named = false;
    SWITCHBOARD_RETURN_IF_ERROR(ParseAgents(where, table, group, is_named));
    named[i] = is_named;
    if (is_named) {
      for (size_t j = 0; j < i; ++j) {
        if (named[j] && config.agents[j].name == group.name) {
          return where.KeyError(
              "name", fmt::format("agent group name '{}' is already used by [[agents]] #{}",
                                  Printable(group.name, 0), j + 1));
        }
      }
      taken.insert(group.name);
    }
    config.agents.push_back(std::move(group));
  }
  // Unnamed groups: their first skill, else "agents<k>", made unique.
  for (size_t i = 0; i < config.agents.size(); ++i) {
    if (named[i]) continue;
    AgentGroupConfig& group = config.agents[i];
    const std::string k = std::to_string(i + 1);
    std::vector<std::string> candidates;
    if (!group.skills.empty()) {
      candidates.push_back(group.skills.begin()->first);
      candidates.push_back(group.skills.begin()->first + k);
    }
    candidates.push_back("agents" + k);
    std::string name;
    for (const std::string& candidate : candidates) {
      if (!taken.contains(candidate)) {
        name = candidate;
        break;
      }
    }
    if (name.empty()) {
      name = candidates.back();
      while (taken.contains(name)) name += "_";
    }
    taken.insert(name);
    group.name = std::move(name);
  }

  // Every skill a queue requires is held by some agent group.
  for (const ParsedQueue& queue : queues) {
    for (const auto& entry : queue.require) {
      const std::string& skill = entry.first;
      const bool held =
          std::any_of(config.agents.begin(), config.agents.end(),
                      [&](const AgentGroupConfig& g) { return g.skills.contains(skill); });
      if (!held) {
        return Where(source, queue.where)
            .KeyError(Join("require", skill),
                      fmt::format("unknown skill '{}': no [[agents]] group has it", skill));
      }
    }
  }

  for (ParsedQueue& queue : queues) config.queues.push_back(std::move(queue.config));
  return config;
}

namespace detail {

void TomlUnreachable() {
  throw std::logic_error("the TOML parser reached a state it does not expect");
}

}  // namespace detail

absl::StatusOr<SimulationConfig> ParseScenario(std::string_view toml_text,
                                               std::string_view source_name) {
  try {
#if TOML_EXCEPTIONS
    try {
      const toml::table root = toml::parse(toml_text, source_name);
      return ParseScenarioTable(root, source_name);
    } catch (const toml::parse_error& error) {
      return absl::InvalidArgumentError(
          fmt::format("{}: line {}, column {}: {}", source_name, error.source().begin.line,
                      error.source().begin.column, Printable(error.description(), 0, 400)));
    }
#else
    toml::parse_result result = toml::parse(toml_text, source_name);
    if (!result) {
      const toml::parse_error& error = result.error();
      return absl::InvalidArgumentError(
          fmt::format("{}: line {}, column {}: {}", source_name, error.source().begin.line,
                      error.source().begin.column, Printable(error.description(), 0, 400)));
    }
    return ParseScenarioTable(result.table(), source_name);
#endif
  } catch (const std::logic_error& error) {  // detail::TomlUnreachable
    return absl::InvalidArgumentError(
        fmt::format("{}: not a valid TOML file ({})", source_name, error.what()));
  }
}

absl::StatusOr<SimulationConfig> LoadScenarioFile(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    return absl::ErrnoToStatus(errno, fmt::format("{}: cannot open the scenario file", path));
  }
  std::string text;
  char buffer[1 << 16];
  size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0) text.append(buffer, n);
  const bool failed = std::ferror(file) != 0;
  const int error = errno;
  std::fclose(file);
  if (failed) {
    return absl::ErrnoToStatus(error, fmt::format("{}: cannot read the scenario file", path));
  }
  absl::StatusOr<SimulationConfig> config = ParseScenario(text, path);
  if (!config.ok()) return config.status();
  std::string base = std::filesystem::path(path).filename().string();
  config->scenario = base.empty() ? path : std::move(base);
  return config;
}

}  // namespace switchboard
