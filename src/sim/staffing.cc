// Staffing by Erlang C or A (staffing.h): the search, the intraday CSV reader and the check of a
// staffed day by simulation.
#include "switchboard/staffing.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "base/status_macros.h"
#include "fmt/format.h"
#include "switchboard/erlang.h"

namespace switchboard {
namespace {

constexpr std::string_view kQueueId = "planned";
constexpr std::string_view kHeader = "start,arrivals,aht_s";

bool Finite(double value) { return std::isfinite(value); }

// The KPIs at `agents`, as a StaffingResult (agents and scheduled not set).
absl::StatusOr<StaffingResult> Evaluate(double arrival_rate_per_s, double aht_s, int agents,
                                        const StaffingOptions& options) {
  StaffingResult result;
  result.load_erlangs = arrival_rate_per_s * aht_s;
  if (options.model == ErlangModel::kC) {
    absl::StatusOr<ErlangCResult> c =
        ErlangC(arrival_rate_per_s, aht_s, agents, options.threshold_s);
    if (!c.ok()) return c.status();
    result.p_wait = c->p_wait;
    result.asa_s = c->asa_s;
    result.service_level = c->service_level;
    result.occupancy = c->occupancy;
    return result;
  }
  absl::StatusOr<ErlangAResult> a =
      ErlangA(arrival_rate_per_s, aht_s, options.mean_patience_s, agents, options.threshold_s);
  if (!a.ok()) return a.status();
  result.p_wait = a->p_wait;
  result.asa_s = a->asa_s;
  result.service_level = a->service_level;
  result.occupancy = a->occupancy;
  result.abandon_rate = a->abandon_rate;
  return result;
}

// With model C the queue must also be stable (N > load, so occupancy < 1). A max_occupancy of 1
// is no cap (Erlang A's occupancy can reach 1 exactly in overload).
bool Meets(const StaffingResult& kpis, const StaffingOptions& options) {
  if (options.model == ErlangModel::kC && !(kpis.occupancy < 1)) return false;
  if (options.max_occupancy < 1 && !(kpis.occupancy <= options.max_occupancy)) return false;
  return kpis.service_level >= options.target &&
         (options.model != ErlangModel::kA || kpis.abandon_rate <= options.max_abandon);
}

// ceil(agents / (1 − shrinkage)); OutOfRange above kMaxStaffingAgents.
absl::StatusOr<int> Scheduled(int agents, double shrinkage) {
  const double scheduled = std::max<double>(agents, std::ceil(agents / (1 - shrinkage) - 1e-9));
  if (!(scheduled <= kMaxStaffingAgents)) {
    return absl::OutOfRangeError(fmt::format(
        "shrinkage {} needs more than {} scheduled agents for {} available; lower the shrinkage",
        shrinkage, kMaxStaffingAgents, agents));
  }
  return static_cast<int>(scheduled);
}

// The smallest count the search may start from: every smaller count fails. C: the queue is
// stable only above the load, and occupancy A/N <= max_occupancy needs N >= A / max_occupancy
// (adjusted by one where rounding puts the ceiling one too high). A: at most N/A of the
// arrivals are answered (the carried load is at most N), so target <= N/A.
double LowerBound(double load, const StaffingOptions& options) {
  if (options.model == ErlangModel::kA) return std::floor(options.target * load);
  double bound = std::floor(load) + 1;
  if (options.max_occupancy < 1) {
    double by_occupancy = std::ceil(load / options.max_occupancy);
    if (by_occupancy > bound && load / (by_occupancy - 1) <= options.max_occupancy) {
      by_occupancy -= 1;
    }
    bound = std::max(bound, by_occupancy);
  }
  return bound;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

// A whole field as a finite double.
std::optional<double> ParseNumber(std::string_view text) {
  double value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end || !Finite(value)) return std::nullopt;
  return value;
}

// A whole field of 1 or 2 digits, at most `max`.
std::optional<int> ParseClockPart(std::string_view text, int max) {
  if (text.empty() || text.size() > 2) return std::nullopt;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (value > max) return std::nullopt;
  return value;
}

// "HH:MM" or "HH:MM:SS", 00:00 to 23:59:59.
std::optional<absl::Duration> ParseTimeOfDay(std::string_view text) {
  std::vector<std::string_view> parts;
  size_t pos = 0;
  while (true) {
    const size_t colon = text.find(':', pos);
    parts.push_back(text.substr(pos, colon == std::string_view::npos ? colon : colon - pos));
    if (colon == std::string_view::npos) break;
    pos = colon + 1;
  }
  if (parts.size() != 2 && parts.size() != 3) return std::nullopt;
  const std::optional<int> hours = ParseClockPart(parts[0], 23);
  const std::optional<int> minutes = ParseClockPart(parts[1], 59);
  const std::optional<int> seconds = parts.size() == 3 ? ParseClockPart(parts[2], 59) : 0;
  if (!hours || !minutes || !seconds || (parts.size() == 3 && parts[2].size() != 2) ||
      parts[1].size() != 2) {
    return std::nullopt;
  }
  return absl::Hours(*hours) + absl::Minutes(*minutes) + absl::Seconds(*seconds);
}

std::string DurationText(absl::Duration duration) { return absl::FormatDuration(duration); }

}  // namespace

std::string_view ErlangModelName(ErlangModel model) { return model == ErlangModel::kA ? "a" : "c"; }

std::string FormatTimeOfDay(absl::Duration since_midnight) {
  const int64_t seconds = absl::ToInt64Seconds(since_midnight);
  if (seconds % 60 != 0) {
    return fmt::format("{:02}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60);
  }
  return fmt::format("{:02}:{:02}", seconds / 3600, seconds / 60 % 60);
}

absl::Status ValidateStaffingOptions(const StaffingOptions& options) {
  if (!(options.threshold_s >= 0) || !Finite(options.threshold_s)) {
    return absl::InvalidArgumentError(
        fmt::format("threshold must be >= 0 and finite (got {})", options.threshold_s));
  }
  if (!(options.target >= 0 && options.target < 1)) {
    return absl::InvalidArgumentError(
        fmt::format("target must be a share from 0 to below 1, e.g. 0.8 (got {})", options.target));
  }
  if (!(options.max_occupancy > 0 && options.max_occupancy <= 1)) {
    return absl::InvalidArgumentError(
        fmt::format("max occupancy must be above 0 and at most 1 (got {})", options.max_occupancy));
  }
  if (!(options.max_abandon > 0 && options.max_abandon <= 1)) {
    return absl::InvalidArgumentError(
        fmt::format("max abandon must be above 0 and at most 1 (got {})", options.max_abandon));
  }
  if (!(options.shrinkage >= 0 && options.shrinkage < 1)) {
    return absl::InvalidArgumentError(fmt::format(
        "shrinkage must be a share from 0 to below 1, e.g. 0.3 (got {})", options.shrinkage));
  }
  if (options.model == ErlangModel::kA) {
    if (!(options.mean_patience_s > 0) || !Finite(options.mean_patience_s)) {
      return absl::InvalidArgumentError(fmt::format(
          "model A needs a mean patience > 0 and finite (got {})", options.mean_patience_s));
    }
  } else if (options.max_abandon < 1) {
    return absl::InvalidArgumentError(
        "max abandon needs model A (with model C customers never abandon)");
  }
  return absl::OkStatus();
}

absl::StatusOr<StaffingResult> Staff(double arrival_rate_per_s, double aht_s,
                                     const StaffingOptions& options) {
  SWITCHBOARD_RETURN_IF_ERROR(ValidateStaffingOptions(options));
  if (!(arrival_rate_per_s >= 0) || !Finite(arrival_rate_per_s)) {
    return absl::InvalidArgumentError(
        fmt::format("arrival rate must be >= 0 and finite (got {})", arrival_rate_per_s));
  }
  if (!(aht_s > 0) || !Finite(aht_s)) {
    return absl::InvalidArgumentError(
        fmt::format("average handle time must be > 0 and finite (got {})", aht_s));
  }
  if (arrival_rate_per_s == 0) return StaffingResult{};

  const double load = arrival_rate_per_s * aht_s;
  const double bound = LowerBound(load, options);
  if (bound > kMaxStaffingAgents) {
    return absl::OutOfRangeError(fmt::format("a load of {:.6g} Erlangs needs more than {} agents",
                                             load, kMaxStaffingAgents));
  }
  // Whether `agents` meet the constraints. An Erlang A count it cannot evaluate (OutOfRange: a
  // queue too long in overload) does not: more agents shorten the queue.
  absl::Status unevaluated;  // the last such OutOfRange
  const auto meets = [&](int agents) -> absl::StatusOr<bool> {
    absl::StatusOr<StaffingResult> kpis = Evaluate(arrival_rate_per_s, aht_s, agents, options);
    if (kpis.status().code() == absl::StatusCode::kOutOfRange) {
      unevaluated = kpis.status();
      return false;
    }
    if (!kpis.ok()) return kpis.status();
    return Meets(*kpis, options);
  };

  // Bracket: `low` fails (or is the bound), `high` meets; the step doubles.
  int low = std::max(1, static_cast<int>(bound));
  absl::StatusOr<bool> ok = meets(low);
  if (!ok.ok()) return ok.status();
  int high = low;
  if (!*ok) {
    int64_t step = 1;
    while (true) {
      const int64_t next = std::min<int64_t>(int64_t{low} + step, kMaxStaffingAgents);
      unevaluated = absl::OkStatus();
      ok = meets(static_cast<int>(next));
      if (!ok.ok()) return ok.status();
      if (*ok) {
        high = static_cast<int>(next);
        break;
      }
      if (next == kMaxStaffingAgents) {
        return absl::OutOfRangeError(fmt::format(
            "no staffing up to {} agents meets the constraints (service level {} within {} s, "
            "occupancy <= {}{}){}",
            kMaxStaffingAgents, options.target, options.threshold_s, options.max_occupancy,
            options.model == ErlangModel::kA ? fmt::format(", abandon <= {}", options.max_abandon)
                                             : "",
            unevaluated.ok() ? ""
                             : fmt::format("; at {} agents: {}", kMaxStaffingAgents,
                                           detail::Message(unevaluated))));
      }
      low = static_cast<int>(next);
      step *= 2;
    }
    // Bisect: low fails, high meets.
    while (high - low > 1) {
      const int mid = low + (high - low) / 2;
      ok = meets(mid);
      if (!ok.ok()) return ok.status();
      (*ok ? high : low) = mid;
    }
  }
  absl::StatusOr<StaffingResult> result = Evaluate(arrival_rate_per_s, aht_s, high, options);
  if (!result.ok()) return result.status();
  absl::StatusOr<int> scheduled = Scheduled(high, options.shrinkage);
  if (!scheduled.ok()) return scheduled.status();
  result->agents = high;
  result->scheduled = *scheduled;
  return result;
}

absl::StatusOr<double> ParseArrivalRate(std::string_view text) {
  const std::string_view trimmed = Trim(text);
  const size_t slash = trimmed.rfind('/');
  const auto bad = [&] {
    return absl::InvalidArgumentError(fmt::format(
        "expected a rate like 720/h, 12/m or 0.2/s (a number >= 0, then /h, /m or /s); got '{}'",
        text));
  };
  if (slash == std::string_view::npos) return bad();
  const std::optional<double> count = ParseNumber(Trim(trimmed.substr(0, slash)));
  const std::string_view unit = Trim(trimmed.substr(slash + 1));
  if (!count || *count < 0) return bad();
  if (unit == "h") return *count / 3600;
  if (unit == "m") return *count / 60;
  if (unit == "s") return *count;
  return bad();
}

absl::StatusOr<IntradayForecast> ParseIntradayCsv(std::string_view text,
                                                  std::string_view source_name,
                                                  std::optional<absl::Duration> interval) {
  if (interval.has_value() && (*interval <= absl::ZeroDuration() || *interval > absl::Hours(24))) {
    return absl::InvalidArgumentError(
        fmt::format("{}: the interval must be above 0 and at most 24h (got {})", source_name,
                    DurationText(*interval)));
  }
  static constexpr std::string_view kColumns[] = {"start", "arrivals", "aht_s"};
  const auto error = [&](int line, int column, std::string_view reason) {
    return absl::InvalidArgumentError(fmt::format("{}: line {}, column {} ({}): {}", source_name,
                                                  line, column, kColumns[column - 1], reason));
  };
  // A byte-order mark (spreadsheets write one) is not part of the header.
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  IntradayForecast forecast;
  bool header = false;
  int line_number = 0;
  int first_line = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = Trim(text.substr(pos, end - pos));
    pos = end + 1;
    ++line_number;
    if (line.empty()) continue;
    std::vector<std::string_view> fields;
    for (size_t start = 0;;) {
      const size_t comma = line.find(',', start);
      fields.push_back(
          Trim(line.substr(start, comma == std::string_view::npos ? comma : comma - start)));
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    if (!header) {
      std::string joined;
      for (size_t i = 0; i < fields.size(); ++i) {
        if (i > 0) joined += ',';
        joined += fields[i];
      }
      if (joined != kHeader) {
        return absl::InvalidArgumentError(
            fmt::format("{}: line {}: expected the header row '{}' (got '{}')", source_name,
                        line_number, kHeader, line));
      }
      header = true;
      continue;
    }
    if (fields.size() != 3) {
      return absl::InvalidArgumentError(fmt::format("{}: line {}: expected 3 columns ({}), got {}",
                                                    source_name, line_number, kHeader,
                                                    fields.size()));
    }
    IntradayInterval row;
    const std::optional<absl::Duration> start = ParseTimeOfDay(fields[0]);
    if (!start) {
      return error(line_number, 1,
                   fmt::format("expected a time of day HH:MM or HH:MM:SS, got '{}'", fields[0]));
    }
    row.start = *start;
    const std::optional<double> arrivals = ParseNumber(fields[1]);
    if (!arrivals || *arrivals < 0) {
      return error(line_number, 2, fmt::format("expected a number >= 0, got '{}'", fields[1]));
    }
    row.arrivals = *arrivals;
    const std::optional<double> aht = ParseNumber(fields[2]);
    if (!aht || *aht <= 0) {
      return error(line_number, 3,
                   fmt::format("expected a number of seconds > 0, got '{}'", fields[2]));
    }
    row.aht_s = *aht;
    if (forecast.intervals.empty()) {
      first_line = line_number;
    } else {
      const absl::Duration previous = forecast.intervals.back().start;
      if (forecast.intervals.size() == 1 && !interval.has_value()) {
        if (row.start <= previous) {
          return error(line_number, 1,
                       fmt::format("{} does not come after the previous start {}", fields[0],
                                   FormatTimeOfDay(previous)));
        }
        interval = row.start - previous;
      }
      if (row.start - previous != *interval) {
        return error(line_number, 1,
                     fmt::format("{} is not one interval ({}) after the previous start {}",
                                 fields[0], DurationText(*interval), FormatTimeOfDay(previous)));
      }
    }
    forecast.intervals.push_back(row);
  }
  if (!header) {
    return absl::InvalidArgumentError(fmt::format(
        "{}: empty; expected the header row '{}' and one row per interval", source_name, kHeader));
  }
  if (forecast.intervals.empty()) {
    return absl::InvalidArgumentError(
        fmt::format("{}: no intervals after the header row", source_name));
  }
  if (!interval.has_value()) {
    return absl::InvalidArgumentError(
        fmt::format("{}: line {}: one interval only; give the interval length (--interval)",
                    source_name, first_line));
  }
  if (forecast.intervals.back().start + *interval > absl::Hours(24)) {
    return absl::InvalidArgumentError(fmt::format(
        "{}: the last interval ({} + {}) ends after midnight; a forecast covers one day",
        source_name, FormatTimeOfDay(forecast.intervals.back().start), DurationText(*interval)));
  }
  forecast.interval = *interval;
  return forecast;
}

absl::StatusOr<IntradayForecast> ReadIntradayCsv(const std::string& path,
                                                 std::optional<absl::Duration> interval) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return absl::NotFoundError(fmt::format("{}: cannot open the file", path));
  }
  std::ostringstream contents;
  contents << file.rdbuf();
  if (file.bad()) return absl::DataLossError(fmt::format("{}: cannot read the file", path));
  return ParseIntradayCsv(contents.str(), path, interval);
}

absl::StatusOr<std::vector<IntervalRequirement>> StaffIntraday(const IntradayForecast& forecast,
                                                               const StaffingOptions& options) {
  SWITCHBOARD_RETURN_IF_ERROR(ValidateStaffingOptions(options));
  if (forecast.interval <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("the interval length must be > 0");
  }
  const double interval_s = absl::ToDoubleSeconds(forecast.interval);
  std::vector<IntervalRequirement> plan;
  plan.reserve(forecast.intervals.size());
  for (const IntradayInterval& row : forecast.intervals) {
    absl::StatusOr<StaffingResult> staffing = Staff(row.arrivals / interval_s, row.aht_s, options);
    if (!staffing.ok()) {
      return absl::Status(staffing.status().code(),
                          fmt::format("interval {}: {}", FormatTimeOfDay(row.start),
                                      detail::Message(staffing.status())));
    }
    plan.push_back(
        {.start = row.start, .arrivals = row.arrivals, .aht_s = row.aht_s, .staffing = *staffing});
  }
  return plan;
}

absl::StatusOr<SimulationConfig> StaffedDayConfig(const IntradayForecast& forecast,
                                                  const std::vector<IntervalRequirement>& plan,
                                                  const StaffingOptions& options,
                                                  const VerifyOptions& verify) {
  SWITCHBOARD_RETURN_IF_ERROR(ValidateStaffingOptions(options));
  if (plan.size() != forecast.intervals.size() || plan.empty()) {
    return absl::InvalidArgumentError(
        fmt::format("the plan has {} intervals and the forecast {}; staff the forecast first",
                    plan.size(), forecast.intervals.size()));
  }
  if (verify.replications < 2) {
    return absl::InvalidArgumentError(
        fmt::format("verifying needs at least 2 replications for confidence intervals (got {})",
                    verify.replications));
  }
  if (!(verify.tolerance >= 0) || !Finite(verify.tolerance)) {
    return absl::InvalidArgumentError(
        fmt::format("the tolerance must be >= 0 and finite (got {})", verify.tolerance));
  }
  // Period 0 is a warm-up at the first interval's traffic and staffing, so that the first
  // measured interval does not start with an empty center; period p >= 1 is interval p − 1.
  const size_t n = plan.size();
  const auto period = [&](size_t p) -> const IntervalRequirement& {
    return plan[p == 0 ? 0 : p - 1];
  };
  const size_t periods = n + 1;
  SimulationConfig config;
  config.scenario = "staffed day";
  config.seed = verify.seed;
  config.replications = verify.replications;
  config.start += forecast.intervals.front().start - forecast.interval;
  config.warmup = forecast.interval;
  config.duration = forecast.interval * static_cast<int64_t>(n);
  config.interval = forecast.interval;
  QueueConfig queue;
  queue.id = std::string(kQueueId);
  queue.service_level_threshold = absl::Seconds(options.threshold_s);
  queue.service_level_target = options.target;
  config.queues.push_back(std::move(queue));
  for (size_t p = 0; p < periods; ++p) {
    if (period(p).arrivals <= 0) continue;
    TrafficConfig traffic;
    traffic.queue = std::string(kQueueId);
    traffic.arrivals.per = forecast.interval;
    // Zero before and after period p (a single rate would be constant for ever).
    traffic.arrivals.rates.assign(p + 2, 0.0);
    traffic.arrivals.rates[p] = period(p).arrivals;
    traffic.handle = Distribution::Exponential(period(p).aht_s);
    if (options.model == ErlangModel::kA) {
      traffic.patience = Distribution::Exponential(options.mean_patience_s);
    }
    config.traffic.push_back(std::move(traffic));
  }
  if (config.traffic.empty()) {
    return absl::InvalidArgumentError("no contacts arrive in any interval; nothing to simulate");
  }
  // The head count per period as shifts: when it rises by d, d agents log in; when it falls,
  // the agents who logged in last log out (after their contacts). An agent stays logged in
  // across intervals while it is needed, as on a real floor, instead of a whole new group
  // logging in at each interval. The agents left at the end stay until the queue drains.
  struct Open {
    size_t from;
    int count;
  };
  std::vector<Open> open;
  int current = 0;
  const auto close = [&](size_t to, int count) {
    while (count > 0) {
      Open& top = open.back();
      const int taken = std::min(count, top.count);
      AgentGroupConfig group;
      group.name = fmt::format("p{}-{}", top.from, to);
      group.count = taken;
      group.shift_start = forecast.interval * static_cast<int64_t>(top.from);
      group.shift_end = forecast.interval * static_cast<int64_t>(to);
      config.agents.push_back(std::move(group));
      top.count -= taken;
      count -= taken;
      if (top.count == 0) open.pop_back();
    }
  };
  for (size_t p = 0; p < periods; ++p) {
    const int needed = period(p).staffing.agents;
    if (needed > current) open.push_back({p, needed - current});
    if (needed < current) close(p, current - needed);
    current = needed;
  }
  for (const Open& still : open) {
    AgentGroupConfig group;
    group.name = fmt::format("p{}-end", still.from);
    group.count = still.count;
    group.shift_start = forecast.interval * static_cast<int64_t>(still.from);
    config.agents.push_back(std::move(group));
  }
  SWITCHBOARD_RETURN_IF_ERROR(ValidateSimulation(config));
  return config;
}

absl::StatusOr<std::vector<IntervalCheck>> VerifyStaffing(
    const IntradayForecast& forecast, const std::vector<IntervalRequirement>& plan,
    const StaffingOptions& options, const VerifyOptions& verify) {
  absl::StatusOr<SimulationConfig> config = StaffedDayConfig(forecast, plan, options, verify);
  if (!config.ok()) return config.status();
  RunOptions run;
  run.threads = verify.threads;
  run.progress = verify.progress;
  absl::StatusOr<SimulationResult> result = Simulate(*config, run);
  if (!result.ok()) return result.status();
  std::vector<IntervalCheck> checks;
  checks.reserve(plan.size());
  for (size_t i = 0; i < plan.size(); ++i) {
    IntervalCheck check;
    check.start = plan[i].start;
    if (i < result->intervals.size()) {
      const auto it = result->intervals[i].queues.find(std::string(kQueueId));
      if (it != result->intervals[i].queues.end()) {
        const Kpis& kpis = it->second;
        check.service_level = kpis.service_level;
        check.asa_s = kpis.asa_s;
        check.abandon_rate = kpis.abandon_rate;
        check.offered = kpis.offered;
      }
    }
    if (plan[i].arrivals > 0 && check.offered.mean > 0) {
      const StaffingResult& theory = plan[i].staffing;
      const auto apart = [&](double expected, const Metric& simulated) {
        return std::abs(expected - simulated.mean) > simulated.ci95 + verify.tolerance;
      };
      check.disagrees = apart(theory.service_level, check.service_level) ||
                        apart(theory.abandon_rate, check.abandon_rate);
    }
    checks.push_back(check);
  }
  return checks;
}

}  // namespace switchboard
