// Umbrella header of the routing engine (library switchboard::engine): everything a host that
// routes contacts needs. The simulator, scenario files and reports have their own,
// switchboard/simulation.h (library switchboard::sim).
#ifndef SWITCHBOARD_SWITCHBOARD_H_
#define SWITCHBOARD_SWITCHBOARD_H_

#include "switchboard/actor.h"
#include "switchboard/agent.h"
#include "switchboard/attributes.h"
#include "switchboard/capacity.h"
#include "switchboard/channel.h"
#include "switchboard/commands.h"
#include "switchboard/contact.h"
#include "switchboard/contact_condition.h"
#include "switchboard/engine.h"
#include "switchboard/entry_rules.h"
#include "switchboard/events.h"
#include "switchboard/interval_stats.h"
#include "switchboard/limits.h"
#include "switchboard/opening_hours.h"
#include "switchboard/queue.h"
#include "switchboard/requirements.h"
#include "switchboard/shared_engine.h"
#include "switchboard/skills.h"
#include "switchboard/stats.h"
#include "switchboard/strategy.h"

#endif  // SWITCHBOARD_SWITCHBOARD_H_
