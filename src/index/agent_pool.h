// The agents that may take a contact of one queue, on one channel, after one minimum wait,
// ordered by the queue's strategy key. Three layouts, chosen by the strategy:
//  - kHeap: for the key-ordered strategies. Entries that arrive in key order (the usual life
//    of one: inserted with the largest key, "free since now", later taken from the front) go to
//    a run kept in a ring buffer: O(1) in and out, and the only memory touched is at its two ends.
//    The others go to an indexed binary min-heap (O(log n)). The smallest entry is the smaller
//    of the run's front and the heap's top. Erasing near the run's front moves the entries before
//    it back one place; further in, it marks the entry dead (dropped when it reaches an end, or
//    when dead entries outnumber live ones).
//  - kByAgent: entries keyed by the agent index alone ({agent, 0, agent}), in a bitmap with a
//    summary level (src/index/agent_bitmap.h), for "the first agent after x" (round robin): O(1) in
//    and out, and a couple of word scans to find the next member.
//  - kWeighted: weights by the pool's member numbers, with a Fenwick tree over blocks of them,
//    for weighted random draws (member numbers are dense per pool, so a pool costs memory per
//    member, not per agent in the engine).
#ifndef SWITCHBOARD_SRC_INDEX_AGENT_POOL_H_
#define SWITCHBOARD_SRC_INDEX_AGENT_POOL_H_

#include <algorithm>
#include <cstdint>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "index/agent_bitmap.h"
#include "base/ring_buffer.h"
#include "base/ids.h"

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
  enum class Layout : uint8_t { kHeap, kByAgent, kWeighted };

  explicit AgentPool(Layout layout) : layout_(layout) {}

  Layout layout() const { return layout_; }
  bool empty() const { return size_ == 0; }
  int64_t size() const { return size_; }
  // O(log n); O(1) for kByAgent and for a kHeap entry larger than all others. `weight` > 0 matters
  // only for kWeighted. The agent must not be in the pool. For kHeap the pool writes to `member`
  // the entry's member number, which Erase needs back (the agent keeps it: Agent::pool_members).
  void Insert(const PoolEntry& entry, double weight, uint32_t* member);
  // A state dump read back: Insert with the member number the agent had (kHeap, kWeighted;
  // ignored for kByAgent), then RestoreMembers with the pool's numbering. False when `member`
  // is in use here already or unreasonably large (above 2^30).
  bool InsertAs(const PoolEntry& entry, double weight, uint32_t member);
  // After the InsertAs calls: `numbers` member numbers were given out, `free` (in that order)
  // are not in use. False when that does not account for every number exactly once.
  bool RestoreMembers(uint32_t numbers, const std::vector<uint32_t>& free);
  // O(log n); O(1) for kByAgent. The entry must be present, with the key, weight and member
  // number it was inserted with.
  void Erase(const PoolEntry& entry, double weight, uint32_t member);

  // kHeap, kByAgent: the `limit` smallest entries whose agent passes `allowed`, smallest first,
  // appended to `out` (a vector of PoolEntry). Skipped agents cost O(log n) each.
  template <typename Allowed, typename Out>
  void Smallest(int limit, Allowed&& allowed, Out& out) const;
  // kHeap, kByAgent: the smallest entry whose agent passes `allowed`; false when none.
  template <typename Allowed>
  bool Best(Allowed&& allowed, PoolEntry& best) const;
  // kByAgent: the smallest entry not below `lower` whose agent passes `allowed`.
  template <typename Allowed>
  bool BestFrom(const PoolEntry& lower, Allowed&& allowed, PoolEntry& best) const;

  // kWeighted: the sum of the current weights, in integer units, and the agent whose share of
  // [0, total_weight()) contains `target`. O(log n), plus a scan of at most one block (64).
  int64_t total_weight() const { return total_; }
  AgentIndex FindByWeight(int64_t target) const;
  // kWeighted: the current weight units of `agent` if it is member `member` here, else 0 (a
  // member number the agent holds in another pool names nobody or someone else here); and a
  // temporary override of a member's weight, to leave excluded agents out of one draw. The
  // caller finds the member number in the agent's record (Agent::pool_members), so the pool
  // keeps no map from agents to members. O(1) and O(log n).
  int64_t WeightOf(uint32_t member, AgentIndex agent) const {
    return member < members_.size() && members_[member].agent == agent ? members_[member].units : 0;
  }
  void SetWeight(uint32_t member, int64_t units);

  // Weight units for a configured weight: 1000 per 1.0, at least 1, at most 2^31 - 1 (which
  // AddAgent's bound, kMaxAgentWeight, keeps clear of).
  static int64_t WeightUnits(double weight);

  // kHeap, kWeighted: the member numbers not in use (the last is given out next), and how many
  // numbers were ever given out; which number an agent gets decides its share's place in a
  // kWeighted draw (FindByWeight).
  const std::vector<uint32_t>& free_members() const { return free_members_; }
  uint32_t member_numbers() const {
    return layout_ == Layout::kHeap ? static_cast<uint32_t>(location_.size()) : weighted_numbers_;
  }

 private:
  // Run and heap. Each entry has a member number for as long as it is in the pool; the pool
  // keeps where every member is in its own dense array, so that moving entries during a sift
  // writes there and not into the agents' records (a cache miss per level). The entry's fields
  // are flat, so that the member number fills what would be padding (24 bytes); a dead run
  // entry has member kNoIndex.
  struct Node {
    int64_t primary;
    int64_t secondary;
    AgentIndex agent;
    uint32_t member;

    PoolEntry entry() const { return {primary, secondary, agent}; }
  };
  void Place(size_t index, const Node& node) {
    heap_[index] = node;
    location_[node.member] = static_cast<uint32_t>(index);
  }
  void SiftUp(size_t index);
  void SiftDown(size_t index);
  // A member in the run has location kInRun | (its position counted from the run's first
  // entry ever, modulo 2^31).
  static constexpr uint32_t kInRun = 1u << 31;
  static constexpr uint32_t kRunMask = kInRun - 1;
  // An entry this close to the run's front leaves by moving the ones before it (O(this));
  // one further in is marked dead.
  static constexpr size_t kCloseToFront = 16;
  void SetRunLocation(size_t offset) {
    location_[run_[offset].member] =
        kInRun | ((run_front_ + static_cast<uint32_t>(offset)) & kRunMask);
  }
  // Drops dead entries at both ends of the run; rebuilds it when most of it is dead.
  void TrimRun();
  // The smallest live entry (run front or heap top); null when the pool is empty.
  const Node* Top() const {
    const Node* top = run_.empty() ? nullptr : &run_.front();
    if (!heap_.empty() && (top == nullptr || heap_[0].entry() < top->entry())) top = &heap_[0];
    return top;
  }
  // Member numbers (heap and weighted layouts).
  uint32_t NewMember();
  // Fenwick, over member numbers.
  void Add(uint32_t member, int64_t delta);
  void Grow(uint32_t member);

  Layout layout_;
  int64_t size_ = 0;
  RingBuffer<Node> run_;    // in key order; the ends are live
  uint32_t run_front_ = 0;  // position of run_.front(), modulo 2^31
  size_t run_dead_ = 0;
  std::vector<Node> heap_;
  std::vector<uint32_t> location_;      // by member number: heap index, or kInRun | position
  std::vector<uint32_t> free_members_;  // member numbers not in use
  static PoolEntry ByAgentEntry(AgentIndex agent) { return {agent, 0, agent}; }
  AgentBitmap by_agent_;
  // Weights by member number, each beside its agent (so that the draw's scan ends on the line
  // that names the agent), in blocks of kBlockMembers, and a Fenwick tree over the blocks' sums
  // (1-based inside). A draw descends the small tree, which stays cached, then scans one
  // block's adjacent weights; an update writes one weight and the tree: the few lines either
  // touches, where a tree over members would touch log n lines spread over the pool.
  struct WeightedMember {
    int32_t units = 0;
    AgentIndex agent = kNoIndex;  // kNoIndex when the number is free
  };
  static constexpr size_t kBlockMembers = 64;
  std::vector<WeightedMember> members_;  // a power of two long, past the numbers in use
  std::vector<int64_t> block_tree_;
  uint32_t weighted_numbers_ = 0;  // member numbers handed out so far (kWeighted)
  int64_t total_ = 0;
};

template <typename Allowed, typename Out>
void AgentPool::Smallest(int limit, Allowed&& allowed, Out& out) const {
  if (limit <= 0) return;
  if (layout_ == Layout::kByAgent) {
    for (AgentIndex a = by_agent_.NextFrom(0); a != kNoIndex; a = by_agent_.NextFrom(a + 1ull)) {
      if (!allowed(a)) continue;
      out.push_back(ByAgentEntry(a));
      if (--limit == 0) return;
    }
    return;
  }
  if (heap_.empty()) {  // the usual life of a key-ordered pool: all of it in the run, in order
    for (size_t r = 0, n = run_.size(); r < n; ++r) {
      const Node& node = run_[r];
      if (node.member == kNoIndex || !allowed(node.agent)) continue;
      out.push_back(node.entry());
      if (--limit == 0) return;
    }
    return;
  }
  // Merges the run (in order, skipping dead entries) with a best-first walk of the heap (a
  // node's children are never smaller than the node).
  auto larger = [this](size_t x, size_t y) { return heap_[y].entry() < heap_[x].entry(); };
  // A heap of node indexes, inline: a walk for a few candidates allocates nothing.
  absl::InlinedVector<size_t, 64> frontier;
  if (!heap_.empty()) frontier.push_back(0);
  size_t r = 0;
  while (true) {
    while (r < run_.size() && run_[r].member == kNoIndex) ++r;
    const Node* from_run = r < run_.size() ? &run_[r] : nullptr;
    const Node* node = nullptr;
    if (!frontier.empty() &&
        (from_run == nullptr || heap_[frontier.front()].entry() < from_run->entry())) {
      std::pop_heap(frontier.begin(), frontier.end(), larger);
      const size_t index = frontier.back();
      frontier.pop_back();
      node = &heap_[index];
      for (size_t child = 2 * index + 1; child <= 2 * index + 2 && child < heap_.size(); ++child) {
        frontier.push_back(child);
        std::push_heap(frontier.begin(), frontier.end(), larger);
      }
    } else if (from_run != nullptr) {
      node = from_run;
      ++r;
    } else {
      return;
    }
    if (allowed(node->agent)) {
      out.push_back(node->entry());
      if (--limit == 0) return;
    }
  }
}

template <typename Allowed>
bool AgentPool::Best(Allowed&& allowed, PoolEntry& best) const {
  if (layout_ == Layout::kHeap) {
    const Node* top = Top();
    if (top == nullptr) return false;
    if (allowed(top->agent)) {
      best = top->entry();  // the usual case, without the walk
      return true;
    }
  }
  absl::InlinedVector<PoolEntry, 1> found;
  Smallest(1, allowed, found);
  if (found.empty()) return false;
  best = found.front();
  return true;
}

template <typename Allowed>
bool AgentPool::BestFrom(const PoolEntry& lower, Allowed&& allowed, PoolEntry& best) const {
  // The first agent whose entry {a, 0, a} is not below `lower`: a > lower.primary, or equal to
  // it when the entry itself is not below.
  if (lower.primary >= static_cast<int64_t>(kNoIndex)) return false;
  uint64_t from = lower.primary < 0 ? 0 : static_cast<uint64_t>(lower.primary);
  if (from == static_cast<uint64_t>(lower.primary) &&
      ByAgentEntry(static_cast<AgentIndex>(from)) < lower) {
    ++from;
  }
  for (AgentIndex a = by_agent_.NextFrom(from); a != kNoIndex; a = by_agent_.NextFrom(a + 1ull)) {
    if (allowed(a)) {
      best = ByAgentEntry(a);
      return true;
    }
  }
  return false;
}

}  // namespace switchboard::detail

#endif  // SWITCHBOARD_SRC_INDEX_AGENT_POOL_H_
