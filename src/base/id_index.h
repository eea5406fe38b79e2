// The index from a host's string id to the engine's record: a hash set of record numbers whose
// hash and equality read the id from the record itself. An entry is 4 bytes (a table of
// strings or views would be 24 to 40), so the table stays small enough to stay cached, and a
// lookup compares the id in the record it is about to use anyway: no copy of the ids and no
// separate place to miss on.
#ifndef SWITCHBOARD_SRC_BASE_ID_INDEX_H_
#define SWITCHBOARD_SRC_BASE_ID_INDEX_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "absl/base/config.h"
#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
#include "base/prefetch.h"
#include "base/status_macros.h"

namespace switchboard::detail {

// `Records` is indexable by uint32_t and its elements have a std::string `id`. A record's id
// must not change while the record is in the index, and neither the records nor the container
// may move (the index keeps a pointer to the container).
//
// Records that enter and leave often (contacts) may also keep `uint32_t id_hash`, set to
// HashOf(id) before Insert: then inserting, erasing and growing the table read that number
// instead of hashing the string again.
//
// `kFetchedBytes`: how much of a record (a multiple of its 64-byte lines; records aligned to
// them) a lookup starts fetching as soon as an entry's tag matches, so that the lines its caller
// reads next arrive with the first, which the id comparison reads.
template <typename Records, size_t kFetchedBytes = 64>
class IdIndex {
  static_assert(kFetchedBytes >= 64 && kFetchedBytes % 64 == 0);

 public:
  explicit IdIndex(const Records* records) : set_(0, Hash{records}, Equal{records}) {}
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

  // The record's id (and id_hash, where kept) must be set and not already in the index.
  void Insert(uint32_t index) { set_.insert(index); }
  // Before the record's id changes.
  void Erase(uint32_t index) { set_.erase(index); }
  std::optional<uint32_t> Find(const Key& key) const {
    // The control bytes and the first slots of the key's probe are requested together: the
    // probe reads one and then the other, and a table of 100k ids is out of L2.
    set_.prefetch(key);
    auto it = set_.find(key);
    if (it == set_.end()) return std::nullopt;
    return *it;
  }
  std::optional<uint32_t> Find(std::string_view id) const { return Find(KeyOf(id)); }
  // Whether Guess can name anything with this absl (see Tagged below).
#if defined(ABSL_LTS_RELEASE_VERSION) && ABSL_LTS_RELEASE_VERSION <= 20220623
  static constexpr bool kGuesses = true;
#else
  static constexpr bool kGuesses = false;
#endif
  // The record a lookup of `key` would compare first (the first entry whose hash tag matches),
  // named without reading any record: to start fetching it before a lookup that confirms it,
  // or before another path finds it. A guess: a record number in the index now, but maybe not
  // the one with this id; or none.
  std::optional<uint32_t> Guess(const Key& key) const {
    if constexpr (kGuesses) {
      auto it = set_.find(Tagged{key.hash});
      if (it != set_.end()) return *it;
    }
    return std::nullopt;
  }
  bool Contains(const Key& key) const { return set_.contains(key); }
  bool Contains(std::string_view id) const { return Contains(KeyOf(id)); }
  // Starts fetching where `key` would be, for a lookup or an erase a little later.
  void Prefetch(const Key& key) const { set_.prefetch(key); }

 private:
  static constexpr bool kKeepsHash = requires(const Records& records) { records[0].id_hash; };

  // The table wants all bits of the hash to vary; a multiplication by an odd constant spreads
  // the 32 bits over 64.
  static size_t Spread(uint32_t hash) { return hash * uint64_t{0x9E3779B97F4A7C15}; }

  // A key equal to every entry (Guess). It relies on how absl's find probes: equality is asked
  // only of full slots whose 7-bit tag matches the hash's, in probe order. So it is in the LTS
  // release 20220623 (Debian 12's); later ones also check, in debug builds, that keys equal to
  // an entry hash alike, which such a key breaks, so with them Guess names nothing.
  struct Tagged {
    uint32_t hash;
  };

  // Heterogeneous: a stored record number hashes as its record's id, so that a lookup by id
  // finds it; comparing two record numbers compares the numbers (which is what Erase wants).
  struct Hash {
    using is_transparent = void;
    const Records* records;
    size_t operator()(uint32_t index) const {
      if constexpr (kKeepsHash) {
        return Spread((*records)[index].id_hash);
      } else {
        return Spread(HashOf((*records)[index].id));
      }
    }
    size_t operator()(const Key& key) const { return Spread(key.hash); }
    size_t operator()(const Tagged& key) const { return Spread(key.hash); }
  };
  struct Equal {
    using is_transparent = void;
    const Records* records;
    bool operator()(uint32_t a, uint32_t b) const { return a == b; }
    bool operator()(uint32_t index, const Key& key) const { return Matches(index, key); }
    bool operator()(const Key& key, uint32_t index) const { return Matches(index, key); }
    bool operator()(uint32_t, const Tagged&) const { return true; }
    bool operator()(const Tagged&, uint32_t) const { return true; }
    bool Matches(uint32_t index, const Key& key) const {
      const auto& record = (*records)[index];
      // The first line is read right away; the rest start now.
      PrefetchLines(reinterpret_cast<const char*>(&record) + 64, kFetchedBytes - 64);
      return record.id == key.id;
    }
  };

  absl::flat_hash_set<uint32_t, Hash, Equal> set_;
};

}  // namespace switchboard::detail

#endif  // SWITCHBOARD_SRC_BASE_ID_INDEX_H_
