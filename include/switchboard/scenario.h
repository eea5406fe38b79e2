// Scenario files: a contact center described in TOML (docs/scenario-format.md: every table, key
// and default), parsed and fully validated into a SimulationConfig before anything runs.
//
// Example:
//   absl::StatusOr<SimulationConfig> config = LoadScenarioFile("examples/scenarios/support.toml");
//   if (!config.ok()) { std::cerr << config.status().message() << "\n"; return 2; }
//   absl::StatusOr<SimulationResult> result = Simulate(*config);
//
// Every problem is reported as InvalidArgument with one line that names the file, the table
// (arrays of tables by 1-based index: "[[agents]] #2"), the key, the bad value and what was
// expected, e.g.
//   support.toml: line 12, column 5: <syntax error>
//   support.toml: [[agents]] #2: unknown key 'cuont'; did you mean 'count'?
//   support.toml: [simulation]: key 'seed': expected an integer, found string "abc"
#ifndef SWITCHBOARD_SCENARIO_H_
#define SWITCHBOARD_SCENARIO_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "switchboard/sim.h"

namespace switchboard {

// Parses the TOML text of a scenario. `source_name` (e.g. "support.toml") starts every error
// message and becomes SimulationConfig::scenario.
absl::StatusOr<SimulationConfig> ParseScenario(std::string_view toml_text,
                                               std::string_view source_name);

// Reads and parses the file at `path`. Errors start with `path` as given; an unreadable file is
// NotFound (missing) or another errno-derived error naming the path. SimulationConfig::scenario
// is the file's base name ("support.toml").
absl::StatusOr<SimulationConfig> LoadScenarioFile(const std::string& path);

}  // namespace switchboard

#endif  // SWITCHBOARD_SCENARIO_H_
