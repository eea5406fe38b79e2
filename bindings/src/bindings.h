// Shared by the binding files: the register_<area>() functions PYBIND11_MODULE calls, and the
// conversions of time and durations every area uses.
//
// Units at the Python boundary: a time is a float of Unix seconds (time.time()); a duration is a
// float of seconds. Both are rounded to the nearest microsecond, the engine's resolution.
#ifndef SWITCHBOARD_BINDINGS_BINDINGS_H_
#define SWITCHBOARD_BINDINGS_BINDINGS_H_

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include <pybind11/pybind11.h>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "status.h"

namespace switchboard::python {

void register_engine(pybind11::module_& m);
void register_simulation(pybind11::module_& m);

// Microseconds for `seconds`; InvalidArgumentError naming `what` when it is not finite or does
// not fit (about ±292,000 years).
inline int64_t SecondsToMicros(double seconds, std::string_view what) {
  constexpr double kLimit = 9.2e12;  // seconds; int64 microseconds hold up to ~9.22e12
  if (!std::isfinite(seconds) || std::fabs(seconds) > kLimit) {
    ThrowIfError(absl::InvalidArgumentError(
        std::string(what) + ": expected a finite number of seconds, got " +
        std::to_string(seconds)));
  }
  return std::llround(seconds * 1e6);
}

inline absl::Duration SecondsToDuration(double seconds, std::string_view what) {
  return absl::Microseconds(SecondsToMicros(seconds, what));
}

inline absl::Time SecondsToTime(double unix_seconds, std::string_view what = "now") {
  return absl::FromUnixMicros(SecondsToMicros(unix_seconds, what));
}

inline double DurationToSeconds(absl::Duration d) {
  return static_cast<double>(absl::ToInt64Microseconds(d)) / 1e6;
}

inline double TimeToSeconds(absl::Time t) {
  return static_cast<double>(absl::ToUnixMicros(t)) / 1e6;
}

// A Python str from UTF-8 bytes (ids are whatever the host gave).
inline pybind11::str Str(std::string_view s) { return pybind11::str(s.data(), s.size()); }

}  // namespace switchboard::python

#endif  // SWITCHBOARD_BINDINGS_BINDINGS_H_
