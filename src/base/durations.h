// Durations as the engine keeps them (integer microseconds), and the one check of a duration
// given by a host or a scenario.
#ifndef SWITCHBOARD_SRC_BASE_DURATIONS_H_
#define SWITCHBOARD_SRC_BASE_DURATIONS_H_

#include <cstdint>
#include <limits>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "switchboard/limits.h"

namespace switchboard::detail {

// "Never": later than any time the engine computes.
inline constexpr int64_t kNever = std::numeric_limits<int64_t>::max();

// The longest duration accepted anywhere (limits.h).
using ::switchboard::kMaxDuration;

inline int64_t ToMicros(absl::Duration duration) {
  return absl::ToInt64Microseconds(duration);
}

// InvalidArgument naming `what` unless `value` is finite, at most kMaxDuration, and >= 0 (or,
// with `positive`, at least one microsecond: the engine's resolution).
absl::Status CheckDuration(std::string_view what, absl::Duration value, bool positive);

}  // namespace switchboard::detail

#endif  // SWITCHBOARD_SRC_BASE_DURATIONS_H_
