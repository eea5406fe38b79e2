// A calendar of things due at a time: the engine's timers and the simulator's events. Ordered
// by time, then by kind (an enum whose order is the documented tie-break), then by the order
// they were scheduled — a total order, so that runs are deterministic.
#ifndef SWITCHBOARD_SRC_BASE_CALENDAR_H_
#define SWITCHBOARD_SRC_BASE_CALENDAR_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>

#include "base/block_fifo.h"
#include "base/four_ary_heap.h"

namespace switchboard::detail {

template <typename Kind>
struct CalendarEntry {
  int64_t time = 0;   // microseconds
  uint64_t rank = 0;  // the kind in the top 8 bits, then the order of scheduling
  uint32_t a = 0;     // meaning depends on the kind (a contact slot, an agent, a queue ...)
  uint32_t b = 0;
  uint64_t token = 0;  // identifies what the entry is about, to recognise stale entries

  Kind kind() const { return static_cast<Kind>(rank >> 56); }

  // Whether x is due before y. Bitwise on the comparisons, so that the heap's choices among
  // entries compile to conditional moves rather than branches on their times.
  friend bool operator<(const CalendarEntry& x, const CalendarEntry& y) {
    return (x.time < y.time) | ((x.time == y.time) & (x.rank < y.rank));
  }
  friend bool operator>(const CalendarEntry& x, const CalendarEntry& y) { return y < x; }
};

// Most entries of one kind are scheduled in time order: a fixed offer timeout or wrap-up
// length after now, the next arrival after the last one. Each kind below kLanes therefore has a
// lane, a FIFO that takes an entry due no earlier than the lane's last one, in O(1) (also when it
// grows: see block_fifo.h) and sequential memory; the other entries go to a four-ary heap
// (four_ary_heap.h). The first entry is the least of the lanes' fronts and the heap's top.
// `kLanes`: the number of kinds (a kind not below it uses the heap); a bit per lane says which
// are not empty, so that finding the next first visits only those.
template <typename Kind, size_t kLanes>
class Calendar {
  static_assert(kLanes <= 32, "one bit per lane in a 32-bit mask");

 public:
  using Entry = CalendarEntry<Kind>;

  // O(1) into a lane, O(log n) into the heap.
  void Schedule(int64_t time, Kind kind, uint32_t a = 0, uint32_t b = 0, uint64_t token = 0) {
    const uint64_t rank = static_cast<uint64_t>(kind) << 56 | ++order_;  // 2^56 entries suffice
    Insert(Entry{time, rank, a, b, token});
  }
  // Puts back an entry as a calendar that scheduled it held it (a state dump read back): its
  // rank kept, the count of entries scheduled left alone (SetScheduled). Same cost as Schedule.
  void Restore(const Entry& entry) { Insert(entry); }
  // The count scheduled() reports, so that the next entry's order is one more.
  void SetScheduled(uint64_t scheduled) { order_ = scheduled; }
  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }
  // Calls `f(entry)` for every entry, in no particular order. O(size).
  template <typename F>
  void ForEach(F&& f) const {
    for (const auto& lane : lanes_) lane.ForEach(f);
    for (const Entry& entry : heap_.items()) f(entry);
  }
  // Entries scheduled so far (the order part of the next entry's rank is one more).
  uint64_t scheduled() const { return order_; }
  const Entry& top() const { return first_ == kHeap ? heap_.top() : lanes_[first_].front(); }
  // O(number of lanes not empty) to find the next first, plus O(log n) when it left the heap.
  void pop() {
    if (first_ == kHeap) {
      heap_.pop();
    } else {
      lanes_[first_].pop_front();
      if (lanes_[first_].empty()) occupied_ &= ~(1u << first_);
    }
    --size_;
    first_ = kHeap;
    const Entry* first = heap_.empty() ? nullptr : &heap_.top();
    for (uint32_t rest = occupied_; rest != 0; rest &= rest - 1) {
      const size_t k = static_cast<size_t>(__builtin_ctz(rest));
      if (first == nullptr || *first > lanes_[k].front()) {
        first = &lanes_[k].front();
        first_ = k;
      }
    }
  }

 private:
  static constexpr size_t kHeap = kLanes;

  // Into its kind's lane when it is not below the lane's back (the common case: timers of one
  // kind set in time order), else into the heap.
  void Insert(const Entry& entry) {
    const size_t k = static_cast<size_t>(entry.kind());
    size_t source = kHeap;
    if (k < kLanes && (lanes_[k].empty() || entry > lanes_[k].back())) {
      lanes_[k].push_back(entry);
      occupied_ |= 1u << k;
      source = k;
    } else {
      heap_.push(entry);
    }
    // The new entry is first only if it is below the old first; in a lane, only if the lane was
    // empty (else the lane's front is below it).
    if (size_ == 0 || top() > entry) first_ = source;
    ++size_;
  }

  std::array<BlockFifo<Entry>, kLanes> lanes_;
  FourAryHeap<Entry, std::less<Entry>> heap_;
  uint32_t occupied_ = 0;  // bit k: lanes_[k] is not empty
  size_t first_ = kHeap;   // where the first entry is, while not empty
  size_t size_ = 0;
  uint64_t order_ = 0;
};

}  // namespace switchboard::detail

#endif  // SWITCHBOARD_SRC_BASE_CALENDAR_H_
