// The order in which the simulator adds a scenario's queues to an engine: a queue's transfer
// targets must exist when it is added (AddQueue refuses others), while a scenario may list them
// in any order.
#ifndef SWITCHBOARD_SRC_SIM_QUEUE_ORDER_H_
#define SWITCHBOARD_SRC_SIM_QUEUE_ORDER_H_

#include <cstddef>
#include <vector>

#include "absl/status/statusor.h"
#include "switchboard/queue.h"

namespace switchboard::detail {

// Positions into `queues`, each queue after the targets of its transfer rules, otherwise in
// their order. InvalidArgument for a target that names no queue or the queue itself, e.g.
// "queue 'a': overflow[2].target: unknown queue 'x'", or for queues whose transfers form a
// cycle: "queues 'a', 'b' transfer to each other in a cycle; ...". O(queues^2 x rules).
absl::StatusOr<std::vector<size_t>> QueueAddOrder(const std::vector<QueueConfig>& queues);

}  // namespace switchboard::detail

#endif  // SWITCHBOARD_SRC_SIM_QUEUE_ORDER_H_
