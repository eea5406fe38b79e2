// Fuzzes the scenario loader from TOML text (scenario.h): any bytes, as a scenario file's
// contents. Besides the sanitizers, checks what scenario.h promises:
//  - a refusal is InvalidArgument with one line that starts with the source name;
//  - an accepted scenario is named after the source and passes ValidateSimulation once the limits
//    on the work of a run (SimulationLimits, which the caller may raise) are out of the way: the
//    loader does every other check;
//  - a scenario whose work is tiny (a handful of contacts and agents over a short day) also
//    simulates, once, without error. Larger ones are not run: the fuzzer must stay fast.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "loader_checks.h"
#include "switchboard/scenario.h"
#include "switchboard/sim.h"

namespace switchboard {
namespace {

constexpr std::string_view kSource = "fuzz.toml";

// Small enough to simulate in a few milliseconds even under the sanitizers.
bool Tiny(const SimulationConfig& config) {
  const absl::Duration horizon = config.warmup + config.duration;
  if (horizon > absl::Hours(2) || horizon <= absl::ZeroDuration()) return false;
  if (config.interval < horizon / 50) return false;
  if (config.engine.offer_timeout < absl::Seconds(5)) return false;
  int64_t agents = 0;
  for (const AgentGroupConfig& group : config.agents) {
    agents += group.count;
    if (group.breaks.size() > 4) return false;
  }
  if (agents > 20 || config.traffic.size() > 8) return false;
  const double contacts = ExpectedContactsPerReplication(config);
  return std::isfinite(contacts) && contacts <= 10;
}

}  // namespace
}  // namespace switchboard

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace switchboard;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<SimulationConfig> config = ParseScenario(text, kSource);
  if (!fuzz::CheckLoaderAnswer("scenario_toml_fuzzer", config, kSource)) return 0;
  if (Tiny(*config)) {
    SimulationConfig once = *config;
    once.replications = 1;
    absl::StatusOr<SimulationResult> result = Simulate(once);
    fuzz::Require("scenario_toml_fuzzer", result.ok(), "a tiny valid scenario failed to simulate",
                  result.status());
  }
  return 0;
}
