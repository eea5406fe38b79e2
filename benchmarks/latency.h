// Latency of single operations, timed one by one, reported as benchmark counters.
#ifndef SWITCHBOARD_BENCHMARKS_LATENCY_H_
#define SWITCHBOARD_BENCHMARKS_LATENCY_H_

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <vector>

#include <benchmark/benchmark.h>

namespace switchboard::bench {

class Latency {
 public:
  using Clock = std::chrono::steady_clock;

  // Times `operation`, records it, and reports it as the iteration's (manual) time.
  template <typename Operation>
  void Time(benchmark::State& state, Operation&& operation) {
    const Clock::time_point start = Clock::now();
    operation();
    const Clock::time_point end = Clock::now();
    const int64_t ns = std::chrono::duration_cast<std::chrono::nanoseconds>(end - start).count();
    samples_.push_back(ns);
    state.SetIterationTime(static_cast<double>(ns) * 1e-9);
  }

  // Records a time measured elsewhere.
  void Add(int64_t ns) { samples_.push_back(ns); }

  // p50_ns and p99_ns counters, and items/s (one item = one timed operation).
  void Report(benchmark::State& state) {
    state.SetItemsProcessed(static_cast<int64_t>(samples_.size()));
    if (samples_.empty()) return;
    state.counters["p50_ns"] = Percentile(0.50);
    state.counters["p99_ns"] = Percentile(0.99);
  }

  // Also p999_ns and max_ns: the rare long operations (amortized steps that touch a whole
  // structure at once) that p99 does not show. The maximum also catches the machine's own
  // hiccups, so read it against the other rows'.
  void ReportTail(benchmark::State& state) {
    if (samples_.empty()) return;
    state.counters["p999_ns"] = Percentile(0.999);
    state.counters["max_ns"] =
        static_cast<double>(*std::max_element(samples_.begin(), samples_.end()));
  }

 private:
  double Percentile(double p) {
    const size_t k = std::min(samples_.size() - 1, static_cast<size_t>(p * samples_.size()));
    std::nth_element(samples_.begin(), samples_.begin() + static_cast<ptrdiff_t>(k),
                     samples_.end());
    return static_cast<double>(samples_[k]);
  }

  std::vector<int64_t> samples_;
};

}  // namespace switchboard::bench

#endif  // SWITCHBOARD_BENCHMARKS_LATENCY_H_
