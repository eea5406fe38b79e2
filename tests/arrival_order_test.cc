// ArrivalOrder against a reference ordered set: contacts entering in and out of arrival order,
// leaving from the front and from anywhere, with the oldest arrival checked after every step.
#include "index/arrival_order.h"

#include <catch2/catch.hpp>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <random>
#include <set>
#include <vector>

namespace switchboard::detail {
namespace {

void Exercise(uint64_t seed, int leave_front_percent) {
  ArrivalOrder order;
  std::set<ArrivalOrder::Key> reference;
  std::mt19937_64 rng(seed);
  int64_t now = 0;
  uint64_t sequence = 0;
  for (int step = 0; step < 30000; ++step) {
    const uint64_t r = rng() % 100;
    if (r < 45 || reference.empty()) {
      now += static_cast<int64_t>(rng() % 3);  // ties at one time too
      const ArrivalOrder::Key key{.arrival = now, .sequence = ++sequence};
      order.Enter(key);
      reference.insert(key);
    } else if (r < 50) {
      // Back after a missed offer: an arrival from the past, with its original sequence.
      const ArrivalOrder::Key key{.arrival = now - static_cast<int64_t>(rng() % 50),
                                  .sequence = ++sequence};
      if (reference.insert(key).second) order.Enter(key);
    } else {
      auto it = reference.begin();
      if (static_cast<int>(rng() % 100) >= leave_front_percent) {
        std::advance(it, static_cast<ptrdiff_t>(rng() % reference.size()));
      }
      order.Leave(*it);
      reference.erase(it);
    }
    REQUIRE(order.size() == reference.size());
    if (reference.empty()) {
      REQUIRE_FALSE(order.Oldest().has_value());
    } else {
      REQUIRE(order.Oldest() == reference.begin()->arrival);
    }
  }
}

TEST_CASE("ArrivalOrder knows the oldest waiting arrival", "[arrival_order]") {
  SECTION("mostly leaving from the front") {
    for (uint64_t seed : {1, 2, 3}) Exercise(seed, 90);
  }
  SECTION("leaving from anywhere (the departed are compacted away)") {
    for (uint64_t seed : {4, 5, 6}) Exercise(seed, 0);
  }
}

TEST_CASE("ArrivalOrder keeps an old contact while those behind it leave", "[arrival_order]") {
  ArrivalOrder order;
  order.Enter({1, 1});
  for (uint64_t i = 2; i < 10000; ++i) {
    order.Enter({static_cast<int64_t>(i), i});
    order.Leave({static_cast<int64_t>(i), i});
  }
  REQUIRE(order.size() == 1);
  REQUIRE(order.Oldest() == 1);
  order.Leave({1, 1});
  REQUIRE_FALSE(order.Oldest().has_value());
}

}  // namespace
}  // namespace switchboard::detail
