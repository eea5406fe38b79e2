#include "cli_common.h"

#include <unistd.h>

#include <charconv>
#include <fstream>
#include <iostream>
#include <limits>
#include <system_error>

#include "fmt/format.h"

namespace switchboard::cli {

std::string_view FirstLine(std::string_view text) {
  const size_t end = text.find('\n');
  return end == std::string_view::npos ? text : text.substr(0, end);
}

CLI::Validator IntegerFrom(uint64_t min, uint64_t max) {
  const std::string range = max == std::numeric_limits<uint64_t>::max()
                                ? fmt::format("an integer >= {}", min)
                                : fmt::format("an integer from {} to {}", min, max);
  return CLI::Validator(
      [min, max, range](std::string& text) -> std::string {
        uint64_t value = 0;
        const char* end = text.data() + text.size();
        const auto [ptr, error] = std::from_chars(text.data(), end, value);
        if (text.empty() || error != std::errc() || ptr != end || value < min || value > max) {
          return fmt::format("expected {}, found '{}'", range, text);
        }
        return {};
      },
      min > 0 ? "POSITIVE" : "", "integer range");
}

bool IsTerminal(const std::ostream& stream, const std::ostream& standard, int fd) {
  return &stream == &standard && ::isatty(fd) == 1;
}

void AddFormatOption(CLI::App& command, std::string& format) {
  command
      .add_option("--format", format,
                  "Output format: json or table (default: table when stdout is a terminal, "
                  "json otherwise)")
      ->check(CLI::IsMember({"json", "table"}));
}

std::string OutputFormat(const std::string& format, const std::ostream& out) {
  if (!format.empty()) return format;
  return IsTerminal(out, std::cout, STDOUT_FILENO) ? "table" : "json";
}

void ProgressBar::Update(int64_t done, int64_t total) {
  if (!enabled_ || total <= 0) return;
  if (std::chrono::steady_clock::now() - start_ < std::chrono::seconds(1)) return;
  constexpr int64_t kWidth = 30;
  const int64_t filled = kWidth * done / total;
  std::string line = fmt::format("\r[{}{}] {}/{} {}", std::string(filled, '#'),
                                 std::string(kWidth - filled, ' '), done, total, unit_);
  width_ = line.size() - 1;
  err_ << line << std::flush;
}

void ProgressBar::Clear() {
  if (width_ == 0) return;
  err_ << '\r' << std::string(width_, ' ') << '\r' << std::flush;
  width_ = 0;
}

bool WriteFile(const std::filesystem::path& path, const std::string& contents, std::ostream& err) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << contents;
  file.close();
  if (!file) {
    err << "switchboard: cannot write " << path.string() << "\n";
    return false;
  }
  err << "wrote " << path.string() << "\n";
  return true;
}

bool CreateOutputDirectory(const std::filesystem::path& dir, std::ostream& err) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    err << "switchboard: cannot create " << dir.string() << ": " << error.message() << "\n";
    return false;
  }
  return true;
}

}  // namespace switchboard::cli
