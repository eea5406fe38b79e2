// The shared checks of a command's input (validation.h) and of the engine's options.
#include "core/validation.h"

#include <cmath>
#include <string>
#include <utility>
#include <variant>

#include "base/durations.h"
#include "base/status_macros.h"
#include "fmt/format.h"
#include "switchboard/engine.h"

namespace switchboard {
namespace detail {

absl::Status CheckNonNegative(std::string_view what, absl::Duration value) {
  return CheckDuration(what, value, /*positive=*/false);
}

absl::Status CheckPositive(std::string_view what, absl::Duration value) {
  return CheckDuration(what, value, /*positive=*/true);
}

absl::Status RefuseId(std::string_view what, std::string_view id) {
  if (id.empty()) return absl::InvalidArgumentError(fmt::format("{} id is empty", what));
  return CheckText(fmt::format("{} id", what), id, kMaxIdBytes);
}

absl::Status UnknownId(std::string_view what, std::string_view id, std::string_view suffix) {
  if (id.size() > kMaxIdBytes || !IsValidUtf8(id)) {
    return CheckText(fmt::format("{} id", what), id, kMaxIdBytes);
  }
  return absl::NotFoundError(fmt::format("unknown {} '{}'{}", what, id, suffix));
}

absl::Status CheckActor(const Actor& actor) {
  if (actor.kind > Actor::Kind::kHost) {
    return absl::InvalidArgumentError(
        fmt::format("actor kind {} is not a kind (0..3)", static_cast<int>(actor.kind)));
  }
  return CheckText("actor id", actor.id, kMaxIdBytes);
}

absl::Status CheckReason(std::string_view reason) {
  return CheckText("reason", reason, kMaxTextBytes);
}

absl::Status CheckAttributes(std::string_view owner, const Attributes& attributes) {
  if (attributes.size() > kMaxEntries) {
    return absl::InvalidArgumentError(fmt::format("{}: {} attributes; expected at most {}", owner,
                                                  attributes.size(), kMaxEntries));
  }
  for (const auto& [name, value] : attributes) {
    SWITCHBOARD_RETURN_IF_ERROR(
        CheckText(fmt::format("{}: attribute name", owner), name, kMaxNameBytes));
    if (const std::string* text = std::get_if<std::string>(&value)) {
      SWITCHBOARD_RETURN_IF_ERROR(CheckText(
          fmt::format("{}: attribute '{}'", owner, name), *text, kMaxTextBytes));
    } else if (!std::isfinite(std::get<double>(value))) {
      return absl::InvalidArgumentError(fmt::format(
          "{}: attribute '{}' is {}; expected a finite number", owner, name,
          std::get<double>(value)));
    }
  }
  return absl::OkStatus();
}

}  // namespace detail

absl::Status ValidateOptions(const EngineOptions& options) {
  SWITCHBOARD_RETURN_IF_ERROR(detail::CheckPositive("offer_timeout", options.offer_timeout));
  SWITCHBOARD_RETURN_IF_ERROR(detail::CheckNonNegative("rona_cooldown", options.rona_cooldown));
  SWITCHBOARD_RETURN_IF_ERROR(detail::CheckNonNegative("reject_delay", options.reject_delay));
  SWITCHBOARD_RETURN_IF_ERROR(detail::CheckNonNegative("timeout_delay", options.timeout_delay));
  SWITCHBOARD_RETURN_IF_ERROR(detail::CheckNonNegative("aging_unit", options.aging_unit));
  // A priority of ±kMaxPriority aging units must stay far from overflowing the clock.
  if (options.aging_unit > absl::Hours(24)) {
    return absl::InvalidArgumentError(fmt::format("aging_unit is {}; expected at most 24h",
                                                  absl::FormatDuration(options.aging_unit)));
  }
  SWITCHBOARD_RETURN_IF_ERROR(detail::CheckPositive("occupancy_window", options.occupancy_window));
  SWITCHBOARD_RETURN_IF_ERROR(
      detail::CheckPositive("ewt_initial_interval", options.ewt_initial_interval));
  if (options.max_consecutive_misses < 0) {
    return absl::InvalidArgumentError(
        fmt::format("max_consecutive_misses is {}; expected >= 0", options.max_consecutive_misses));
  }
  if (options.host_score_candidates < 1 ||
      options.host_score_candidates > static_cast<int>(kMaxEntries)) {
    return absl::InvalidArgumentError(
        fmt::format("host_score_candidates is {}; expected 1..{}", options.host_score_candidates,
                    kMaxEntries));
  }
  for (const auto& [name, count] : {std::pair{"expected_agents", options.expected_agents},
                                    std::pair{"expected_contacts", options.expected_contacts}}) {
    if (count < 0 || count > kMaxExpectedEntries) {
      return absl::InvalidArgumentError(
          fmt::format("{} is {}; expected 0..{}", name, count, kMaxExpectedEntries));
    }
  }
  if (options.max_transfers < 0 || options.max_transfers > kMaxTransfers) {
    return absl::InvalidArgumentError(fmt::format("max_transfers is {}; expected 0..{}",
                                                  options.max_transfers, kMaxTransfers));
  }
  // Intervals tile the day, so a day's report starts at midnight UTC.
  if (options.stats_interval < absl::Seconds(1) || options.stats_interval > absl::Hours(24) ||
      absl::Hours(24) % options.stats_interval != absl::ZeroDuration()) {
    return absl::InvalidArgumentError(fmt::format(
        "stats_interval is {}; expected a divisor of 24h of at least 1s, such as 15m, 30m or 1h",
        absl::FormatDuration(options.stats_interval)));
  }
  if (options.max_buffered_events < 1) {
    return absl::InvalidArgumentError(
        fmt::format("max_buffered_events is {}; expected >= 1", options.max_buffered_events));
  }
  return absl::OkStatus();
}

}  // namespace switchboard
