// AgentBitmap against a reference set: sparse and dense members over a range wide enough for
// the summary level to span several words, and "the first member from i on" everywhere.
#include "index/agent_bitmap.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <random>
#include <set>

namespace switchboard::detail {
namespace {

void Exercise(uint32_t range, uint64_t seed) {
  AgentBitmap bitmap;
  std::set<AgentIndex> reference;
  std::mt19937_64 rng(seed);
  for (int step = 0; step < 20000; ++step) {
    const auto agent = static_cast<AgentIndex>(rng() % range);
    if (reference.insert(agent).second) {
      bitmap.Insert(agent);
    } else {
      bitmap.Erase(agent);
      reference.erase(agent);
    }
    const uint64_t from = rng() % (range + 100);
    const auto it = reference.lower_bound(static_cast<AgentIndex>(from));
    REQUIRE(bitmap.NextFrom(from) == (it == reference.end() ? kNoIndex : *it));
  }
  // Walk all members in order.
  auto it = reference.begin();
  for (AgentIndex a = bitmap.NextFrom(0); a != kNoIndex; a = bitmap.NextFrom(a + 1ull), ++it) {
    REQUIRE(it != reference.end());
    REQUIRE(a == *it);
  }
  REQUIRE(it == reference.end());
}

TEST_CASE("AgentBitmap finds the next member like an ordered set", "[agent_bitmap]") {
  SECTION("dense: a few words") { Exercise(300, 1); }
  SECTION("sparse: the summary spans many words") { Exercise(1'000'000, 2); }
}

TEST_CASE("AgentBitmap is empty after its last member leaves", "[agent_bitmap]") {
  AgentBitmap bitmap;
  CHECK(bitmap.NextFrom(0) == kNoIndex);
  bitmap.Insert(262143);  // the last bit of a full summary word
  bitmap.Insert(64);
  CHECK(bitmap.NextFrom(0) == 64);
  CHECK(bitmap.NextFrom(65) == 262143);
  CHECK(bitmap.NextFrom(262144) == kNoIndex);
  bitmap.Erase(64);
  bitmap.Erase(262143);
  CHECK(bitmap.NextFrom(0) == kNoIndex);
}

}  // namespace
}  // namespace switchboard::detail
