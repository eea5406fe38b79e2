// Trace-driven runs of the simulator (replay.cc): logged contacts instead of generated traffic.
#ifndef SWITCHBOARD_SRC_SIM_TRACE_H_
#define SWITCHBOARD_SRC_SIM_TRACE_H_

#include <cstdint>
#include <limits>
#include <vector>

#include "absl/status/statusor.h"
#include "base/ids.h"
#include "switchboard/sim.h"

namespace switchboard::detail {

// One logged contact, resolved against the run's configuration.
struct TraceArrival {
  Micros arrival = 0;    // since the start of the simulation
  uint32_t traffic = 0;  // the configuration's stream that carries its queue, attributes,
                         // channel, priority and wrap-up (its arrival rates are not used)
  Micros handle = 0;     // talk time
  // Abandoned in the log: it gives up after `wait` (its patience is known). Otherwise its
  // patience is censored at `wait` and drawn as wait + an exponential of the fitted mean.
  bool abandoned = false;
  Micros wait = 0;
  uint32_t customer = 0;     // dense, 0..customers-1
  Micros first_arrival = 0;  // of the customer's first logged call
  uint32_t first_traffic = 0;  // the stream of that call (customers served count in its queue)
  bool redial = false;
  // The overflow offer the log shows the customer accepting (a deflected outcome: a deflection;
  // a connected or failed callback: a callback): if the replay makes it, the customer accepts
  // (the draw is still made, so that the other customers' answers stay those of the seed).
  // Other offers are answered by a draw of the scenario's acceptance probability.
  OverflowRule::Action accepts = OverflowRule::Action::kDisconnect;  // kDisconnect: none
};

struct Trace {
  std::vector<TraceArrival> arrivals;  // in order of arrival
  uint32_t customers = 0;
  // Mean patience of the exponential fit, seconds; infinity: nobody abandons.
  double patience_mean_s = std::numeric_limits<double>::infinity();
  // Non-empty: the Kaplan–Meier survival of patience, (time, S just after it) at each
  // abandonment time, increasing: a censored contact's patience is drawn from it conditional
  // on exceeding its wait; beyond the last time, an exponential tail of patience_mean_s.
  std::vector<std::pair<Micros, double>> survival;
};

// Runs `config`'s replications with `trace`'s contacts as the only arrivals (the streams'
// arrival rates and redials are not used; `config` need not pass ValidateSimulation's traffic
// checks but must otherwise be valid). Replications differ in the censored patience draws
// and, with overflow offers a customer may decline or callbacks that may go unanswered, in the
// customers' answers: those are drawn from each replication's customer stream, except that a
// customer accepts the offer the log shows them accepting (TraceArrival::accepts). A decline
// and a dial-back's answer are not forced, so with offers only the recording's seed reproduces
// the log exactly. With options.record_contacts, SimulationResult::contacts has one record per trace
// arrival, in its order (a skipped redial: LoggedOutcome::kSkipped).
absl::StatusOr<SimulationResult> SimulateTrace(const SimulationConfig& config, const Trace& trace,
                                               const RunOptions& options);

}  // namespace switchboard::detail

#endif  // SWITCHBOARD_SRC_SIM_TRACE_H_
