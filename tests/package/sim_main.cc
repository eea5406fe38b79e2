// A planner's program: uses the installed switchboard::sim through switchboard/simulation.h
// only. Parses a scenario, simulates it, prints the results as JSON; fails unless every contact
// was counted and the Erlang calculators and staffing give the textbook answer.
#include <cstdlib>
#include <iostream>

#include "switchboard/simulation.h"

int main() {
  const absl::StatusOr<switchboard::SimulationConfig> config = switchboard::ParseScenario(
      R"([simulation]
duration = "1h"
seed = 5

[[queue]]
name = "support"

[[traffic]]
queue = "support"
arrivals = { rate = 60, per = "1h" }
handle = { dist = "exponential", mean = "3m" }

[[agents]]
count = 3
skills = { support = 1 }
)",
      "consumer.toml");
  if (!config.ok()) {
    std::cerr << "error: " << config.status() << "\n";
    return EXIT_FAILURE;
  }
  const absl::StatusOr<switchboard::SimulationResult> result = switchboard::Simulate(*config);
  if (!result.ok()) {
    std::cerr << "error: " << result.status() << "\n";
    return EXIT_FAILURE;
  }
  std::cout << switchboard::ResultsToJson(*result) << "\n";
  const switchboard::Kpis& kpis = result->queues.at("support");
  if (!(kpis.offered.mean > 0) || kpis.answered.mean + kpis.abandoned.mean > kpis.offered.mean) {
    std::cerr << "error: the counts do not add up\n";
    return EXIT_FAILURE;
  }
  // The planning side: Erlang C and staffing (switchboard/erlang.h, staffing.h).
  const absl::StatusOr<switchboard::ErlangCResult> erlang =
      switchboard::ErlangC(720.0 / 3600, 240, 55, 15);
  const absl::StatusOr<switchboard::StaffingResult> staff =
      switchboard::Staff(720.0 / 3600, 240, switchboard::StaffingOptions{});
  if (!erlang.ok() || !staff.ok() || !(erlang->p_wait > 0.23 && erlang->p_wait < 0.24) ||
      staff->agents != 54) {
    std::cerr << "error: the Erlang calculators or staffing disagree with the textbook\n";
    return EXIT_FAILURE;
  }
  std::cout << "switchboard sim consumer: OK\n";
  return EXIT_SUCCESS;
}
