#include "erlang_command.h"

#include <unistd.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "base/json_writer.h"
#include "base/status_macros.h"
#include "cli_common.h"
#include "fmt/format.h"
#include "python_runner.h"
#include "scenario/scenario_internal.h"
#include "switchboard/erlang.h"
#include "switchboard/limits.h"
#include "switchboard/sim.h"

namespace switchboard::cli {
namespace {

using detail::JsonWriter;

// The message of a status, prefixed by the option it came from.
std::string OptionError(std::string_view option, const absl::Status& status) {
  return fmt::format("switchboard: {}: {}", option, FirstLine(detail::Message(status)));
}

// Whether a staffing error comes from the input (a value out of range, or a load no count up to
// kMaxStaffingAgents can serve): exit status 2 rather than 1.
bool InputError(const absl::Status& status) {
  return status.code() == absl::StatusCode::kInvalidArgument ||
         status.code() == absl::StatusCode::kOutOfRange;
}

std::optional<double> WholeNumber(std::string_view text) {
  double value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

void StaffingOptionsJson(JsonWriter& json, const StaffingOptions& options) {
  json.Key("threshold_s").Double(options.threshold_s);
  json.Key("target").Double(options.target);
  if (options.model == ErlangModel::kA) json.Key("patience_s").Double(options.mean_patience_s);
  json.Key("max_occupancy").Double(options.max_occupancy);
  if (options.model == ErlangModel::kA) json.Key("max_abandon").Double(options.max_abandon);
  json.Key("shrinkage").Double(options.shrinkage);
}

void StaffingResultJson(JsonWriter& json, const StaffingResult& result, ErlangModel model) {
  json.Key("load_erlangs").Double(result.load_erlangs);
  json.Key("agents").Int(result.agents);
  json.Key("p_wait").Double(result.p_wait);
  json.Key("asa_s").Double(result.asa_s);
  json.Key("service_level").Double(result.service_level);
  json.Key("occupancy").Double(result.occupancy);
  if (model == ErlangModel::kA) json.Key("abandon_rate").Double(result.abandon_rate);
  json.Key("scheduled").Int(result.scheduled);
}

void MetricJson(JsonWriter& json, std::string_view key, const Metric& metric) {
  json.Key(key).BeginObject();
  json.Key("mean").Double(metric.mean);
  json.Key("ci95").Double(metric.ci95);
  json.EndObject();
}

std::string Percent(double share) {
  if (!std::isfinite(share)) return "-";
  return fmt::format("{:.1f}%", share * 100);
}

std::string Seconds(double seconds) {
  if (!std::isfinite(seconds)) return "inf";
  return fmt::format("{:.1f}s", seconds);
}

// The plan as CSV: one row per interval, the simulated columns when verified.
std::string IntradayCsv(const std::vector<IntervalRequirement>& plan, ErlangModel model,
                        const std::vector<IntervalCheck>* checks) {
  std::string csv =
      "start,arrivals,aht_s,load_erlangs,agents,scheduled,p_wait,asa_s,service_level,occupancy";
  if (model == ErlangModel::kA) csv += ",abandon_rate";
  if (checks != nullptr) {
    csv +=
        ",sim_offered,sim_service_level,sim_service_level_ci95,sim_asa_s,sim_asa_s_ci95,"
        "sim_abandon_rate,sim_abandon_rate_ci95,disagrees";
  }
  csv += "\n";
  for (size_t i = 0; i < plan.size(); ++i) {
    const StaffingResult& s = plan[i].staffing;
    csv += fmt::format("{},{},{},{},{},{},{},{},{},{}", FormatTimeOfDay(plan[i].start),
                       plan[i].arrivals, plan[i].aht_s, s.load_erlangs, s.agents, s.scheduled,
                       s.p_wait, s.asa_s, s.service_level, s.occupancy);
    if (model == ErlangModel::kA) csv += fmt::format(",{}", s.abandon_rate);
    if (checks != nullptr) {
      const IntervalCheck& c = (*checks)[i];
      csv += fmt::format(",{},{},{},{},{},{},{},{}", c.offered.mean, c.service_level.mean,
                         c.service_level.ci95, c.asa_s.mean, c.asa_s.ci95, c.abandon_rate.mean,
                         c.abandon_rate.ci95, c.disagrees ? "true" : "false");
    }
    csv += "\n";
  }
  return csv;
}

std::string IntradayTable(const std::vector<IntervalRequirement>& plan, ErlangModel model,
                          const std::vector<IntervalCheck>* checks) {
  const bool a = model == ErlangModel::kA;
  std::string table = fmt::format("{:<8}{:>9}{:>8}{:>8}{:>10}{:>8}{:>8}", "start", "arrivals",
                                  "aht", "agents", "scheduled", "SL", "ASA");
  if (a) table += fmt::format("{:>9}", "abandon");
  if (checks != nullptr) {
    table += fmt::format("{:>18}{:>17}", "simulated SL", "simulated ASA");
    if (a) table += fmt::format("{:>18}", "simulated abandon");
  }
  table += "\n";
  int agent_intervals = 0;
  int scheduled_intervals = 0;
  int disagreeing = 0;
  for (size_t i = 0; i < plan.size(); ++i) {
    const StaffingResult& s = plan[i].staffing;
    agent_intervals += s.agents;
    scheduled_intervals += s.scheduled;
    table += fmt::format("{:<8}{:>9.6g}{:>8}{:>8}{:>10}{:>8}{:>8}", FormatTimeOfDay(plan[i].start),
                         plan[i].arrivals, Seconds(plan[i].aht_s), s.agents, s.scheduled,
                         Percent(s.service_level), Seconds(s.asa_s));
    if (a) table += fmt::format("{:>9}", Percent(s.abandon_rate));
    if (checks != nullptr) {
      const IntervalCheck& c = (*checks)[i];
      table += fmt::format(
          "{:>18}{:>17}",
          fmt::format("{} ± {:.1f}", Percent(c.service_level.mean), c.service_level.ci95 * 100),
          fmt::format("{} ± {:.1f}", Seconds(c.asa_s.mean), c.asa_s.ci95));
      if (a) {
        table += fmt::format("{:>18}", fmt::format("{} ± {:.1f}", Percent(c.abandon_rate.mean),
                                                   c.abandon_rate.ci95 * 100));
      }
      if (c.disagrees) {
        table += "  <- disagrees";
        ++disagreeing;
      }
    }
    table += "\n";
  }
  table += fmt::format("{} intervals; {} agent-intervals required, {} scheduled", plan.size(),
                       agent_intervals, scheduled_intervals);
  if (checks != nullptr) {
    table += fmt::format("; {} interval(s) where theory and simulation disagree", disagreeing);
  }
  table += "\n";
  return table;
}

// The numbers of one calculator question (the fields of its model only).
struct ErlangNumbers {
  double load_erlangs = 0;
  double blocking = 0;  // b
  double p_wait = 0;    // c, a
  double asa_s = 0;
  double service_level = 0;
  double occupancy = 0;
  double abandon_rate = 0;  // a
};

// Checks the query and runs its calculator.
absl::StatusOr<ErlangNumbers> ComputeErlang(const ErlangQuery& query) {
  if (query.agents > kMaxStaffingAgents) {
    return absl::InvalidArgumentError(
        fmt::format("agents must be at most {} (got {})", kMaxStaffingAgents, query.agents));
  }
  ErlangNumbers numbers;
  numbers.load_erlangs = query.arrival_rate_per_s * query.aht_s;
  if (query.model == 'b') {
    if (!(query.arrival_rate_per_s >= 0) || !std::isfinite(query.arrival_rate_per_s)) {
      return absl::InvalidArgumentError(
          fmt::format("arrival rate must be >= 0 and finite (got {})", query.arrival_rate_per_s));
    }
    if (!(query.aht_s > 0) || !std::isfinite(query.aht_s)) {
      return absl::InvalidArgumentError(
          fmt::format("average handle time must be > 0 and finite (got {})", query.aht_s));
    }
    if (query.agents < 0) {
      return absl::InvalidArgumentError(fmt::format("agents must be >= 0 (got {})", query.agents));
    }
    numbers.blocking = ErlangB(query.agents, numbers.load_erlangs);
  } else if (query.model == 'c') {
    absl::StatusOr<ErlangCResult> c =
        ErlangC(query.arrival_rate_per_s, query.aht_s, query.agents, query.threshold_s);
    if (!c.ok()) return c.status();
    numbers.p_wait = c->p_wait;
    numbers.asa_s = c->asa_s;
    numbers.service_level = c->service_level;
    numbers.occupancy = c->occupancy;
  } else if (query.model == 'a') {
    absl::StatusOr<ErlangAResult> a =
        ErlangA(query.arrival_rate_per_s, query.aht_s, query.mean_patience_s, query.agents,
                query.threshold_s);
    if (!a.ok()) return a.status();
    numbers.p_wait = a->p_wait;
    numbers.asa_s = a->asa_s;
    numbers.service_level = a->service_level;
    numbers.occupancy = a->occupancy;
    numbers.abandon_rate = a->abandon_rate;
  } else {
    return absl::InvalidArgumentError(
        fmt::format("model must be b, c or a (got '{}')", std::string_view(&query.model, 1)));
  }
  return numbers;
}

// The JSON of ErlangJson.
std::string ErlangNumbersJson(const ErlangQuery& query, const ErlangNumbers& numbers) {
  JsonWriter json;
  json.BeginObject();
  json.Key("model").String(std::string_view(&query.model, 1));
  json.Key("arrivals_per_h").Double(query.arrival_rate_per_s * 3600);
  json.Key("aht_s").Double(query.aht_s);
  json.Key("agents").Int(query.agents);
  if (query.model == 'b') {
    json.Key("load_erlangs").Double(numbers.load_erlangs);
    json.Key("blocking").Double(numbers.blocking);
  } else {
    json.Key("threshold_s").Double(query.threshold_s);
    if (query.model == 'a') json.Key("patience_s").Double(query.mean_patience_s);
    json.Key("load_erlangs").Double(numbers.load_erlangs);
    json.Key("p_wait").Double(numbers.p_wait);
    json.Key("asa_s").Double(numbers.asa_s);
    json.Key("service_level").Double(numbers.service_level);
    json.Key("occupancy").Double(numbers.occupancy);
    if (query.model == 'a') json.Key("abandon_rate").Double(numbers.abandon_rate);
  }
  json.EndObject();
  return std::move(json).Take();
}

// The same numbers as ErlangNumbersJson, one per line.
std::string ErlangNumbersTable(const ErlangQuery& query, const ErlangNumbers& numbers) {
  std::string text = fmt::format(
      "Erlang {}: {} contacts/h, AHT {}, {} agents, load {:.2f} Erlangs\n",
      static_cast<char>(std::toupper(static_cast<unsigned char>(query.model))),
      query.arrival_rate_per_s * 3600, Seconds(query.aht_s), query.agents, numbers.load_erlangs);
  if (query.model == 'b') {
    text += fmt::format("  blocking       {}\n", Percent(numbers.blocking));
    return text;
  }
  text += fmt::format("  p_wait         {}\n", Percent(numbers.p_wait));
  text += fmt::format("  asa_s          {}\n", Seconds(numbers.asa_s));
  text += fmt::format("  service_level  {} within {}\n", Percent(numbers.service_level),
                      Seconds(query.threshold_s));
  text += fmt::format("  occupancy      {}\n", Percent(numbers.occupancy));
  if (query.model == 'a') {
    text += fmt::format("  abandon_rate   {} (mean patience {})\n", Percent(numbers.abandon_rate),
                        Seconds(query.mean_patience_s));
  }
  return text;
}

// The JSON of StaffJson for a result Staff returned.
std::string StaffResultJson(double arrival_rate_per_s, double aht_s,
                            const StaffingOptions& options, const StaffingResult& result) {
  JsonWriter json;
  json.BeginObject();
  json.Key("model").String(ErlangModelName(options.model));
  json.Key("arrivals_per_h").Double(arrival_rate_per_s * 3600);
  json.Key("aht_s").Double(aht_s);
  StaffingOptionsJson(json, options);
  StaffingResultJson(json, result, options.model);
  json.EndObject();
  return std::move(json).Take();
}

// The mean patience of --patience, in seconds: required when `needed` (then `who`, "Erlang A"
// or "model a", needs it), refused otherwise (`hint` says how to ask for the model that has
// it); 0 when not needed. nullopt after writing one line to `err`.
std::optional<double> PatienceOption(const CLI::App& command, const std::string& text,
                                     bool needed, std::string_view who, std::string_view hint,
                                     std::ostream& err) {
  if (!needed) {
    if (command.count("--patience") > 0) {
      err << "switchboard: --patience: only " << who << " has patience (" << hint << ")\n";
      return std::nullopt;
    }
    return 0.0;
  }
  if (text.empty()) {
    err << "switchboard: --patience: " << who
        << " needs the mean patience (e.g. --patience 300s)\n";
    return std::nullopt;
  }
  absl::StatusOr<double> patience = ParseSeconds(text);
  if (!patience.ok()) {
    err << OptionError("--patience", patience.status()) << "\n";
    return std::nullopt;
  }
  return *patience;
}

// The option a calculator's InvalidArgument message is about (messages start with the field).
std::string_view ErlangOptionOf(std::string_view message) {
  struct Field {
    std::string_view option;
    std::string_view prefix;
  };
  for (const Field& field :
       {Field{"--arrivals", "arrival rate"}, Field{"--aht", "average handle time"},
        Field{"--agents", "agents"}, Field{"--threshold", "threshold"},
        Field{"--patience", "mean patience"}}) {
    if (message.substr(0, field.prefix.size()) == field.prefix) return field.option;
  }
  return {};
}

}  // namespace

absl::StatusOr<double> ParseSeconds(std::string_view text) {
  if (const std::optional<double> number = WholeNumber(text); number.has_value()) {
    if (*number < 0) {
      return absl::InvalidArgumentError(fmt::format("must be >= 0 (got {})", text));
    }
    return *number;
  }
  absl::StatusOr<absl::Duration> duration = ParseDurationText(text);
  if (!duration.ok()) return duration.status();
  return absl::ToDoubleSeconds(*duration);
}

absl::StatusOr<std::string> ErlangJson(const ErlangQuery& query) {
  absl::StatusOr<ErlangNumbers> numbers = ComputeErlang(query);
  if (!numbers.ok()) return numbers.status();
  return ErlangNumbersJson(query, *numbers);
}

absl::StatusOr<std::string> StaffJson(double arrival_rate_per_s, double aht_s,
                                      const StaffingOptions& options) {
  absl::StatusOr<StaffingResult> result = Staff(arrival_rate_per_s, aht_s, options);
  if (!result.ok()) return result.status();
  return StaffResultJson(arrival_rate_per_s, aht_s, options, *result);
}

std::string IntradayJson(const IntradayForecast& forecast,
                         const std::vector<IntervalRequirement>& plan,
                         const StaffingOptions& options, const std::vector<IntervalCheck>* checks,
                         const VerifyOptions* verify) {
  JsonWriter json;
  json.BeginObject();
  json.Key("model").String(ErlangModelName(options.model));
  json.Key("interval_s").Double(absl::ToDoubleSeconds(forecast.interval));
  StaffingOptionsJson(json, options);
  const double hours = absl::ToDoubleHours(forecast.interval);
  double agent_hours = 0;
  double scheduled_hours = 0;
  int disagreeing = 0;
  json.Key("intervals").BeginArray();
  for (size_t i = 0; i < plan.size(); ++i) {
    json.BeginObject();
    json.Key("start").String(FormatTimeOfDay(plan[i].start));
    json.Key("arrivals").Double(plan[i].arrivals);
    json.Key("aht_s").Double(plan[i].aht_s);
    StaffingResultJson(json, plan[i].staffing, options.model);
    agent_hours += plan[i].staffing.agents * hours;
    scheduled_hours += plan[i].staffing.scheduled * hours;
    if (checks != nullptr) {
      const IntervalCheck& check = (*checks)[i];
      json.Key("simulated").BeginObject();
      MetricJson(json, "service_level", check.service_level);
      MetricJson(json, "asa_s", check.asa_s);
      MetricJson(json, "abandon_rate", check.abandon_rate);
      MetricJson(json, "offered", check.offered);
      json.EndObject();
      json.Key("disagrees").Bool(check.disagrees);
      disagreeing += check.disagrees ? 1 : 0;
    }
    json.EndObject();
  }
  json.EndArray();
  json.Key("agent_hours").Double(agent_hours);
  json.Key("scheduled_hours").Double(scheduled_hours);
  if (checks != nullptr && verify != nullptr) {
    json.Key("verify").BeginObject();
    json.Key("replications").Int(verify->replications);
    json.Key("seed").Uint(verify->seed);
    json.Key("tolerance").Double(verify->tolerance);
    json.Key("disagreeing").Int(disagreeing);
    json.EndObject();
  }
  json.EndObject();
  return std::move(json).Take();
}

CLI::App* AddErlangCommand(CLI::App& app, ErlangArgs& args) {
  CLI::App* command = app.add_subcommand(
      "erlang",
      "Erlang B (blocking), C (M/M/N) or A (M/M/N+M, with abandonment) for a given "
      "number of agents.");
  command->add_option("model", args.model, "b, c or a")
      ->required()
      ->check(CLI::IsMember({"b", "c", "a"}));
  command->add_option("--arrivals", args.arrivals, "Arrival rate: N/h, N/m or N/s (720/h)")
      ->required();
  command->add_option("--aht", args.aht, "Average handle time: seconds or 240s, 4m")->required();
  command->add_option("--agents", args.agents, "Agents")
      ->required()
      ->check(IntegerFrom(0, kMaxStaffingAgents));
  command
      ->add_option("--threshold", args.threshold,
                   "Service-level threshold (c, a): answered within this counts")
      ->capture_default_str();
  command->add_option("--patience", args.patience, "Mean patience (a; required there)");
  AddFormatOption(*command, args.format);
  return command;
}

CLI::App* AddStaffCommand(CLI::App& app, StaffArgs& args) {
  CLI::App* command = app.add_subcommand(
      "staff",
      "The fewest agents meeting a service-level target (and occupancy and abandonment "
      "caps), for one period or per interval of a day, optionally checked by "
      "simulation.");
  command->add_option("--arrivals", args.arrivals,
                      "Arrival rate: N/h, N/m or N/s (720/h); not with --intraday");
  command->add_option("--aht", args.aht,
                      "Average handle time: seconds or 240s, 4m; not with --intraday");
  command->add_option("--threshold", args.threshold, "Service-level threshold")
      ->capture_default_str();
  command->add_option("--target", args.target, "Service-level target, a share below 1")
      ->capture_default_str();
  command->add_option("--model", args.model, "c (no abandonment) or a (exponential patience)")
      ->check(CLI::IsMember({"c", "a"}))
      ->capture_default_str();
  command->add_option("--patience", args.patience, "Mean patience (model a; required there)");
  command
      ->add_option("--max-occupancy", args.max_occupancy, "Cap on occupancy, a share (1: no cap)")
      ->capture_default_str();
  command
      ->add_option("--max-abandon", args.max_abandon,
                   "Cap on the abandon rate, a share (model a; 1: no cap)")
      ->capture_default_str();
  command
      ->add_option("--shrinkage", args.shrinkage,
                   "Share of paid time not available: scheduled = ceil(agents / (1 - s))")
      ->capture_default_str();
  command->add_option("--intraday", args.intraday,
                      "CSV forecast (start,arrivals,aht_s): the requirement per interval");
  command->add_option("--interval", args.interval,
                      "Interval length of --intraday (default: from the starts)");
  command->add_flag("--verify", args.verify,
                    "Simulate the staffed day and compare each interval with the theory");
  command->add_option("--replications", args.replications, "Replications of --verify")
      ->check(IntegerFrom(2, std::numeric_limits<int>::max()))
      ->capture_default_str();
  command->add_option("--seed", args.seed, "Seed of --verify")
      ->check(IntegerFrom(0, std::numeric_limits<uint64_t>::max()))
      ->capture_default_str();
  command
      ->add_option("--tolerance", args.tolerance,
                   "--verify: disagreement beyond the 95 % half-width plus this share")
      ->capture_default_str();
  command->add_option("--threads", args.threads, "Threads of --verify; results do not depend on it")
      ->check(IntegerFrom(1, kMaxThreads))
      ->capture_default_str();
  command->add_option("--out", args.out_dir,
                      "With --intraday: write DIR/staffing.json, DIR/staffing.csv and "
                      "DIR/staffing.png");
  AddFormatOption(*command, args.format);
  return command;
}

int RunErlang(const CLI::App& command, const ErlangArgs& args, std::ostream& out,
              std::ostream& err) {
  ErlangQuery query;
  query.model = args.model.empty() ? 'c' : args.model[0];
  query.agents = args.agents;
  absl::StatusOr<double> rate = ParseArrivalRate(args.arrivals);
  if (!rate.ok()) {
    err << OptionError("--arrivals", rate.status()) << "\n";
    return kInvalid;
  }
  query.arrival_rate_per_s = *rate;
  absl::StatusOr<double> aht = ParseSeconds(args.aht);
  if (!aht.ok()) {
    err << OptionError("--aht", aht.status()) << "\n";
    return kInvalid;
  }
  query.aht_s = *aht;
  absl::StatusOr<double> threshold = ParseSeconds(args.threshold);
  if (!threshold.ok()) {
    err << OptionError("--threshold", threshold.status()) << "\n";
    return kInvalid;
  }
  query.threshold_s = *threshold;
  if (query.model == 'b' && command.count("--threshold") > 0) {
    err << "switchboard: --threshold: Erlang B has no service level (use erlang c or a)\n";
    return kInvalid;
  }
  const std::optional<double> patience =
      PatienceOption(command, args.patience, query.model == 'a', "Erlang A", "use erlang a", err);
  if (!patience) return kInvalid;
  query.mean_patience_s = *patience;
  absl::StatusOr<ErlangNumbers> numbers = ComputeErlang(query);
  if (!numbers.ok()) {
    const std::string_view option = ErlangOptionOf(detail::Message(numbers.status()));
    if (option.empty()) {
      err << "switchboard: " << FirstLine(detail::Message(numbers.status())) << "\n";
    } else {
      err << OptionError(option, numbers.status()) << "\n";
    }
    return kInvalid;
  }
  out << (OutputFormat(args.format, out) == "json" ? ErlangNumbersJson(query, *numbers) + "\n"
                                                     : ErlangNumbersTable(query, *numbers))
      << std::flush;
  if (!out) {
    err << "switchboard: cannot write the results\n";
    return kFailure;
  }
  return kOk;
}

int RunStaff(const CLI::App& command, const StaffArgs& args, std::ostream& out, std::ostream& err) {
  StaffingOptions options;
  options.model = args.model == "a" ? ErlangModel::kA : ErlangModel::kC;
  absl::StatusOr<double> threshold = ParseSeconds(args.threshold);
  if (!threshold.ok()) {
    err << OptionError("--threshold", threshold.status()) << "\n";
    return kInvalid;
  }
  options.threshold_s = *threshold;
  options.target = args.target;
  options.max_occupancy = args.max_occupancy;
  options.max_abandon = args.max_abandon;
  options.shrinkage = args.shrinkage;
  const std::optional<double> patience =
      PatienceOption(command, args.patience, options.model == ErlangModel::kA, "model a",
                     "add --model a", err);
  if (!patience) return kInvalid;
  options.mean_patience_s = *patience;
  // Name the option of a value out of range.
  struct Field {
    const char* option;
    const char* needle;
  };
  if (absl::Status valid = ValidateStaffingOptions(options); !valid.ok()) {
    const std::string_view message = detail::Message(valid);
    std::string_view option = "--model";
    for (const Field& field :
         {Field{"--threshold", "threshold"}, Field{"--target", "target"},
          Field{"--max-occupancy", "max occupancy"}, Field{"--max-abandon", "max abandon"},
          Field{"--shrinkage", "shrinkage"}, Field{"--patience", "patience"}}) {
      if (message.substr(0, std::string_view(field.needle).size()) == field.needle ||
          (std::string_view(field.needle) == "patience" &&
           message.find("patience") != std::string_view::npos)) {
        option = field.option;
        break;
      }
    }
    err << OptionError(option, valid) << "\n";
    return kInvalid;
  }
  const std::string format = OutputFormat(args.format, out);
  if (!args.verify) {
    for (const char* option : {"--replications", "--seed", "--threads", "--tolerance"}) {
      if (command.count(option) > 0) {
        err << "switchboard: " << option << ": needs --verify\n";
        return kInvalid;
      }
    }
  }

  if (args.intraday.empty()) {
    for (const char* option : {"--interval", "--out"}) {
      if (command.count(option) > 0) {
        err << "switchboard: " << option << ": needs --intraday\n";
        return kInvalid;
      }
    }
    if (args.verify) {
      err << "switchboard: --verify: needs --intraday (a day to simulate)\n";
      return kInvalid;
    }
    if (args.arrivals.empty() || args.aht.empty()) {
      err << "switchboard: " << (args.arrivals.empty() ? "--arrivals" : "--aht")
          << ": required (or give --intraday FILE.csv)\n";
      return kInvalid;
    }
    absl::StatusOr<double> rate = ParseArrivalRate(args.arrivals);
    if (!rate.ok()) {
      err << OptionError("--arrivals", rate.status()) << "\n";
      return kInvalid;
    }
    absl::StatusOr<double> aht = ParseSeconds(args.aht);
    if (!aht.ok()) {
      err << OptionError("--aht", aht.status()) << "\n";
      return kInvalid;
    }
    if (!(*aht > 0)) {
      err << "switchboard: --aht: average handle time must be > 0\n";
      return kInvalid;
    }
    absl::StatusOr<StaffingResult> result = Staff(*rate, *aht, options);
    if (!result.ok()) {
      err << "switchboard: " << FirstLine(detail::Message(result.status())) << "\n";
      return InputError(result.status()) ? kInvalid : kFailure;
    }
    if (format == "json") {
      out << StaffResultJson(*rate, *aht, options, *result) << "\n";
    } else {
      const StaffingResult& r = *result;
      out << fmt::format(
          "Erlang {}: {} contacts/h, AHT {}, load {:.2f} Erlangs; target {} "
          "within {}\n",
          ErlangModelName(options.model) == "a" ? 'A' : 'C', *rate * 3600, Seconds(*aht),
          r.load_erlangs, Percent(options.target), Seconds(options.threshold_s));
      out << fmt::format("  agents         {}\n", r.agents);
      out << fmt::format("  p_wait         {}\n", Percent(r.p_wait));
      out << fmt::format("  asa_s          {}\n", Seconds(r.asa_s));
      out << fmt::format("  service_level  {}\n", Percent(r.service_level));
      out << fmt::format("  occupancy      {}\n", Percent(r.occupancy));
      if (options.model == ErlangModel::kA) {
        out << fmt::format("  abandon_rate   {}\n", Percent(r.abandon_rate));
      }
      out << fmt::format("  scheduled      {} (shrinkage {})\n", r.scheduled,
                         Percent(options.shrinkage));
    }
    out << std::flush;
    if (!out) {
      err << "switchboard: cannot write the results\n";
      return kFailure;
    }
    return kOk;
  }

  for (const char* option : {"--arrivals", "--aht"}) {
    if (command.count(option) > 0) {
      err << "switchboard: " << option << ": not with --intraday (the file gives it per "
          << "interval)\n";
      return kInvalid;
    }
  }
  std::optional<absl::Duration> interval;
  if (!args.interval.empty()) {
    absl::StatusOr<double> seconds = ParseSeconds(args.interval);
    if (!seconds.ok()) {
      err << OptionError("--interval", seconds.status()) << "\n";
      return kInvalid;
    }
    interval = absl::Seconds(*seconds);
  }
  if (!(args.tolerance >= 0) || !std::isfinite(args.tolerance)) {
    err << "switchboard: --tolerance: must be >= 0 (got " << args.tolerance << ")\n";
    return kInvalid;
  }
  absl::StatusOr<IntradayForecast> forecast = ReadIntradayCsv(args.intraday, interval);
  if (!forecast.ok()) {
    err << "switchboard: " << FirstLine(detail::Message(forecast.status())) << "\n";
    return kInvalid;
  }
  absl::StatusOr<std::vector<IntervalRequirement>> plan = StaffIntraday(*forecast, options);
  if (!plan.ok()) {
    err << "switchboard: " << args.intraday << ": " << FirstLine(detail::Message(plan.status()))
        << "\n";
    return InputError(plan.status()) ? kInvalid : kFailure;
  }
  std::filesystem::path out_dir;
  if (!args.out_dir.empty()) {
    out_dir = args.out_dir;
    if (!CreateOutputDirectory(out_dir, err)) return kFailure;
  }
  std::optional<std::vector<IntervalCheck>> checks;
  VerifyOptions verify;
  verify.replications = args.replications;
  verify.seed = args.seed;
  verify.tolerance = args.tolerance;
  verify.threads = args.threads;
  if (args.verify) {
    ProgressBar bar(err, IsTerminal(err, std::cerr, STDERR_FILENO));
    verify.progress = [&bar](int done, int total) { bar.Update(done, total); };
    absl::StatusOr<std::vector<IntervalCheck>> result =
        VerifyStaffing(*forecast, *plan, options, verify);
    bar.Clear();
    verify.progress = nullptr;
    if (!result.ok()) {
      err << "switchboard: --verify: " << FirstLine(detail::Message(result.status())) << "\n";
      return result.status().code() == absl::StatusCode::kInvalidArgument ? kInvalid : kFailure;
    }
    checks = *std::move(result);
  }
  const std::vector<IntervalCheck>* checks_ptr = checks ? &*checks : nullptr;
  const std::string json =
      IntradayJson(*forecast, *plan, options, checks_ptr, checks_ptr ? &verify : nullptr);
  out << (format == "json" ? json + "\n" : IntradayTable(*plan, options.model, checks_ptr))
      << std::flush;
  if (!out) {
    err << "switchboard: cannot write the results\n";
    return kFailure;
  }
  if (!out_dir.empty()) {
    const std::filesystem::path json_path = out_dir / "staffing.json";
    if (!WriteFile(json_path, json + "\n", err)) return kFailure;
    if (!WriteFile(out_dir / "staffing.csv", IntradayCsv(*plan, options.model, checks_ptr), err)) {
      return kFailure;
    }
    err << Plot("staffing", json_path, out_dir / "staffing.png") << "\n";
  }
  return kOk;
}

}  // namespace switchboard::cli
