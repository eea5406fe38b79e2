// A calendar of things due at a time: the engine's timers and the simulator's events. Ordered
// by time, then by kind (an enum whose order is the documented tie-break), then by the order
// they were scheduled — a total order, so that runs are deterministic.
#ifndef SWITCHBOARD_SRC_CALENDAR_H_
#define SWITCHBOARD_SRC_CALENDAR_H_

#include <cstdint>
#include <functional>
#include <queue>
#include <vector>

namespace switchboard::detail {

template <typename Kind>
struct CalendarEntry {
  int64_t time = 0;    // microseconds
  uint64_t rank = 0;   // the kind in the top 8 bits, then the order of scheduling
  uint32_t a = 0;      // meaning depends on the kind (a contact slot, an agent, a queue ...)
  uint32_t b = 0;
  uint64_t token = 0;  // identifies what the entry is about, to recognise stale entries

  Kind kind() const { return static_cast<Kind>(rank >> 56); }

  friend bool operator>(const CalendarEntry& x, const CalendarEntry& y) {
    return x.time != y.time ? x.time > y.time : x.rank > y.rank;
  }
};

template <typename Kind>
class Calendar {
 public:
  using Entry = CalendarEntry<Kind>;

  // O(log n).
  void Schedule(int64_t time, Kind kind, uint32_t a = 0, uint32_t b = 0, uint64_t token = 0) {
    const uint64_t rank = static_cast<uint64_t>(kind) << 56 | ++order_;  // 2^56 entries suffice
    heap_.push({time, rank, a, b, token});
  }
  bool empty() const { return heap_.empty(); }
  const Entry& top() const { return heap_.top(); }
  // O(log n).
  void pop() { heap_.pop(); }

 private:
  std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> heap_;
  uint64_t order_ = 0;
};

}  // namespace switchboard::detail

#endif  // SWITCHBOARD_SRC_CALENDAR_H_
