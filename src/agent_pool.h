// The agents that may take a contact of one queue, on one channel, after one minimum wait:
// ordered by the queue's strategy key, and for weighted random also a Fenwick tree of weights.
#ifndef SWITCHBOARD_SRC_AGENT_POOL_H_
#define SWITCHBOARD_SRC_AGENT_POOL_H_

#include <cstdint>
#include <vector>

#include "absl/container/btree_set.h"
#include "routing_state.h"

namespace switchboard::detail {

// Smaller sorts first, and first is chosen first. The agent index breaks ties.
struct PoolEntry {
  int64_t primary = 0;
  int64_t secondary = 0;
  AgentIndex agent = kNoIndex;

  friend bool operator<(const PoolEntry& a, const PoolEntry& b) {
    if (a.primary != b.primary) return a.primary < b.primary;
    if (a.secondary != b.secondary) return a.secondary < b.secondary;
    return a.agent < b.agent;
  }
};

class AgentPool {
 public:
  explicit AgentPool(bool weighted) : weighted_(weighted) {}

  // O(log n). `weight` > 0 matters only for a weighted pool.
  void Insert(const PoolEntry& entry, double weight);
  // O(log n). The entry must be present, with the key it was inserted with.
  void Erase(const PoolEntry& entry);

  bool empty() const { return entries_.empty(); }
  int64_t size() const { return static_cast<int64_t>(entries_.size()); }
  const absl::btree_set<PoolEntry>& entries() const { return entries_; }

  // Weighted pools: the sum of the current weights, in integer units.
  int64_t total_weight() const { return total_; }
  // The agent whose share of [0, total_weight()) contains `target`. O(log n).
  AgentIndex FindByWeight(int64_t target) const;
  // Current weight units of `agent` (0 when absent), and a temporary override used to leave
  // excluded agents out of one draw. O(log n).
  int64_t WeightOf(AgentIndex agent) const;
  void SetWeight(AgentIndex agent, int64_t units);

  // Weight units for a configured weight: 1000 per 1.0, at least 1.
  static int64_t WeightUnits(double weight);

 private:
  void Add(AgentIndex agent, int64_t delta);
  void Grow(AgentIndex agent);

  absl::btree_set<PoolEntry> entries_;
  bool weighted_;
  // Fenwick tree over agent indexes (1-based inside), and the plain weights to rebuild it.
  std::vector<int64_t> tree_;
  std::vector<int64_t> weights_;
  int64_t total_ = 0;
};

}  // namespace switchboard::detail

#endif  // SWITCHBOARD_SRC_AGENT_POOL_H_
