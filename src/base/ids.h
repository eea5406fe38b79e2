// Indexes of the engine's records and its time unit, shared by the indexes and the core.
#ifndef SWITCHBOARD_SRC_BASE_IDS_H_
#define SWITCHBOARD_SRC_BASE_IDS_H_

#include <cstdint>
#include <limits>

namespace switchboard::detail {

// Engine time: microseconds on the host's clock (absl::ToUnixMicros of its absl::Time).
using Micros = int64_t;
using AgentIndex = uint32_t;
using QueueIndex = uint32_t;
using ContactSlot = uint32_t;
inline constexpr uint32_t kNoIndex = std::numeric_limits<uint32_t>::max();

}  // namespace switchboard::detail

#endif  // SWITCHBOARD_SRC_BASE_IDS_H_
