// The index from a host's string id to the engine's record: an open-addressing table of (hash,
// record number) slots, 8 bytes each, whose lookups compare the id in the record they are about
// to use anyway (no copy of the ids, no separate place to miss on).
//
// No operation touches the whole table, so none stalls a host's event loop:
// - deleting shifts the entries behind the freed slot back (linear probing), so the table never
//   fills with tombstones and never needs a cleaning pass;
// - growing allocates the doubled table zeroed by the system (pages arrive as they are first
//   written) and moves the old table's entries a few per insert or erase; a lookup meanwhile
//   asks both tables;
// - moving an entry reads the hash from its slot, never the record.
#ifndef SWITCHBOARD_SRC_BASE_ID_INDEX_H_
#define SWITCHBOARD_SRC_BASE_ID_INDEX_H_

#include <algorithm>
#include <bit>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>
#include <optional>
#include <string_view>
#include <utility>

#include "absl/hash/hash.h"
#include "base/prefetch.h"
#include "base/status_macros.h"

namespace switchboard::detail {

// `Records` is indexable by uint32_t and its elements have a std::string `id`. A record's id
// must not change while the record is in the index, and neither the records nor the container
// may move (the index keeps a pointer to the container). Record numbers are below 2^32 - 2.
//
// Records that enter and leave often (contacts) may also keep `uint32_t id_hash`, set to
// HashOf(id) before Insert: then inserting and erasing read that number instead of hashing the
// string again.
//
// `kFetchedBytes`: how much of a record (a multiple of its 64-byte lines; records aligned to
// them) a lookup starts fetching as soon as an entry's hash matches, so that the lines its
// caller reads next arrive with the first, which the id comparison reads.
template <typename Records, size_t kFetchedBytes = 64>
class IdIndex {
  static_assert(kFetchedBytes >= 64 && kFetchedBytes % 64 == 0);

 public:
  explicit IdIndex(const Records* records) : records_(records) {}
  IdIndex(const IdIndex&) = delete;
  IdIndex& operator=(const IdIndex&) = delete;

  // An id with its hash, to look it up more than once for the price of one hash.
  struct Key {
    std::string_view id;
    uint32_t hash;
  };
  static uint32_t HashOf(std::string_view id) {
    const uint64_t hash = absl::Hash<absl::string_view>{}(AbslView(id));
    return static_cast<uint32_t>(hash ^ hash >> 32);
  }
  static Key KeyOf(std::string_view id) { return {id, HashOf(id)}; }

  size_t size() const { return table_.size + old_.size; }

  // Makes room for `count` ids, so that the table does not grow before it holds that many.
  // O(size) once: for a host to call before it starts.
  void Reserve(size_t count) {
    FinishGrowth();
    if (count + 1 <= MaxLoad(table_.capacity())) return;
    size_t capacity = kMinCapacity;
    while (count + 1 > MaxLoad(capacity)) capacity *= 2;
    StartGrowth(capacity);
    FinishGrowth();
  }

  // The record's id (and id_hash, where kept) must be set and not already in the index.
  // O(1); while the table grows, also moves a few old entries.
  void Insert(uint32_t index) {
    assert(index < kMoved - 1);
    // Moving the old entries ends long before the new table fills (kMoveStep), so this starts
    // a growth only when none is under way.
    if (size() + 1 > MaxLoad(table_.capacity())) {
      StartGrowth(table_.capacity() == 0 ? kMinCapacity : 2 * table_.capacity());
    }
    Place(table_, {RecordHash(index), index + 1});
    ++table_.size;
    MoveSome();
  }
  // Before the record's id changes. `index` must be in the index. O(1), as Insert.
  void Erase(uint32_t index) {
    const uint32_t hash = RecordHash(index);
    if (!EraseFrom(hash, index + 1)) {
      // Not moved yet: the old table only marks it, keeping its probes intact.
      Slot* slot = Table::Probe(old_, hash, [&](const Slot& s) { return s.stored == index + 1; });
      assert(slot != nullptr);
      slot->stored = kMoved;
      --old_.size;
    }
    MoveSome();
  }

  std::optional<uint32_t> Find(const Key& key) const {
    if (const Slot* slot = FindIn(table_, key)) return slot->stored - 1;
    if (old_.capacity() != 0) {
      if (const Slot* slot = FindIn(old_, key)) return slot->stored - 1;
    }
    return std::nullopt;
  }
  std::optional<uint32_t> Find(std::string_view id) const { return Find(KeyOf(id)); }
  bool Contains(const Key& key) const { return Find(key).has_value(); }
  bool Contains(std::string_view id) const { return Contains(KeyOf(id)); }

  // The record a lookup of `key` would compare first (the first entry with the key's 32-bit
  // hash), named without reading any record: to start fetching it before a lookup that confirms
  // it, or before another path finds it. A guess: a record number in the index now, but maybe
  // not the one with this id (when two ids share a hash); or none.
  std::optional<uint32_t> Guess(const Key& key) const {
    auto same_hash = [&](const Slot& s) { return s.hash == key.hash; };
    if (const Slot* slot = Table::Probe(table_, key.hash, same_hash)) return slot->stored - 1;
    if (old_.capacity() != 0) {
      if (const Slot* slot = Table::Probe(old_, key.hash, same_hash)) return slot->stored - 1;
    }
    return std::nullopt;
  }

  // Starts fetching where `key` would be, for a lookup or an erase a little later.
  void Prefetch(const Key& key) const {
    if (table_.capacity() != 0) __builtin_prefetch(&table_.slots[table_.Home(key.hash)]);
    if (old_.capacity() != 0) __builtin_prefetch(&old_.slots[old_.Home(key.hash)]);
  }

 private:
  static constexpr bool kKeepsHash = requires(const Records& records) { records[0].id_hash; };

  // `stored`: the record number + 1, or one of these.
  static constexpr uint32_t kEmpty = 0;  // what zeroed memory holds
  static constexpr uint32_t kMoved = UINT32_MAX;  // in the old table only: skipped by probes
  struct Slot {
    uint32_t hash;
    uint32_t stored;
  };

  static constexpr size_t kMinCapacity = 16;
  // Linear probing stays short up to three quarters full (an absent id probes ~8 slots, one or
  // two cache lines; a present one ~2.5).
  static size_t MaxLoad(size_t capacity) { return capacity / 4 * 3; }
  // Old slots moved per insert or erase while growing. Growth starts at 3/4 of the old capacity
  // C, and the new table (2C) grows again only after 3/4·C more inserts; moving 4 per operation
  // empties the old one within C/4 operations.
  static constexpr size_t kMoveStep = 4;

  struct Free {
    void operator()(Slot* slots) const { std::free(slots); }
  };
  struct Table {
    std::unique_ptr<Slot[], Free> slots;
    size_t mask = 0;  // capacity - 1, or 0 when there is no table
    int shift = 64;   // 64 - log2(capacity)
    size_t size = 0;  // live entries (not kMoved)

    size_t capacity() const { return slots == nullptr ? 0 : mask + 1; }
    // Fibonacci hashing: the top bits of the hash times 2^64/φ, so that all 32 bits matter.
    size_t Home(uint32_t hash) const {
      return static_cast<size_t>((hash * uint64_t{0x9E3779B97F4A7C15}) >> shift);
    }
    // The first slot of `table`'s probe for `hash` that satisfies `match`, or null at an empty
    // slot. (A member of Table only to share its name with the const and non-const callers.)
    template <typename Match>
    static Slot* Probe(const Table& table, uint32_t hash, Match&& match) {
      if (table.slots == nullptr) return nullptr;
      for (size_t i = table.Home(hash);; i = (i + 1) & table.mask) {
        Slot& slot = table.slots[i];
        if (slot.stored == kEmpty) return nullptr;
        if (slot.stored != kMoved && match(slot)) return &slot;
      }
    }
  };

  uint32_t RecordHash(uint32_t index) const {
    if constexpr (kKeepsHash) {
      return (*records_)[index].id_hash;
    } else {
      return HashOf((*records_)[index].id);
    }
  }

  const Slot* FindIn(const Table& table, const Key& key) const {
    return Table::Probe(table, key.hash, [&](const Slot& slot) {
      return slot.hash == key.hash && Matches(slot.stored - 1, key);
    });
  }
  bool Matches(uint32_t index, const Key& key) const {
    const auto& record = (*records_)[index];
    // The first line is read right away; the rest start now.
    PrefetchLines(reinterpret_cast<const char*>(&record) + 64, kFetchedBytes - 64);
    return record.id == key.id;
  }

  // Into the first empty slot of its probe (the current table holds no kMoved).
  static void Place(Table& table, const Slot& entry) {
    size_t i = table.Home(entry.hash);
    while (table.slots[i].stored != kEmpty) i = (i + 1) & table.mask;
    table.slots[i] = entry;
  }

  // Erases from the current table, shifting back the entries that probed past the freed slot.
  bool EraseFrom(uint32_t hash, uint32_t stored) {
    Slot* found = Table::Probe(table_, hash, [&](const Slot& s) { return s.stored == stored; });
    if (found == nullptr) return false;
    const size_t mask = table_.mask;
    size_t hole = static_cast<size_t>(found - table_.slots.get());
    for (size_t i = (hole + 1) & mask; table_.slots[i].stored != kEmpty; i = (i + 1) & mask) {
      // The entry at i may fill the hole if its home is not in the cyclic range (hole, i].
      const size_t home = table_.Home(table_.slots[i].hash);
      if (((i - home) & mask) >= ((i - hole) & mask)) {
        table_.slots[hole] = table_.slots[i];
        hole = i;
      }
    }
    table_.slots[hole].stored = kEmpty;
    --table_.size;
    return true;
  }

  static Table NewTable(size_t capacity) {
    Table table;
    table.slots.reset(static_cast<Slot*>(std::calloc(capacity, sizeof(Slot))));
    if (table.slots == nullptr) throw std::bad_alloc();
    table.mask = capacity - 1;
    table.shift = 64 - std::countr_zero(capacity);
    return table;
  }
  void StartGrowth(size_t capacity) {
    FinishGrowth();
    old_ = std::exchange(table_, NewTable(capacity));
    moved_ = 0;
  }
  void MoveSome() {
    if (old_.capacity() == 0) return;
    const size_t end = std::min(old_.capacity(), moved_ + kMoveStep);
    for (; moved_ < end; ++moved_) MoveOne(old_.slots[moved_]);
    if (moved_ == old_.capacity()) old_ = Table();
  }
  void FinishGrowth() {
    if (old_.capacity() == 0) return;
    for (; moved_ < old_.capacity(); ++moved_) MoveOne(old_.slots[moved_]);
    old_ = Table();
  }
  // The old slot becomes kMoved, so that probes through it go on to the entries behind.
  void MoveOne(Slot& slot) {
    if (slot.stored == kEmpty || slot.stored == kMoved) return;
    Place(table_, slot);
    ++table_.size;
    --old_.size;
    slot.stored = kMoved;
  }

  const Records* records_;
  Table table_;
  Table old_;         // while growing: the entries not moved yet
  size_t moved_ = 0;  // old slots visited
};

}  // namespace switchboard::detail

#endif  // SWITCHBOARD_SRC_BASE_ID_INDEX_H_
