// A double-ended queue with indexing, in fixed blocks of kPerBlock items: O(1) push at the back,
// pop at either end and indexing (two loads: the block, then the item). Growing adds a block and
// never copies what is queued, so no push stalls, however long the queue (a growing array copies
// all of it at once, page faults included: milliseconds at 100k items). Blocks emptied at either
// end stay in the ring, behind the back, for the pushes to come, and clear() keeps them all in
// O(1): a queue whose length holds steady allocates nothing, and its memory is that of its
// longest length.
#ifndef SWITCHBOARD_SRC_BASE_BLOCK_RING_H_
#define SWITCHBOARD_SRC_BASE_BLOCK_RING_H_

#include <cstddef>
#include <cstdlib>
#include <new>
#include <type_traits>
#include <utility>

#include "base/ring_buffer.h"

namespace switchboard::detail {

// T: trivially copyable (blocks are malloc'd and items copied as bytes).
template <typename T, size_t kPerBlock = 32>
class BlockRing {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);
  static_assert((kPerBlock & (kPerBlock - 1)) == 0, "a power of two: indexing shifts and masks");

 public:
  BlockRing() = default;
  BlockRing(BlockRing&& other) noexcept { swap(*this, other); }
  BlockRing& operator=(BlockRing&& other) noexcept {
    BlockRing moved(std::move(other));
    swap(*this, moved);
    return *this;
  }
  BlockRing(const BlockRing&) = delete;
  BlockRing& operator=(const BlockRing&) = delete;
  ~BlockRing() {
    for (size_t i = 0; i < blocks_.size(); ++i) std::free(blocks_[i]);
  }

  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }
  T& operator[](size_t i) { return At(head_ + i); }
  const T& operator[](size_t i) const { return At(head_ + i); }
  T& front() { return *front_; }
  const T& front() const { return *front_; }
  T& back() { return At(head_ + size_ - 1); }
  const T& back() const { return (*this)[size_ - 1]; }

  // The first position whose item is not `below`, the items being ordered so that those below
  // come first: a binary search over the blocks' first items, then within one block's array.
  template <typename Below>
  size_t PartitionPoint(Below&& below) const {
    if (size_ == 0) return 0;
    const size_t last = (head_ + size_ - 1) / kPerBlock;
    size_t low = 0, high = last + 1;  // count the blocks whose first item is below
    while (low < high) {
      const size_t mid = low + (high - low) / 2;
      if (below(blocks_[mid][mid == 0 ? head_ : 0])) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    if (low == 0) return 0;
    const size_t block = low - 1;  // its first item is below; the answer is past it
    const T* items = blocks_[block];
    size_t begin = (block == 0 ? head_ : 0) + 1;
    size_t end = block == last ? (head_ + size_ - 1) % kPerBlock + 1 : kPerBlock;
    while (begin < end) {
      const size_t mid = begin + (end - begin) / 2;
      if (below(items[mid])) {
        begin = mid + 1;
      } else {
        end = mid;
      }
    }
    return block * kPerBlock + begin - head_;
  }

  void push_back(const T& item) {
    const size_t end = head_ + size_;
    if (end == blocks_.size() * kPerBlock) blocks_.push_back(NewBlock());
    T& slot = At(end);
    slot = item;
    if (size_++ == 0) front_ = &slot;
  }
  void pop_front() {
    --size_;
    ++front_;
    if (++head_ == kPerBlock) {  // the front block is empty: it goes behind the back
      T* block = blocks_.front();
      blocks_.pop_front();
      blocks_.push_back(block);
      head_ = 0;
      front_ = blocks_.front();
    }
  }
  void pop_back() { --size_; }
  // Keeps the blocks.
  void clear() {
    head_ = 0;
    size_ = 0;
  }

  friend void swap(BlockRing& a, BlockRing& b) noexcept {
    swap(a.blocks_, b.blocks_);
    std::swap(a.head_, b.head_);
    std::swap(a.front_, b.front_);
    std::swap(a.size_, b.size_);
  }

 private:
  // (The ring holds the blocks' pointers; what they point at is the items'.)
  T& At(size_t position) const { return blocks_[position / kPerBlock][position % kPerBlock]; }
  static T* NewBlock() {
    T* block = static_cast<T*>(std::malloc(kPerBlock * sizeof(T)));
    if (block == nullptr) throw std::bad_alloc();
    return block;
  }
  // In order: the front's item is at blocks_[0][head_]; the blocks past the back's are empty.
  RingBuffer<T*> blocks_;
  size_t head_ = 0;      // below kPerBlock
  T* front_ = nullptr;  // &blocks_[0][head_] while not empty: the front is read most
  size_t size_ = 0;
};

// For a ring used as a FIFO of entries written long before they reach the front (a queue's
// waiting contacts): starts fetching the entry a cache line or so behind the front, so that the
// front does not miss each time it moves onto a new line. Called after a pop_front.
template <typename T, size_t kPerBlock>
void PrefetchAhead(const BlockRing<T, kPerBlock>& ring) {
  constexpr size_t kAhead = 64 / sizeof(T) + 1;
  if (ring.size() > kAhead) __builtin_prefetch(&ring[kAhead]);
}

}  // namespace switchboard::detail

#endif  // SWITCHBOARD_SRC_BASE_BLOCK_RING_H_
