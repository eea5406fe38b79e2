// IdIndex: lookups by id against a plain map, through inserts, erases and the table's growth;
// records of several cache lines (the agent index fetches two before comparing); growth spread
// over later operations; and Guess, which names a record from the hashes alone.
#include "base/id_index.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "fmt/format.h"

namespace switchboard::detail {
namespace {

// Three cache lines, as an agent's record is several: the index may fetch past the first.
struct alignas(64) Record {
  std::string id;
  char rest[150] = {};
};

// Records that keep their id's hash, as contacts do.
struct HashedRecord {
  std::string id;
  uint32_t id_hash = 0;
};

template <typename Records, size_t kFetchedBytes>
void CheckAgainstMap(Records& records, IdIndex<Records, kFetchedBytes>& index, uint64_t seed) {
  std::map<std::string, uint32_t> reference;
  std::mt19937_64 rng(seed);
  for (int step = 0; step < 20000; ++step) {
    const std::string id = fmt::format("id-{}", rng() % 3000);
    const auto present = reference.find(id);
    if (rng() % 3 != 0 && present == reference.end()) {
      const uint32_t number = static_cast<uint32_t>(records.size());
      records.push_back({});
      records.back().id = id;
      if constexpr (requires { records.back().id_hash; }) {
        records.back().id_hash = IdIndex<Records, kFetchedBytes>::HashOf(id);
      }
      index.Insert(number);
      reference[id] = number;
    } else if (present != reference.end() && rng() % 2 == 0) {
      index.Erase(present->second);
      reference.erase(present);
    }
    const std::optional<uint32_t> found = index.Find(id);
    const auto expected = reference.find(id);
    REQUIRE(found.has_value() == (expected != reference.end()));
    REQUIRE(index.Contains(id) == found.has_value());
    if (found) REQUIRE(*found == expected->second);
  }
}

TEST_CASE("IdIndex finds what a map finds, through inserts, erases and growth", "[id_index]") {
  std::vector<Record> records;
  records.reserve(30000);  // the index keeps a pointer to the container; its elements stay put
  IdIndex<std::vector<Record>, 128> index(&records);
  CheckAgainstMap(records, index, 1);

  std::vector<HashedRecord> hashed;
  hashed.reserve(30000);
  IdIndex<std::vector<HashedRecord>> hashed_index(&hashed);
  CheckAgainstMap(hashed, hashed_index, 2);
}

TEST_CASE("IdIndex::Reserve makes room at once, and finds what it held", "[id_index]") {
  std::vector<HashedRecord> records;
  records.reserve(5000);
  IdIndex<std::vector<HashedRecord>> index(&records);
  for (uint32_t i = 0; i < 5000; ++i) {
    records.push_back({fmt::format("c{}", i), 0});
    records.back().id_hash = decltype(index)::HashOf(records.back().id);
    index.Insert(i);
    if (i == 100) index.Reserve(5000);  // in the middle of the inserts, maybe of a growth
  }
  REQUIRE(index.size() == 5000);
  for (uint32_t i = 0; i < 5000; i += 7) REQUIRE(index.Find(records[i].id) == i);
  for (uint32_t i = 0; i < 5000; i += 2) index.Erase(i);
  REQUIRE(index.size() == 2500);
  for (uint32_t i = 0; i < 5000; ++i) REQUIRE(index.Contains(records[i].id) == (i % 2 == 1));
}

// Every guess names a record number that is in the index now; counts those that name `i`.
int CheckGuesses(const std::vector<Record>& records, const IdIndex<std::vector<Record>>& index,
                 const std::vector<bool>& present) {
  int right = 0;
  for (uint32_t i = 0; i < records.size(); ++i) {
    const std::optional<uint32_t> guess = index.Guess(index.KeyOf(records[i].id));
    if (!guess) continue;
    REQUIRE(*guess < records.size());
    REQUIRE(present[*guess]);
    if (*guess == i) ++right;
  }
  return right;
}

TEST_CASE("IdIndex::Guess names the record from the hashes, without comparing ids",
          "[id_index]") {
  std::vector<Record> records;
  records.reserve(10000);
  IdIndex<std::vector<Record>> index(&records);
  REQUIRE_FALSE(index.Guess(index.KeyOf("anyone")).has_value());  // an empty table

  // A small table, then a large one.
  std::vector<bool> present;
  for (uint32_t i = 0; i < 10000; ++i) {
    records.push_back({});
    records.back().id = fmt::format("contact-{}", i);
    index.Insert(i);
    present.push_back(true);
    if (i == 2) CHECK(CheckGuesses(records, index, present) == 3);
  }
  // For an id that is in it, the guess is that record unless another id with the same 32-bit
  // hash comes first in the probe (for 10,000 ids, hardly ever).
  CHECK(CheckGuesses(records, index, present) >= 9990);
  // After erasing half, no guess names an erased record, and those present are still found.
  for (uint32_t i = 0; i < records.size(); i += 2) {
    index.Erase(i);
    present[i] = false;
  }
  CHECK(CheckGuesses(records, index, present) >= 4995);
  // Guessing changes nothing.
  REQUIRE(index.Find("contact-43") == std::optional<uint32_t>(43));
  REQUIRE_FALSE(index.Find("contact-42").has_value());
}

}  // namespace
}  // namespace switchboard::detail
