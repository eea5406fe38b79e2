// What one replication of the simulator measures (Tally per queue and period), and how the
// replications combine into KPIs with confidence intervals (results.cc).
#ifndef SWITCHBOARD_SRC_SIM_TALLY_H_
#define SWITCHBOARD_SRC_SIM_TALLY_H_

#include <algorithm>
#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "switchboard/sim.h"

namespace switchboard::detail {

// Counts behind the KPIs of one queue over one period of one replication.
struct Tally {
  int64_t offered = 0;
  int64_t answered = 0;
  int64_t abandoned = 0;
  int64_t answered_within = 0;
  int64_t waited = 0;  // answered after a wait > 0
  int64_t handled = 0;
  double wait_sum_s = 0;
  double max_wait_s = 0;
  double handle_sum_s = 0;
  double queue_area_s = 0;  // integral of the number waiting over the period
  double ewt_abs_error_sum_s = 0;  // |estimated wait at arrival - wait|, answered contacts
  double ewt_error_sum_s = 0;
  // Overflow outcomes; `transfers_in` are offered here by a transfer (not counted again overall).
  int64_t transferred = 0;
  int64_t transfers_in = 0;
  int64_t callbacks = 0;
  int64_t callbacks_connected = 0;
  int64_t callbacks_failed = 0;
  int64_t deflected = 0;
  int64_t voicemail = 0;
  int64_t disconnected = 0;
  int64_t overflowed = 0;
  int64_t redials = 0;
  int64_t first_attempts = 0;
  // Counted in the queue and interval of the customer's first call.
  int64_t customers_served = 0;

  void Add(const Tally& other) {
    offered += other.offered;
    answered += other.answered;
    abandoned += other.abandoned;
    answered_within += other.answered_within;
    waited += other.waited;
    handled += other.handled;
    wait_sum_s += other.wait_sum_s;
    max_wait_s = std::max(max_wait_s, other.max_wait_s);
    handle_sum_s += other.handle_sum_s;
    queue_area_s += other.queue_area_s;
    ewt_abs_error_sum_s += other.ewt_abs_error_sum_s;
    ewt_error_sum_s += other.ewt_error_sum_s;
    transferred += other.transferred;
    transfers_in += other.transfers_in;
    callbacks += other.callbacks;
    callbacks_connected += other.callbacks_connected;
    callbacks_failed += other.callbacks_failed;
    deflected += other.deflected;
    voicemail += other.voicemail;
    disconnected += other.disconnected;
    overflowed += other.overflowed;
    redials += other.redials;
    first_attempts += other.first_attempts;
    customers_served += other.customers_served;
  }
};

// What one replication measured.
struct ReplicationResult {
  std::vector<Tally> queues;                    // per queue, over the measured period
  std::vector<std::vector<Tally>> intervals;    // [interval][queue]
  double occupancy = 0;
  std::vector<double> interval_occupancy;
  int64_t contacts = 0;
  std::vector<ContactRecord> log;  // when recording (RunOptions::record_contacts)
};

// The results of all replications (each ok) as KPIs with confidence intervals.
SimulationResult Combine(const SimulationConfig& config,
                         const std::vector<absl::StatusOr<ReplicationResult>>& runs);

}  // namespace switchboard::detail

#endif  // SWITCHBOARD_SRC_SIM_TALLY_H_
