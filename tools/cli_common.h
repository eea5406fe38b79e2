// Pieces every `switchboard` subcommand shares: exit statuses, option validators, terminal
// detection, the progress bar and writing output files.
#ifndef SWITCHBOARD_TOOLS_CLI_COMMON_H_
#define SWITCHBOARD_TOOLS_CLI_COMMON_H_

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <ostream>
#include <string>
#include <string_view>

#include "CLI/CLI.hpp"

namespace switchboard::cli {

// Exit statuses (see cli.h).
inline constexpr int kOk = 0;
inline constexpr int kFailure = 1;
inline constexpr int kInvalid = 2;

// The first line of `text` (CLI11's and the engine's messages are one line; this makes sure).
std::string_view FirstLine(std::string_view text);

// An integer option from `min` to `max`, digits only (CLI11 would read "-1" as 2^64 - 1 for an
// unsigned option); the message says what is expected.
CLI::Validator IntegerFrom(uint64_t min, uint64_t max);

// Whether `stream` is the process' `standard` stream and its descriptor `fd` a terminal.
bool IsTerminal(const std::ostream& stream, const std::ostream& standard, int fd);

// The `--format json|table` option of the commands that print results.
void AddFormatOption(CLI::App& command, std::string& format);

// The format to print in: `format` when given, else "table" when `out` is std::cout on a
// terminal and "json" otherwise.
std::string OutputFormat(const std::string& format, const std::ostream& out);

// "[#####     ] 5/10 replications" on a terminal, redrawn in place; shown only once the run has
// taken more than a second, and erased by Clear().
class ProgressBar {
 public:
  ProgressBar(std::ostream& err, bool enabled, std::string_view unit = "replications")
      : err_(err), enabled_(enabled), unit_(unit), start_(std::chrono::steady_clock::now()) {}

  void Update(int64_t done, int64_t total);
  void Clear();

 private:
  std::ostream& err_;
  const bool enabled_;
  const std::string unit_;
  const std::chrono::steady_clock::time_point start_;
  size_t width_ = 0;  // of the line on screen; 0 when nothing is drawn
};

// Writes `contents` to `path` and says so on `err` ("wrote PATH"); false, with a message on
// `err`, when it cannot.
bool WriteFile(const std::filesystem::path& path, const std::string& contents, std::ostream& err);

// Creates `dir` and its parents; false, with a message on `err`, when it cannot.
bool CreateOutputDirectory(const std::filesystem::path& dir, std::ostream& err);

}  // namespace switchboard::cli

#endif  // SWITCHBOARD_TOOLS_CLI_COMMON_H_
