// Combining replications: each one's tallies evaluated as KPI values, then their means and
// confidence half-widths (sim/tally.h).
#include <algorithm>
#include <array>
#include <vector>

#include "sim/confidence.h"
#include "sim/kpi_fields.h"
#include "sim/tally.h"

namespace switchboard::detail {
namespace {

// One replication's KPI values, in the order of kKpiFields.
using KpiValues = std::array<double, kKpiCount>;

KpiValues Evaluate(const Tally& t, double period_s) {
  auto ratio = [](double num, double den, double if_empty) {
    return den > 0 ? num / den : if_empty;
  };
  const double decided = static_cast<double>(t.answered + t.abandoned);
  return {static_cast<double>(t.offered),
          static_cast<double>(t.answered),
          static_cast<double>(t.abandoned),
          ratio(static_cast<double>(t.answered_within), decided, 1.0),
          ratio(static_cast<double>(t.waited), static_cast<double>(t.answered), 0.0),
          ratio(t.wait_sum_s, static_cast<double>(t.answered), 0.0),
          ratio(static_cast<double>(t.abandoned), decided, 0.0),
          ratio(t.handle_sum_s, static_cast<double>(t.handled), 0.0),
          ratio(t.queue_area_s, period_s, 0.0),
          t.max_wait_s,
          ratio(t.ewt_abs_error_sum_s, static_cast<double>(t.answered), 0.0),
          ratio(t.ewt_error_sum_s, static_cast<double>(t.answered), 0.0),
          static_cast<double>(t.transferred),
          static_cast<double>(t.callbacks),
          static_cast<double>(t.callbacks_connected),
          static_cast<double>(t.callbacks_failed),
          static_cast<double>(t.deflected),
          static_cast<double>(t.voicemail),
          static_cast<double>(t.disconnected),
          static_cast<double>(t.overflowed),
          ratio(static_cast<double>(t.overflowed), static_cast<double>(t.offered), 0.0),
          static_cast<double>(t.redials),
          static_cast<double>(t.first_attempts),
          static_cast<double>(t.customers_served)};
}

Kpis Aggregate(const std::vector<KpiValues>& replications) {
  Kpis kpis;
  std::vector<double> column(replications.size());
  for (int k = 0; k < kKpiCount; ++k) {
    for (size_t r = 0; r < replications.size(); ++r) column[r] = replications[r][k];
    kpis.*kKpiFields[k].member = Summarize(column);
  }
  return kpis;
}

}  // namespace

SimulationResult Combine(const SimulationConfig& config,
                         const std::vector<absl::StatusOr<ReplicationResult>>& runs) {
  const int n = config.replications;
  const double period_s = absl::ToDoubleSeconds(config.duration);
  const double interval_s = absl::ToDoubleSeconds(config.interval);
  SimulationResult result;
  result.scenario = config.scenario;
  result.seed = config.seed;
  result.replications = n;
  auto summarize = [&](auto tally_of, double seconds) {
    std::vector<KpiValues> values;
    for (const auto& run : runs) values.push_back(Evaluate(tally_of(*run), seconds));
    return Aggregate(values);
  };
  // Overall, a contact is offered once: those a transfer offered again are taken off.
  auto overall_of = [](const std::vector<Tally>& tallies) {
    Tally total;
    for (const Tally& t : tallies) total.Add(t);
    total.offered -= total.transfers_in;
    return total;
  };
  for (size_t q = 0; q < config.queues.size(); ++q) {
    result.queues[config.queues[q].id] =
        summarize([q](const ReplicationResult& r) { return r.queues[q]; }, period_s);
  }
  result.overall =
      summarize([&](const ReplicationResult& r) { return overall_of(r.queues); }, period_s);
  std::vector<double> occupancy;
  for (const auto& run : runs) {
    occupancy.push_back(run->occupancy);
    result.contacts_simulated += run->contacts;
  }
  result.occupancy = Summarize(occupancy);

  const size_t intervals = runs.front()->intervals.size();
  for (size_t i = 0; i < intervals; ++i) {
    IntervalReport report;
    report.start = config.interval * static_cast<int64_t>(i);
    // The last interval may be cut short by the end of the measured period.
    const double length_s =
        std::min(interval_s, period_s - interval_s * static_cast<double>(i));
    for (size_t q = 0; q < config.queues.size(); ++q) {
      report.queues[config.queues[q].id] = summarize(
          [i, q](const ReplicationResult& r) { return r.intervals[i][q]; }, length_s);
    }
    report.overall = summarize(
        [&, i](const ReplicationResult& r) { return overall_of(r.intervals[i]); }, length_s);
    std::vector<double> interval_occupancy;
    for (const auto& run : runs) interval_occupancy.push_back(run->interval_occupancy[i]);
    report.occupancy = Summarize(interval_occupancy);
    result.intervals.push_back(std::move(report));
  }
  return result;
}

}  // namespace switchboard::detail
