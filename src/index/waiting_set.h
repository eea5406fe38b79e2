// The contacts waiting in one (queue, channel), in service order (WaitKey's order: class, then
// virtual arrival, then entry order).
//
// Contacts mostly enter in that order within their class (they arrive now) and mostly leave from
// the front (the most urgent is served first). Those live in a lane per class: a sorted array
// used as a FIFO, where entering at the back and leaving from the front are O(1) and touch
// adjacent memory, where a B-tree searches, shifts its node and rebalances. A contact that enters
// out of order (a priority, back after a missed offer) goes to one B-tree beside the lanes, and
// so does one whose virtual arrival lies ahead of now (a negative priority): at the back of its
// lane it would send every contact arriving before that time to the tree. One that leaves from
// behind a lane's front (it abandons, or the front could not be taken) is found by binary search
// and marked departed; the lane compacts its marks away a few at a time (sorted_lane.h).
// Iteration walks the lanes in class order, merged with the tree, and skips the marks.
#ifndef SWITCHBOARD_SRC_INDEX_WAITING_SET_H_
#define SWITCHBOARD_SRC_INDEX_WAITING_SET_H_

#include <cstddef>
#include <cstdint>

#include "absl/base/attributes.h"
#include "absl/container/btree_set.h"
#include "absl/container/inlined_vector.h"
#include "index/sorted_lane.h"
#include "index/wait_key.h"

namespace switchboard::detail {

class WaitingSet {
  struct Lane;

 public:
  // Walks the set in service order (dereference, prefix ++, ==; enough for the loops in
  // routing.cc, not a full standard iterator). Invalidated by insert and erase.
  class Iterator {
   public:
    const WaitKey& operator*() const { return in_lane_first_ ? set_->lanes_[lane_].keys[i_] : *b_; }
    const WaitKey* operator->() const { return &**this; }
    Iterator& operator++() {
      if (in_lane_first_) {
        i_ = set_->lanes_[lane_].keys.NextWaiting(i_ + 1);
      } else {
        ++b_;
      }
      Settle();
      return *this;
    }
    friend bool operator==(const Iterator& x, const Iterator& y) {
      return x.lane_ == y.lane_ && x.i_ == y.i_ && x.b_ == y.b_;
    }

   private:
    friend class WaitingSet;
    using TreeIterator = absl::btree_set<WaitKey>::const_iterator;
    Iterator(const WaitingSet* set, size_t lane, size_t i, TreeIterator b)
        : set_(set), lane_(lane), i_(i), b_(b) {
      Settle();
    }
    // Moves past the end of a lane to the next lane's first key (the end: lanes_.size(), 0),
    // then decides which of the lanes and the tree is next. `i_` is at a waiting key or its
    // lane's end.
    void Settle() {
      const auto& lanes = set_->lanes_;
      while (lane_ < lanes.size() && i_ == lanes[lane_].keys.size()) {
        ++lane_;
        i_ = 0;  // a lane's front is never marked
      }
      in_lane_first_ =
          lane_ < lanes.size() && (b_ == set_->out_of_order_.end() || lanes[lane_].keys[i_] < *b_);
    }

    const WaitingSet* set_;
    size_t lane_;     // position in the lanes
    size_t i_;        // position in that lane
    TreeIterator b_;  // position in the tree
    bool in_lane_first_ = false;
  };

  bool empty() const { return first() == nullptr; }
  // O(classes).
  size_t size() const {
    size_t size = out_of_order_.size();
    for (const Lane& lane : lanes_) size += lane.keys.waiting();
    return size;
  }
  // How many are in the tree, having entered out of order (the rest are in lanes).
  size_t out_of_order() const { return out_of_order_.size(); }

  // `key` must not be waiting; `now`: the engine's time. O(1) at the back of its lane, else
  // O(log n) (O(classes) more for the first contact of a class).
  void insert(const WaitKey& key, int64_t now) {
    if (key.virtual_arrival <= now) {
      if (LaneFor(key.inverted_class).keys.PushBack(key)) return;
    }
    out_of_order_.insert(key);
  }

  // `key` must be waiting. O(1) at the front of its lane, else O(log n).
  void erase(const WaitKey& key) {
    if (Lane* lane = FindLane(key.inverted_class); lane != nullptr && lane->keys.Erase(key)) return;
    out_of_order_.erase(key);  // entered out of order, or equal to a mark: entered again
  }

  // The most urgent key, or null when empty: what begin() points at, for less.
  ABSL_ATTRIBUTE_ALWAYS_INLINE const WaitKey* first() const {
    const WaitKey* first = out_of_order_.empty() ? nullptr : &*out_of_order_.begin();
    for (const Lane& lane : lanes_) {
      if (lane.keys.empty()) continue;  // lanes are in class order: the first one decides
      if (first == nullptr || lane.keys.front() < *first) first = &lane.keys.front();
      break;
    }
    return first;
  }

  Iterator begin() const { return {this, 0, 0, out_of_order_.begin()}; }
  Iterator end() const { return {this, lanes_.size(), 0, out_of_order_.end()}; }
  // The first key not below / above `key`.
  Iterator lower_bound(const WaitKey& key) const {
    return Bound(key, out_of_order_.lower_bound(key), /*upper=*/false);
  }
  Iterator upper_bound(const WaitKey& key) const {
    return Bound(key, out_of_order_.upper_bound(key), /*upper=*/true);
  }

 private:
  struct Lane {
    uint8_t inverted_class = 255;
    SortedLane<WaitKey> keys;
  };

  // Lanes stay once made (a queue sees few classes), sorted by class, most urgent first.
  Lane* FindLane(uint8_t inverted_class) {
    for (Lane& lane : lanes_) {
      if (lane.inverted_class == inverted_class) return &lane;
    }
    return nullptr;
  }
  Lane& LaneFor(uint8_t inverted_class) {
    if (Lane* lane = FindLane(inverted_class)) return *lane;
    auto it = lanes_.begin();
    while (it != lanes_.end() && it->inverted_class < inverted_class) ++it;
    it = lanes_.emplace(it);
    it->inverted_class = inverted_class;
    return *it;
  }

  Iterator Bound(const WaitKey& key, Iterator::TreeIterator b, bool upper) const {
    size_t lane = 0;
    while (lane < lanes_.size() && lanes_[lane].inverted_class < key.inverted_class) ++lane;
    size_t i = 0;
    if (lane < lanes_.size() && lanes_[lane].inverted_class == key.inverted_class) {
      i = lanes_[lane].keys.NextWaiting(lanes_[lane].keys.Position(key, upper));
    }
    return {this, lane, i, b};
  }

  absl::InlinedVector<Lane, 1> lanes_;
  absl::btree_set<WaitKey> out_of_order_;
};

}  // namespace switchboard::detail

#endif  // SWITCHBOARD_SRC_INDEX_WAITING_SET_H_
