// Typed reads of the host protocol's JSON values (json_values.h).
#include "host/json_values.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace switchboard::host::detail {

using ::switchboard::detail::AbslView;

namespace {

// The largest number of seconds a number may give, either way (the Python bindings' limit:
// int64 microseconds hold about 9.22e12 s).
constexpr double kMaxNumberSeconds = 9.2e12;

absl::Status Expected(std::string_view path, std::string_view what, const Json& value) {
  return Invalid(path, absl::StrCat("expected ", AbslView(what), ", got ", Describe(value)));
}

// A finite number of seconds within kMaxNumberSeconds, as microseconds (or, for an integer,
// whole seconds exactly).
struct Seconds {
  bool integral = false;
  int64_t whole = 0;   // integral
  int64_t micros = 0;  // otherwise, rounded
};

// Whether `value` is a number of seconds in range; *out set when it is.
bool NumberSeconds(const Json& value, Seconds* out) {
  if (value.is_number_unsigned()) {
    const uint64_t n = value.get<uint64_t>();
    if (n > static_cast<uint64_t>(kMaxNumberSeconds)) return false;
    *out = {.integral = true, .whole = static_cast<int64_t>(n)};
    return true;
  }
  if (value.is_number_integer()) {
    const int64_t n = value.get<int64_t>();
    if (n > static_cast<int64_t>(kMaxNumberSeconds) ||
        n < -static_cast<int64_t>(kMaxNumberSeconds)) {
      return false;
    }
    *out = {.integral = true, .whole = n};
    return true;
  }
  const double seconds = value.get<double>();
  if (!std::isfinite(seconds) || std::fabs(seconds) > kMaxNumberSeconds) return false;
  *out = {.integral = false, .micros = std::llround(seconds * 1e6)};
  return true;
}

}  // namespace

std::string Describe(const Json& value) {
  std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
  constexpr size_t kMax = 60;
  if (text.size() > kMax) {
    text.resize(kMax);
    text += "...";
  }
  return text;
}

absl::Status Invalid(std::string_view path, std::string_view message) {
  if (path.empty()) return absl::InvalidArgumentError(AbslView(message));
  return absl::InvalidArgumentError(absl::StrCat(AbslView(path), ": ", AbslView(message)));
}

std::string KeyPath(std::string_view path, std::string_view key) {
  return absl::StrCat(AbslView(path), ".", AbslView(key));
}

std::string IndexPath(std::string_view path, size_t index) {
  return absl::StrCat(AbslView(path), "[", index, "]");
}

std::string MemberPath(std::string_view path, std::string_view key) {
  return absl::StrCat(AbslView(path), "[",
                      Json(std::string(key)).dump(-1, ' ', false, Json::error_handler_t::replace),
                      "]");
}

std::string JoinNames(std::span<const std::string_view> names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ", ";
    out += names[i];
  }
  return out;
}

absl::Status Read(const Json& value, std::string_view path, std::string* out) {
  if (!value.is_string()) return Expected(path, "a string", value);
  *out = value.get_ref<const std::string&>();
  return absl::OkStatus();
}

absl::Status Read(const Json& value, std::string_view path, bool* out) {
  if (!value.is_boolean()) return Expected(path, "true or false", value);
  *out = value.get<bool>();
  return absl::OkStatus();
}

absl::Status ReadInteger(const Json& value, std::string_view path, int64_t lo, int64_t hi,
                         int64_t* out) {
  const std::string range = absl::StrCat("an integer from ", lo, " to ", hi);
  if (value.is_number_unsigned()) {
    const uint64_t n = value.get<uint64_t>();
    if (hi < 0 || n > static_cast<uint64_t>(hi)) return Expected(path, range, value);
    *out = static_cast<int64_t>(n);
    return absl::OkStatus();
  }
  if (value.is_number_integer()) {
    const int64_t n = value.get<int64_t>();
    if (n < lo || n > hi) return Expected(path, range, value);
    *out = n;
    return absl::OkStatus();
  }
  if (value.is_number_float()) {
    const double d = value.get<double>();
    if (!std::isfinite(d) || d != std::trunc(d)) return Expected(path, "an integer", value);
    // Both bounds as doubles: 2^63 exactly above, -2^63 exactly below.
    if (d < -9223372036854775808.0 || d >= 9223372036854775808.0) {
      return Expected(path, range, value);
    }
    const auto n = static_cast<int64_t>(d);
    if (n < lo || n > hi) return Expected(path, range, value);
    *out = n;
    return absl::OkStatus();
  }
  return Expected(path, "an integer", value);
}

absl::Status Read(const Json& value, std::string_view path, int* out) {
  int64_t n = 0;
  SWITCHBOARD_RETURN_IF_ERROR(ReadInteger(value, path, std::numeric_limits<int>::min(),
                                          std::numeric_limits<int>::max(), &n));
  *out = static_cast<int>(n);
  return absl::OkStatus();
}

absl::Status Read(const Json& value, std::string_view path, int64_t* out) {
  return ReadInteger(value, path, std::numeric_limits<int64_t>::min(),
                     std::numeric_limits<int64_t>::max(), out);
}

absl::Status Read(const Json& value, std::string_view path, double* out) {
  if (!value.is_number()) return Expected(path, "a number", value);
  *out = value.get<double>();
  return absl::OkStatus();
}

absl::Status Read(const Json& value, std::string_view path, absl::Duration* out) {
  constexpr std::string_view kExpected = "a duration (seconds or \"30s\")";
  if (value.is_number()) {
    Seconds seconds;
    if (!NumberSeconds(value, &seconds)) {
      return Expected(path, "a duration of at most 9.2e12 seconds either way", value);
    }
    *out = seconds.integral ? absl::Seconds(seconds.whole) : absl::Microseconds(seconds.micros);
    return absl::OkStatus();
  }
  if (value.is_string()) {
    absl::Duration parsed;
    if (absl::ParseDuration(value.get_ref<const std::string&>(), &parsed)) {
      *out = parsed;
      return absl::OkStatus();
    }
  }
  return Expected(path, kExpected, value);
}

absl::Status Read(const Json& value, std::string_view path, absl::Time* out) {
  constexpr std::string_view kExpected =
      "a time (Unix seconds or an RFC 3339 string such as \"2026-01-05T09:00:00Z\")";
  if (value.is_number()) {
    Seconds seconds;
    if (!NumberSeconds(value, &seconds)) {
      return Expected(path, "a time of at most 9.2e12 Unix seconds either way", value);
    }
    *out = seconds.integral ? absl::FromUnixSeconds(seconds.whole)
                            : absl::FromUnixMicros(seconds.micros);
    return absl::OkStatus();
  }
  if (value.is_string()) {
    absl::Time parsed;
    std::string error;
    if (absl::ParseTime(absl::RFC3339_full, value.get_ref<const std::string&>(), &parsed, &error)) {
      *out = parsed;
      return absl::OkStatus();
    }
  }
  return Expected(path, kExpected, value);
}

absl::Status Read(const Json& value, std::string_view path, Channel* out) {
  return ReadEnum(value, path, "channel", kChannelCount, &ChannelName, out);
}

absl::Status Read(const Json& value, std::string_view path, Strategy* out) {
  return ReadEnum(value, path, "strategy", kStrategyCount, &StrategyName, out);
}

absl::Status Read(const Json& value, std::string_view path, std::vector<std::string>* out) {
  if (!value.is_array()) return Expected(path, "a list of strings", value);
  std::vector<std::string> items(value.size());
  for (size_t i = 0; i < value.size(); ++i) {
    SWITCHBOARD_RETURN_IF_ERROR(Read(value[i], IndexPath(path, i), &items[i]));
  }
  *out = std::move(items);
  return absl::OkStatus();
}

absl::Status Read(const Json& value, std::string_view path,
                  std::map<std::string, int, std::less<>>* out) {
  if (!value.is_object()) return Expected(path, "an object of names -> integers", value);
  std::map<std::string, int, std::less<>> items;
  for (const auto& [key, item] : value.items()) {
    SWITCHBOARD_RETURN_IF_ERROR(Read(item, MemberPath(path, key), &items[key]));
  }
  *out = std::move(items);
  return absl::OkStatus();
}

absl::Status Read(const Json& value, std::string_view path, Attributes* out) {
  if (!value.is_object()) {
    return Expected(path, "an object of names -> strings or numbers", value);
  }
  Attributes items;
  for (const auto& [key, item] : value.items()) {
    if (item.is_string()) {
      items[key] = item.get<std::string>();
    } else if (item.is_number()) {
      items[key] = item.get<double>();
    } else {
      return Expected(MemberPath(path, key), "a string or a number", item);
    }
  }
  *out = std::move(items);
  return absl::OkStatus();
}

std::string_view WrapUpModeName(WrapUpPolicy::Mode mode) {
  switch (mode) {
    case WrapUpPolicy::Mode::kNone:
      return "none";
    case WrapUpPolicy::Mode::kTimed:
      return "timed";
    case WrapUpPolicy::Mode::kUntilAgentEnds:
      return "until_agent_ends";
    case WrapUpPolicy::Mode::kTimedWithExtension:
      return "timed_with_extension";
  }
  return "?";
}

std::string_view CallbackModeName(CallbackPolicy::Mode mode) {
  switch (mode) {
    case CallbackPolicy::Mode::kKeepPlace:
      return "keep_place";
    case CallbackPolicy::Mode::kScheduled:
      return "scheduled";
  }
  return "?";
}

std::string_view CallbackResultName(CallbackResult result) {
  switch (result) {
    case CallbackResult::kConnected:
      return "connected";
    case CallbackResult::kNoAnswer:
      return "no_answer";
    case CallbackResult::kBusy:
      return "busy";
  }
  return "?";
}

Json AttributesJson(const Attributes& attributes) {
  Json out = Json::object();
  for (const auto& [name, value] : attributes) {
    if (const std::string* text = std::get_if<std::string>(&value)) {
      out[name] = *text;
    } else {
      out[name] = std::get<double>(value);
    }
  }
  return out;
}

absl::Status Fields::Check(std::span<const std::string_view> known) const {
  if (!object_.is_object()) return Expected(path_, "an object", object_);
  for (const auto& [key, value] : object_.items()) {
    bool found = false;
    for (const std::string_view name : known) found = found || key == name;
    if (!found) {
      return Invalid(
          path_,
          absl::StrCat("unknown key '", key, "'", op_.empty() ? "" : " for ", AbslView(op_),
                       known.empty() ? "; it takes none" : "; expected one of ", JoinNames(known)));
    }
  }
  return absl::OkStatus();
}

const Json* Fields::Find(std::string_view key) const {
  const auto it = object_.find(std::string(key));
  if (it == object_.end() || it->is_null()) return nullptr;
  return &*it;
}

absl::Status Fields::Missing(std::string_view key) const {
  return Invalid(path_, absl::StrCat("missing '", AbslView(key), "'", op_.empty() ? "" : " for ",
                                     AbslView(op_)));
}

}  // namespace switchboard::host::detail
