#include "cli.h"

#include <unistd.h>

#include <cstdint>
#include <exception>
#include <filesystem>
#include <iostream>
#include <limits>
#include <new>
#include <string>
#include <string_view>
#include <thread>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "fmt/format.h"
#include "base/json_writer.h"
#include "base/status_macros.h"
#include "switchboard/report.h"
#include "switchboard/scenario.h"
#include "switchboard/sim.h"
#include "cli_common.h"
#include "erlang_command.h"
#include "python_runner.h"
#include "replay_command.h"
#include "serve.h"
#include "sweep_command.h"

namespace switchboard {
namespace {

#ifndef SWITCHBOARD_VERSION
#error "SWITCHBOARD_VERSION must be defined (PROJECT_VERSION)"
#endif

constexpr std::string_view kVersion = SWITCHBOARD_VERSION;

using cli::AddFormatOption;
using cli::FirstLine;
using cli::IntegerFrom;
using cli::IsTerminal;
using cli::kFailure;
using cli::kInvalid;
using cli::kOk;
using cli::OutputFormat;
using cli::ProgressBar;
using cli::WriteFile;


// plots.intervals' options for a scenario: the interval, the measured period and the queues'
// service-level targets.
std::string IntervalPlotOptions(const SimulationConfig& config) {
  detail::JsonWriter options;
  options.BeginObject();
  options.Key("interval_s").Double(absl::ToDoubleSeconds(config.interval));
  options.Key("duration_s").Double(absl::ToDoubleSeconds(config.duration));
  options.Key("targets").BeginObject();
  for (const QueueConfig& queue : config.queues) {
    options.Key(queue.id).Double(queue.service_level_target);
  }
  options.EndObject();
  options.EndObject();
  return std::move(options).Take();
}

struct SimulateArgs {
  std::string file;
  std::string format;  // empty: by terminal
  int replications = 0;
  uint64_t seed = 0;
  std::string out_dir;
  std::string contacts_file;  // empty: no contact log
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

  const std::string format = OutputFormat(args.format, out);

  // The output directory first, so that a bad --out does not wait for the simulation.
  std::filesystem::path out_dir;
  if (!args.out_dir.empty()) {
    out_dir = args.out_dir;
    if (!cli::CreateOutputDirectory(out_dir, err)) return kFailure;
  }

  ProgressBar bar(err, IsTerminal(err, std::cerr, STDERR_FILENO));
  RunOptions options;
  options.threads = args.threads;
  options.progress = [&bar](int done, int total) { bar.Update(done, total); };
  options.record_contacts = !args.contacts_file.empty();
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

  if (!args.contacts_file.empty() &&
      !WriteFile(args.contacts_file, ContactLogToCsv(result->contacts), err)) {
    return kFailure;
  }
  if (!out_dir.empty()) {
    const std::filesystem::path results_json = out_dir / "results.json";
    if (!WriteFile(results_json, json, err)) return kFailure;
    if (!WriteFile(out_dir / "intervals.csv", IntervalsToCsv(*result), err)) return kFailure;
    err << cli::Plot("intervals", results_json, out_dir / "intervals.png",
                     IntervalPlotOptions(*config))
        << "\n";
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
  AddFormatOption(*simulate, args.format);
  simulate
      ->add_option("--replications", args.replications,
                   "Independent runs (overrides [simulation] replications)")
      ->check(IntegerFrom(1, std::numeric_limits<int>::max()));
  simulate->add_option("--seed", args.seed, "Seed (overrides [simulation] seed)")
      ->check(IntegerFrom(0, std::numeric_limits<uint64_t>::max()));
  simulate->add_option("--out", args.out_dir,
                       "Also write DIR/results.json, DIR/intervals.csv and DIR/intervals.png");
  simulate->add_option("--contacts", args.contacts_file,
                       "Also write the first replication's contacts to this CSV file (a "
                       "contact log that `switchboard replay` reads)");
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

  cli::ReplayArgs replay_args;
  CLI::App* replay = cli::AddReplayCommand(app, replay_args);

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

  cli::SweepArgs sweep_args;
  CLI::App* sweep = cli::AddSweepCommand(app, sweep_args);
  cli::ErlangArgs erlang_args;
  CLI::App* erlang = cli::AddErlangCommand(app, erlang_args);
  cli::StaffArgs staff_args;
  CLI::App* staff = cli::AddStaffCommand(app, staff_args);

  // CLI11 would report an unknown command as "A subcommand is required".
  if (argc > 1 && argv[1][0] != '-') {
    const std::string_view command = argv[1];
    if (command != "simulate" && command != "serve" && command != "audit" &&
        command != "sweep" && command != "erlang" && command != "staff" &&
        command != "replay") {
      err << "switchboard: unknown command '" << argv[1]
          << "'; expected 'simulate', 'serve', 'audit', 'sweep', 'erlang', 'staff' or 'replay' "
             "(see switchboard --help)\n";
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
  if (sweep->parsed()) return cli::RunSweep(*sweep, sweep_args, out, err);
  if (erlang->parsed()) return cli::RunErlang(*erlang, erlang_args, out, err);
  if (staff->parsed()) return cli::RunStaff(*staff, staff_args, out, err);
  if (replay->parsed()) return cli::RunReplay(*replay, replay_args, out, err);
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
