#include "base/huge_page_arena.h"

#include <atomic>
#include <cassert>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace switchboard::detail {
namespace {

// Engines may live in different host threads; this is their only shared state.
std::atomic<int64_t> mapped_bytes{0};

// A block of kBlockBytes aligned to its size, so that the kernel can back it with one huge
// page; nullptr if there is none to be had.
char* MapBlock() {
#if defined(__linux__)
  constexpr size_t kBlock = HugePageArena::kBlockBytes;
  // Map twice the size and give back what lies outside the aligned block.
  void* raw = mmap(nullptr, 2 * kBlock, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) return nullptr;
  const auto start = reinterpret_cast<uintptr_t>(raw);
  const uintptr_t aligned = (start + kBlock - 1) & ~(uintptr_t{kBlock} - 1);
  if (aligned > start) munmap(raw, aligned - start);
  if (aligned + kBlock < start + 2 * kBlock) {
    munmap(reinterpret_cast<void*>(aligned + kBlock), start + 2 * kBlock - (aligned + kBlock));
  }
  char* block = reinterpret_cast<char*>(aligned);
  // Only advice: where huge pages are off, the block is ordinary memory.
  madvise(block, kBlock, MADV_HUGEPAGE);
  mapped_bytes.fetch_add(static_cast<int64_t>(kBlock), std::memory_order_relaxed);
  return block;
#else
  return nullptr;
#endif
}

}  // namespace

HugePageArena::~HugePageArena() {
#if defined(__linux__)
  for (char* block : blocks_) {
    munmap(block, kBlockBytes);
    mapped_bytes.fetch_sub(static_cast<int64_t>(kBlockBytes), std::memory_order_relaxed);
  }
#endif
}

void* HugePageArena::Allocate(size_t bytes) {
  assert(bytes % 64 == 0 && bytes <= kBlockBytes);
  const bool small = requested_ < kHeapBytes;
  requested_ += bytes;
  if (small || !enabled_) return nullptr;
  if (used_ + bytes > kBlockBytes) {
    char* block = MapBlock();
    if (block == nullptr) return nullptr;
    blocks_.push_back(block);
    used_ = 0;
  }
  void* memory = blocks_.back() + used_;
  used_ += bytes;
  return memory;
}

int64_t HugePageArena::MappedBytes() { return mapped_bytes.load(std::memory_order_relaxed); }

}  // namespace switchboard::detail
