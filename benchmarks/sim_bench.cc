// Simulator throughput on the M/M/c model: customers simulated per second of wall time, one
// replication of an 8-hour day at 90 % occupancy, one thread.
#include <benchmark/benchmark.h>

#include "switchboard/sim.h"

namespace switchboard::bench {
namespace {

SimulationConfig MmcCenter(int agents) {
  SimulationConfig config;
  config.duration = absl::Hours(8);
  config.warmup = absl::Hours(1);
  config.queues.push_back({.id = "q"});
  const double aht_s = 180;
  config.traffic.push_back({.queue = "q",
                            .arrivals = Arrivals::Constant(0.9 * agents / aht_s),
                            .handle = Distribution::Exponential(aht_s)});
  config.agents.push_back({.name = "agent", .count = agents});
  return config;
}

void BM_Sim_MMc(benchmark::State& state) {
  SimulationConfig config = MmcCenter(static_cast<int>(state.range(0)));
  int64_t contacts = 0;
  for (auto _ : state) {
    ++config.seed;
    absl::StatusOr<SimulationResult> result = Simulate(config);
    if (!result.ok()) {
      state.SkipWithError(std::string(result.status().message()).c_str());
      return;
    }
    contacts += result->contacts_simulated;
  }
  state.SetItemsProcessed(contacts);
  state.counters["contacts_per_s"] =
      benchmark::Counter(static_cast<double>(contacts), benchmark::Counter::kIsRate);
}

BENCHMARK(BM_Sim_MMc)->ArgName("agents")->Arg(10)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace switchboard::bench
