// The arrival order of a queue's waiting contacts, kept for one question: when did the one
// waiting longest arrive. Contacts mostly enter in arrival order (they arrive now) and mostly
// leave from the front (the queue serves the oldest first), so those go to a sorted lane
// (sorted_lane.h) where both are O(1) and leaving from the middle is O(log n); a contact
// entering out of order (back after a missed offer) goes to a small ordered set. (An ordered
// set of all of them costs a B-tree insert and erase per contact.)
#ifndef SWITCHBOARD_SRC_INDEX_ARRIVAL_ORDER_H_
#define SWITCHBOARD_SRC_INDEX_ARRIVAL_ORDER_H_

#include <cstddef>
#include <cstdint>
#include <optional>

#include "absl/container/btree_set.h"
#include "index/sorted_lane.h"

namespace switchboard::detail {

class ArrivalOrder {
 public:
  // Unique among the waiting contacts.
  struct Key {
    int64_t arrival = 0;  // microseconds
    uint64_t sequence = 0;
    bool departed = false;  // SortedLane's mark

    friend bool operator<(const Key& a, const Key& b) {
      return a.arrival != b.arrival ? a.arrival < b.arrival : a.sequence < b.sequence;
    }
  };

  void Enter(const Key& key) {
    if (!in_order_.PushBack(key)) out_of_order_.insert(key);
  }

  // `key` must be waiting.
  void Leave(const Key& key) {
    if (!in_order_.Erase(key)) out_of_order_.erase(key);
  }

  // The earliest arrival among the waiting contacts.
  std::optional<int64_t> Oldest() const {
    std::optional<int64_t> oldest;
    if (!in_order_.empty()) oldest = in_order_.front().arrival;
    if (!out_of_order_.empty() && (!oldest || out_of_order_.begin()->arrival < *oldest)) {
      oldest = out_of_order_.begin()->arrival;
    }
    return oldest;
  }

  size_t size() const { return in_order_.waiting() + out_of_order_.size(); }

 private:
  SortedLane<Key> in_order_;
  absl::btree_set<Key> out_of_order_;
};

}  // namespace switchboard::detail

#endif  // SWITCHBOARD_SRC_INDEX_ARRIVAL_ORDER_H_
