// FourAryHeap against std::priority_queue: runs of pushes and pops that grow the heap past
// several levels and drain it, so that full and partial last nodes both occur; keys with many
// ties, and entries that carry more than their key.
#include "base/four_ary_heap.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <functional>
#include <queue>
#include <random>
#include <vector>

namespace switchboard::detail {
namespace {

struct Entry {
  uint64_t key = 0;
  uint64_t payload = 0;  // not part of the order
};

struct KeyBefore {
  bool operator()(const Entry& x, const Entry& y) const { return x.key < y.key; }
};

// `key_range`: keys are drawn from [0, key_range), so a small range gives many ties.
void Exercise(uint64_t seed, uint64_t key_range) {
  FourAryHeap<Entry, KeyBefore> heap;
  std::priority_queue<uint64_t, std::vector<uint64_t>, std::greater<uint64_t>> reference;
  std::mt19937_64 rng(seed);
  for (int round = 0; round < 600; ++round) {
    // Pushes outweigh pops early on and pops outweigh pushes later, so the heap grows to a few
    // hundred entries (four levels and more) and then drains to empty.
    const bool growing = round < 300;
    const uint64_t pushes = rng() % (growing ? 8 : 3);
    for (uint64_t i = 0; i < pushes; ++i) {
      const uint64_t key = rng() % key_range;
      heap.push({key, key * 7 + 1});
      reference.push(key);
    }
    const uint64_t pops = rng() % (growing ? 4 : 8);
    for (uint64_t i = 0; i < pops && !reference.empty(); ++i) {
      REQUIRE(heap.top().key == reference.top());
      REQUIRE(heap.top().payload == reference.top() * 7 + 1);
      heap.pop();
      reference.pop();
    }
    REQUIRE(heap.size() == reference.size());
    REQUIRE(heap.empty() == reference.empty());
  }
  while (!reference.empty()) {
    REQUIRE(heap.top().key == reference.top());
    heap.pop();
    reference.pop();
  }
  REQUIRE(heap.empty());
}

TEST_CASE("FourAryHeap pops in key order", "[four_ary_heap]") {
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    Exercise(seed, 1'000'000'000);  // nearly all keys distinct
    Exercise(seed, 10);             // many ties
  }
}

TEST_CASE("FourAryHeap sorts every size of a last node", "[four_ary_heap]") {
  // n entries pushed in descending order (each rises to the root), then popped: for n up to
  // 25 the last node has each of one to four children, at three depths.
  for (uint64_t n = 1; n <= 25; ++n) {
    FourAryHeap<uint64_t, std::less<uint64_t>> heap;
    for (uint64_t k = n; k >= 1; --k) heap.push(k);
    for (uint64_t k = 1; k <= n; ++k) {
      REQUIRE(heap.top() == k);
      heap.pop();
    }
    REQUIRE(heap.empty());
  }
}

TEST_CASE("FourAryHeap takes one of its own entries", "[four_ary_heap]") {
  // push(top()) while the vector grows: the entry pushed must be the value it had.
  FourAryHeap<uint64_t, std::less<uint64_t>> heap;
  heap.push(5);
  for (int i = 0; i < 100; ++i) heap.push(heap.top());
  REQUIRE(heap.size() == 101);
  while (!heap.empty()) {
    REQUIRE(heap.top() == 5);
    heap.pop();
  }
}

}  // namespace
}  // namespace switchboard::detail
