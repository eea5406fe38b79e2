// Runs the `switchboard` command line in-process (RunCli) and keeps what it printed: shared by
// the CLI test files.
#ifndef SWITCHBOARD_TESTS_CLI_RUN_H_
#define SWITCHBOARD_TESTS_CLI_RUN_H_

#include <sstream>
#include <string>
#include <vector>

#include "cli.h"

namespace switchboard {

struct Run {
  int status = -1;
  std::string out;
  std::string err;
};

// `args` after the program name, e.g. {"simulate", "support.toml"}.
inline Run RunArgs(std::vector<std::string> args) {
  args.insert(args.begin(), "switchboard");
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::ostringstream out, err;
  Run run;
  run.status = RunCli(static_cast<int>(args.size()), argv.data(), out, err);
  run.out = out.str();
  run.err = err.str();
  return run;
}

}  // namespace switchboard

#endif  // SWITCHBOARD_TESTS_CLI_RUN_H_
