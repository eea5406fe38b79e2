#include "switchboard/capacity.h"

#include "fmt/format.h"

namespace switchboard {

absl::Status ValidateCapacity(const CapacityConfig& config) {
  bool any = false;
  for (Channel channel : kAllChannels) {
    const int c = static_cast<int>(channel);
    if (config.limit[c] == 0) continue;
    any = true;
    if (config.model == CapacityConfig::Model::kCost &&
        (config.cost[c] == 0 || config.cost[c] > config.total)) {
      return absl::InvalidArgumentError(
          fmt::format("capacity: channel '{}' costs {} of {} units; expected 1..{}",
                      ChannelName(channel), config.cost[c], config.total, config.total));
    }
  }
  if (!any) {
    return absl::InvalidArgumentError("capacity: no channel has a limit above 0");
  }
  return absl::OkStatus();
}

bool CanTake(const CapacityConfig& config, const ChannelLoad& load, Channel channel) {
  const int c = static_cast<int>(channel);
  if (load.count[c] >= config.limit[c]) return false;
  for (int held = 0; held < kChannelCount; ++held) {
    if (load.count[held] > 0 && (config.blocks[held] >> c & 1u)) return false;
  }
  if (config.model == CapacityConfig::Model::kCost &&
      load.used_cost + config.cost[c] > config.total) {
    return false;
  }
  return true;
}

}  // namespace switchboard
