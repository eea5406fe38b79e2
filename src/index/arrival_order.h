// The arrival order of a queue's waiting contacts, kept for one question: when did the one
// waiting longest arrive. Contacts mostly enter in arrival order (they arrive now) and mostly
// leave from the front (the queue serves the oldest first), so those go to a FIFO in O(1);
// a contact leaving from behind the front is noted in a heap of departures and dropped when it
// reaches the front; a contact entering out of order (back after a missed offer) goes to a
// small ordered set. (An ordered set of all of them costs a B-tree insert and erase per contact.)
#ifndef SWITCHBOARD_SRC_INDEX_ARRIVAL_ORDER_H_
#define SWITCHBOARD_SRC_INDEX_ARRIVAL_ORDER_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

#include "absl/container/btree_set.h"
#include "base/ring_buffer.h"

namespace switchboard::detail {

class ArrivalOrder {
 public:
  // (arrival time in microseconds, entry sequence): unique among the waiting contacts.
  using Key = std::pair<int64_t, uint64_t>;

  void Enter(const Key& key) {
    if (in_order_.empty() || in_order_.back() < key) {
      in_order_.push_back(key);
    } else {
      out_of_order_.insert(key);
    }
  }

  // `key` must be waiting.
  void Leave(const Key& key) {
    if (!in_order_.empty() && in_order_.front() == key) {
      in_order_.pop_front();
      DropDeparted();
      PrefetchAhead(in_order_);
    } else if (out_of_order_.empty() || out_of_order_.erase(key) == 0) {
      departed_.push_back(key);  // behind the front: dropped when it gets there
      std::push_heap(departed_.begin(), departed_.end(), std::greater<Key>());
      if (departed_.size() > 64 && departed_.size() > in_order_.size() / 2) Compact();
    }
  }

  // The earliest arrival among the waiting contacts.
  std::optional<int64_t> Oldest() const {
    std::optional<int64_t> oldest;
    if (!in_order_.empty()) oldest = in_order_.front().first;
    if (!out_of_order_.empty() && (!oldest || out_of_order_.begin()->first < *oldest)) {
      oldest = out_of_order_.begin()->first;
    }
    return oldest;
  }

  size_t size() const { return in_order_.size() - departed_.size() + out_of_order_.size(); }

 private:
  // Invariant: the FIFO's front is waiting, and every departed key is in the FIFO behind it.
  void DropDeparted() {
    while (!departed_.empty() && !in_order_.empty() && in_order_.front() == departed_.front()) {
      in_order_.pop_front();
      std::pop_heap(departed_.begin(), departed_.end(), std::greater<Key>());
      departed_.pop_back();
    }
  }

  // Removes the departed keys from the FIFO at once, so that both stay within twice the number
  // waiting even when the oldest contact stays for long while many behind it leave. Both are
  // in order, so one merge pass does it.
  void Compact() {
    std::sort(departed_.begin(), departed_.end());
    size_t next = 0;
    in_order_.EraseIf([&](const Key& key) {
      while (next < departed_.size() && departed_[next] < key) ++next;
      return next < departed_.size() && departed_[next] == key;
    });
    departed_.clear();
  }

  RingBuffer<Key> in_order_;
  std::vector<Key> departed_;  // a min-heap
  absl::btree_set<Key> out_of_order_;
};

}  // namespace switchboard::detail

#endif  // SWITCHBOARD_SRC_INDEX_ARRIVAL_ORDER_H_
