// Calendar against a reference ordered set: entries of several kinds, some scheduled in time
// order within their kind (the lanes) and some not (the heap), popped and scheduled in turn.
#include "base/calendar.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <random>
#include <set>
#include <tuple>
#include <vector>

namespace switchboard::detail {
namespace {

enum class Kind : uint8_t { kFixed, kGrowing, kRandom, kRare };
constexpr size_t kKinds = 4;

// (time, kind, order of scheduling): the calendar's documented order.
using Key = std::tuple<int64_t, int, uint64_t>;

void Exercise(uint64_t seed) {
  Calendar<Kind, kKinds> calendar;
  std::set<Key> reference;
  std::mt19937_64 rng(seed);
  int64_t now = 0;
  uint64_t order = 0;
  int64_t growing = 0;
  auto schedule = [&](int64_t time, Kind kind) {
    ++order;
    calendar.Schedule(time, kind, static_cast<uint32_t>(order), 0, order);
    reference.insert({time, static_cast<int>(kind), order});
  };
  for (int step = 0; step < 20000; ++step) {
    const uint64_t r = rng() % 10;
    if (r < 3) {
      schedule(now + 15, Kind::kFixed);  // a fixed delay: always in time order
    } else if (r < 5) {
      growing = std::max(growing, now) + static_cast<int64_t>(rng() % 3);  // ties too
      schedule(growing, Kind::kGrowing);
    } else if (r < 7) {
      schedule(now + static_cast<int64_t>(rng() % 40), Kind::kRandom);
    } else if (r < 8) {
      schedule(now + static_cast<int64_t>(rng() % 5), Kind::kRare);
    } else if (!reference.empty()) {
      const Key expected = *reference.begin();
      REQUIRE(calendar.size() == reference.size());
      const auto& top = calendar.top();
      REQUIRE(top.time == std::get<0>(expected));
      REQUIRE(static_cast<int>(top.kind()) == std::get<1>(expected));
      REQUIRE(top.token == std::get<2>(expected));
      REQUIRE(top.a == static_cast<uint32_t>(std::get<2>(expected)));
      now = top.time;
      calendar.pop();
      reference.erase(reference.begin());
    }
  }
  while (!reference.empty()) {
    REQUIRE(calendar.top().token == std::get<2>(*reference.begin()));
    calendar.pop();
    reference.erase(reference.begin());
  }
  REQUIRE(calendar.empty());
}

TEST_CASE("Calendar pops entries by time, kind, then scheduling order", "[calendar]") {
  for (uint64_t seed : {1, 2, 3, 4, 5}) Exercise(seed);
}

TEST_CASE("Calendar orders ties at one time by kind even across lanes", "[calendar]") {
  Calendar<Kind, kKinds> calendar;
  calendar.Schedule(10, Kind::kRare, 1);
  calendar.Schedule(10, Kind::kFixed, 2);
  calendar.Schedule(5, Kind::kRare, 3);  // before the lane's last entry: to the heap
  calendar.Schedule(10, Kind::kFixed, 4);
  std::vector<uint32_t> popped;
  while (!calendar.empty()) {
    popped.push_back(calendar.top().a);
    calendar.pop();
  }
  REQUIRE(popped == std::vector<uint32_t>{3, 2, 4, 1});
}

TEST_CASE("Calendar orders negative and extreme times across many lanes", "[calendar]") {
  // 32 lanes (the most the lane mask holds) and kinds past them (the heap), times from the
  // least to the greatest int64_t: the order is (time, kind, scheduling order) throughout.
  enum class Wide : uint8_t {};
  constexpr size_t kWideLanes = 32;
  Calendar<Wide, kWideLanes> calendar;
  std::set<Key> reference;
  std::mt19937_64 rng(7);
  const int64_t extremes[] = {std::numeric_limits<int64_t>::min(), -1, 0, 1,
                              std::numeric_limits<int64_t>::max()};
  uint64_t order = 0;
  for (int step = 0; step < 5000; ++step) {
    if (rng() % 3 != 0 || reference.empty()) {
      const int64_t time =
          rng() % 4 == 0 ? extremes[rng() % 5] : static_cast<int64_t>(rng() % 200) - 100;
      const int kind = static_cast<int>(rng() % 40);  // 32 and up: no lane
      ++order;
      calendar.Schedule(time, static_cast<Wide>(kind), static_cast<uint32_t>(order), 0, order);
      reference.insert({time, kind, order});
    } else {
      REQUIRE(calendar.top().token == std::get<2>(*reference.begin()));
      calendar.pop();
      reference.erase(reference.begin());
    }
  }
  while (!reference.empty()) {
    REQUIRE(calendar.top().time == std::get<0>(*reference.begin()));
    REQUIRE(calendar.top().token == std::get<2>(*reference.begin()));
    calendar.pop();
    reference.erase(reference.begin());
  }
  REQUIRE(calendar.empty());
}

}  // namespace
}  // namespace switchboard::detail
