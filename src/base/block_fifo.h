// A first-in first-out queue in fixed blocks, for the calendar's lanes. Pushing at the back and
// popping at the front are O(1): growing adds a block (and, once every 64 blocks, a node to the
// deque that lists them) and never copies what is queued. A lane can hold millions of entries
// (offer timeouts stay until they fall due, even for offers long answered), and copying them all
// at once, as a growing array does, would stall one command for milliseconds. A block emptied at
// the front is kept for the back, so a queue whose length holds steady reuses its blocks.
//
// Example:
//   BlockFifo<Entry> lane;
//   lane.push_back(entry);
//   while (!lane.empty() && lane.front().time <= now) lane.pop_front();
#ifndef SWITCHBOARD_SRC_BASE_BLOCK_FIFO_H_
#define SWITCHBOARD_SRC_BASE_BLOCK_FIFO_H_

#include <algorithm>
#include <cstddef>
#include <deque>
#include <memory>

namespace switchboard::detail {

template <typename T, size_t kBlockBytes = 16384>
class BlockFifo {
 public:
  BlockFifo() = default;
  // Not copyable (the block pointers below would be shared), nor movable: nothing needs it.
  BlockFifo(const BlockFifo&) = delete;
  BlockFifo& operator=(const BlockFifo&) = delete;

  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }
  // Valid while not empty.
  T& front() { return front_block_[head_]; }
  const T& front() const { return front_block_[head_]; }
  T& back() { return back_block_[tail_ - 1]; }
  const T& back() const { return back_block_[tail_ - 1]; }

  // Calls `f(item)` for each entry, front first. O(size).
  template <typename F>
  void ForEach(F&& f) const {
    size_t left = size_;
    for (size_t b = 0; b < blocks_.size() && left > 0; ++b) {
      const size_t begin = b == 0 ? head_ : 0;
      const size_t end = std::min(kPerBlock, begin + left);
      for (size_t i = begin; i < end; ++i) f(blocks_[b][i]);
      left -= end - begin;
    }
  }

  void push_back(const T& item) {
    if (tail_ == kPerBlock || blocks_.empty()) {
      blocks_.push_back(spare_ ? std::move(spare_) : std::make_unique<T[]>(kPerBlock));
      back_block_ = blocks_.back().get();
      if (blocks_.size() == 1) front_block_ = back_block_;
      tail_ = 0;
    }
    back_block_[tail_++] = item;
    ++size_;
  }

  // Not empty.
  void pop_front() {
    ++head_;
    --size_;
    if (head_ == kPerBlock) {
      spare_ = std::move(blocks_.front());
      blocks_.pop_front();
      front_block_ = blocks_.empty() ? nullptr : blocks_.front().get();
      head_ = 0;
    } else if (size_ == 0) {
      head_ = tail_ = 0;  // the only block: start it over
    }
  }

 private:
  static constexpr size_t kPerBlock = std::max<size_t>(1, kBlockBytes / sizeof(T));

  // The entries are blocks_.front()[head_ ...] through blocks_.back()[... tail_ - 1]; every
  // block between is full. When not empty, the back block holds at least one entry.
  std::deque<std::unique_ptr<T[]>> blocks_;
  std::unique_ptr<T[]> spare_;  // the last block emptied, for the next one needed
  T* front_block_ = nullptr;    // blocks_.front() and blocks_.back(), without the deque's steps
  T* back_block_ = nullptr;
  size_t head_ = 0;
  size_t tail_ = 0;
  size_t size_ = 0;
};

}  // namespace switchboard::detail

#endif  // SWITCHBOARD_SRC_BASE_BLOCK_FIFO_H_
