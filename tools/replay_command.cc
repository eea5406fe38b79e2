#include "replay_command.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <sstream>
#include <system_error>
#include <thread>

#include "base/json_writer.h"
#include "base/status_macros.h"
#include "cli_common.h"
#include "python_runner.h"
#include "switchboard/contact_log.h"
#include "switchboard/replay.h"
#include "switchboard/scenario.h"

namespace switchboard::cli {

CLI::App* AddReplayCommand(CLI::App& app, ReplayArgs& args) {
  const unsigned hardware = std::thread::hardware_concurrency();
  args.threads = hardware > 0 ? static_cast<int>(hardware) : 1;
  CLI::App* replay = app.add_subcommand(
      "replay", "Feed a day's contact log through a scenario's queues, agents and policies "
                "(trace-driven what-if) and compare the replayed KPIs with the logged ones.");
  replay->add_option("log", args.log_file, "Contact log (CSV, as simulate --contacts writes)")
      ->required();
  replay->add_option("--scenario", args.scenario_file,
                     "Scenario file (TOML) whose queues, routes, agents and policies serve the "
                     "logged contacts; its [[traffic]] arrivals are not used")
      ->required();
  replay
      ->add_option("--replications", args.replications,
                   "Independent replays, differing in the censored patience draws and the "
                   "customers' answers to overflow offers and callbacks (default: the "
                   "scenario's replications)")
      ->check(IntegerFrom(1, std::numeric_limits<int>::max()));
  replay->add_option("--seed", args.seed, "Seed of those draws (default: the scenario's)")
      ->check(IntegerFrom(0, std::numeric_limits<uint64_t>::max()));
  AddFormatOption(*replay, args.format);
  replay->add_option("--out", args.out_dir,
                     "Also write DIR/results.json, DIR/contacts.csv (logged and replayed wait "
                     "per contact) and DIR/waits.png");
  replay
      ->add_option("--patience", args.patience,
                   "How censored patience is modelled: exponential (censored maximum "
                   "likelihood) or kaplan_meier")
      ->check(CLI::IsMember({"exponential", "kaplan_meier"}))
      ->capture_default_str();
  replay
      ->add_option("--threads", args.threads,
                   "Threads running replications; results do not depend on it")
      ->check(IntegerFrom(1, kMaxThreads))
      ->capture_default_str();
  return replay;
}

int RunReplay(const CLI::App& command, const ReplayArgs& args, std::ostream& out,
              std::ostream& err) {
  absl::StatusOr<SimulationConfig> scenario = LoadScenarioFile(args.scenario_file);
  if (!scenario.ok()) {
    err << FirstLine(detail::Message(scenario.status())) << "\n";
    return kInvalid;
  }
  std::ifstream file(args.log_file, std::ios::binary);
  if (!file) {
    err << "switchboard: cannot read " << args.log_file << "\n";
    return kInvalid;
  }
  std::ostringstream text;
  text << file.rdbuf();
  absl::StatusOr<std::vector<ContactRecord>> log = ParseContactLog(text.str(), args.log_file);
  if (!log.ok()) {
    err << FirstLine(detail::Message(log.status())) << "\n";
    return kInvalid;
  }
  ReplayOptions options;
  if (command.count("--replications") > 0) options.replications = args.replications;
  if (command.count("--seed") > 0) options.seed = args.seed;
  options.threads = args.threads;
  options.log_name = args.log_file;
  options.patience = args.patience == "kaplan_meier" ? PatienceMethod::kKaplanMeier
                                                     : PatienceMethod::kExponential;
  const std::string format = OutputFormat(args.format, out);
  const std::filesystem::path out_dir = args.out_dir;
  if (!args.out_dir.empty() && !CreateOutputDirectory(out_dir, err)) return kFailure;

  ProgressBar bar(err, IsTerminal(err, std::cerr, STDERR_FILENO));
  options.progress = [&bar](int done, int total) { bar.Update(done, total); };
  absl::StatusOr<ReplayResult> result = Replay(*scenario, *log, options);
  bar.Clear();
  if (!result.ok()) {
    const bool invalid = result.status().code() == absl::StatusCode::kInvalidArgument;
    const std::string message(FirstLine(detail::Message(result.status())));
    // A log row's error names the log already; any other is the scenario's.
    const bool names_log = message.rfind(args.log_file + ": ", 0) == 0;
    err << (names_log  ? std::string()
            : invalid ? args.scenario_file + ": "
                      : std::string("switchboard: "))
        << message << "\n";
    return invalid ? kInvalid : kFailure;
  }
  const std::string log_name = std::filesystem::path(args.log_file).filename().string();
  const std::string json = ReplayToJson(*result, log_name);
  out << (format == "json" ? json : ReplayToTable(*result, log_name)) << std::flush;
  if (!out) {
    err << "switchboard: cannot write the results\n";
    return kFailure;
  }
  if (!out_dir.empty()) {
    if (!WriteFile(out_dir / "results.json", json, err)) return kFailure;
    if (!WriteFile(out_dir / "contacts.csv", ReplayContactsToCsv(*log, *result), err)) {
      return kFailure;
    }
    // The plot's data: the waits of the contacts answered in the log and in the replay.
    detail::JsonWriter waits;
    waits.BeginObject();
    waits.Key("logged_wait_s").BeginArray();
    for (size_t i = 0; i < log->size(); ++i) {
      if ((*log)[i].outcome == LoggedOutcome::kAnswered &&
          result->replayed.contacts[i].outcome == LoggedOutcome::kAnswered) {
        waits.Double((*log)[i].wait_s);
      }
    }
    waits.EndArray();
    waits.Key("replayed_wait_s").BeginArray();
    for (size_t i = 0; i < log->size(); ++i) {
      if ((*log)[i].outcome == LoggedOutcome::kAnswered &&
          result->replayed.contacts[i].outcome == LoggedOutcome::kAnswered) {
        waits.Double(result->replayed.contacts[i].wait_s);
      }
    }
    waits.EndArray();
    waits.EndObject();
    const std::filesystem::path data = out_dir / ".waits.json";
    std::ofstream(data, std::ios::binary) << std::move(waits).Take();
    detail::JsonWriter plot_options;
    plot_options.BeginObject();
    // The service-level threshold, when the queues share one.
    bool one_threshold = true;
    for (const QueueConfig& queue : scenario->queues) {
      one_threshold &= queue.service_level_threshold == scenario->queues[0].service_level_threshold;
    }
    if (one_threshold && !scenario->queues.empty()) {
      plot_options.Key("threshold_s")
          .Double(absl::ToDoubleSeconds(scenario->queues[0].service_level_threshold));
    }
    plot_options.Key("title").String(log_name + " replayed with " +
                                     std::filesystem::path(args.scenario_file).filename().string());
    plot_options.EndObject();
    err << Plot("replay_waits", data, out_dir / "waits.png", std::move(plot_options).Take())
        << "\n";
    std::error_code ignored;
    std::filesystem::remove(data, ignored);
  }
  return kOk;
}

}  // namespace switchboard::cli
