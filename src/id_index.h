// The index from a host's string id to the engine's record: a hash set of record numbers whose
// hash and equality read the id from the record itself. An entry is 4 bytes (a table of
// strings or views would be 24 to 40), so the table stays small enough to stay cached, and a
// lookup compares the id in the record it is about to use anyway: no copy of the ids and no
// separate place to miss on.
#ifndef SWITCHBOARD_SRC_ID_INDEX_H_
#define SWITCHBOARD_SRC_ID_INDEX_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
#include "status_macros.h"

namespace switchboard::detail {

// `Records` is indexable by uint32_t and its elements have a std::string `id`. A record's id
// must not change while the record is in the index, and neither the records nor the container
// may move (the index keeps a pointer to the container).
template <typename Records>
class IdIndex {
 public:
  explicit IdIndex(const Records* records) : set_(0, Hash{records}, Equal{records}) {}
  IdIndex(const IdIndex&) = delete;
  IdIndex& operator=(const IdIndex&) = delete;

  // The record's id must be set and not already in the index.
  void Insert(uint32_t index) { set_.insert(index); }
  // Before the record's id changes.
  void Erase(uint32_t index) { set_.erase(index); }
  std::optional<uint32_t> Find(std::string_view id) const {
    auto it = set_.find(id);
    if (it == set_.end()) return std::nullopt;
    return *it;
  }
  bool Contains(std::string_view id) const { return set_.contains(id); }
  // Starts fetching where `id` would be, for a lookup or an erase a little later.
  void Prefetch(std::string_view id) const { set_.prefetch(id); }

 private:
  static size_t HashOf(std::string_view id) {
    return absl::Hash<absl::string_view>{}(AbslView(id));
  }

  // Heterogeneous: a stored record number hashes as its record's id, so that a lookup by id
  // finds it; comparing two record numbers compares the numbers (which is what Erase wants).
  struct Hash {
    using is_transparent = void;
    const Records* records;
    size_t operator()(uint32_t index) const { return HashOf((*records)[index].id); }
    size_t operator()(std::string_view id) const { return HashOf(id); }
  };
  struct Equal {
    using is_transparent = void;
    const Records* records;
    bool operator()(uint32_t a, uint32_t b) const { return a == b; }
    bool operator()(uint32_t index, std::string_view id) const {
      return (*records)[index].id == id;
    }
    bool operator()(std::string_view id, uint32_t index) const {
      return (*records)[index].id == id;
    }
  };

  absl::flat_hash_set<uint32_t, Hash, Equal> set_;
};

}  // namespace switchboard::detail

#endif  // SWITCHBOARD_SRC_ID_INDEX_H_
