// The engine's form of CanTake: the set of channels held is kept with the load rather than
// recomputed from the counts on every call.
#ifndef SWITCHBOARD_SRC_CORE_CAPACITY_INTERNAL_H_
#define SWITCHBOARD_SRC_CORE_CAPACITY_INTERNAL_H_

#include <cstdint>

#include "switchboard/capacity.h"

namespace switchboard::detail {

// As switchboard::CanTake, with bit c of `held` set exactly when load.count[c] > 0. Inline:
// routing asks it several times per decision.
inline bool CanTake(const CapacityConfig& config, const ChannelLoad& load, uint16_t held,
                    Channel channel) {
  const int c = static_cast<int>(channel);
  if (load.count[c] >= config.limit[c]) return false;
  for (uint16_t rest = held; rest != 0; rest &= rest - 1) {
    if (config.blocks[__builtin_ctz(rest)] >> c & 1u) return false;
  }
  return config.model != CapacityConfig::Model::kCost ||
         load.used_cost + config.cost[c] <= config.total;
}

}  // namespace switchboard::detail

#endif  // SWITCHBOARD_SRC_CORE_CAPACITY_INTERNAL_H_
