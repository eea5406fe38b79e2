// The one check of a duration given by a host or a scenario (durations.h).
#include "base/durations.h"

#include "fmt/format.h"

namespace switchboard::detail {

absl::Status CheckDuration(std::string_view what, absl::Duration value, bool positive) {
  if (value < absl::ZeroDuration() || value > kMaxDuration ||
      (positive && value < absl::Microseconds(1))) {
    return absl::InvalidArgumentError(fmt::format(
        "{} is {}; expected a duration {} and at most {}", what, absl::FormatDuration(value),
        positive ? "of at least 1us" : ">= 0", absl::FormatDuration(kMaxDuration)));
  }
  return absl::OkStatus();
}

}  // namespace switchboard::detail
