// `switchboard sweep`: a grid of scenario variants x replications, on this machine or a Dask
// cluster, printed as one table. The sweep itself is Python (bindings/switchboard/sweep.py, which
// uses pandas and Dask); this command runs `python3 -m switchboard sweep` (which calls
// switchboard.sweep.main) with the same arguments and passes its output and exit status through.
//
//   switchboard sweep FILE.toml --set KEY=VALUES [--set ...] [--replications N] [--seed S]
//                     [--scheduler local|processes|tcp://HOST:PORT] [--workers N]
//                     [--format csv|json] [--out DIR]
#ifndef SWITCHBOARD_TOOLS_SWEEP_COMMAND_H_
#define SWITCHBOARD_TOOLS_SWEEP_COMMAND_H_

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"

namespace switchboard::cli {

struct SweepArgs {
  std::string file;
  std::vector<std::string> set;
  int replications = 0;
  uint64_t seed = 0;
  std::string scheduler = "local";
  int workers = 0;
  std::string format = "csv";
  std::string out_dir;
};

// Adds the `sweep` subcommand and its options to `app`; returns it.
CLI::App* AddSweepCommand(CLI::App& app, SweepArgs& args);

// Where the `switchboard` package is for the Python child: $SWITCHBOARD_PYTHONPATH, else
// <directory of this executable>/../python when it holds switchboard/__init__.py (the build
// tree), else the installed package's directory compiled in (SWITCHBOARD_PYTHON_INSTALL_DIR)
// when it exists; empty when none is known (the child's own sys.path must find it).
std::string SweepPythonPath();

// Runs the parsed `sweep` command: the Python sweep's stdout to `out`, its stderr to `err`.
// Returns its exit status (0; 2 for a bad scenario, key or value, with one line on `err`; 1 for
// any other failure, including a Python that cannot be started or cannot import switchboard).
int RunSweep(const CLI::App& command, const SweepArgs& args, std::ostream& out,
             std::ostream& err);

}  // namespace switchboard::cli

#endif  // SWITCHBOARD_TOOLS_SWEEP_COMMAND_H_
