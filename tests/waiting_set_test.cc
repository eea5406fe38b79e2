// WaitingSet against std::set: contacts entering mostly in order and sometimes not (other
// classes, priorities, re-entering after a missed offer), leaving mostly from the front and
// sometimes from behind it; iteration, lower_bound and upper_bound must agree throughout.
#include "index/waiting_set.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <iterator>
#include <random>
#include <set>
#include <vector>

namespace switchboard::detail {
namespace {

std::vector<ContactSlot> SlotsOf(const WaitingSet& set) {
  std::vector<ContactSlot> slots;
  for (auto it = set.begin(); it != set.end(); ++it) slots.push_back(it->slot);
  return slots;
}

std::vector<ContactSlot> SlotsOf(const std::set<WaitKey>& set) {
  std::vector<ContactSlot> slots;
  for (const WaitKey& key : set) slots.push_back(key.slot);
  return slots;
}

// Slots from `it` to the end.
template <typename Iterator, typename Set>
std::vector<ContactSlot> Tail(Iterator it, const Set& set) {
  std::vector<ContactSlot> slots;
  for (; it != set.end(); ++it) slots.push_back(it->slot);
  return slots;
}

void Exercise(uint64_t seed, int out_of_order_percent, int behind_front_percent) {
  WaitingSet set;
  std::set<WaitKey> reference;
  std::vector<WaitKey> left;  // keys that left, some of which enter again
  std::mt19937_64 rng(seed);
  int64_t now = 0;
  uint32_t sequence = 0;
  ContactSlot next_slot = 0;
  // Some with a virtual arrival ahead of now (a negative priority).
  auto random_key = [&] {
    return WaitKey{now - 40 + static_cast<int64_t>(rng() % 50), ++sequence, next_slot++,
                   static_cast<uint8_t>(253 + rng() % 3)};
  };
  for (int step = 0; step < 6000; ++step) {
    now += static_cast<int64_t>(rng() % 3);
    const uint64_t r = rng() % 100;
    if (r < 50) {
      WaitKey key;
      if (!left.empty() && rng() % 100 < 5) {
        key = left[rng() % left.size()];  // back after a missed offer: same key
        left.erase(std::find_if(left.begin(), left.end(),
                                [&](const WaitKey& k) { return k.slot == key.slot; }));
      } else if (static_cast<int>(rng() % 100) < out_of_order_percent) {
        key = random_key();
      } else {
        // Arrives now, most in the lowest class.
        key = {now, ++sequence, next_slot++, static_cast<uint8_t>(rng() % 4 == 0 ? 254 : 255)};
      }
      set.insert(key, now);
      reference.insert(key);
    } else if (!reference.empty()) {
      auto victim = reference.begin();
      if (static_cast<int>(rng() % 100) < behind_front_percent) {
        victim = std::next(reference.begin(), static_cast<long>(rng() % reference.size()));
      }
      const WaitKey key = *victim;
      set.erase(key);
      reference.erase(victim);
      left.push_back(key);
    }
    REQUIRE(set.size() == reference.size());
    REQUIRE(set.empty() == reference.empty());
    if (reference.empty()) {
      REQUIRE(set.first() == nullptr);
    } else {
      REQUIRE(set.first()->slot == reference.begin()->slot);
    }
    if (step % 50 == 0) {
      REQUIRE(SlotsOf(set) == SlotsOf(reference));
      const WaitKey probe = random_key();
      REQUIRE(Tail(set.lower_bound(probe), set) == Tail(reference.lower_bound(probe), reference));
      REQUIRE(Tail(set.upper_bound(probe), set) == Tail(reference.upper_bound(probe), reference));
      if (!reference.empty()) {
        const WaitKey present =
            *std::next(reference.begin(), static_cast<long>(rng() % reference.size()));
        REQUIRE(Tail(set.lower_bound(present), set) ==
                Tail(reference.lower_bound(present), reference));
        REQUIRE(Tail(set.upper_bound(present), set) ==
                Tail(reference.upper_bound(present), reference));
      }
    }
  }
  while (!reference.empty()) {
    REQUIRE(set.begin()->slot == reference.begin()->slot);
    set.erase(*reference.begin());
    reference.erase(reference.begin());
  }
  REQUIRE(set.empty());
  REQUIRE(set.begin() == set.end());
}

TEST_CASE("WaitingSet keeps contacts arriving in order in their class's lane", "[waiting_set]") {
  WaitingSet set;
  uint32_t sequence = 0;
  int64_t now = 0;
  // Two classes interleaved, each arriving in time order: none goes to the tree.
  for (ContactSlot slot = 0; slot < 100; ++slot) {
    now += 1;
    set.insert({now, ++sequence, slot, static_cast<uint8_t>(slot % 3 == 0 ? 255 : 254)}, now);
  }
  REQUIRE(set.out_of_order() == 0);
  // A negative priority puts the virtual arrival ahead of now: the tree, so that later
  // arrivals still go to the lane.
  set.insert({now + 1000, ++sequence, 100, 255}, now);
  REQUIRE(set.out_of_order() == 1);
  for (ContactSlot slot = 101; slot < 110; ++slot) {
    now += 1;
    set.insert({now, ++sequence, slot, 255}, now);
  }
  REQUIRE(set.out_of_order() == 1);
  // Class 1 (inverted 254) first, then class 0 in virtual arrival order, the late one last.
  std::vector<ContactSlot> order = SlotsOf(set);
  REQUIRE(order.size() == 110);
  REQUIRE(order.front() == 1);
  REQUIRE(order.back() == 100);
  REQUIRE(order[66] == 0);  // 66 of the first 100 are in class 1
}

TEST_CASE("WaitingSet sweeps its marks, takes back a key equal to a mark, and slots a lane in",
          "[waiting_set]") {
  WaitingSet set;
  std::set<WaitKey> reference;
  auto insert = [&](const WaitKey& key, int64_t now) {
    set.insert(key, now);
    reference.insert(key);
  };
  auto erase = [&](const WaitKey& key) {
    set.erase(key);
    reference.erase(key);
    REQUIRE(SlotsOf(set) == SlotsOf(reference));
  };
  std::vector<WaitKey> keys;
  for (uint32_t i = 0; i < 120; ++i) {
    keys.push_back({static_cast<int64_t>(i), i + 1, i, 255});
    insert(keys.back(), static_cast<int64_t>(i));
  }
  // Two of every three from behind the front: more marks than keys left, so a sweep runs.
  for (uint32_t i = 1; i + 1 < 120; ++i) {
    if (i % 3 != 0) erase(keys[i]);
  }
  REQUIRE(set.out_of_order() == 0);
  // A key equal to a mark enters again (back after a missed offer): the tree, then out again.
  const WaitKey again = keys[3];
  erase(again);
  insert(again, 200);
  REQUIRE(set.out_of_order() == 1);
  REQUIRE(SlotsOf(set) == SlotsOf(reference));
  erase(again);
  // Lanes for a higher class, then one for a class between the two.
  insert({300, 500, 500, 253}, 300);
  insert({301, 501, 501, 254}, 301);
  insert({302, 502, 502, 254}, 302);
  REQUIRE(set.out_of_order() == 0);
  REQUIRE(SlotsOf(set) == SlotsOf(reference));
  const WaitKey probe{0, 0, 0, 254};
  REQUIRE(Tail(set.lower_bound(probe), set) == Tail(reference.lower_bound(probe), reference));
  while (!reference.empty()) erase(*reference.begin());
  REQUIRE(set.empty());
}

TEST_CASE("WaitingSet keeps service order when contacts arrive in order and leave from the front",
          "[waiting_set]") {
  for (uint64_t seed = 1; seed <= 3; ++seed) Exercise(seed, 0, 0);
}

TEST_CASE("WaitingSet keeps service order with contacts entering out of order", "[waiting_set]") {
  for (uint64_t seed = 1; seed <= 3; ++seed) Exercise(seed, 30, 0);
}

TEST_CASE("WaitingSet keeps service order with contacts leaving from behind the front",
          "[waiting_set]") {
  // Abandonment-like: many leave from the middle, which marks and sweeps the sorted array.
  for (uint64_t seed = 1; seed <= 3; ++seed) {
    Exercise(seed, 0, 60);
    Exercise(seed, 20, 30);
  }
}

}  // namespace
}  // namespace switchboard::detail
