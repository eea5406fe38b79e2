// IdIndex: lookups by id against a plain map, through inserts, erases and the table's growth;
// records of several cache lines (the agent index fetches two before comparing); and Guess,
// which names a record from the hash tags alone.
#include "id_index.h"

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

template <typename Records>
void CheckAgainstMap(Records& records, IdIndex<Records, 128>& index, uint64_t seed) {
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
        records.back().id_hash = IdIndex<Records, 128>::HashOf(id);
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
  IdIndex<std::vector<HashedRecord>, 128> hashed_index(&hashed);
  CheckAgainstMap(hashed, hashed_index, 2);
}

TEST_CASE("IdIndex::Guess names the record from the hash tags, without comparing ids",
          "[id_index]") {
  std::vector<Record> records;
  records.reserve(10000);
  IdIndex<std::vector<Record>> index(&records);
  REQUIRE_FALSE(index.Guess(index.KeyOf("anyone")).has_value());  // an empty table

  for (uint32_t i = 0; i < 10000; ++i) {
    records.push_back({});
    records.back().id = fmt::format("contact-{}", i);
    index.Insert(i);
  }
  // Every guess is a record of the index; for an id that is in it, the guess is that record
  // unless another entry with the same 7-bit tag comes first in the probe (a few percent).
  int right = 0;
  for (uint32_t i = 0; i < records.size(); ++i) {
    const std::optional<uint32_t> guess = index.Guess(index.KeyOf(records[i].id));
    REQUIRE(guess.has_value());
    REQUIRE(*guess < records.size());
    if (*guess == i) ++right;
  }
  CHECK(right >= 9000);
  // For an id that is not in it, a guess (when there is one) is still one of its records.
  for (int i = 0; i < 1000; ++i) {
    const std::optional<uint32_t> guess = index.Guess(index.KeyOf(fmt::format("absent-{}", i)));
    if (guess) REQUIRE(*guess < records.size());
  }
  // Guessing changes nothing.
  REQUIRE(index.Find("contact-42") == std::optional<uint32_t>(42));
  REQUIRE_FALSE(index.Find("absent-1").has_value());
}

}  // namespace
}  // namespace switchboard::detail
