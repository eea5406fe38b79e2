// A calendar of things due at a time: the engine's timers and the simulator's events. Ordered
// by time, then by kind (an enum whose order is the documented tie-break), then by the order
// they were scheduled — a total order, so that runs are deterministic.
#ifndef SWITCHBOARD_SRC_CALENDAR_H_
#define SWITCHBOARD_SRC_CALENDAR_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <queue>
#include <vector>

#include "block_fifo.h"

namespace switchboard::detail {

template <typename Kind>
struct CalendarEntry {
  int64_t time = 0;   // microseconds
  uint64_t rank = 0;  // the kind in the top 8 bits, then the order of scheduling
  uint32_t a = 0;     // meaning depends on the kind (a contact slot, an agent, a queue ...)
  uint32_t b = 0;
  uint64_t token = 0;  // identifies what the entry is about, to recognise stale entries

  Kind kind() const { return static_cast<Kind>(rank >> 56); }

  friend bool operator>(const CalendarEntry& x, const CalendarEntry& y) {
    return x.time != y.time ? x.time > y.time : x.rank > y.rank;
  }
};

// Most entries of one kind are scheduled in time order: a fixed offer timeout or wrap-up
// length after now, the next arrival after the last one. Each kind below kLanes therefore has a
// lane, a FIFO that takes an entry due no earlier than the lane's last one, in O(1) (also when it
// grows: see block_fifo.h) and sequential memory; the other entries go to a heap. The first entry
// is the least of the lanes' fronts and the heap's top. `kLanes`: the number of kinds (a kind not
// below it uses the heap).
template <typename Kind, size_t kLanes>
class Calendar {
 public:
  using Entry = CalendarEntry<Kind>;

  // O(1) into a lane, O(log n) into the heap.
  void Schedule(int64_t time, Kind kind, uint32_t a = 0, uint32_t b = 0, uint64_t token = 0) {
    const uint64_t rank = static_cast<uint64_t>(kind) << 56 | ++order_;  // 2^56 entries suffice
    const Entry entry{time, rank, a, b, token};
    const size_t k = static_cast<size_t>(kind);
    size_t source = kHeap;
    if (k < kLanes && (lanes_[k].empty() || entry > lanes_[k].back())) {
      lanes_[k].push_back(entry);
      source = k;
    } else {
      heap_.push(entry);
    }
    // The new entry is first only if it is below the old first; in a lane, only if the lane was
    // empty (else the lane's front is below it).
    if (size_ == 0 || top() > entry) first_ = source;
    ++size_;
  }
  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }
  const Entry& top() const { return first_ == kHeap ? heap_.top() : lanes_[first_].front(); }
  // O(number of lanes) to find the next first, plus O(log n) when it left the heap.
  void pop() {
    if (first_ == kHeap) {
      heap_.pop();
    } else {
      lanes_[first_].pop_front();
    }
    --size_;
    first_ = kHeap;
    const Entry* first = heap_.empty() ? nullptr : &heap_.top();
    for (size_t k = 0; k < kLanes; ++k) {
      if (!lanes_[k].empty() && (first == nullptr || *first > lanes_[k].front())) {
        first = &lanes_[k].front();
        first_ = k;
      }
    }
  }

 private:
  static constexpr size_t kHeap = kLanes;

  std::array<BlockFifo<Entry>, kLanes> lanes_;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> heap_;
  size_t first_ = kHeap;  // where the first entry is, while not empty
  size_t size_ = 0;
  uint64_t order_ = 0;
};

}  // namespace switchboard::detail

#endif  // SWITCHBOARD_SRC_CALENDAR_H_
