// Staffing: the smallest number of agents that meets a service-level target (and optional caps on
// occupancy and abandonment) by Erlang C or Erlang A (erlang.h), for one period or for each
// interval of a day read from a CSV file, and a check of a day's staffing by simulation (sim.h).
// docs/planning.md ("Staffing") explains the search, the CSV format and how to read --verify.
//
// Example:
//   StaffingOptions options;
//   options.threshold_s = 20;
//   options.target = 0.8;
//   options.shrinkage = 0.3;
//   absl::StatusOr<StaffingResult> staff = Staff(720.0 / 3600, 240, options);
//   // staff->agents 54, staff->service_level 0.817, staff->scheduled 78
#ifndef SWITCHBOARD_STAFFING_H_
#define SWITCHBOARD_STAFFING_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "switchboard/sim.h"

namespace switchboard {

// The queueing model staffing uses.
enum class ErlangModel : uint8_t {
  kC,  // M/M/N: customers wait for ever (ErlangC)
  kA,  // M/M/N+M: exponential patience of mean StaffingOptions::mean_patience_s (ErlangA)
};

// "c" or "a".
std::string_view ErlangModelName(ErlangModel model);

struct StaffingOptions {
  // Queueing model. Default kC.
  ErlangModel model = ErlangModel::kC;
  // Service-level threshold T in seconds: a contact answered within T counts as served in time.
  // Default 20; >= 0 and finite.
  double threshold_s = 20;
  // Service-level target: the share answered within T must be at least this. Default 0.8;
  // 0 <= target < 1. With model A abandonments count as misses (ErlangAResult::service_level).
  double target = 0.8;
  // Model A only: mean patience of waiting customers in seconds, > 0 and finite. Default 0
  // (unset: model A refuses it).
  double mean_patience_s = 0;
  // Cap on occupancy (share of agent time busy), 0 < max_occupancy <= 1. Default 1 (no cap).
  double max_occupancy = 1;
  // Model A only: cap on the abandon rate (abandoned ÷ offered), 0 < max_abandon <= 1.
  // Default 1 (no cap).
  double max_abandon = 1;
  // Share of paid time agents are not available (breaks, training, absence), 0 <= shrinkage < 1:
  // scheduled = ceil(agents / (1 − shrinkage)). Default 0.
  double shrinkage = 0;
};

// InvalidArgument naming the first field out of range.
absl::Status ValidateStaffingOptions(const StaffingOptions& options);

// The requirement for one period and the KPIs the model gives at it.
struct StaffingResult {
  // Smallest agent count meeting every constraint (0 when no contact arrives).
  int agents = 0;
  // Agents to schedule so that `agents` are available after shrinkage.
  int scheduled = 0;
  // Offered load λ·AHT in Erlangs.
  double load_erlangs = 0;
  // The model's KPIs at `agents` (see erlang.h). abandon_rate is 0 with model C. With no
  // arrivals: p_wait 0, asa_s 0, service_level 1, occupancy 0.
  double p_wait = 0;
  double asa_s = 0;
  double service_level = 1;
  double occupancy = 0;
  double abandon_rate = 0;
};

// Largest agent count the search tries; beyond it Staff returns OutOfRange.
inline constexpr int kMaxStaffingAgents = 1'000'000;

// The smallest N with service_level(N) >= target, occupancy(N) <= max_occupancy (checked only
// when max_occupancy < 1) and (model A) abandon_rate(N) <= max_abandon. Each KPI is monotone in
// N, so the search brackets N by doubling a step from a lower bound below which no count can
// meet the constraints (Erlang C: the smallest N above the load and at least load ÷
// max_occupancy; Erlang A: target × load) and then bisects: O(log N) evaluations of O(N) each.
// A count ErlangA cannot evaluate (OutOfRange: too many queue states) counts as not meeting
// them. arrival_rate_per_s >= 0 (0: agents 0), aht_s > 0, both finite. InvalidArgument for bad
// input (the message names the field, as ErlangC's do); OutOfRange when no count up to
// kMaxStaffingAgents meets the constraints, or when the scheduled head count
// ceil(agents / (1 − shrinkage)) would exceed kMaxStaffingAgents (the message names the
// shrinkage).
absl::StatusOr<StaffingResult> Staff(double arrival_rate_per_s, double aht_s,
                                     const StaffingOptions& options);

// ---------------------------------------------------------------------------------------------
// A day in intervals.

// One row of an intraday forecast.
struct IntradayInterval {
  // Start of the interval since midnight.
  absl::Duration start;
  // Contacts expected to arrive during the interval, >= 0.
  double arrivals = 0;
  // Mean handle time of those contacts in seconds, > 0.
  double aht_s = 0;
};

struct IntradayForecast {
  // Length of every interval (> 0).
  absl::Duration interval = absl::Minutes(30);
  // Consecutive intervals: each starts `interval` after the previous one, within one day.
  std::vector<IntradayInterval> intervals;
};

// Reads the CSV text of an intraday forecast. Format (docs/planning.md): a header row
// `start,arrivals,aht_s`, then one row per interval: start as HH:MM or HH:MM:SS (time of day),
// the expected arrivals in the interval (a number >= 0) and the AHT in seconds (a number > 0).
// Blank lines, spaces around fields and a leading UTF-8 byte-order mark are ignored. The interval
// length is `interval` when given, else the difference of the first two starts (one row needs
// `interval`). InvalidArgument "SOURCE: line L, column C (NAME): REASON" for a malformed row;
// nothing is returned partly.
absl::StatusOr<IntradayForecast> ParseIntradayCsv(std::string_view text,
                                                  std::string_view source_name,
                                                  std::optional<absl::Duration> interval = {});

// ParseIntradayCsv of a file (source_name = `path`); NotFound-style errors name the file.
absl::StatusOr<IntradayForecast> ReadIntradayCsv(const std::string& path,
                                                 std::optional<absl::Duration> interval = {});

// The requirement of one interval: Staff at arrivals ÷ interval length and the interval's AHT.
struct IntervalRequirement {
  absl::Duration start;
  double arrivals = 0;
  double aht_s = 0;
  StaffingResult staffing;
};

// Staff for every interval. Errors as Staff's, prefixed "interval HH:MM: ".
absl::StatusOr<std::vector<IntervalRequirement>> StaffIntraday(const IntradayForecast& forecast,
                                                               const StaffingOptions& options);

// How the staffed day is simulated.
struct VerifyOptions {
  // Independent replications of the day, >= 2 (the 95 % half-widths need two). Default 20.
  int replications = 20;
  // Seed of the simulation. Default 1.
  uint64_t seed = 1;
  // Threads running replications (results do not depend on it), 1..kMaxThreads. Default 1.
  int threads = 1;
  // Tolerance added to the simulation's 95 % half-width before theory and simulation are said
  // to disagree, for service level and abandon rate (shares). Default 0.03 (3 points); >= 0.
  double tolerance = 0.03;
  // Called after each replication with (done, total); may be empty.
  std::function<void(int, int)> progress;
};

// Theory against simulation for one interval.
struct IntervalCheck {
  absl::Duration start;
  // Simulated KPIs of the contacts that arrived in the interval (mean and 95 % half-width).
  Metric service_level;
  Metric asa_s;
  Metric abandon_rate;
  Metric offered;
  // |theory − simulation| > half-width + tolerance for service_level or abandon_rate.
  bool disagrees = false;
};

// The simulation VerifyStaffing runs: one queue with the options' threshold; per interval a
// Poisson stream at that interval's rate only, exponential handle times of its AHT, exponential
// patience of mean_patience_s for model A (none for C). Agents follow the required head count:
// when it rises agents log in, when it falls the latest to log in log out after their current
// contact; those left at the end stay until the queue drains. A warm-up of one interval at the
// first interval's traffic and staffing comes first, so the day does not start empty. Exposed
// so that tests and users can inspect or change it before simulating.
absl::StatusOr<SimulationConfig> StaffedDayConfig(const IntradayForecast& forecast,
                                                  const std::vector<IntervalRequirement>& plan,
                                                  const StaffingOptions& options,
                                                  const VerifyOptions& verify);

// Simulates the staffed day (StaffedDayConfig) and compares each interval with the theory in
// `plan`. Intervals with no arrivals have offered 0 and never disagree.
absl::StatusOr<std::vector<IntervalCheck>> VerifyStaffing(
    const IntradayForecast& forecast, const std::vector<IntervalRequirement>& plan,
    const StaffingOptions& options, const VerifyOptions& verify);

// "HH:MM" for a time of day (since midnight), "HH:MM:SS" when it has seconds.
std::string FormatTimeOfDay(absl::Duration since_midnight);

// "720/h", "12/m", "0.2/s" (a number >= 0 then /h, /m or /s) as contacts per second;
// InvalidArgument saying what is expected otherwise.
absl::StatusOr<double> ParseArrivalRate(std::string_view text);

}  // namespace switchboard

#endif  // SWITCHBOARD_STAFFING_H_
