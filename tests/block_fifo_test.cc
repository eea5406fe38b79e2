// BlockFifo against std::deque: pushes and pops in runs that cross block boundaries, empty the
// queue and refill it, with blocks of a few entries so that every path is taken often.
#include "base/block_fifo.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <deque>
#include <random>

namespace switchboard::detail {
namespace {

struct Item {
  uint64_t value = 0;
  uint64_t padding = 0;  // 16 bytes: three to a 48-byte block
};

template <size_t kBlockBytes>
void Exercise(uint64_t seed) {
  BlockFifo<Item, kBlockBytes> fifo;
  std::deque<uint64_t> reference;
  std::mt19937_64 rng(seed);
  uint64_t next = 0;
  for (int round = 0; round < 2000; ++round) {
    // Runs of pushes and of pops, some long enough to empty the queue.
    const uint64_t pushes = rng() % 9;
    for (uint64_t i = 0; i < pushes; ++i) {
      fifo.push_back({++next, 0});
      reference.push_back(next);
    }
    const uint64_t pops = rng() % 10;
    for (uint64_t i = 0; i < pops && !reference.empty(); ++i) {
      REQUIRE(fifo.front().value == reference.front());
      fifo.pop_front();
      reference.pop_front();
    }
    REQUIRE(fifo.size() == reference.size());
    REQUIRE(fifo.empty() == reference.empty());
    if (!reference.empty()) {
      REQUIRE(fifo.front().value == reference.front());
      REQUIRE(fifo.back().value == reference.back());
    }
  }
  while (!reference.empty()) {
    REQUIRE(fifo.front().value == reference.front());
    fifo.pop_front();
    reference.pop_front();
  }
  REQUIRE(fifo.empty());
}

TEST_CASE("BlockFifo keeps first-in first-out order across blocks", "[block_fifo]") {
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    Exercise<48>(seed);     // three entries per block
    Exercise<16>(seed);     // one entry per block: every push and pop changes block
    Exercise<16384>(seed);  // the calendar's size: mostly one block
  }
}

TEST_CASE("BlockFifo refills after it ran empty at a block's end", "[block_fifo]") {
  BlockFifo<Item, 48> fifo;
  for (uint64_t v = 1; v <= 3; ++v) fifo.push_back({v, 0});  // exactly one full block
  for (uint64_t v = 1; v <= 3; ++v) {
    REQUIRE(fifo.front().value == v);
    fifo.pop_front();
  }
  REQUIRE(fifo.empty());
  fifo.push_back({4, 0});
  REQUIRE(fifo.size() == 1);
  REQUIRE(fifo.front().value == 4);
  REQUIRE(fifo.back().value == 4);
}

}  // namespace
}  // namespace switchboard::detail
