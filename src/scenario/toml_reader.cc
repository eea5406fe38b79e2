// The scenario loader's TOML readers (toml_reader.h) and ParseDurationText
// (scenario_internal.h), which ReadDuration uses for durations written as text.
#include "scenario/toml_reader.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "base/status_macros.h"
#include "fmt/format.h"
#include "scenario/scenario_internal.h"  // toml++, with its assertions off
#include "switchboard/limits.h"

namespace switchboard {
namespace {

constexpr std::string_view kDurationHint =
    R"(expected a number of seconds or a string like "45s", "15m", "1h30m")";
constexpr std::string_view kTooLong = "longer than the maximum of 100000h";
static_assert(kMaxScenarioDuration == absl::Hours(100000), "kTooLong names the maximum");

}  // namespace

// ---------------------------------------------------------------------------------------------
// Durations written as text (declared in scenario_internal.h for the Python bindings).

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

namespace detail::scenario {
namespace {

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

std::string FormatFloat(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  std::string text = fmt::format("{}", value);
  if (text.find_first_of(".e") == std::string::npos) text += ".0";
  return text;
}

std::string IntegerRange(int64_t lo, int64_t hi) {
  if (hi == kMaxInt) return fmt::format("an integer >= {}", lo);
  return fmt::format("an integer from {} to {}", lo, hi);
}

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

}  // namespace

// ---------------------------------------------------------------------------------------------
// Text helpers.

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

std::string Printable(std::string_view text, char quote, size_t max) {
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
// Keys and typed readers.

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

absl::StatusOr<absl::Duration> ReadDuration(const Where& where, const toml::node& node,
                                            std::string_view path, Bound bound) {
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

}  // namespace detail::scenario
}  // namespace switchboard
