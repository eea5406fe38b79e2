// ChunkedVector: records that never move, in chunks that may live in huge-page blocks.
#ifndef SWITCHBOARD_SRC_BASE_CHUNKED_VECTOR_H_
#define SWITCHBOARD_SRC_BASE_CHUNKED_VECTOR_H_

#include <cstddef>
#include <memory>
#include <vector>

#include "base/huge_page_arena.h"

namespace switchboard::detail {

// A vector of records in fixed chunks of 2^kChunkBits: indexing is a shift and a mask,
// growth never moves a record (references stay valid), and at most one chunk is slack. Given an
// arena, a large engine's chunks come from its huge-page blocks (huge_page_arena.h).
template <typename T, int kChunkBits = 8>
class ChunkedVector {
 public:
  explicit ChunkedVector(HugePageArena* arena = nullptr) : arena_(arena) {}
  ChunkedVector(const ChunkedVector&) = delete;
  ChunkedVector& operator=(const ChunkedVector&) = delete;
  ~ChunkedVector() {
    for (T* chunk : in_arena_) std::destroy_n(chunk, kChunkSize);
  }

  T& operator[](size_t i) { return chunks_[i >> kChunkBits][i & kMask]; }
  const T& operator[](size_t i) const { return chunks_[i >> kChunkBits][i & kMask]; }
  size_t size() const { return size_; }
  T& emplace_back() {
    if ((size_ & kMask) == 0) AddChunk();
    return (*this)[size_++];
  }

 private:
  static constexpr size_t kChunkSize = size_t{1} << kChunkBits;
  static constexpr size_t kMask = kChunkSize - 1;
  static_assert(alignof(T) <= 64, "arena chunks are aligned to 64 bytes");

  void AddChunk() {
    constexpr size_t kBytes = (sizeof(T) * kChunkSize + 63) / 64 * 64;
    void* memory = arena_ != nullptr ? arena_->Allocate(kBytes) : nullptr;
    if (memory == nullptr) {
      on_heap_.push_back(std::make_unique<T[]>(kChunkSize));
      chunks_.push_back(on_heap_.back().get());
      return;
    }
    T* chunk = static_cast<T*>(memory);
    std::uninitialized_value_construct_n(chunk, kChunkSize);
    in_arena_.push_back(chunk);
    chunks_.push_back(chunk);
  }

  HugePageArena* arena_;
  std::vector<T*> chunks_;  // in index order, wherever they live
  std::vector<std::unique_ptr<T[]>> on_heap_;
  std::vector<T*> in_arena_;  // the arena frees the memory; the records are destroyed here
  size_t size_ = 0;
};

}  // namespace switchboard::detail

#endif  // SWITCHBOARD_SRC_BASE_CHUNKED_VECTOR_H_
