#include "cli.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "fmt/format.h"
#include "base/status_macros.h"
#include "switchboard/report.h"
#include "switchboard/scenario.h"
#include "switchboard/sim.h"
#include "serve.h"

extern char** environ;

namespace switchboard {
namespace {

#ifndef SWITCHBOARD_VERSION
#error "SWITCHBOARD_VERSION must be defined (PROJECT_VERSION)"
#endif

constexpr std::string_view kVersion = SWITCHBOARD_VERSION;

// Exit statuses (see cli.h).
constexpr int kOk = 0;
constexpr int kFailure = 1;
constexpr int kInvalid = 2;

// The plot of --out, run as `python3 -c SCRIPT results.json intervals.png INTERVAL_S DURATION_S`.
// Exit status 3: matplotlib cannot be imported.
constexpr const char* kPlotScript = R"py(
import json
import sys

try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    sys.exit(3)

results_path, png_path = sys.argv[1], sys.argv[2]
interval_s, duration_s = float(sys.argv[3]), float(sys.argv[4])
with open(results_path, encoding="utf-8") as f:
    results = json.load(f)
intervals = results["intervals"]
if not intervals:
    sys.exit("the results have no intervals")
starts = [i["start_s"] for i in intervals]
edges = [s / 3600 for s in starts] + [min(starts[-1] + interval_s, duration_s) / 3600]


def number(x):
    return float("nan") if x is None else float(x)


def series(name, key):
    rows = [i["overall"] if name is None else i["queues"].get(name) for i in intervals]
    mean = [number(r[key]["mean"]) if r else float("nan") for r in rows]
    ci = [number(r[key]["ci95"]) if r else float("nan") for r in rows]
    return mean, ci


fig, axes = plt.subplots(2, 1, sharex=True, figsize=(10, 7))
panels = [("service_level", 100.0, "service level (%)", 100.0),
          ("mean_queue_length", 1.0, "mean queue length", float("inf"))]
for ax, (key, scale, label, top) in zip(axes, panels):
    for name in list(results["queues"]) + [None]:
        mean, ci = series(name, key)
        y = [m * scale for m in mean]
        low = [max(0.0, (m - h) * scale) for m, h in zip(mean, ci)]
        high = [min(top, (m + h) * scale) for m, h in zip(mean, ci)]
        style = {"color": "black", "linestyle": "--", "linewidth": 2} if name is None else {}
        (line,) = ax.step(edges, y + y[-1:], where="post",
                          label="overall" if name is None else name, **style)
        # Confidence bands for the queues; the overall line alone keeps the plot readable.
        if results["replications"] > 1 and name is not None:
            ax.fill_between(edges, low + low[-1:], high + high[-1:], step="post",
                            color=line.get_color(), alpha=0.15, linewidth=0)
    ax.set_ylabel(label)
    ax.grid(True, alpha=0.3)
axes[0].legend(loc="best")
axes[-1].set_xlabel("hours after the warm-up")
fig.suptitle(f"{results['scenario']}: {results['replications']} replication(s), "
             f"seed {results['seed']}: means per interval, 95% confidence bands")
fig.savefig(png_path, dpi=120, bbox_inches="tight")
)py";

// The first line of `text` (CLI11's messages are one line; this makes sure).
std::string_view FirstLine(std::string_view text) {
  const size_t end = text.find('\n');
  return end == std::string_view::npos ? text : text.substr(0, end);
}

// An integer option from `min` to `max`, digits only (CLI11 would read "-1" as 2^64 - 1 for an
// unsigned option); the message says what is expected.
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

// "[#####     ] 5/10 replications" on a terminal, redrawn in place; shown only once the run has
// taken more than a second, and erased by Clear().
class ProgressBar {
 public:
  ProgressBar(std::ostream& err, bool enabled)
      : err_(err), enabled_(enabled), start_(std::chrono::steady_clock::now()) {}

  void Update(int done, int total) {
    if (!enabled_ || total <= 0) return;
    if (std::chrono::steady_clock::now() - start_ < std::chrono::seconds(1)) return;
    constexpr int kWidth = 30;
    const int filled = static_cast<int>(static_cast<int64_t>(kWidth) * done / total);
    std::string line = fmt::format("\r[{}{}] {}/{} replications", std::string(filled, '#'),
                                   std::string(kWidth - filled, ' '), done, total);
    width_ = line.size() - 1;
    err_ << line << std::flush;
  }

  void Clear() {
    if (width_ == 0) return;
    err_ << '\r' << std::string(width_, ' ') << '\r' << std::flush;
    width_ = 0;
  }

 private:
  std::ostream& err_;
  const bool enabled_;
  const std::chrono::steady_clock::time_point start_;
  size_t width_ = 0;  // of the line on screen; 0 when nothing is drawn
};

// The interpreter for the plot: $SWITCHBOARD_PYTHON, else /usr/bin/python3 (Debian's, where
// python3-matplotlib installs), else python3 on the PATH.
std::string PythonInterpreter() {
  if (const char* python = std::getenv("SWITCHBOARD_PYTHON"); python != nullptr && *python) {
    return python;
  }
  if (::access("/usr/bin/python3", X_OK) == 0) return "/usr/bin/python3";
  return "python3";
}

// Runs the plot script; returns the line to print on stderr.
std::string Plot(const std::filesystem::path& results_json, const std::filesystem::path& png,
                 const SimulationConfig& config) {
  const std::string python = PythonInterpreter();
  std::vector<std::string> args = {python,
                                   "-c",
                                   kPlotScript,
                                   results_json.string(),
                                   png.string(),
                                   fmt::format("{}", absl::ToDoubleSeconds(config.interval)),
                                   fmt::format("{}", absl::ToDoubleSeconds(config.duration))};
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);

  // The child's stderr goes to a pipe, so that a failure is reported in one line.
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    return fmt::format("plot skipped: pipe: {}", std::strerror(errno));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDERR_FILENO);
  pid_t pid = 0;
  const int spawn_error =
      ::posix_spawnp(&pid, python.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  if (spawn_error != 0) {
    ::close(pipe_fds[0]);
    return fmt::format("plot skipped: cannot run {}: {}", python, std::strerror(spawn_error));
  }
  std::string child_err;
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::read(pipe_fds[0], buffer, sizeof buffer);
    if (n > 0) {
      child_err.append(buffer, static_cast<size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  ::close(pipe_fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return fmt::format("plot skipped: waitpid: {}", std::strerror(errno));
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return "wrote " + png.string();
  if (WIFEXITED(status) && WEXITSTATUS(status) == 3) {
    return "plot skipped: matplotlib not available";
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
    return fmt::format("plot skipped: {} not found", python);
  }
  // The last line Python wrote (the exception of a traceback).
  std::string_view text = child_err;
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.remove_suffix(1);
  }
  const size_t last = text.rfind('\n');
  if (last != std::string_view::npos) text.remove_prefix(last + 1);
  if (text.empty()) {
    text = WIFEXITED(status) ? "python failed" : "python was killed by a signal";
  }
  return fmt::format("plot skipped: {}", text);
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

struct SimulateArgs {
  std::string file;
  std::string format;  // empty: by terminal
  int replications = 0;
  uint64_t seed = 0;
  std::string out_dir;
  int threads = 1;
  SimulationLimits limits;
};

int RunSimulate(const CLI::App& command, const SimulateArgs& args, std::ostream& out,
                std::ostream& err) {
  absl::StatusOr<SimulationConfig> config = LoadScenarioFile(args.file);
  if (!config.ok()) {
    err << FirstLine(detail::Message(config.status())) << "\n";
    return kInvalid;
  }
  if (command.count("--replications") > 0) config->replications = args.replications;
  if (command.count("--seed") > 0) config->seed = args.seed;
  config->limits = args.limits;
  if (absl::Status valid = ValidateSimulation(*config); !valid.ok()) {
    err << args.file << ": " << FirstLine(detail::Message(valid)) << "\n";
    return kInvalid;
  }

  std::string format = args.format;
  if (format.empty()) format = IsTerminal(out, std::cout, STDOUT_FILENO) ? "table" : "json";

  // The output directory first, so that a bad --out does not wait for the simulation.
  std::filesystem::path out_dir;
  if (!args.out_dir.empty()) {
    out_dir = args.out_dir;
    std::error_code error;
    std::filesystem::create_directories(out_dir, error);
    if (error) {
      err << "switchboard: cannot create " << args.out_dir << ": " << error.message() << "\n";
      return kFailure;
    }
  }

  ProgressBar bar(err, IsTerminal(err, std::cerr, STDERR_FILENO));
  RunOptions options;
  options.threads = args.threads;
  options.progress = [&bar](int done, int total) { bar.Update(done, total); };
  absl::StatusOr<SimulationResult> result = Simulate(*config, options);
  bar.Clear();
  if (!result.ok()) {
    err << "switchboard: " << FirstLine(detail::Message(result.status())) << "\n";
    return kFailure;
  }

  const std::string json = ResultsToJson(*result);
  out << (format == "json" ? json : ResultsToTable(*result)) << std::flush;
  if (!out) {
    err << "switchboard: cannot write the results\n";
    return kFailure;
  }

  if (!out_dir.empty()) {
    const std::filesystem::path results_json = out_dir / "results.json";
    if (!WriteFile(results_json, json, err)) return kFailure;
    if (!WriteFile(out_dir / "intervals.csv", IntervalsToCsv(*result), err)) return kFailure;
    err << Plot(results_json, out_dir / "intervals.png", *config) << "\n";
  }
  return kOk;
}

int Run(int argc, char** argv, std::ostream& out, std::ostream& err) {
  CLI::App app("Switchboard: contact-center routing engine and simulator.", "switchboard");
  app.set_version_flag("--version", fmt::format("switchboard {}", kVersion),
                       "Print the version and exit");
  app.require_subcommand(1);

  SimulateArgs args;
  const unsigned hardware = std::thread::hardware_concurrency();
  args.threads = hardware > 0 ? static_cast<int>(hardware) : 1;
  CLI::App* simulate = app.add_subcommand(
      "simulate", "Simulate the contact center a scenario file describes and print its KPIs.");
  simulate->add_option("file", args.file, "Scenario file (TOML)")->required();
  simulate
      ->add_option("--format", args.format,
                   "Output format: json or table (default: table when stdout is a terminal, "
                   "json otherwise)")
      ->check(CLI::IsMember({"json", "table"}));
  simulate
      ->add_option("--replications", args.replications,
                   "Independent runs (overrides [simulation] replications)")
      ->check(IntegerFrom(1, std::numeric_limits<int>::max()));
  simulate->add_option("--seed", args.seed, "Seed (overrides [simulation] seed)")
      ->check(IntegerFrom(0, std::numeric_limits<uint64_t>::max()));
  simulate->add_option("--out", args.out_dir,
                       "Also write DIR/results.json, DIR/intervals.csv and DIR/intervals.png");
  simulate
      ->add_option("--threads", args.threads,
                   "Threads running replications; results do not depend on it")
      ->check(IntegerFrom(1, kMaxThreads))
      ->capture_default_str();
  // The limits on a run's work (docs/limits.md), raised on purpose for a larger run.
  simulate
      ->add_option("--max-contacts", args.limits.max_contacts,
                   "Expected contacts of all replications together that a run may take")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  simulate
      ->add_option("--max-contacts-per-replication", args.limits.max_contacts_per_replication,
                   "Expected contacts of one replication that a run may take")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  simulate
      ->add_option("--max-agents", args.limits.max_agents,
                   "Agents of all groups together that a run may take")
      ->check(IntegerFrom(1, std::numeric_limits<int64_t>::max()))
      ->capture_default_str();
  simulate
      ->add_option("--max-replications", args.limits.max_replications,
                   "Replications a run may take")
      ->check(IntegerFrom(1, std::numeric_limits<int>::max()))
      ->capture_default_str();

  ServeArgs serve_args;
  CLI::App* serve = app.add_subcommand(
      "serve", "Run the routing engine as a daemon: JSON-lines commands on standard input or a "
               "Unix socket, a journal for exact recovery (docs/host-protocol.md).");
  serve->add_option("--journal", serve_args.journal_dir,
                    "Journal directory: recovered from on start, appended to")
      ->required();
  serve->add_option("--config", serve_args.config_file,
                    "Center file (TOML: [[queue]], [[agent]], [[entry_rule]]) applied when the "
                    "journal is empty");
  serve->add_option("--tokens", serve_args.tokens_file,
                    "Tokens file: who may connect, as whom (docs/host-protocol.md)");
  serve->add_option("--socket", serve_args.socket_path,
                    "Also accept connections on this Unix socket (needs --tokens)");
  serve->add_option("--http", serve_args.http,
                    "Serve the live wallboard and /api/stats on HOST:PORT (loopback)");
  serve->add_flag("--http-public", serve_args.http_public,
                  "Allow a --http address that is not loopback");
  serve->add_option("--sync", serve_args.sync,
                    "When the journal reaches the disk: command (before each reply), interval, "
                    "none")
      ->check(CLI::IsMember({"command", "interval", "none"}))
      ->capture_default_str();
  serve->add_option("--snapshot-every", serve_args.snapshot_every,
                    "Write a snapshot of the whole state after this many journal records (0: "
                    "only on request); recovery starts from the newest")
      ->check(IntegerFrom(0, std::numeric_limits<int64_t>::max()))
      ->capture_default_str();
  serve->add_option("--sync-interval-ms", serve_args.sync_interval_ms,
                    "With --sync interval: at most this long between syncs")
      ->check(IntegerFrom(1, 3'600'000))
      ->capture_default_str();

  AuditArgs audit_args;
  CLI::App* audit = app.add_subcommand(
      "audit", "Print a journal's audit trail (commands, refusals and the events they caused) "
               "as JSON lines, filtered.");
  audit->add_option("--journal", audit_args.journal_dir, "Journal directory")->required();
  audit->add_option("--actor", audit_args.actor, "Only what this actor did (agent:alice, ...)");
  audit->add_option("--agent", audit_args.agent, "Only what concerns this agent");
  audit->add_option("--contact", audit_args.contact, "Only what concerns this contact");
  audit->add_option("--since", audit_args.since, "From this time (RFC 3339 or Unix seconds)");
  audit->add_option("--until", audit_args.until, "Before this time");
  bool no_events = false;
  audit->add_flag("--no-events", no_events, "Commands and refusals only");

  // CLI11 would report an unknown command as "A subcommand is required".
  if (argc > 1 && argv[1][0] != '-') {
    const std::string_view command = argv[1];
    if (command != "simulate" && command != "serve" && command != "audit") {
      err << "switchboard: unknown command '" << argv[1]
          << "'; expected 'simulate', 'serve' or 'audit' (see switchboard --help)\n";
      return kInvalid;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) {
      return app.exit(e, out, err);  // --help, --version
    }
    err << "switchboard: " << FirstLine(e.what()) << "\n";
    return kInvalid;
  }
  if (simulate->parsed()) return RunSimulate(*simulate, args, out, err);
  if (serve->parsed()) return RunServe(serve_args, err);
  if (audit->parsed()) {
    audit_args.events = !no_events;
    return RunAudit(audit_args, out, err);
  }
  err << "switchboard: no command given; run switchboard --help\n";
  return kInvalid;
}

}  // namespace

int RunCli(int argc, char** argv, std::ostream& out, std::ostream& err) {
  try {
    return Run(argc, argv, out, err);
  } catch (const std::bad_alloc&) {
    err << "switchboard: out of memory\n";
    return kFailure;
  } catch (const std::exception& e) {
    err << "switchboard: " << FirstLine(e.what()) << "\n";
    return kFailure;
  }
}

}  // namespace switchboard
