// A double-ended queue in one array used circularly: O(1) push at the back, pop at either end
// and indexing, nothing allocated while empty, and no per-block bookkeeping as std::deque has
// (which allocates a block even when empty: costly for many small pools). Grows by half its
// size, so that at most a third of it is slack.
#ifndef SWITCHBOARD_SRC_BASE_RING_BUFFER_H_
#define SWITCHBOARD_SRC_BASE_RING_BUFFER_H_

#include <algorithm>
#include <cstddef>
#include <memory>
#include <utility>

namespace switchboard::detail {

template <typename T>
class RingBuffer {
 public:
  RingBuffer() = default;
  // A moved-from ring is empty, without storage, and usable again.
  RingBuffer(RingBuffer&& other) noexcept { *this = std::move(other); }
  RingBuffer& operator=(RingBuffer&& other) noexcept {
    items_ = std::move(other.items_);
    capacity_ = std::exchange(other.capacity_, 0);
    head_ = std::exchange(other.head_, 0);
    size_ = std::exchange(other.size_, 0);
    return *this;
  }

  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }
  T& operator[](size_t i) { return items_[Wrap(head_ + i)]; }
  const T& operator[](size_t i) const { return items_[Wrap(head_ + i)]; }
  T& front() { return (*this)[0]; }
  const T& front() const { return (*this)[0]; }
  T& back() { return (*this)[size_ - 1]; }
  const T& back() const { return (*this)[size_ - 1]; }

  void push_back(const T& item) {
    if (size_ == capacity_) Grow();
    items_[Wrap(head_ + size_)] = item;
    ++size_;
  }
  void pop_front() {
    head_ = Wrap(head_ + 1);
    --size_;
  }
  void pop_back() { --size_; }
  friend void swap(RingBuffer& a, RingBuffer& b) noexcept {
    std::swap(a.items_, b.items_);
    std::swap(a.capacity_, b.capacity_);
    std::swap(a.head_, b.head_);
    std::swap(a.size_, b.size_);
  }

  // Removes the items that satisfy `remove`, keeping the order of the others. O(n).
  template <typename Predicate>
  void EraseIf(Predicate&& remove) {
    size_t kept = 0;
    for (size_t i = 0; i < size_; ++i) {
      if (!remove((*this)[i])) (*this)[kept++] = (*this)[i];
    }
    size_ = kept;
  }

 private:
  // An index below twice the capacity, brought into it. The capacity is kept as a count:
  // deriving it from the array's bounds would divide by sizeof(T) on every access.
  size_t Wrap(size_t index) const { return index >= capacity_ ? index - capacity_ : index; }
  void Grow() {
    const size_t capacity = std::max<size_t>(8, capacity_ + capacity_ / 2);
    auto grown = std::make_unique_for_overwrite<T[]>(capacity);
    for (size_t i = 0; i < size_; ++i) grown[i] = (*this)[i];
    items_ = std::move(grown);
    capacity_ = capacity;
    head_ = 0;
  }

  std::unique_ptr<T[]> items_;
  size_t capacity_ = 0;
  size_t head_ = 0;
  size_t size_ = 0;
};

// For a ring used as a FIFO of entries written long before they reach the front (a queue's
// waiting contacts): starts fetching the entry a cache line or so behind the front, so that the
// front does not miss each time it moves onto a new line. Called after a pop_front.
template <typename T>
void PrefetchAhead(const RingBuffer<T>& ring) {
  constexpr size_t kAhead = 64 / sizeof(T) + 1;
  if (ring.size() > kAhead) __builtin_prefetch(&ring[kAhead]);
}

}  // namespace switchboard::detail

#endif  // SWITCHBOARD_SRC_BASE_RING_BUFFER_H_
