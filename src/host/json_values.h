// Reading and writing the values of the host protocol's JSON (command_json.h): typed reads that
// name the path of a bad value, and the protocol forms of times, durations and enum names.
// Internal to the switchboard_host library.
//
// Paths. A path names a value from the root of what is decoded: "args", "args.overflow[1].wait",
// "args.skills[\"sales\"]". Every error is InvalidArgument "<path>: <what was wrong>"; a reader
// given an empty path writes the message alone.
//
// Null. A key whose value is null counts as absent, everywhere (as Python's None for an
// optional keyword).
//
// None of these functions throws (nlohmann::json is only inspected with is_*() first).
#ifndef SWITCHBOARD_SRC_HOST_JSON_VALUES_H_
#define SWITCHBOARD_SRC_HOST_JSON_VALUES_H_

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "base/status_macros.h"
#include "switchboard/attributes.h"
#include "switchboard/channel.h"
#include "switchboard/commands.h"
#include "switchboard/queue.h"
#include "switchboard/strategy.h"

namespace switchboard::host::detail {

using Json = nlohmann::json;

// `value` as compact JSON for a message, cut to about 60 characters ("\"abc\"", "[1,2]").
std::string Describe(const Json& value);

// InvalidArgument "<path>: <message>" ("<message>" for an empty path).
absl::Status Invalid(std::string_view path, std::string_view message);

// "<path>.<key>", "<path>[<index>]" and, for a member of a map, "<path>[\"<key>\"]".
std::string KeyPath(std::string_view path, std::string_view key);
std::string IndexPath(std::string_view path, size_t index);
std::string MemberPath(std::string_view path, std::string_view key);

// ---- Typed reads. Each checks the JSON type (and for integers the value) and stores into *out;
// on error *out is unchanged.

// A JSON string.
absl::Status Read(const Json& value, std::string_view path, std::string* out);
// true or false.
absl::Status Read(const Json& value, std::string_view path, bool* out);
// An integral number (5, or 5.0) from lo to hi.
absl::Status ReadInteger(const Json& value, std::string_view path, int64_t lo, int64_t hi,
                         int64_t* out);
// An integral number within int's range.
absl::Status Read(const Json& value, std::string_view path, int* out);
// An integral number within int64_t's range.
absl::Status Read(const Json& value, std::string_view path, int64_t* out);
// Any number.
absl::Status Read(const Json& value, std::string_view path, double* out);
// A number of seconds (rounded to the microsecond, as the Python bindings do; at most about
// 9.2e12 s either way) or a string absl::ParseDuration accepts ("1.5s", "2m30s", "250ns", "inf";
// exact).
absl::Status Read(const Json& value, std::string_view path, absl::Duration* out);
// Unix seconds (a number, rounded to the microsecond as the Python bindings do) or an RFC 3339
// string ("2026-01-05T09:00:00Z", "2026-01-05T10:00:00.000000250+01:00"; exact), or
// "infinite-future" / "infinite-past".
absl::Status Read(const Json& value, std::string_view path, absl::Time* out);
// A channel's name (ChannelName).
absl::Status Read(const Json& value, std::string_view path, Channel* out);
// A strategy's name (StrategyName).
absl::Status Read(const Json& value, std::string_view path, Strategy* out);
// A list of strings.
absl::Status Read(const Json& value, std::string_view path, std::vector<std::string>* out);
// An object of name -> integral number (skills).
absl::Status Read(const Json& value, std::string_view path,
                  std::map<std::string, int, std::less<>>* out);
// An object of name -> string or number.
absl::Status Read(const Json& value, std::string_view path, Attributes* out);
// T, then set.
template <typename T>
absl::Status Read(const Json& value, std::string_view path, std::optional<T>* out) {
  T read{};
  SWITCHBOARD_RETURN_IF_ERROR(Read(value, path, &read));
  *out = std::move(read);
  return absl::OkStatus();
}

// A string among the names of an enum whose values are 0..count-1: "unknown <what> 'x';
// expected one of a, b, c" otherwise.
template <typename E>
absl::Status ReadEnum(const Json& value, std::string_view path, std::string_view what, int count,
                      std::string_view (*name)(E), E* out);

// ---- Names of the enums that have no *Name function in the public headers (the Python
// bindings' names).

// "none", "timed", "until_agent_ends", "timed_with_extension".
std::string_view WrapUpModeName(WrapUpPolicy::Mode mode);
inline constexpr int kWrapUpModeCount = 4;
// "keep_place", "scheduled".
std::string_view CallbackModeName(CallbackPolicy::Mode mode);
inline constexpr int kCallbackModeCount = 2;
// "connected", "no_answer", "busy".
std::string_view CallbackResultName(CallbackResult result);
inline constexpr int kCallbackResultCount = 3;
inline constexpr int kOverflowTriggerCount = 5;
inline constexpr int kOverflowActionCount = 6;

// ---- Writing.

// Attributes as an object of strings and numbers.
Json AttributesJson(const Attributes& attributes);

// ---- One JSON object's keys.
class Fields {
 public:
  // `path` names the object; `op`, when given, ends the messages about its keys
  // ("args: unknown key 'x' for login").
  Fields(const Json& object, std::string path, std::string_view op = {})
      : object_(object), path_(std::move(path)), op_(op) {}

  // OK when the value is an object whose keys are all among `known`; otherwise
  // "<path>: expected an object, got ..." or "<path>: unknown key 'k'[ for <op>]; expected one
  // of a, b, c". Call it before the others.
  absl::Status Check(std::span<const std::string_view> known) const;
  absl::Status Check(std::initializer_list<std::string_view> known) const {
    return Check(std::span<const std::string_view>(known.begin(), known.size()));
  }

  // The value of `key`; nullptr when it is absent or null.
  const Json* Find(std::string_view key) const;
  bool Has(std::string_view key) const { return Find(key) != nullptr; }
  std::string PathOf(std::string_view key) const { return KeyPath(path_, key); }
  const std::string& path() const { return path_; }
  // "<path>: missing '<key>'[ for <op>]".
  absl::Status Missing(std::string_view key) const;

  // Reads `key` into *out when present; leaves *out as it is otherwise.
  template <typename T>
  absl::Status Optional(std::string_view key, T* out) const {
    const Json* value = Find(key);
    return value == nullptr ? absl::OkStatus() : Read(*value, PathOf(key), out);
  }
  // Reads `key` into *out; Missing when it is absent.
  template <typename T>
  absl::Status Required(std::string_view key, T* out) const {
    const Json* value = Find(key);
    return value == nullptr ? Missing(key) : Read(*value, PathOf(key), out);
  }

 private:
  const Json& object_;
  std::string path_;
  std::string_view op_;
};

// ---- Template definitions.

std::string JoinNames(std::span<const std::string_view> names);

template <typename E>
absl::Status ReadEnum(const Json& value, std::string_view path, std::string_view what, int count,
                      std::string_view (*name)(E), E* out) {
  std::string text;
  SWITCHBOARD_RETURN_IF_ERROR(Read(value, path, &text));
  std::vector<std::string_view> names;
  for (int i = 0; i < count; ++i) {
    const E candidate = static_cast<E>(i);
    if (name(candidate) == text) {
      *out = candidate;
      return absl::OkStatus();
    }
    names.push_back(name(candidate));
  }
  return Invalid(path, "unknown " + std::string(what) + " '" + text + "'; expected one of " +
                           JoinNames(names));
}

}  // namespace switchboard::host::detail

#endif  // SWITCHBOARD_SRC_HOST_JSON_VALUES_H_
