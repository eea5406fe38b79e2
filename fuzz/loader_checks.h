// What both scenario fuzzers check of the loader's answer, as scenario.h promises it:
//  - a refusal is InvalidArgument with one line that starts with the source name;
//  - an accepted scenario is named after the source and passes ValidateSimulation once the
//    limits on the work of a run (SimulationLimits, which the caller may raise) are out of the
//    way: the loader does every other check.
#ifndef SWITCHBOARD_FUZZ_LOADER_CHECKS_H_
#define SWITCHBOARD_FUZZ_LOADER_CHECKS_H_

#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "switchboard/sim.h"

namespace switchboard::fuzz {

// Aborts (a finding for libFuzzer) naming `harness`, `what` and `status` unless `condition`.
inline void Require(const char* harness, bool condition, const char* what,
                    const absl::Status& status = absl::OkStatus()) {
  if (!condition) {
    std::fprintf(stderr, "%s: violated: %s\n  status: %s\n", harness, what,
                 status.ToString().c_str());
    std::abort();
  }
}

// Checks the loader's answer for input named `source`; true when it accepted the scenario.
inline bool CheckLoaderAnswer(const char* harness,
                              const absl::StatusOr<SimulationConfig>& config,
                              std::string_view source) {
  if (!config.ok()) {
    const absl::Status& status = config.status();
    const std::string_view message(status.message().data(), status.message().size());
    Require(harness, status.code() == absl::StatusCode::kInvalidArgument,
            "refusal is not InvalidArgument", status);
    Require(harness, message.substr(0, source.size()) == source,
            "refusal does not start with the source name", status);
    Require(harness, message.find('\n') == std::string_view::npos, "refusal is not one line",
            status);
    return false;
  }
  Require(harness, config->scenario == source, "scenario is not named after the source");
  SimulationConfig unlimited = *config;
  unlimited.limits.max_replications = std::numeric_limits<int>::max();
  unlimited.limits.max_agents = std::numeric_limits<int64_t>::max();
  unlimited.limits.max_contacts_per_replication = 1e300;
  unlimited.limits.max_contacts = 1e300;
  const absl::Status valid = ValidateSimulation(unlimited);
  Require(harness, valid.ok(), "an accepted scenario fails ValidateSimulation (work limits raised)",
          valid);
  return true;
}

}  // namespace switchboard::fuzz

#endif  // SWITCHBOARD_FUZZ_LOADER_CHECKS_H_
