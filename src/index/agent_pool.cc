#include "index/agent_pool.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

namespace switchboard::detail {

int64_t AgentPool::WeightUnits(double weight) {
  return std::clamp<int64_t>(std::llround(weight * 1000.0), 1, std::numeric_limits<int32_t>::max());
}

void AgentPool::Insert(const PoolEntry& entry, double weight, uint32_t* member) {
  ++size_;
  switch (layout_) {
    case Layout::kHeap: {
      *member = NewMember();
      const Node node{entry.primary, entry.secondary, entry.agent, *member};
      if (run_.empty() || run_.back().entry() < entry) {
        run_.push_back(node);
        SetRunLocation(run_.size() - 1);
        return;
      }
      heap_.push_back(node);
      location_[*member] = static_cast<uint32_t>(heap_.size() - 1);
      SiftUp(heap_.size() - 1);
      return;
    }
    case Layout::kByAgent:
      by_agent_.Insert(entry.agent);
      return;
    case Layout::kWeighted: {
      *member = NewMember();
      Grow(*member);
      const int64_t units = WeightUnits(weight);
      // A free number holds {0, kNoIndex}: written, not read (the line may be cold).
      members_[*member] = {static_cast<int32_t>(units), entry.agent};
      Add(*member, units);
      return;
    }
  }
}

bool AgentPool::InsertAs(const PoolEntry& entry, double weight, uint32_t member) {
  constexpr uint32_t kMaxMember = 1u << 30;
  if (layout_ == Layout::kByAgent) {
    if (by_agent_.Contains(entry.agent)) return false;
    ++size_;
    by_agent_.Insert(entry.agent);
    return true;
  }
  if (member >= kMaxMember) return false;
  if (layout_ == Layout::kHeap) {
    if (member >= location_.size()) location_.resize(member + 1, kNoIndex);
    if (location_[member] != kNoIndex) return false;
    ++size_;
    const Node node{entry.primary, entry.secondary, entry.agent, member};
    if (run_.empty() || run_.back().entry() < entry) {
      run_.push_back(node);
      SetRunLocation(run_.size() - 1);
      return true;
    }
    heap_.push_back(node);
    location_[member] = static_cast<uint32_t>(heap_.size() - 1);
    SiftUp(heap_.size() - 1);
    return true;
  }
  Grow(member);
  if (members_[member].agent != kNoIndex) return false;
  ++size_;
  const int64_t units = WeightUnits(weight);
  members_[member] = {static_cast<int32_t>(units), entry.agent};
  Add(member, units);
  weighted_numbers_ = std::max(weighted_numbers_, member + 1);
  return true;
}

bool AgentPool::RestoreMembers(uint32_t numbers, const std::vector<uint32_t>& free) {
  if (layout_ == Layout::kByAgent) return numbers == 0 && free.empty();
  if (static_cast<uint64_t>(size_) + free.size() != numbers) return false;
  std::vector<bool> seen(numbers, false);
  if (layout_ == Layout::kHeap) {
    if (location_.size() > numbers) return false;
    for (size_t m = 0; m < location_.size(); ++m) seen[m] = location_[m] != kNoIndex;
    location_.resize(numbers, kNoIndex);
  } else {
    if (weighted_numbers_ > numbers) return false;
    for (uint32_t m = 0; m < weighted_numbers_; ++m) seen[m] = members_[m].agent != kNoIndex;
    weighted_numbers_ = numbers;
    if (numbers > 0) Grow(numbers - 1);
  }
  for (const uint32_t member : free) {
    if (member >= numbers || seen[member]) return false;
    seen[member] = true;
  }
  for (size_t m = 0; m < location_.size(); ++m) {
    if (location_[m] == kNoIndex) location_[m] = 0;  // a free number's location is never read
  }
  free_members_ = free;
  return true;
}

uint32_t AgentPool::NewMember() {
  if (!free_members_.empty()) {
    const uint32_t member = free_members_.back();
    free_members_.pop_back();
    return member;
  }
  // A new number: one more slot in the layout's table by member number.
  if (layout_ == Layout::kHeap) {
    location_.push_back(0);
    return static_cast<uint32_t>(location_.size() - 1);
  }
  return weighted_numbers_++;
}

void AgentPool::Erase(const PoolEntry& entry, double weight, uint32_t member) {
  --size_;
  switch (layout_) {
    case Layout::kHeap: {
      const uint32_t where = location_[member];
      free_members_.push_back(member);
      if (where & kInRun) {
        const size_t offset = (where - run_front_) & kRunMask;
        if (offset < kCloseToFront) {
          // Close the gap: the entries before it move back one place and the front goes.
          // Picks among the first few (host score) would otherwise leave dead entries there
          // that every later walk steps over, each a branch it cannot predict.
          for (size_t i = offset; i > 0; --i) {
            run_[i] = run_[i - 1];
            if (run_[i].member != kNoIndex) SetRunLocation(i);
          }
          run_.pop_front();
          run_front_ = (run_front_ + 1) & kRunMask;
        } else {
          run_[offset].member = kNoIndex;
          ++run_dead_;
        }
        TrimRun();
        return;
      }
      const size_t index = where;
      const Node last = heap_.back();
      heap_.pop_back();
      if (index == heap_.size()) return;
      Place(index, last);
      if (index > 0 && heap_[index].entry() < heap_[(index - 1) / 2].entry()) {
        SiftUp(index);
      } else {
        SiftDown(index);
      }
      return;
    }
    case Layout::kByAgent:
      by_agent_.Erase(entry.agent);
      return;
    case Layout::kWeighted: {
      // The weight is the one inserted, so the member's line is written and never read: an
      // agent leaves one pool per queue it serves, each such line is likely cold, and a read
      // would hold up the tree's update until it arrived.
      const int64_t units = WeightUnits(weight);
      assert(members_[member].units == units && members_[member].agent == entry.agent);
      Add(member, -units);
      members_[member] = {};
      free_members_.push_back(member);
      return;
    }
  }
}

void AgentPool::TrimRun() {
  while (!run_.empty() && run_.front().member == kNoIndex) {
    run_.pop_front();
    run_front_ = (run_front_ + 1) & kRunMask;
    --run_dead_;
  }
  while (!run_.empty() && run_.back().member == kNoIndex) {
    run_.pop_back();
    --run_dead_;
  }
  // Dead entries in the middle cost memory until they reach an end; keep them fewer than the
  // live ones (amortized O(1) per erase).
  if (run_dead_ > 32 && 2 * run_dead_ > run_.size()) {
    run_.EraseIf([](const Node& node) { return node.member == kNoIndex; });
    run_dead_ = 0;
    for (size_t i = 0; i < run_.size(); ++i) SetRunLocation(i);
  }
}

void AgentPool::SiftUp(size_t index) {
  const Node node = heap_[index];
  while (index > 0) {
    const size_t parent = (index - 1) / 2;
    if (!(node.entry() < heap_[parent].entry())) break;
    Place(index, heap_[parent]);
    index = parent;
  }
  Place(index, node);
}

void AgentPool::SiftDown(size_t index) {
  const Node node = heap_[index];
  const size_t n = heap_.size();
  while (true) {
    size_t child = 2 * index + 1;
    if (child >= n) break;
    if (child + 1 < n && heap_[child + 1].entry() < heap_[child].entry()) ++child;
    if (!(heap_[child].entry() < node.entry())) break;
    Place(index, heap_[child]);
    index = child;
  }
  Place(index, node);
}

void AgentPool::SetWeight(uint32_t member, int64_t units) {
  Grow(member);
  Add(member, units - members_[member].units);
  members_[member].units = static_cast<int32_t>(units);
}

void AgentPool::Add(uint32_t member, int64_t delta) {
  total_ += delta;
  const size_t block = member / kBlockMembers;
  for (size_t i = block + 1; i <= block_tree_.size(); i += i & (~i + 1)) {
    block_tree_[i - 1] += delta;
  }
}

// Doubles the members' table to cover `member` and rebuilds the tree of block sums in O(n).
void AgentPool::Grow(uint32_t member) {
  if (member < members_.size()) return;
  size_t size = std::max<size_t>(16, members_.size());
  while (size <= member) size *= 2;
  members_.resize(size);
  block_tree_.assign((size + kBlockMembers - 1) / kBlockMembers, 0);
  for (size_t m = 0; m < size; ++m) block_tree_[m / kBlockMembers] += members_[m].units;
  for (size_t i = 1; i <= block_tree_.size(); ++i) {
    const size_t parent = i + (i & (~i + 1));
    if (parent <= block_tree_.size()) block_tree_[parent - 1] += block_tree_[i - 1];
  }
}

AgentIndex AgentPool::FindByWeight(int64_t target) const {
  // Fenwick descent over the block sums: the largest run of whole blocks whose sum is <= target
  // ends just before the block whose share contains it.
  size_t block = 0;
  size_t step = 1;
  while (step * 2 <= block_tree_.size()) step *= 2;
  for (; step > 0; step /= 2) {
    if (block + step <= block_tree_.size() && block_tree_[block + step - 1] <= target) {
      block += step;
      target -= block_tree_[block - 1];
    }
  }
  // Then along the block's weights, which sit together.
  size_t member = block * kBlockMembers;
  while (target >= members_[member].units) target -= members_[member++].units;
  return members_[member].agent;
}

}  // namespace switchboard::detail
