// Running Debian's Python from the command line: the plots, whose one implementation is
// switchboard/plots.py (embedded in the executable, so that the command line draws the same plots
// as the Python package, installed or not), and the parts of the command line written in Python.
#ifndef SWITCHBOARD_TOOLS_PYTHON_RUNNER_H_
#define SWITCHBOARD_TOOLS_PYTHON_RUNNER_H_

#include <filesystem>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace switchboard::cli {

// $SWITCHBOARD_PYTHON, else /usr/bin/python3 (Debian's, where python3-matplotlib and the other
// python3-* packages install), else python3 on the PATH.
std::string PythonInterpreter();

struct PythonRun {
  // The child's exit status, 128 + the signal that killed it, or -1 when it could not be
  // started (`last_line` says why).
  int status = -1;
  // The last line the child wrote on stderr (the exception of a traceback), trimmed.
  std::string last_line;
};

// Runs PythonInterpreter() with `args`, standard input from /dev/null, and waits for it. The
// child's stdout is copied to `out` (nullptr: discarded); its stderr to `err` as it arrives
// (nullptr: only its last line is kept). `env` adds or replaces environment variables.
PythonRun RunPython(const std::vector<std::string>& args, std::ostream* out, std::ostream* err,
                    const std::vector<std::pair<std::string, std::string>>& env = {});

// Draws plots.py's plot `kind` of the data in `input_json` into `png`, with `options_json` (a
// JSON object of the plot function's keyword arguments). Returns the line for stderr:
// "wrote PNG", or "plot skipped: WHY" (no Python, no matplotlib, or the plot failed), since a
// missing plot is not a failure of the command.
std::string Plot(std::string_view kind, const std::filesystem::path& input_json,
                 const std::filesystem::path& png, const std::string& options_json = "{}");

}  // namespace switchboard::cli

#endif  // SWITCHBOARD_TOOLS_PYTHON_RUNNER_H_
