// Bytes in use on the heap (glibc), to measure the memory a structure costs.
#ifndef SWITCHBOARD_BENCHMARKS_HEAP_USAGE_H_
#define SWITCHBOARD_BENCHMARKS_HEAP_USAGE_H_

#include <malloc.h>

#include <cstdint>

namespace switchboard::bench {

inline int64_t HeapInUse() {
  const struct mallinfo2 info = mallinfo2();
  return static_cast<int64_t>(info.uordblks + info.hblkhd);  // small blocks + mmapped ones
}

}  // namespace switchboard::bench

#endif  // SWITCHBOARD_BENCHMARKS_HEAP_USAGE_H_
