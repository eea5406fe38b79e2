// AgentPool against a reference ordered set: random inserts and erases (in key order, out of
// order and from the middle), then the smallest entries, with and without a filter.
#include "index/agent_pool.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <vector>

namespace switchboard::detail {
namespace {

struct Reference {
  std::set<PoolEntry> entries;
  std::map<AgentIndex, std::pair<PoolEntry, uint32_t>> members;  // agent -> (entry, member)
};

std::vector<PoolEntry> Expected(const Reference& reference, int limit, AgentIndex skip_mod) {
  std::vector<PoolEntry> out;
  for (const PoolEntry& entry : reference.entries) {
    if (static_cast<int>(out.size()) == limit) break;
    if (skip_mod != 0 && entry.agent % skip_mod == 0) continue;
    out.push_back(entry);
  }
  return out;
}

bool Same(const std::vector<PoolEntry>& a, const std::vector<PoolEntry>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] < b[i] || b[i] < a[i]) return false;
  }
  return true;
}

// An agent's weight, the same whenever it is pooled (as in the engine).
double WeightOf(AgentIndex agent) { return 1.0 + static_cast<double>(agent % 4); }

// `in_order` is the share of inserts whose key is the largest so far (agents freed "now").
void Exercise(AgentPool::Layout layout, double in_order, uint64_t seed) {
  AgentPool pool(layout);
  Reference reference;
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  int64_t clock = 0;
  const AgentIndex agents = 300;
  for (int step = 0; step < 20000; ++step) {
    const auto agent = static_cast<AgentIndex>(rng() % agents);
    auto it = reference.members.find(agent);
    if (it == reference.members.end()) {
      const int64_t primary =
          unit(rng) < in_order ? ++clock : static_cast<int64_t>(rng() % (clock + 1));
      // A by-agent pool's key is the agent index alone.
      const PoolEntry entry = layout == AgentPool::Layout::kByAgent
                                  ? PoolEntry{agent, 0, agent}
                                  : PoolEntry{primary, static_cast<int64_t>(rng() % 3), agent};
      uint32_t member = kNoIndex;
      pool.Insert(entry, WeightOf(agent), &member);
      reference.entries.insert(entry);
      reference.members[agent] = {entry, member};
    } else if (unit(rng) < 0.5 && layout != AgentPool::Layout::kWeighted) {
      // Take the smallest, as routing does.
      PoolEntry best;
      REQUIRE(pool.Best([](AgentIndex) { return true; }, best));
      REQUIRE_FALSE(best < *reference.entries.begin());
      REQUIRE_FALSE(*reference.entries.begin() < best);
      const auto& [entry, member] = reference.members.at(best.agent);
      pool.Erase(entry, WeightOf(best.agent), member);
      reference.entries.erase(entry);
      reference.members.erase(best.agent);
    } else {
      pool.Erase(it->second.first, WeightOf(it->first), it->second.second);
      reference.entries.erase(it->second.first);
      reference.members.erase(it);
    }
    REQUIRE(pool.size() == static_cast<int64_t>(reference.entries.size()));
    if (layout == AgentPool::Layout::kWeighted) {
      int64_t total = 0;
      for (const auto& [agent_index, entry] : reference.members) {
        total += AgentPool::WeightUnits(WeightOf(agent_index));
        REQUIRE(pool.WeightOf(entry.second, agent_index) > 0);
        // The same member number names nobody else.
        REQUIRE(pool.WeightOf(entry.second, agent_index + 1) == 0);
      }
      REQUIRE(pool.total_weight() == total);
      if (total > 0 && step % 10 == 0) {
        // Each member owns a share of [0, total) as long as its weight, in member-number order:
        // a draw of any target, the shares' edges included, names its owner.
        std::map<uint32_t, AgentIndex> by_member;
        for (const auto& [agent_index, entry] : reference.members) {
          by_member[entry.second] = agent_index;
        }
        int64_t start = 0;
        for (const auto& [member, agent_index] : by_member) {
          const int64_t units = AgentPool::WeightUnits(WeightOf(agent_index));
          REQUIRE(pool.FindByWeight(start) == agent_index);
          REQUIRE(pool.FindByWeight(start + units - 1) == agent_index);
          start += units;
        }
      }
      continue;
    }
    if (step % 50 == 0) {
      std::vector<PoolEntry> all;
      pool.Smallest(
          1000, [](AgentIndex) { return true; }, all);
      REQUIRE(Same(all, Expected(reference, 1000, 0)));
      std::vector<PoolEntry> some;
      pool.Smallest(
          7, [](AgentIndex a) { return a % 3 != 0; }, some);
      REQUIRE(Same(some, Expected(reference, 7, 3)));
      PoolEntry best;
      const bool found = pool.Best([](AgentIndex a) { return a % 3 != 0; }, best);
      const std::vector<PoolEntry> first = Expected(reference, 1, 3);
      REQUIRE(found == !first.empty());
      if (found) REQUIRE(Same({best}, first));
      if (layout == AgentPool::Layout::kByAgent) {
        // From a cursor on, as round robin asks: the first allowed entry not below it.
        const auto cursor = static_cast<int64_t>(rng() % (agents + 2));
        const PoolEntry lower{cursor, std::numeric_limits<int64_t>::min(), 0};
        auto allowed = [](AgentIndex a) { return a % 3 != 0; };
        const auto next =
            std::find_if(reference.entries.lower_bound(lower), reference.entries.end(),
                         [&](const PoolEntry& e) { return allowed(e.agent); });
        PoolEntry from;
        REQUIRE(pool.BestFrom(lower, allowed, from) == (next != reference.entries.end()));
        if (next != reference.entries.end()) REQUIRE(Same({from}, {*next}));
      }
    }
  }
}

TEST_CASE("A heap pool orders entries like a sorted set, whatever order they come in") {
  for (double in_order : {1.0, 0.9, 0.5, 0.0}) {
    INFO("share of inserts in key order: " << in_order);
    Exercise(AgentPool::Layout::kHeap, in_order, 1);
    Exercise(AgentPool::Layout::kHeap, in_order, 2);
  }
}

TEST_CASE("A by-agent pool orders entries like a sorted set") {
  Exercise(AgentPool::Layout::kByAgent, 0.5, 3);
  Exercise(AgentPool::Layout::kByAgent, 0.5, 5);
}

TEST_CASE("A heap pool's run keeps its order when entries leave near its front and further in") {
  // Forty agents freed one after another: all in the run. Entries leave near the front (where
  // the gap closes), at the front, at the back and further in (where they are marked dead);
  // the rest must stay in order, and each must still leave by its own member number.
  AgentPool pool(AgentPool::Layout::kHeap);
  std::map<AgentIndex, std::pair<PoolEntry, uint32_t>> in_pool;
  for (AgentIndex agent = 0; agent < 40; ++agent) {
    const PoolEntry entry{static_cast<int64_t>(agent) * 10, 0, agent};
    uint32_t member = kNoIndex;
    pool.Insert(entry, 1.0, &member);
    in_pool[agent] = {entry, member};
  }
  auto remaining = [&] {
    std::vector<AgentIndex> agents;
    for (const auto& [agent, entry] : in_pool) agents.push_back(agent);
    return agents;
  };
  auto listed = [&] {
    std::vector<PoolEntry> all;
    pool.Smallest(
        100, [](AgentIndex) { return true; }, all);
    std::vector<AgentIndex> agents;
    for (const PoolEntry& entry : all) agents.push_back(entry.agent);
    return agents;
  };
  for (AgentIndex leaving : {3u, 0u, 7u, 1u, 39u, 30u, 25u, 4u, 2u, 5u}) {
    const auto [entry, member] = in_pool.at(leaving);
    pool.Erase(entry, 1.0, member);
    in_pool.erase(leaving);
    REQUIRE(listed() == remaining());
  }
  while (!in_pool.empty()) {  // the rest, from the middle out
    const auto it = std::next(in_pool.begin(), static_cast<long>(in_pool.size() / 2));
    pool.Erase(it->second.first, 1.0, it->second.second);
    in_pool.erase(it);
    REQUIRE(listed() == remaining());
  }
  CHECK(pool.empty());
}

TEST_CASE("A weighted pool's total and draws follow its members") {
  Exercise(AgentPool::Layout::kWeighted, 0.5, 4);
}

}  // namespace
}  // namespace switchboard::detail
