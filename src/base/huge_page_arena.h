// Memory for a large engine's record arrays in 2 MiB blocks, aligned to 2 MiB and advised for
// transparent huge pages (Linux). At 100k agents the records span tens of MiB: in 4 KiB pages a
// command walks the page tables for each cold record it touches, and that walk comes before the
// record's own miss; in 2 MiB pages one TLB entry covers a block (docs/performance.md, "Tuning
// knobs").
#ifndef SWITCHBOARD_SRC_BASE_HUGE_PAGE_ARENA_H_
#define SWITCHBOARD_SRC_BASE_HUGE_PAGE_ARENA_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace switchboard::detail {

class HugePageArena {
 public:
  static constexpr size_t kBlockBytes = size_t{2} << 20;
  // Until the engine's record arrays hold this much, their chunks come from the heap: a block's
  // unused tail (up to 2 MiB) would cost a small center more per agent than its pages save.
  static constexpr size_t kHeapBytes = size_t{16} << 20;

  HugePageArena() = default;
  HugePageArena(const HugePageArena&) = delete;
  HugePageArena& operator=(const HugePageArena&) = delete;
  ~HugePageArena();

  // Memory for one chunk of records: `bytes` (a multiple of 64, at most kBlockBytes), aligned
  // to 64 bytes, valid until the arena is destroyed; or nullptr, and the caller allocates on the
  // heap: while the chunks requested so far are under kHeapBytes, when the arena is disabled,
  // off Linux, or when the system refuses a mapping.
  void* Allocate(size_t bytes);

  // A disabled arena sends every chunk to the heap. Set before the first Allocate.
  void set_enabled(bool enabled) { enabled_ = enabled; }

  // Bytes that the arenas of every engine in this process have mapped (whole blocks): memory
  // outside the heap, which malloc's statistics do not count.
  static int64_t MappedBytes();

 private:
  bool enabled_ = true;
  size_t requested_ = 0;  // bytes of every chunk asked for, from the heap or a block
  std::vector<char*> blocks_;
  size_t used_ = kBlockBytes;  // of the last block
};

}  // namespace switchboard::detail

#endif  // SWITCHBOARD_SRC_BASE_HUGE_PAGE_ARENA_H_
