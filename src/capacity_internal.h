// The engine's form of CanTake: the set of channels held is kept with the load rather than
// recomputed from the counts on every call.
#ifndef SWITCHBOARD_SRC_CAPACITY_INTERNAL_H_
#define SWITCHBOARD_SRC_CAPACITY_INTERNAL_H_

#include <cstdint>

#include "switchboard/capacity.h"

namespace switchboard::detail {

// As switchboard::CanTake, with bit c of `held` set exactly when load.count[c] > 0.
bool CanTake(const CapacityConfig& config, const ChannelLoad& load, uint16_t held,
             Channel channel);

}  // namespace switchboard::detail

#endif  // SWITCHBOARD_SRC_CAPACITY_INTERNAL_H_
