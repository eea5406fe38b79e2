// Agent selection: the one place that knows each strategy. A strategy is a key that orders a
// queue's pool of agents (PoolKey) and a rule for picking from the pools a contact may use
// (SelectAgent). To add a strategy: extend the enum in strategy.h and these two functions.
#ifndef SWITCHBOARD_SRC_CORE_SELECTION_H_
#define SWITCHBOARD_SRC_CORE_SELECTION_H_

#include <span>
#include <string_view>
#include <vector>

#include "index/agent_pool.h"
#include "base/random.h"
#include "core/records.h"
#include "switchboard/strategy.h"

namespace switchboard::detail {

// True while `contact` must not be offered to `agent` (RONA cool-down).
bool CoolingDown(const Contact& contact, AgentIndex agent, Micros now);

// The pool layout a strategy needs.
AgentPool::Layout PoolLayout(Strategy strategy);

// The key of `agent` in the pools of `served.queue`, from fields of the agent that do not change
// while it is pooled.
PoolEntry PoolKey(Strategy strategy, const Agent& agent, AgentIndex index,
                  const ServedQueue& served);

// Host score's key is longest idle's with the agent's skill score on the queue carried in
// `secondary`, for the scorer, below the agent index: the order stays that of {free_since,
// agent}, and scoring a candidate need not look for the queue in the agent's record.
inline int64_t HostScoreSecondary(AgentIndex index, int skill_score) {
  const uint64_t bits = uint64_t{index} << 32 | static_cast<uint32_t>(skill_score);
  return static_cast<int64_t>(bits ^ uint64_t{1} << 63);  // signed order = unsigned order
}
inline int HostScoreSkill(int64_t secondary) {
  return static_cast<int32_t>(static_cast<uint32_t>(secondary));
}

struct SelectionContext {
  Strategy strategy = Strategy::kLongestIdle;
  // The contact, for host score's scorer (shown its id, channel and attributes) and for its
  // cool-downs; null for a contact about to be created, which has none (not for host score).
  const Contact* contact = nullptr;
  QueueIndex queue = kNoIndex;
  std::string_view queue_id;
  Micros now = 0;
  const ChunkedVector<Agent, 6>* agents = nullptr;
  Random* random = nullptr;
  AgentIndex* round_robin_cursor = nullptr;  // per queue
  const HostScorer* scorer = nullptr;        // null or empty: longest idle
  std::vector<PoolEntry>* candidates = nullptr;  // host_score's buffer, kept by the engine
  int host_score_candidates = 16;
  // Agents not to choose: those a multi-offered contact rings at already.
  std::span<const AgentIndex> ringing;
};

// The agent to offer the contact to, from `pools` (the tiers the contact's wait qualifies for),
// skipping agents it is cooling down from; kNoIndex when none. O(pools × log n) plus the
// skipped agents (host_score: plus the candidates scored).
AgentIndex SelectAgent(const SelectionContext& context, std::span<AgentPool* const> pools);

}  // namespace switchboard::detail

#endif  // SWITCHBOARD_SRC_CORE_SELECTION_H_
