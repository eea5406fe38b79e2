// `switchboard replay DAY.csv --scenario center.toml`: a contact log fed through a scenario's
// engine (switchboard/replay.h); docs/planning.md ("Replaying a day").
#ifndef SWITCHBOARD_TOOLS_REPLAY_COMMAND_H_
#define SWITCHBOARD_TOOLS_REPLAY_COMMAND_H_

#include <cstdint>
#include <ostream>
#include <string>

#include "CLI/CLI.hpp"

namespace switchboard::cli {

struct ReplayArgs {
  std::string log_file;       // the contact log (CSV)
  std::string scenario_file;  // required
  int replications = 0;       // with --replications
  uint64_t seed = 0;          // with --seed
  std::string format;         // json | table; empty: table on a terminal, json otherwise
  std::string out_dir;        // results.json, contacts.csv, waits.png; empty: none
  int threads = 1;
  std::string patience = "exponential";  // exponential | kaplan_meier
};

// Adds the `replay` subcommand and its options to `app`, storing them in `args`.
CLI::App* AddReplayCommand(CLI::App& app, ReplayArgs& args);

// Runs it: 0, 2 (one line on `err`) for a bad scenario, log or option, 1 for other failures.
int RunReplay(const CLI::App& command, const ReplayArgs& args, std::ostream& out,
              std::ostream& err);

}  // namespace switchboard::cli

#endif  // SWITCHBOARD_TOOLS_REPLAY_COMMAND_H_
