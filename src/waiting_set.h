// The contacts waiting in one (queue, channel), in service order (WaitKey's order: class, then
// virtual arrival, then entry order).
//
// Contacts mostly enter in that order (they arrive now, most in one class) and mostly leave from
// the front (the most urgent is served first). Those live in a sorted array used as a FIFO:
// entering at the back and leaving at the front are O(1) and touch adjacent memory, where a
// B-tree searches, shifts its node and rebalances. A contact that enters out of order (a higher
// class, a priority, back after a missed offer) goes to a B-tree beside the array. One that
// leaves from behind the front (it abandons, or the front could not be taken) is found by binary
// search and marked departed; the marks are swept out once they outnumber the contacts still
// waiting there, which keeps the array within twice their number. Iteration merges the two in
// order and skips the marks.
#ifndef SWITCHBOARD_SRC_WAITING_SET_H_
#define SWITCHBOARD_SRC_WAITING_SET_H_

#include <cstddef>

#include "absl/container/btree_set.h"
#include "ring_buffer.h"
#include "routing_state.h"

namespace switchboard::detail {

class WaitingSet {
 public:
  // A forward iterator in service order. Invalidated by insert and erase.
  class Iterator {
   public:
    const WaitKey& operator*() const { return in_order_first_ ? set_->in_order_[i_] : *b_; }
    const WaitKey* operator->() const { return &**this; }
    Iterator& operator++() {
      if (in_order_first_) {
        i_ = set_->NextWaiting(i_ + 1);
      } else {
        ++b_;
      }
      Settle();
      return *this;
    }
    friend bool operator==(const Iterator& x, const Iterator& y) {
      return x.i_ == y.i_ && x.b_ == y.b_;
    }

   private:
    friend class WaitingSet;
    using TreeIterator = absl::btree_set<WaitKey>::const_iterator;
    Iterator(const WaitingSet* set, size_t i, TreeIterator b) : set_(set), i_(i), b_(b) {
      Settle();
    }
    // Which of the two is next; `i_` is at a waiting entry or the array's end.
    void Settle() {
      in_order_first_ = i_ < set_->in_order_.size() &&
                        (b_ == set_->out_of_order_.end() || set_->in_order_[i_] < *b_);
    }

    const WaitingSet* set_;
    size_t i_;        // position in the array
    TreeIterator b_;  // position in the tree
    bool in_order_first_ = false;
  };

  bool empty() const { return in_order_.empty() && out_of_order_.empty(); }  // ends never marked
  size_t size() const { return in_order_.size() - departed_ + out_of_order_.size(); }

  // `key` must not be waiting. O(1) at the back of the array, else O(log n).
  void insert(const WaitKey& key) {
    if (in_order_.empty() || in_order_.back() < key) {
      in_order_.push_back(key);
    } else {
      out_of_order_.insert(key);
    }
  }

  // `key` must be waiting. O(1) at the front of the array, else O(log n) (amortized: a sweep
  // is O(n) once every n/2 marks).
  void erase(const WaitKey& key) {
    if (!in_order_.empty() && !(key < in_order_.front()) && !(in_order_.back() < key)) {
      if (Same(in_order_.front(), key)) {
        in_order_.pop_front();
        DropDepartedEnds();
        PrefetchAhead(in_order_);
        return;
      }
      const size_t i = LowerIndex(key);
      WaitKey& found = in_order_[i];
      if (!found.departed && Same(found, key)) {
        if (i + 1 == in_order_.size()) {
          in_order_.pop_back();
          DropDepartedEnds();
        } else {
          found.departed = true;
          if (++departed_ > kMinSweep && departed_ > in_order_.size() - departed_) Sweep();
        }
        return;
      }
    }
    out_of_order_.erase(key);  // equal to a departed mark: entered again, out of order
  }

  Iterator begin() const { return {this, 0, out_of_order_.begin()}; }
  Iterator end() const { return {this, in_order_.size(), out_of_order_.end()}; }
  // The first key not below / above `key`.
  Iterator lower_bound(const WaitKey& key) const {
    return {this, NextWaiting(LowerIndex(key)), out_of_order_.lower_bound(key)};
  }
  Iterator upper_bound(const WaitKey& key) const {
    return {this, NextWaiting(UpperIndex(key)), out_of_order_.upper_bound(key)};
  }

 private:
  static constexpr size_t kMinSweep = 32;

  static bool Same(const WaitKey& a, const WaitKey& b) { return !(a < b) && !(b < a); }

  // First position in the array whose key is not below `key` (departed ones included).
  size_t LowerIndex(const WaitKey& key) const {
    size_t low = 0, high = in_order_.size();
    while (low < high) {
      const size_t mid = low + (high - low) / 2;
      if (in_order_[mid] < key) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }
  size_t UpperIndex(const WaitKey& key) const {
    size_t low = 0, high = in_order_.size();
    while (low < high) {
      const size_t mid = low + (high - low) / 2;
      if (key < in_order_[mid]) {
        high = mid;
      } else {
        low = mid + 1;
      }
    }
    return low;
  }
  size_t NextWaiting(size_t i) const {
    while (i < in_order_.size() && in_order_[i].departed) ++i;
    return i;
  }

  // Keeps both ends of the array waiting.
  void DropDepartedEnds() {
    while (!in_order_.empty() && in_order_.front().departed) {
      in_order_.pop_front();
      --departed_;
    }
    while (!in_order_.empty() && in_order_.back().departed) {
      in_order_.pop_back();
      --departed_;
    }
  }
  void Sweep() {
    in_order_.EraseIf([](const WaitKey& key) { return key.departed; });
    departed_ = 0;
  }

  RingBuffer<WaitKey> in_order_;  // ascending; both ends waiting; `departed` marks the others
  absl::btree_set<WaitKey> out_of_order_;
  size_t departed_ = 0;  // marked entries in in_order_
};

}  // namespace switchboard::detail

#endif  // SWITCHBOARD_SRC_WAITING_SET_H_
