// A sorted array of keys used as a FIFO, for keys that mostly enter at the back and leave from
// the front (a queue's waiting contacts): both are O(1) and touch adjacent memory. A key that
// leaves from behind the front is found by binary search and marked departed; the marks are
// compacted away once they outnumber the keys still waiting, so that the lane stays within about
// twice their number.
//
// The compaction is incremental, so that no single operation stalls: it copies the waiting keys
// into a second array a few positions per operation while the first stays the one that is read
// and searched, mirrors into the copy whatever happens to keys it already holds, and swaps the
// arrays when it reaches the end. The arrays are in blocks (block_ring.h), so that a growing lane
// never copies itself either; their blocks are reused, so a lane in a steady state allocates
// nothing.
#ifndef SWITCHBOARD_SRC_INDEX_SORTED_LANE_H_
#define SWITCHBOARD_SRC_INDEX_SORTED_LANE_H_

#include <cstddef>

#include "absl/base/attributes.h"
#include "base/block_ring.h"

namespace switchboard::detail {

// Key: strictly ordered by operator< among the waiting keys, trivially copyable, with a member
// `bool departed` that the lane owns (false when a key is pushed).
template <typename Key>
class SortedLane {
 public:
  // Positions count the marked keys too: operator[], size(), Position and NextWaiting walk them.
  bool empty() const { return keys_.empty(); }
  size_t size() const { return keys_.size(); }
  size_t waiting() const { return keys_.size() - departed_; }
  const Key& operator[](size_t i) const { return keys_[i]; }
  // Both ends are always waiting.
  const Key& front() const { return keys_.front(); }
  const Key& back() const { return keys_.back(); }

  // Appends `key` when it is above the back (or the lane is empty) and returns true; otherwise
  // changes nothing and returns false. O(1).
  bool PushBack(const Key& key) {
    if (!keys_.empty() && !(keys_.back() < key)) return false;
    keys_.push_back(key);
    if (compacting_) [[unlikely]] Compact();
    return true;
  }

  // Removes `key` and returns true if it is waiting here; otherwise (not here, or equal to a
  // marked key) changes nothing and returns false. O(1) at the front, else O(log n).
  ABSL_ATTRIBUTE_ALWAYS_INLINE bool Erase(const Key& key) {
    if (keys_.empty()) return false;
    if (!Same(keys_.front(), key)) return EraseBehindFront(key);
    PopFront();
    // The back stays: it was not the front.
    while (!keys_.empty() && keys_.front().departed) [[unlikely]] PopFront();
    PrefetchAhead(keys_);
    if (compacting_) [[unlikely]] Compact();
    return true;
  }

  // The first position whose key is above `key` (`upper`) or not below it; marks included.
  size_t Position(const Key& key, bool upper) const { return Position(keys_, key, upper); }
  // The first waiting position at or after `i` (size() when none).
  size_t NextWaiting(size_t i) const {
    while (i < keys_.size() && keys_[i].departed) ++i;
    return i;
  }

 private:
  // Below this many marks a lane is not worth compacting.
  static constexpr size_t kMinMarks = 32;
  // Positions copied per operation while compacting. The lane grows by at most one key per
  // operation, so a compaction that starts at n keys ends within n / (kStep - 1) operations.
  static constexpr size_t kStep = 8;

  static bool Same(const Key& a, const Key& b) { return !(a < b) && !(b < a); }
  static size_t Position(const BlockRing<Key>& keys, const Key& key, bool upper) {
    if (upper) return keys.PartitionPoint([&](const Key& item) { return !(key < item); });
    return keys.PartitionPoint([&](const Key& item) { return item < key; });
  }

  [[gnu::noinline]] bool EraseBehindFront(const Key& key) {
    if (key < keys_.front() || keys_.back() < key) return false;
    const size_t i = Position(key, /*upper=*/false);
    Key& found = keys_[i];
    if (found.departed || !Same(found, key)) return false;
    if (i + 1 == keys_.size()) {
      PopBack();
      DropDepartedEnds();
    } else {
      found.departed = true;
      ++departed_;
      if (i < copied_) MarkCopy(key);
      if (!compacting_ && departed_ > kMinMarks && departed_ > waiting()) StartCompaction();
    }
    if (compacting_) Compact();
    return true;
  }

  // Removing an end that the compaction has copied removes its copy too (the copy's same end,
  // unless the key was marked before it was reached and so never copied).
  ABSL_ATTRIBUTE_ALWAYS_INLINE void PopFront() {
    const Key& key = keys_.front();
    if (key.departed) --departed_;
    if (copied_ > 0) [[unlikely]] {
      --copied_;
      if (!copy_.empty() && Same(copy_.front(), key)) {
        if (copy_.front().departed) --copy_departed_;
        copy_.pop_front();
      }
    }
    keys_.pop_front();
  }
  void PopBack() {
    const Key& key = keys_.back();
    if (key.departed) --departed_;
    if (copied_ == keys_.size() && copied_ > 0) {
      --copied_;
      if (!copy_.empty() && Same(copy_.back(), key)) {
        if (copy_.back().departed) --copy_departed_;
        copy_.pop_back();
      }
    }
    keys_.pop_back();
  }
  void DropDepartedEnds() {
    while (!keys_.empty() && keys_.front().departed) PopFront();
    while (!keys_.empty() && keys_.back().departed) PopBack();
  }

  // `key` was waiting when the compaction passed it, so the copy holds it, unmarked.
  void MarkCopy(const Key& key) {
    const size_t j = Position(copy_, key, /*upper=*/false);
    copy_[j].departed = true;
    ++copy_departed_;
  }

  void StartCompaction() {
    compacting_ = true;
    copied_ = 0;
    copy_.clear();
    copy_departed_ = 0;
  }
  // One step of the compaction, and the swap at its end.
  [[gnu::noinline]] void Compact() {
    for (size_t n = 0; n < kStep && copied_ < keys_.size(); ++n, ++copied_) {
      const Key& key = keys_[copied_];
      if (!key.departed) copy_.push_back(key);
    }
    if (copied_ < keys_.size()) return;
    swap(keys_, copy_);
    departed_ = copy_departed_;
    copy_.clear();
    copy_departed_ = 0;
    copied_ = 0;
    compacting_ = false;
  }

  BlockRing<Key> keys_;  // ascending; both ends waiting; `departed_` of them marked
  size_t departed_ = 0;
  // While compacting: the waiting keys among keys_[0, copied_), in order, with the marks made
  // since they were copied.
  bool compacting_ = false;
  size_t copied_ = 0;
  BlockRing<Key> copy_;
  size_t copy_departed_ = 0;
};

}  // namespace switchboard::detail

#endif  // SWITCHBOARD_SRC_INDEX_SORTED_LANE_H_
