#include "switchboard/capacity.h"

#include "core/capacity_internal.h"
#include "fmt/format.h"

namespace switchboard {

absl::Status ValidateCapacity(const CapacityConfig& config) {
  if (config.model != CapacityConfig::Model::kLimits &&
      config.model != CapacityConfig::Model::kCost) {
    return absl::InvalidArgumentError(fmt::format("capacity: model {} is not a model (0..1)",
                                                  static_cast<int>(config.model)));
  }
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
  uint16_t held = 0;
  for (int c = 0; c < kChannelCount; ++c) {
    if (load.count[c] > 0) held |= static_cast<uint16_t>(1u << c);
  }
  return detail::CanTake(config, load, held, channel);
}

}  // namespace switchboard
