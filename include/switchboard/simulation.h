// Umbrella header of the simulation side (library switchboard::sim): the discrete-event
// simulator, scenario files and the formats of its results, on top of the routing engine
// (switchboard/switchboard.h).
#ifndef SWITCHBOARD_SIMULATION_H_
#define SWITCHBOARD_SIMULATION_H_

#include "switchboard/erlang.h"
#include "switchboard/report.h"
#include "switchboard/scenario.h"
#include "switchboard/sim.h"
#include "switchboard/staffing.h"
#include "switchboard/switchboard.h"

#endif  // SWITCHBOARD_SIMULATION_H_
