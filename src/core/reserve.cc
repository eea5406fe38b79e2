// Reserve agents: a queue's reserve members take its contacts only while the queue is short of
// staff by its reserve policy (QueueConfig::reserve). The policy is checked on a fixed grid of
// times while contacts wait or the reserve is active, so that its decisions do not depend on
// when commands happen to arrive; two thresholds per measure keep it from flapping.
#include <algorithm>
#include <limits>
#include <string>

#include "base/durations.h"
#include "base/status_macros.h"
#include "core/engine_impl.h"
#include "fmt/format.h"
#include "switchboard/limits.h"

namespace switchboard {

using detail::ToMicros;

namespace {

constexpr Micros kNoCheck = std::numeric_limits<Micros>::max();

// "0.62" for a share, as the event's reason shows it.
std::string ShareText(double share) { return fmt::format("{:.2f}", share); }

}  // namespace

absl::Status Engine::Impl::CheckReservePolicy(std::string_view queue,
                                              const ReservePolicy& policy) {
  auto refuse = [&](std::string_view field, std::string value, std::string_view expected) {
    return absl::InvalidArgumentError(fmt::format("queue '{}': reserve.{} is {}; expected {}",
                                                  queue, field, value, expected));
  };
  auto share = [&](std::string_view field, double value, double low) -> absl::Status {
    if (value >= low && value <= 1) return absl::OkStatus();
    return refuse(field, fmt::format("{}", value), fmt::format("{}..1", low));
  };
  auto duration = [&](std::string_view field, absl::Duration value, absl::Duration low,
                      absl::Duration high) -> absl::Status {
    if (value >= low && value <= high) return absl::OkStatus();
    return refuse(field, absl::FormatDuration(value),
                  fmt::format("{}..{}", absl::FormatDuration(low), absl::FormatDuration(high)));
  };
  SWITCHBOARD_RETURN_IF_ERROR(share("activate_below", policy.activate_below, 0));
  SWITCHBOARD_RETURN_IF_ERROR(
      duration("activate_wait", policy.activate_wait, absl::ZeroDuration(), kMaxDuration));
  if (policy.activate_below == 0 && policy.activate_wait == absl::ZeroDuration()) {
    return absl::InvalidArgumentError(fmt::format(
        "queue '{}': reserve has neither activate_below nor activate_wait; set one", queue));
  }
  if (policy.activate_below > 0 && policy.deactivate_at != 0) {
    SWITCHBOARD_RETURN_IF_ERROR(share("deactivate_at", policy.deactivate_at,
                                      policy.activate_below));
  }
  if (policy.activate_wait > absl::ZeroDuration()) {
    SWITCHBOARD_RETURN_IF_ERROR(duration("deactivate_wait", policy.deactivate_wait,
                                         absl::ZeroDuration(), policy.activate_wait));
  }
  SWITCHBOARD_RETURN_IF_ERROR(
      duration("window", policy.window, absl::Microseconds(1), absl::Hours(24)));
  return duration("check_every", policy.check_every, absl::Seconds(1), absl::Hours(1));
}

void Engine::Impl::SetReservePolicy(QueueIndex index, const std::optional<ReservePolicy>& policy) {
  Queue& home = queues_[index];
  if (!policy) {
    home.reserve.reset();
    if (home.reserve_active) {
      home.reserve_active = false;
      if (events_on()) {
        Event event = NewEvent(EventType::kReserveDeactivated);
        event.queue_id = home.config.id;
        event.reason = "no reserve policy";
        Emit(std::move(event));
      }
    }
    return;
  }
  if (!home.reserve) home.reserve = std::make_unique<ReserveState>();
  ReserveState& state = *home.reserve;
  state.activate_below = policy->activate_below;
  state.deactivate_at =
      policy->deactivate_at == 0 ? policy->activate_below : policy->deactivate_at;
  state.activate_wait = ToMicros(policy->activate_wait);
  state.deactivate_wait = ToMicros(policy->deactivate_wait);
  state.check_every = ToMicros(policy->check_every);
  // The decisions kept are those of the window in force: none without a service level to
  // measure, and none of a window that changed (the new one starts empty).
  const Micros window = ToMicros(policy->window);
  if (state.activate_below == 0 || window != state.window) {
    state.decided.clear();
    state.within = 0;
  }
  state.window = window;
  // The next check on the (possibly new) grid.
  state.check_at = kNoCheck;
  if (home.waiting_count > 0 || home.reserve_active) ScheduleReserveCheck(index);
}

void Engine::Impl::RecordDecided(Queue& home, bool within) {
  ReserveState& state = *home.reserve;
  state.decided.emplace_back(now_, within);
  state.within += within ? 1 : 0;
  // Forget what left the window (the deque holds at most one window of decisions).
  while (state.decided.front().first <= now_ - state.window) {
    state.within -= state.decided.front().second ? 1 : 0;
    state.decided.pop_front();
  }
}

double Engine::Impl::ReserveServiceLevel(const Queue& home) const {
  if (!home.reserve) return 1.0;
  const ReserveState& state = *home.reserve;
  int64_t decided = static_cast<int64_t>(state.decided.size());
  int64_t within = state.within;
  for (const auto& [time, in_time] : state.decided) {  // those that left the window since
    if (time > now_ - state.window) break;
    --decided;
    within -= in_time ? 1 : 0;
  }
  return decided == 0 ? 1.0 : static_cast<double>(within) / static_cast<double>(decided);
}

void Engine::Impl::ScheduleReserveCheck(QueueIndex index) {
  ReserveState& state = *queues_[index].reserve;
  if (state.check_at != kNoCheck) return;
  // The first multiple of check_every after now.
  state.check_at = (now_ / state.check_every + 1) * state.check_every;
  SetTimer(state.check_at, TimerKind::kReserveCheck, index, 0, 0);
}

void Engine::Impl::CheckReserve(QueueIndex index) {
  Queue& home = queues_[index];
  ReserveState& state = *home.reserve;
  state.check_at = kNoCheck;
  const double service_level = ReserveServiceLevel(home);
  const std::optional<Micros> oldest = home.by_arrival.Oldest();
  const Micros oldest_wait = oldest ? now_ - *oldest : 0;
  const bool by_level = state.activate_below > 0;
  const bool by_wait = state.activate_wait > 0;
  bool change = false;
  if (!home.reserve_active) {
    change = (by_level && service_level < state.activate_below) ||
             (by_wait && oldest && oldest_wait >= state.activate_wait);
  } else {
    change = (!by_level || service_level >= state.deactivate_at) &&
             (!by_wait || !oldest || oldest_wait <= state.deactivate_wait);
  }
  if (change) {
    home.reserve_active = !home.reserve_active;
    if (events_on()) {
      Event event = NewEvent(home.reserve_active ? EventType::kReserveActivated
                                                 : EventType::kReserveDeactivated);
      event.queue_id = home.config.id;
      event.wait_micros = oldest_wait;
      event.reason = fmt::format("service_level={} oldest_wait={}", ShareText(service_level),
                                 absl::FormatDuration(absl::Microseconds(oldest_wait)));
      Emit(std::move(event));
    }
    if (home.reserve_active) TakeWaitingForReserve(index);
  }
  if (home.waiting_count > 0 || home.reserve_active) ScheduleReserveCheck(index);
}

void Engine::Impl::TakeWaitingForReserve(QueueIndex index) {
  // The (record, channel) pairs with free reserve members: the queue's own, its steps', its
  // entry rules' chains'.
  std::vector<std::pair<QueueIndex, int>> lanes;
  std::vector<QueueIndex> records = {index};
  records.insert(records.end(), queues_[index].members.begin(), queues_[index].members.end());
  auto reserves_free = [this](QueueIndex q, int c) {
    const auto& tiers = queues_[q].tiers[c];
    return std::any_of(tiers.begin(), tiers.end(),
                       [](const auto& tier) { return tier->reserve && !tier->pool.empty(); });
  };
  for (QueueIndex q : records) {
    for (int c = 0; c < kChannelCount; ++c) {
      if (reserves_free(q, c) && !queues_[q].waiting[c].empty()) lanes.emplace_back(q, c);
    }
  }
  if (lanes.empty()) return;
  // Their waiting contacts, most urgent first across records and channels: each is offered to
  // the best agent free for it, so no agent takes a contact while a more urgent one it could
  // take waits.
  std::vector<detail::WaitKey> keys;
  for (const auto& [q, c] : lanes) {
    const detail::WaitingSet& waiting = queues_[q].waiting[c];
    for (auto it = waiting.begin(); it != waiting.end(); ++it) keys.push_back(*it);
  }
  std::sort(keys.begin(), keys.end());
  for (const detail::WaitKey& key : keys) {
    const bool any_free = std::any_of(lanes.begin(), lanes.end(), [&](const auto& lane) {
      return reserves_free(lane.first, lane.second);
    });
    if (!any_free) break;
    const Contact& contact = contacts_[key.slot];
    // Still waiting as listed (an offer made above may have withdrawn a copy).
    if (!contact.in_use || !contact.queued || contact.state != ContactState::kWaiting ||
        !detail::SameKey(contact.wait_key(key.slot), key)) {
      continue;
    }
    RouteContact(key.slot);
  }
  // Reserve members with a delay for the queue: their re-checks.
  for (const auto& [q, c] : lanes) ScheduleRecheck(q, static_cast<Channel>(c));
}

}  // namespace switchboard
