// Bytes in use on the heap (glibc) and in the engines' huge-page blocks, to measure the memory a
// structure costs.
#ifndef SWITCHBOARD_BENCHMARKS_HEAP_USAGE_H_
#define SWITCHBOARD_BENCHMARKS_HEAP_USAGE_H_

#include <malloc.h>

#include <cstdint>

#include "switchboard/engine.h"

namespace switchboard::bench {

inline int64_t HeapInUse() {
  const struct mallinfo2 info = mallinfo2();
  // Small blocks + mmapped ones + whole blocks that engines mapped for their records.
  return static_cast<int64_t>(info.uordblks + info.hblkhd) + Engine::MappedBytes();
}

}  // namespace switchboard::bench

#endif  // SWITCHBOARD_BENCHMARKS_HEAP_USAGE_H_
