// Software prefetches: starting the fetch of cache lines that a command reads soon, where the
// code would otherwise miss on them one after the other (docs/architecture.md, "Overlapping the
// cache misses").
#ifndef SWITCHBOARD_SRC_BASE_PREFETCH_H_
#define SWITCHBOARD_SRC_BASE_PREFETCH_H_

#include <cstddef>
#include <cstdint>

namespace switchboard::detail {

// Requests the 64-byte lines of [start, start + bytes). The addresses are computed as integers,
// so the range may run past the end of a short list: those lines are only prefetched (which
// never faults), never read.
inline void PrefetchLines(const void* start, size_t bytes) {
  const auto first = reinterpret_cast<uintptr_t>(start);
  for (size_t offset = 0; offset < bytes; offset += 64) {
    __builtin_prefetch(reinterpret_cast<const void*>(first + offset));
  }
}

// All of a record's lines at once.
// `prefix`: only the lines of its first `prefix` bytes (a few prefetches at a time; each takes
// a slot that the loads need too).
template <typename Record>
void PrefetchRecord(const Record& record, size_t prefix = sizeof(Record)) {
  PrefetchLines(&record, prefix);
}

}  // namespace switchboard::detail

#endif  // SWITCHBOARD_SRC_BASE_PREFETCH_H_
