// Arguments the engine's commands share, read from Python values: channels, strategies,
// actors, queue memberships and capacities. Each raises InvalidArgumentError naming what was
// wrong.
#ifndef SWITCHBOARD_BINDINGS_COMMAND_ARGS_H_
#define SWITCHBOARD_BINDINGS_COMMAND_ARGS_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <pybind11/pybind11.h>

#include "absl/status/status.h"
#include "switchboard/engine.h"

namespace switchboard::python {

absl::Status Invalid(std::string message);
Channel ParseChannelOrThrow(std::string_view name);
Strategy ParseStrategyOrThrow(std::string_view name);
// "host" (also None), "system", "agent:ID", "supervisor:ID", "host:ID".
Actor ParseActor(const std::optional<std::string>& text);
// queues: a list of queue ids or of {"queue": id, "priority": int, "delay": s, "reserve": bool}.
std::vector<QueueMembership> ParseMemberships(const pybind11::iterable& items);
// capacity: channel -> contacts at once (replacing the default of one voice contact);
// cost / cost_total: the cost model; blocks: channel -> channels one contact of it blocks.
CapacityConfig ParseCapacity(const std::optional<std::map<std::string, int>>& limits,
                             const std::optional<std::map<std::string, int>>& cost,
                             int cost_total,
                             const std::optional<std::map<std::string, std::vector<std::string>>>&
                                 blocks);

}  // namespace switchboard::python

#endif  // SWITCHBOARD_BINDINGS_COMMAND_ARGS_H_
