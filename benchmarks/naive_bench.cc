// The naive baseline: the same rules implemented the way open-source PBX queues do it, by
// scanning every agent for an arriving contact and every waiting contact for a freed agent.
// Compare with BM_Route_* at the same arguments.
#include <cstdint>
#include <random>
#include <vector>

#include <benchmark/benchmark.h>

#include "center_generator.h"
#include "latency.h"
#include "switchboard/requirements.h"

namespace switchboard::bench {
namespace {

class NaiveCenter {
 public:
  explicit NaiveCenter(const CenterShape& shape) {
    const Center center = GenerateCenter(shape);
    SkillRegistry registry;
    std::vector<Requirement> requirements;
    for (const QueueConfig& queue : center.queues) {
      requirements.push_back(*Requirement::Parse(queue.requirement, registry));
    }
    for (const AgentConfig& config : center.agents) {
      SkillSet skills;
      for (const auto& [name, level] : config.skills) {
        skills.Set(registry.Intern(name), static_cast<SkillLevel>(level));
      }
      Agent agent;
      for (size_t q = 0; q < requirements.size(); ++q) {
        if (requirements[q].Matches(skills, config.attributes)) agent.queues |= 1ULL << q;
      }
      agents_.push_back(agent);
    }
  }

  // The longest-idle free agent that serves `queue`: a scan of all agents.
  int PickAgent(int queue) const {
    int best = -1;
    for (size_t a = 0; a < agents_.size(); ++a) {
      const Agent& agent = agents_[a];
      if (agent.free && (agent.queues >> queue & 1) &&
          (best < 0 || agent.free_since < agents_[best].free_since)) {
        best = static_cast<int>(a);
      }
    }
    return best;
  }
  // The longest-waiting contact the agent may take: a scan of all waiting contacts.
  int PickContact(int agent) const {
    int best = -1;
    for (size_t c = 0; c < waiting_.size(); ++c) {
      if ((agents_[agent].queues >> waiting_[c].queue & 1) &&
          (best < 0 || waiting_[c].arrival < waiting_[best].arrival)) {
        best = static_cast<int>(c);
      }
    }
    return best;
  }

  struct Agent {
    uint64_t queues = 0;
    bool free = true;
    int64_t free_since = 0;
  };
  struct Waiting {
    int queue = 0;
    int64_t arrival = 0;
  };
  std::vector<Agent> agents_;
  std::vector<Waiting> waiting_;
};

void BM_Naive_ContactArrives(benchmark::State& state) {
  const CenterShape shape{.agents = static_cast<int>(state.range(0)),
                          .skills = static_cast<int>(state.range(1))};
  NaiveCenter center(shape);
  std::mt19937_64 rng(7);
  Latency latency;
  int64_t now = 0;
  for (auto _ : state) {
    const int queue = static_cast<int>(rng() % shape.queues);
    int agent = -1;
    latency.Time(state, [&] {
      agent = center.PickAgent(queue);
      if (agent >= 0) center.agents_[agent].free = false;
    });
    if (agent >= 0) center.agents_[agent] = {center.agents_[agent].queues, true, ++now};
  }
  latency.Report(state);
}

void BM_Naive_AgentFrees(benchmark::State& state) {
  const CenterShape shape{.agents = static_cast<int>(state.range(0)),
                          .skills = static_cast<int>(state.range(1))};
  NaiveCenter center(shape);
  std::mt19937_64 rng(7);
  int64_t now = 0;
  for (int64_t i = 0; i < state.range(2); ++i) {
    center.waiting_.push_back({static_cast<int>(rng() % shape.queues), ++now});
  }
  Latency latency;
  for (auto _ : state) {
    const int agent = static_cast<int>(rng() % center.agents_.size());
    latency.Time(state, [&] {
      const int contact = center.PickContact(agent);
      if (contact >= 0) {
        center.waiting_[contact] = center.waiting_.back();
        center.waiting_.pop_back();
      }
    });
    center.waiting_.push_back({static_cast<int>(rng() % shape.queues), ++now});
  }
  latency.Report(state);
}

BENCHMARK(BM_Naive_ContactArrives)
    ->ArgNames({"agents", "skills"})
    ->Args({1000, 20})->Args({1000, 200})->Args({10000, 20})->Args({10000, 200})
    ->Args({100000, 20})->Args({100000, 200})
    ->UseManualTime();
BENCHMARK(BM_Naive_AgentFrees)
    ->ArgNames({"agents", "skills", "waiting"})
    ->Args({1000, 20, 1000})->Args({10000, 200, 1000})->Args({10000, 200, 100000})
    ->Args({100000, 200, 100000})
    ->UseManualTime();

}  // namespace
}  // namespace switchboard::bench
