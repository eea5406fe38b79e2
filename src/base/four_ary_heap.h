// A min-heap with four children per node, for the calendar's entries that do not come in time
// order (service ends in the simulator, timers of random length in the engine).
//
// Why not std::priority_queue: a binary heap's pop walks ~log2(n) levels and at each one takes
// the branch "left child or right child" on the entries' times, which is a coin toss the CPU
// mispredicts half the time, and the simulator pops an entry for every event of every customer.
// Here a pop walks half as many levels (log4(n)), picks the least of a node's four children with
// comparisons whose results feed conditional moves rather than branches, and the one branch per
// level ("is the least child before the entry that sinks?") is nearly always taken the same way.
// The children of a node are adjacent in memory: one level is two or three cache lines for the
// calendar's 32-byte entries, which the hardware fetches together.
//
// `Before(x, y)`: whether x comes out before y, a strict weak order. Entries that neither
// precedes come out in no particular order, as in std::priority_queue; the calendar's entries
// are totally ordered, so its order does not depend on the heap's shape.
//
// Example:
//   FourAryHeap<int, std::less<int>> heap;
//   heap.push(3); heap.push(1);
//   heap.top();  // 1
//   heap.pop();
#ifndef SWITCHBOARD_SRC_BASE_FOUR_ARY_HEAP_H_
#define SWITCHBOARD_SRC_BASE_FOUR_ARY_HEAP_H_

#include <cstddef>
#include <vector>

namespace switchboard::detail {

template <typename T, typename Before>
class FourAryHeap {
 public:
  bool empty() const { return items_.empty(); }
  size_t size() const { return items_.size(); }
  // Not empty.
  const T& top() const { return items_.front(); }
  // Every entry, in heap order (not sorted).
  const std::vector<T>& items() const { return items_; }

  // O(log4 n): the new entry rises from the end while it comes before its parent. By value: an
  // entry of this heap (top(), say) stays valid while the vector grows and entries move.
  void push(T item) {
    size_t hole = items_.size();
    items_.push_back(item);
    while (hole > 0) {
      const size_t parent = (hole - 1) / kArity;
      if (!before_(item, items_[parent])) break;
      items_[hole] = items_[parent];
      hole = parent;
    }
    items_[hole] = item;
  }

  // Not empty. O(log4 n): the last entry sinks from the root while a child comes before it.
  void pop() {
    const T last = items_.back();
    items_.pop_back();
    const size_t n = items_.size();
    if (n == 0) return;
    size_t hole = 0;
    while (true) {
      const size_t first = kArity * hole + 1;
      if (first >= n) break;
      const size_t least = first + kArity <= n ? LeastOfFour(first) : LeastOfFew(first, n);
      if (!before_(items_[least], last)) break;
      items_[hole] = items_[least];
      hole = least;
    }
    items_[hole] = last;
  }

 private:
  static constexpr size_t kArity = 4;

  // Two pairs, then their winners: three comparisons, no branch on their results (the last pick
  // is arithmetic: as `? :`, GCC 12 makes it a branch).
  size_t LeastOfFour(size_t first) const {
    const size_t a = first + Bit(before_(items_[first + 1], items_[first]));
    const size_t b = first + 2 + Bit(before_(items_[first + 3], items_[first + 2]));
    const size_t b_wins = Bit(before_(items_[b], items_[a]));
    return a ^ ((a ^ b) & (0 - b_wins));
  }
  // 0 or 1, whatever type `Before` returns its answer in.
  static size_t Bit(bool before) { return static_cast<size_t>(before); }
  // The last node, with fewer than four children.
  size_t LeastOfFew(size_t first, size_t end) const {
    size_t least = first;
    for (size_t c = first + 1; c < end; ++c) {
      if (before_(items_[c], items_[least])) least = c;
    }
    return least;
  }

  std::vector<T> items_;
  [[no_unique_address]] Before before_;
};

}  // namespace switchboard::detail

#endif  // SWITCHBOARD_SRC_BASE_FOUR_ARY_HEAP_H_
