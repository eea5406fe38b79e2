// The `switchboard` command line, as a function so that the executable and the Python package
// (`python3 -m switchboard simulate ...`) run the same code.
//
//   switchboard simulate FILE.toml [--format json|table] [--replications N] [--seed S]
//                                  [--out DIR] [--threads N]
//   switchboard serve --journal DIR [--tokens FILE] [--socket PATH] [--http HOST:PORT]
//                     [--sync command|interval|none]       (serve.h, docs/host-protocol.md)
//   switchboard audit --journal DIR [--actor A] [--agent X] [--contact C] [--since T]
//                     [--until T] [--no-events]
//   switchboard sweep FILE.toml --set KEY=VALUES [...] [--replications N] [--seed S]
//                     [--scheduler local|processes|tcp://HOST:PORT] [--format csv|json]
//                     [--out DIR]                          (sweep_command.h, Python)
//   switchboard erlang b|c|a --arrivals 720/h --aht 240s --agents 55 [...]   (erlang_command.h)
//   switchboard staff --arrivals 720/h --aht 240s [--intraday DAY.csv --verify --out DIR] [...]
//   switchboard --help | --version
//
// ../shared/SCENARIO.md is the contract for the scenario file, the JSON and the exit statuses.
#ifndef SWITCHBOARD_TOOLS_CLI_H_
#define SWITCHBOARD_TOOLS_CLI_H_

#include <ostream>

namespace switchboard {

// Runs the command line `argv` (argv[0] is the program name and is ignored; the tool always calls
// itself "switchboard"). Results, help and the version go to `out`; messages, the paths written
// by --out and the progress bar go to `err`.
//
// Returns the exit status:
//   0  success (also --help and --version);
//   2  the command line or the scenario is invalid, including a scenario file that cannot be
//      read: exactly one line on `err` (the scenario loader's message, which names the file,
//      or CLI11's message after "switchboard: "), and nothing is simulated;
//   1  any other failure (the simulation, writing --out files), one line on `err`.
// A plot that cannot be drawn (no Python or matplotlib) is not a failure: "plot skipped: ..."
// on `err` and status 0.
//
// Terminal behaviour: the default --format is "table" only when `out` is std::cout and stdout is
// a terminal ("json" otherwise), and the progress bar is drawn only when `err` is std::cerr and
// stderr is a terminal.
//
// Not thread-safe with respect to `out` and `err`; spawns a Python interpreter for --out's plot.
int RunCli(int argc, char** argv, std::ostream& out, std::ostream& err);

}  // namespace switchboard

#endif  // SWITCHBOARD_TOOLS_CLI_H_
