#include "sweep_command.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <limits>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "cli_common.h"
#include "python_runner.h"

namespace switchboard::cli {

CLI::App* AddSweepCommand(CLI::App& app, SweepArgs& args) {
  CLI::App* sweep = app.add_subcommand(
      "sweep", "Simulate a grid of scenario variants x replications (on this machine or a Dask "
               "cluster) and print one table: a row per variant and queue, each KPI's mean and "
               "95 % half-width.");
  sweep->add_option("file", args.file, "Scenario file (TOML)")->required();
  sweep
      ->add_option("--set", args.set,
                   "A varied key: KEY=START:STOP[:STEP] (integers, inclusive) or KEY=a,b,c, "
                   "e.g. agents.0.count=30:45; repeat for a grid")
      ->allow_extra_args(false);
  sweep
      ->add_option("--replications", args.replications,
                   "Replications of every variant (default: the scenario's)")
      ->check(IntegerFrom(1, std::numeric_limits<int>::max()));
  sweep->add_option("--seed", args.seed, "Base seed (default: the scenario's)")
      ->check(IntegerFrom(0, std::numeric_limits<uint64_t>::max()));
  sweep
      ->add_option("--scheduler", args.scheduler,
                   "Where the tasks run: local (threads), processes, or tcp://HOST:PORT (an "
                   "existing Dask distributed scheduler)")
      ->capture_default_str();
  sweep
      ->add_option("--workers", args.workers,
                   "Threads or processes for local and processes (default: one per core)")
      ->check(IntegerFrom(1, 4096));
  sweep->add_option("--format", args.format, "Output format: csv or json")
      ->check(CLI::IsMember({"csv", "json"}))
      ->capture_default_str();
  sweep->add_option("--out", args.out_dir,
                    "Also write DIR/sweep.csv, DIR/sweep.json and the plots");
  return sweep;
}

std::string SweepPythonPath() {
  if (const char* path = std::getenv("SWITCHBOARD_PYTHONPATH"); path != nullptr && *path) {
    return path;
  }
  std::error_code error;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", error);
  if (!error) {
    const std::filesystem::path python = exe.parent_path().parent_path() / "python";
    if (std::filesystem::is_regular_file(python / "switchboard" / "__init__.py", error)) {
      return python.string();
    }
  }
#ifdef SWITCHBOARD_PYTHON_INSTALL_DIR
  const std::filesystem::path installed = SWITCHBOARD_PYTHON_INSTALL_DIR;
  if (std::filesystem::is_regular_file(installed / "switchboard" / "__init__.py", error)) {
    return installed.string();
  }
#endif
  return "";
}

int RunSweep(const CLI::App& command, const SweepArgs& args, std::ostream& out,
             std::ostream& err) {
  std::vector<std::string> python_args = {"-m", "switchboard", "sweep", args.file};
  for (const std::string& set : args.set) {
    python_args.push_back("--set");
    python_args.push_back(set);
  }
  if (command.count("--replications") > 0) {
    python_args.push_back("--replications");
    python_args.push_back(std::to_string(args.replications));
  }
  if (command.count("--seed") > 0) {
    python_args.push_back("--seed");
    python_args.push_back(std::to_string(args.seed));
  }
  python_args.push_back("--scheduler");
  python_args.push_back(args.scheduler);
  if (command.count("--workers") > 0) {
    python_args.push_back("--workers");
    python_args.push_back(std::to_string(args.workers));
  }
  python_args.push_back("--format");
  python_args.push_back(args.format);
  if (!args.out_dir.empty()) {
    python_args.push_back("--out");
    python_args.push_back(args.out_dir);
  }
  // The child's stderr is a pipe: it draws the bar when ours is a terminal.
  if (IsTerminal(err, std::cerr, STDERR_FILENO)) python_args.push_back("--progress");

  std::vector<std::pair<std::string, std::string>> env;
  if (std::string path = SweepPythonPath(); !path.empty()) {
    if (const char* existing = std::getenv("PYTHONPATH"); existing != nullptr && *existing) {
      path += ":";
      path += existing;
    }
    env.emplace_back("PYTHONPATH", std::move(path));
  }
  const PythonRun run = RunPython(python_args, &out, &err, env);
  if (run.status < 0) {
    err << "switchboard: " << run.last_line << "\n";
    return kFailure;
  }
  if (run.status == kOk || run.status == kInvalid) return run.status;
  if (run.status == 127) {
    err << "switchboard: " << PythonInterpreter() << " not found\n";
  }
  return kFailure;
}

}  // namespace switchboard::cli
