// Reading TOML tables with messages a user can act on: the scenario loader's generic helpers.
//
// Every reader takes a Where (the source and the table) and the key's path as shown in messages
// ("arrivals.rate", "breaks[2].start"), and returns the value or an InvalidArgumentError of one
// line "<source>: <table>: key '<path>': <what was wrong>", e.g.
//   support.toml: [[agents]] #2: key 'count': expected an integer >= 1, found 0
// Nothing here knows the scenario's keys; scenario_tables.cc does.
//
// Example:
//   const Where where("support.toml", "[simulation]");
//   SWITCHBOARD_RETURN_IF_ERROR(CheckKeys(where, table, "", {"seed", "duration"}));
//   absl::StatusOr<absl::Duration> duration =
//       ReadDuration(where, *table.get("duration"), "duration", Bound::kPositive);
#ifndef SWITCHBOARD_SRC_SCENARIO_TOML_READER_H_
#define SWITCHBOARD_SRC_SCENARIO_TOML_READER_H_

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "fmt/format.h"
#include "scenario/scenario_internal.h"  // toml++, with its assertions off

namespace switchboard::detail::scenario {

// Key names, table names, enumeration names: views of literals or of the parsed table.
using Names = std::vector<std::string_view>;

// ReadInteger's `hi` for "no upper bound": its message then says "an integer >= <lo>".
inline constexpr int64_t kMaxInt = std::numeric_limits<int64_t>::max();

// ---------------------------------------------------------------------------------------------
// Text helpers for messages.

// The candidate `word` is most likely a typo of (the did-you-mean of messages): at most 2 edits
// away (insertions, deletions, substitutions, adjacent transpositions) and fewer edits than
// `word` has characters, so "x" suggests nothing. Ties go to the earlier candidate; nullopt when
// none is close or `word` is longer than 64 characters.
std::optional<std::string_view> Closest(std::string_view word, const Names& candidates);

// `names` joined with `separator`: "a, b, c"; "" for no names.
std::string JoinNames(const Names& names, std::string_view separator);

// `text` made printable for a one-line message: control characters escaped (\n, \t, \xNN),
// `quote` and backslashes escaped when `quote` is not 0, cut after `max` characters with "...".
std::string Printable(std::string_view text, char quote, size_t max = 60);

// The type and value of a node, for type errors: `string "abc"`, `integer 5`, `float 1.5`,
// `boolean true`, `an array`, `a table`, ...
std::string Describe(const toml::node& node);

// A value of the right type, for range errors: '0s' for strings, -5 or 0.5 for numbers;
// Describe(node) for other types.
std::string Show(const toml::node& node);

// A dotted key path: "prefix.key", or "key" when `prefix` is empty.
std::string Join(std::string_view prefix, std::string_view key);

// An array element's path, counted from 1 as users count: Indexed("breaks", 0) is "breaks[1]".
std::string Indexed(std::string_view path, size_t index);

// ---------------------------------------------------------------------------------------------
// Where a problem is: the source and the table, e.g. "support.toml" and "[[agents]] #2". Every
// error is InvalidArgument. Holds a view of `source`, which must outlive it.

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
  // "<source>: <table>: missing key '<path>': expected <expected>"
  absl::Status Missing(std::string_view path, std::string_view expected) const {
    return Error(fmt::format("missing key '{}': expected {}", path, expected));
  }
  // "<source>: <table>: key '<path>': expected <expected>, found <Describe(node)>"
  absl::Status WrongType(std::string_view path, std::string_view expected,
                         const toml::node& node) const {
    return KeyError(path, fmt::format("expected {}, found {}", expected, Describe(node)));
  }

 private:
  std::string_view source_;
  std::string table_;
};

// OK when every key of `table` is in `known`. Otherwise the error for the first unknown key,
// "unknown key '<prefix.key>'", followed by "; did you mean '<prefix.close>'?" when one is
// close (Closest) or by "; expected one of <known, comma-separated>".
absl::Status CheckKeys(const Where& where, const toml::table& table, std::string_view prefix,
                       const Names& known);

// ---------------------------------------------------------------------------------------------
// Typed readers. `path` is the key as shown in messages.

// The range a number must fall in.
enum class Bound : uint8_t {
  kNonNegative,  // >= 0
  kPositive,     // > 0
  kFraction,     // 0..1
};

// An integer from `lo` to `hi` (kMaxInt: no upper bound). Error when the node is not an integer
// (a float such as 5.0 included) or is out of range.
absl::StatusOr<int64_t> ReadInteger(const Where& where, const toml::node& node,
                                    std::string_view path, int64_t lo, int64_t hi);

// An integer or a float, finite and within `bound`. Error for another type, nan, inf, or a value
// out of the bound.
absl::StatusOr<double> ReadNumber(const Where& where, const toml::node& node, std::string_view path,
                                  Bound bound);

// A string of valid UTF-8 and at most kMaxTextBytes (a table built from a Python dict may hold
// anything). Error for another type or bad text.
absl::StatusOr<std::string> ReadString(const Where& where, const toml::node& node,
                                       std::string_view path);

// A duration: a number of seconds (integer or float) or text ParseDurationText accepts, at most
// kMaxScenarioDuration; >= 0, or > 0 with Bound::kPositive (kFraction is not meant for
// durations). Error for another type, bad text, nan, inf, or a value out of range.
absl::StatusOr<absl::Duration> ReadDuration(const Where& where, const toml::node& node,
                                            std::string_view path,
                                            Bound bound = Bound::kNonNegative);

// The table under `key` of `parent`; nullptr when the key is absent. Error when it holds
// something else ("expected a table like <example>").
absl::StatusOr<const toml::table*> ReadTable(const Where& where, const toml::table& parent,
                                             std::string_view key, std::string_view path,
                                             std::string_view example);

// A string that is one of `valid` names. Error for another type, or "unknown <what> '<name>'",
// with " (did you mean '<close>'?)" when one is close, and "; expected one of <a | b | c>".
absl::StatusOr<std::string> ReadName(const Where& where, const toml::node& node,
                                     std::string_view path, std::string_view what,
                                     const Names& valid);

}  // namespace switchboard::detail::scenario

#endif  // SWITCHBOARD_SRC_SCENARIO_TOML_READER_H_
