// Replaying a day: a contact log (contact_log.h) fed through the simulator's engine with a
// scenario's queues, agents and policies instead of its generated traffic, to ask "what if we
// had had 3 more agents, or another strategy, that day". docs/planning.md ("Replaying a day")
// describes the method.
//
// Example:
//   absl::StatusOr<std::vector<ContactRecord>> log = ParseContactLog(text, "monday.csv");
//   absl::StatusOr<SimulationConfig> center = LoadScenarioFile("center.toml");
//   center->agents[0].count += 3;
//   absl::StatusOr<ReplayResult> what_if = Replay(*center, *log, {.replications = 20});
#ifndef SWITCHBOARD_REPLAY_H_
#define SWITCHBOARD_REPLAY_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "switchboard/contact_log.h"
#include "switchboard/sim.h"

namespace switchboard {

// How a replay models the patience of the contacts that did not abandon in the log.
enum class PatienceMethod : uint8_t {
  // Maximum-likelihood exponential with right censoring; a censored contact's patience is its
  // wait plus an exponential draw of the fitted mean (memorylessness).
  kExponential,
  // The Kaplan–Meier estimate of the survival of patience; a censored contact's patience is
  // drawn from it conditional on exceeding its wait, with an exponential tail of the fitted
  // mean beyond the longest abandonment.
  kKaplanMeier,
};

// The customers' patience fitted to a log. An abandoned contact's patience is its wait; every
// other contact's is censored: the customer would have waited at least its wait. The maximum-
// likelihood exponential fit with right censoring: mean = total wait of all contacts ÷
// abandonments (ignoring the censored waits, or counting them as patience, would bias the
// mean down). Kaplan–Meier: S(t) = product over abandonment times t_i <= t of
// (1 - d_i / n_i), with d_i abandonments at t_i and n_i contacts whose wait is >= t_i.
struct PatienceFit {
  // "exponential_mle_censored" or "kaplan_meier".
  std::string method = "exponential_mle_censored";
  // Mean patience of the exponential fit, seconds (Kaplan–Meier: of its tail); infinity when
  // nobody abandoned (nobody is made to abandon).
  double mean_s = 0;
  // Kaplan–Meier: the median patience, the first abandonment time where S <= 0.5; infinity
  // when S stays above 0.5 (and always with kExponential: see mean_s, median = mean × ln 2).
  double median_s = 0;
  // Contacts that were on the line: all but those deflected on arrival (deflected with wait 0:
  // by an entry rule, or an offer accepted at once), which are not in the Kaplan–Meier risk
  // sets either.
  int64_t contacts = 0;
  int64_t abandoned = 0;   // of which abandoned: uncensored observations
  double total_wait_s = 0;  // their waits together, seconds
  // Kaplan–Meier: (abandonment time in seconds, S just after it), times increasing.
  std::vector<std::pair<double, double>> survival;
};

PatienceFit FitPatience(std::span<const ContactRecord> log,
                        PatienceMethod method = PatienceMethod::kExponential);

struct ReplayOptions {
  // Replications; 0: the scenario's `replications`. They differ in the censored patience
  // draws and, in scenarios with overflow offers (accept < 1) or callbacks (answer < 1), in the
  // customers' answers (a customer the log shows deflected or called back accepts that offer;
  // declines and dial-back answers are drawn). 0..limits.max_replications.
  int replications = 0;
  // Seed of those draws; nullopt: the scenario's `seed`.
  std::optional<uint64_t> seed;
  PatienceMethod patience = PatienceMethod::kExponential;
  // As RunOptions::threads and RunOptions::progress.
  int threads = 1;
  std::function<void(int, int)> progress;
  // Names the log in error messages: "<log_name>: line N, column '<name>': ...".
  std::string log_name = "contact log";
};

// How closely the first replication reproduces the logged waits, over the contacts answered
// both in the log and in the replay.
struct ReplayAgreement {
  int64_t compared = 0;
  double mean_abs_wait_difference_s = 0;  // mean |replayed wait - logged wait|
  double within_1s = 0;                   // share of them with |difference| <= 1 s
  int64_t same_outcome = 0;               // contacts with the same outcome in both
  int64_t contacts = 0;                   // rows of the log
};

struct ReplayResult {
  // The replayed day's KPIs (definitions as for Simulate) over the replications; `contacts`
  // holds the first replication's, one per log row in its order (its `queue`: the queue the
  // contact entered; a redial of a customer the replay had already served: kSkipped).
  SimulationResult replayed;
  // The log's own KPIs, by the same definitions, for the contacts that arrived in the
  // scenario's measured period (one "replication"; occupancy and the EWT fields are unknown:
  // NaN).
  SimulationResult logged;
  PatienceFit patience;
  ReplayAgreement agreement;
};

// Replays `log` through `scenario`'s queues, entry rules, agents and policies: each row is a
// contact arriving at its logged time with its logged handle time (wrap-up: that of the
// scenario's first [[traffic]] stream of its queue and channel); a row with a queue enters it,
// one without is placed by the scenario's entry rules. An abandoned contact gives up after its
// logged wait; any other's patience is drawn beyond its logged wait from the patience fitted
// to the log (options.patience; exponential: its wait plus an exponential draw of the fitted
// mean, by memorylessness). The scenario's own arrivals and redials are not used; a logged redial
// of a customer the replay already served does not call. InvalidArgument for an invalid
// scenario, or "<options.log_name>: line N, column 'queue': ..." (or 'attributes') for a row
// naming a queue the scenario lacks or one that no entry rule places.
absl::StatusOr<ReplayResult> Replay(const SimulationConfig& scenario,
                                    std::span<const ContactRecord> log,
                                    const ReplayOptions& options = {});

// The result as JSON: {"scenario", "log", "patience", "agreement", "logged", "replayed"}, the
// last two as ResultsToJson prints them. `log_name` names the log file.
std::string ReplayToJson(const ReplayResult& result, std::string_view log_name);
// Overall and per-queue KPIs side by side (logged, replayed), the patience fit and agreement.
std::string ReplayToTable(const ReplayResult& result, std::string_view log_name);
// Per contact: row,customer,arrival_s,queue,logged_outcome,logged_wait_s,replayed_outcome,
// replayed_wait_s (the first replication).
std::string ReplayContactsToCsv(std::span<const ContactRecord> log, const ReplayResult& result);

}  // namespace switchboard

#endif  // SWITCHBOARD_REPLAY_H_
