// SortedLane against a reference ordered set: keys entering at the back and leaving from the
// front and from anywhere, through many incremental compactions; the lane's order, ends, counts
// and size bound are checked after every step.
#include "index/sorted_lane.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <random>
#include <set>
#include <vector>

namespace switchboard::detail {
namespace {

struct Key {
  int64_t value = 0;
  bool departed = false;
  friend bool operator<(const Key& a, const Key& b) { return a.value < b.value; }
};

// The waiting keys, in lane order.
std::vector<int64_t> Waiting(const SortedLane<Key>& lane) {
  std::vector<int64_t> values;
  for (size_t i = lane.NextWaiting(0); i < lane.size(); i = lane.NextWaiting(i + 1)) {
    values.push_back(lane[i].value);
  }
  return values;
}

void Exercise(uint64_t seed, int enter_percent, int leave_front_percent, int steps) {
  SortedLane<Key> lane;
  std::set<int64_t> reference;
  std::mt19937_64 rng(seed);
  int64_t next = 0;
  size_t largest = 0;
  for (int step = 0; step < steps; ++step) {
    if (static_cast<int>(rng() % 100) < enter_percent || reference.empty()) {
      next += 1 + static_cast<int64_t>(rng() % 3);
      REQUIRE(lane.PushBack({next}));
      reference.insert(next);
      // Not above the back: refused, and nothing changes.
      REQUIRE_FALSE(lane.PushBack({next}));
    } else {
      auto it = reference.begin();
      if (static_cast<int>(rng() % 100) >= leave_front_percent) {
        std::advance(it, static_cast<ptrdiff_t>(rng() % reference.size()));
      }
      REQUIRE(lane.Erase({*it}));
      REQUIRE_FALSE(lane.Erase({*it}));  // gone (or a mark now)
      reference.erase(it);
    }
    REQUIRE(lane.waiting() == reference.size());
    if (!reference.empty()) {
      REQUIRE(lane.front().value == *reference.begin());
      REQUIRE(lane.back().value == *reference.rbegin());
      REQUIRE_FALSE(lane.front().departed);
      REQUIRE_FALSE(lane.back().departed);
    }
    // Marks stay within about the waiting keys' number (plus what accrues while compacting).
    REQUIRE(lane.size() <= 2 * reference.size() + reference.size() / 4 + 64);
    largest = std::max(largest, lane.size());
    if (step % 97 == 0) {
      REQUIRE(Waiting(lane) == std::vector<int64_t>(reference.begin(), reference.end()));
    }
  }
  REQUIRE(Waiting(lane) == std::vector<int64_t>(reference.begin(), reference.end()));
  // An absent key, below, inside or above the range: refused.
  REQUIRE_FALSE(lane.Erase({-5}));
  REQUIRE_FALSE(lane.Erase({next + 100}));
}

TEST_CASE("SortedLane keeps the waiting keys in order through compactions", "[sorted_lane]") {
  SECTION("steady churn, mostly from the middle") { Exercise(1, 50, 10, 60000); }
  SECTION("steady churn, mostly from the front") { Exercise(2, 50, 90, 60000); }
  SECTION("growing") { Exercise(3, 65, 20, 40000); }
  SECTION("draining") { Exercise(4, 35, 30, 40000); }
}

TEST_CASE("SortedLane finds positions among marks", "[sorted_lane]") {
  SortedLane<Key> lane;
  for (int64_t v = 10; v <= 100; v += 10) REQUIRE(lane.PushBack({v}));
  REQUIRE(lane.Erase({30}));
  REQUIRE(lane.Erase({40}));
  REQUIRE(lane.size() == 10);  // marked, not moved
  REQUIRE(lane.waiting() == 8);
  REQUIRE(lane.Position({35}, false) == 3);
  REQUIRE(lane.NextWaiting(lane.Position({35}, false)) == 4);
  REQUIRE(lane[lane.NextWaiting(2)].value == 50);
  REQUIRE(lane.Position({50}, true) == 5);
  // Erasing the back drops the marks before it too, once they reach an end.
  REQUIRE(lane.Erase({10}));
  REQUIRE(lane.Erase({20}));
  REQUIRE(lane.front().value == 50);
  REQUIRE(lane.size() == 6);
}

}  // namespace
}  // namespace switchboard::detail
