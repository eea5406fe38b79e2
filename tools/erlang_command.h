// `switchboard erlang` and `switchboard staff`: the Erlang calculators (switchboard/erlang.h) and
// staffing (switchboard/staffing.h) on the command line, and the JSON both print, which the
// Python package (switchboard.erlang) returns as dicts with the same keys.
//
//   switchboard erlang b|c|a --arrivals 720/h --aht 240s --agents 55 [--threshold 15s]
//                            [--patience 300s] [--format json|table]
//   switchboard staff --arrivals 720/h --aht 240s [--threshold 20s] [--target 0.8] [--model c|a]
//                     [--patience 300s] [--max-occupancy 0.9] [--max-abandon 0.05]
//                     [--shrinkage 0.3] [--format json|table]
//   switchboard staff --intraday DAY.csv [--interval 30m] [...] [--verify [--replications N]
//                     [--seed S] [--tolerance 0.03] [--threads N]] [--out DIR]
//
// docs/planning.md ("Erlang calculators", "Staffing") shows both with their output.
#ifndef SWITCHBOARD_TOOLS_ERLANG_COMMAND_H_
#define SWITCHBOARD_TOOLS_ERLANG_COMMAND_H_

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "switchboard/staffing.h"

namespace switchboard::cli {

// A duration as in scenario files: a number of seconds ("240", "12.5") or text like "45s",
// "4m", "1h30m" (ParseDurationText). InvalidArgument with the reason otherwise; negative values
// are refused.
absl::StatusOr<double> ParseSeconds(std::string_view text);

// One calculator question.
struct ErlangQuery {
  char model = 'c';  // 'b', 'c' or 'a'
  double arrival_rate_per_s = 0;
  double aht_s = 0;
  int agents = 0;
  double threshold_s = 20;     // c and a
  double mean_patience_s = 0;  // a
};

// The JSON object `switchboard erlang` prints: the inputs (model, arrivals_per_h, aht_s,
// agents, load_erlangs, and threshold_s / patience_s where used) and the results: `blocking`
// (b); p_wait, asa_s, service_level, occupancy (c, a) and abandon_rate (a). An unstable Erlang C
// queue has asa_s "inf". Errors: the calculators' InvalidArgument.
absl::StatusOr<std::string> ErlangJson(const ErlangQuery& query);

// The JSON object `switchboard staff` prints for one period: model, arrivals_per_h, aht_s,
// threshold_s, target, (patience_s), max_occupancy, (max_abandon), shrinkage, load_erlangs, then
// agents, p_wait, asa_s, service_level, occupancy, (abandon_rate) and scheduled.
absl::StatusOr<std::string> StaffJson(double arrival_rate_per_s, double aht_s,
                                      const StaffingOptions& options);

// The JSON of an intraday plan: the options (as StaffJson), interval_s, then "intervals", one
// object per interval with start ("HH:MM"), arrivals, aht_s, load_erlangs, agents, scheduled and
// the KPIs, and when `checks` is given, per interval "simulated" ({service_level, asa_s,
// abandon_rate, offered}: each {mean, ci95}) and "disagrees", plus a top-level "verify" object
// (replications, seed, tolerance, disagreeing). Totals: agent_hours, scheduled_hours.
std::string IntradayJson(const IntradayForecast& forecast,
                         const std::vector<IntervalRequirement>& plan,
                         const StaffingOptions& options,
                         const std::vector<IntervalCheck>* checks = nullptr,
                         const VerifyOptions* verify = nullptr);

struct ErlangArgs {
  std::string model;
  std::string arrivals;
  std::string aht;
  int agents = 0;
  std::string threshold = "20s";
  std::string patience;
  std::string format;  // empty: by terminal
};

struct StaffArgs {
  std::string arrivals;
  std::string aht;
  std::string threshold = "20s";
  double target = 0.8;
  std::string model = "c";
  std::string patience;
  double max_occupancy = 1;
  double max_abandon = 1;
  double shrinkage = 0;
  std::string intraday;
  std::string interval;
  bool verify = false;
  int replications = 20;
  uint64_t seed = 1;
  double tolerance = 0.03;
  int threads = 1;
  std::string out_dir;
  std::string format;  // empty: by terminal
};

// Add the subcommands and their options to `app`; `args` must outlive the parse.
CLI::App* AddErlangCommand(CLI::App& app, ErlangArgs& args);
CLI::App* AddStaffCommand(CLI::App& app, StaffArgs& args);

// Run a parsed subcommand; exit statuses as RunCli's (cli.h): 2 with one line naming the option
// for a bad value, 1 for another failure.
int RunErlang(const CLI::App& command, const ErlangArgs& args, std::ostream& out,
              std::ostream& err);
int RunStaff(const CLI::App& command, const StaffArgs& args, std::ostream& out, std::ostream& err);

}  // namespace switchboard::cli

#endif  // SWITCHBOARD_TOOLS_ERLANG_COMMAND_H_
