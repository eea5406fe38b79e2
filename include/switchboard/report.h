// Simulation results in the forms users read: the results JSON (docs/scenario-format.md), a KPI
// table, and the interval report as CSV.
#ifndef SWITCHBOARD_REPORT_H_
#define SWITCHBOARD_REPORT_H_

#include <string>

#include "switchboard/sim.h"

namespace switchboard {

// The results JSON of docs/scenario-format.md ("Results"): the contract's fields, plus
// "intervals" (an array of {"start_s", "queues", "overall", "occupancy"}) and
// "contacts_simulated". Keys in a fixed
// order and numbers printed exactly, so the same result always gives the same bytes.
std::string ResultsToJson(const SimulationResult& result);

// A readable KPI table: one row per queue and one for all queues, mean ± half-width.
std::string ResultsToTable(const SimulationResult& result);

// One row per interval and queue (and "overall"): start, and every KPI's mean and half-width.
std::string IntervalsToCsv(const SimulationResult& result);

}  // namespace switchboard

#endif  // SWITCHBOARD_REPORT_H_
