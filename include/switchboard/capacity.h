// How many contacts of which channels an agent may hold at once (omnichannel capacity).
//
// Two models, chosen per agent:
//  - limits: `limit[channel]` contacts of that channel at once, and `blocks[a]` is the set of
//    channels that one contact on channel `a` keeps the agent from taking. By default a voice
//    contact blocks every other channel and any other contact blocks voice.
//  - cost: each contact of channel c costs `cost[c]` units out of `total` (e.g. voice 100, chat
//    34, email 20 out of 100), still bounded by `limit`.
#ifndef SWITCHBOARD_CAPACITY_H_
#define SWITCHBOARD_CAPACITY_H_

#include <array>
#include <cstdint>

#include "absl/status/status.h"
#include "switchboard/channel.h"

namespace switchboard {

struct CapacityConfig {
  enum class Model : uint8_t { kLimits, kCost };
  // Which model applies; default kLimits.
  Model model = Model::kLimits;
  // Contacts per channel at once, 0..255; default 1 voice and nothing else.
  std::array<uint8_t, kChannelCount> limit = {1, 0, 0, 0, 0, 0, 0, 0, 0};
  // Bit c of blocks[a] set: holding a contact of channel a keeps the agent from taking channel c.
  std::array<uint16_t, kChannelCount> blocks = DefaultBlocks();
  // Cost model only: units one contact of each channel uses, and the units available.
  std::array<uint16_t, kChannelCount> cost = {100, 0, 0, 0, 0, 0, 0, 0, 0};
  uint16_t total = 100;

  // Voice blocks everything else; everything else blocks voice.
  static constexpr std::array<uint16_t, kChannelCount> DefaultBlocks() {
    std::array<uint16_t, kChannelCount> b{};
    const uint16_t all = (1u << kChannelCount) - 1;
    b[0] = all & ~1u;
    for (int c = 1; c < kChannelCount; ++c) b[c] = 1u;
    return b;
  }
  // Convenience: `n` contacts at once on `channel`.
  CapacityConfig& Allow(Channel channel, int n) {
    limit[static_cast<int>(channel)] = static_cast<uint8_t>(n);
    return *this;
  }
};

// InvalidArgument when no channel has a limit, or (cost model) a channel with a limit costs
// nothing or more than `total`.
absl::Status ValidateCapacity(const CapacityConfig& config);

// The contacts an agent holds now, by channel (offers, active contacts and wrap-up all count).
struct ChannelLoad {
  std::array<uint8_t, kChannelCount> count{};
  uint16_t used_cost = 0;
};

// True when an agent with `config` holding `load` may take one more contact on `channel`.
bool CanTake(const CapacityConfig& config, const ChannelLoad& load, Channel channel);

}  // namespace switchboard

#endif  // SWITCHBOARD_CAPACITY_H_
