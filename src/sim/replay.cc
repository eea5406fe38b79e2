// Replaying a contact log through the simulator (replay.h): the patience fit, the log turned
// into a trace of the scenario's engine, the log's own KPIs and the reports.
#include "switchboard/replay.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <tuple>

#include "base/durations.h"
#include "base/json_writer.h"
#include "base/status_macros.h"
#include "core/validation.h"
#include "fmt/format.h"
#include "sim/sampling.h"
#include "sim/tally.h"
#include "sim/trace.h"
#include "switchboard/contact_condition.h"
#include "switchboard/entry_rules.h"
#include "switchboard/limits.h"
#include "switchboard/report.h"

namespace switchboard {
namespace {

using detail::Micros;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Micros SecondsToMicros(double seconds) { return static_cast<Micros>(std::llround(seconds * 1e6)); }

// The line of a log row: the one it was read from, else the one it has in the CSV
// ContactLogToCsv writes (the header is line 1).
size_t LineOf(std::span<const ContactRecord> log, size_t row) {
  return log[row].line > 0 ? static_cast<size_t>(log[row].line) : row + 2;
}

// A CSV field, quoted when it holds a comma or a quote.
std::string QuotedField(std::string_view field) {
  if (field.find_first_of(",\"\n") == std::string_view::npos) return std::string(field);
  std::string quoted = "\"";
  for (char c : field) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + '"';
}

// The handle-time distribution of the scenario's first stream of `queue` and `channel`, else
// of `queue`, else its first stream's.
const Distribution& HandleFor(const SimulationConfig& scenario, std::string_view queue,
                              Channel channel) {
  for (const TrafficConfig& traffic : scenario.traffic) {
    if (traffic.queue == queue && traffic.channel == channel) return traffic.handle;
  }
  for (const TrafficConfig& traffic : scenario.traffic) {
    if (traffic.queue == queue) return traffic.handle;
  }
  return scenario.traffic.front().handle;
}

constexpr double kMaxSeconds = 360'000'000;  // kMaxDuration

// The overflow offer a logged outcome shows the customer accepted (kDisconnect: none).
OverflowRule::Action AcceptedOffer(const ContactRecord& r) {
  if (r.outcome == LoggedOutcome::kDeflected) return OverflowRule::Action::kDeflect;
  const bool called_back = r.outcome == LoggedOutcome::kCallbackFailed ||
                           (r.outcome == LoggedOutcome::kAnswered && r.answered_s &&
                            *r.answered_s > r.wait_s);
  return called_back ? OverflowRule::Action::kCallback : OverflowRule::Action::kDisconnect;
}

// The scenario's wrap-up for contacts of `queue` on `channel`: its first stream of that queue
// and channel, else of that queue, else none.
absl::Duration WrapUpFor(const SimulationConfig& scenario, std::string_view queue,
                         Channel channel) {
  for (const TrafficConfig& traffic : scenario.traffic) {
    if (traffic.queue == queue && traffic.channel == channel) return traffic.wrap_up;
  }
  for (const TrafficConfig& traffic : scenario.traffic) {
    if (traffic.queue == queue) return traffic.wrap_up;
  }
  return absl::ZeroDuration();
}

// The log's KPIs, tallied as the simulator tallies one replication (sim/tally.h), with the
// queues the replay found each contact entering.
SimulationResult LoggedKpis(const SimulationConfig& config, std::span<const ContactRecord> log,
                            std::span<const ContactRecord> entered,
                            const std::vector<Micros>& wrap_up) {
  const size_t queues = config.queues.size();
  std::map<std::string, size_t, std::less<>> position;
  for (size_t q = 0; q < queues; ++q) position[config.queues[q].id] = q;
  const double start = absl::ToDoubleSeconds(config.warmup);
  const double end = start + absl::ToDoubleSeconds(config.duration);
  const double interval = absl::ToDoubleSeconds(config.interval);
  const int intervals = static_cast<int>(std::ceil((end - start) / interval - 1e-9));
  detail::ReplicationResult run;
  run.queues.assign(queues + 1, {});
  run.intervals.assign(intervals, std::vector<detail::Tally>(queues + 1));
  run.occupancy = kNaN;
  run.interval_occupancy.assign(intervals, kNaN);
  run.contacts = static_cast<int64_t>(log.size());
  auto interval_of = [&](double t) {
    return std::min(static_cast<int>((t - start) / interval), intervals - 1);
  };
  std::map<uint64_t, std::pair<size_t, double>> first_call;  // customer -> queue, arrival
  std::set<uint64_t> served;
  for (size_t i = 0; i < log.size(); ++i) {
    const ContactRecord& r = log[i];
    const auto found = position.find(entered[i].queue);
    const size_t q = found == position.end() ? queues : found->second;
    if (!r.redial || first_call.count(r.customer) == 0) first_call[r.customer] = {q, r.arrival_s};
    // Time waiting, clipped to the measured period, for the queue-length integral.
    const double from = std::max(r.arrival_s, start);
    const double to = std::min(r.arrival_s + r.queued_s.value_or(r.wait_s), end);
    if (to > from) {
      run.queues[q].queue_area_s += to - from;
      for (int k = interval_of(from); k < intervals; ++k) {
        const double k_start = start + k * interval;
        if (k_start >= to) break;
        const double overlap = std::min(to, k_start + interval) - std::max(from, k_start);
        if (overlap > 0) run.intervals[k][q].queue_area_s += overlap;
      }
    }
    const auto [first_queue, first_arrival] = first_call[r.customer];
    // As the simulator: served once, on an answer to a call in the measured period whose
    // customer first called in it.
    const bool first_service =
        r.outcome == LoggedOutcome::kAnswered && served.insert(r.customer).second;
    if (first_service && r.arrival_s >= start && r.arrival_s < end && first_arrival >= start) {
      ++run.queues[first_queue].customers_served;
      ++run.intervals[interval_of(first_arrival)][first_queue].customers_served;
    }
    if (r.arrival_s < start || r.arrival_s >= end) continue;
    for (detail::Tally* t : {&run.queues[q], &run.intervals[interval_of(r.arrival_s)][q]}) {
      ++t->offered;
      ++(r.redial ? t->redials : t->first_attempts);
      switch (r.outcome) {
        case LoggedOutcome::kAnswered: {
          const double threshold_s =
              q < queues ? absl::ToDoubleSeconds(config.queues[q].service_level_threshold) : 0;
          // The wait to the answer (a callback's: to the connection).
          const double wait_s = r.answered_s.value_or(r.wait_s);
          ++t->answered;
          t->answered_within += wait_s <= threshold_s + 1e-9;
          t->waited += wait_s > 0;
          t->wait_sum_s += wait_s;
          t->max_wait_s = std::max(t->max_wait_s, wait_s);
          ++t->handled;
          t->handle_sum_s += r.handle_s + static_cast<double>(wrap_up[i]) / 1e6;
          t->ewt_abs_error_sum_s = kNaN;
          t->ewt_error_sum_s = kNaN;
          break;
        }
        case LoggedOutcome::kAbandoned:
          ++t->abandoned;
          break;
        case LoggedOutcome::kDeflected:
          ++t->deflected;
          ++t->overflowed;
          break;
        case LoggedOutcome::kVoicemail:
          ++t->voicemail;
          ++t->overflowed;
          break;
        case LoggedOutcome::kDisconnected:
          ++t->disconnected;
          ++t->overflowed;
          break;
        case LoggedOutcome::kCallbackFailed:
          ++t->callbacks_failed;
          break;
        case LoggedOutcome::kWaiting:
        case LoggedOutcome::kSkipped:
          break;
      }
    }
  }
  SimulationConfig one = config;
  one.replications = 1;
  std::vector<absl::StatusOr<detail::ReplicationResult>> runs;
  runs.push_back(std::move(run));
  return detail::Combine(one, runs);
}

}  // namespace

PatienceFit FitPatience(std::span<const ContactRecord> log, PatienceMethod method) {
  PatienceFit fit;
  std::vector<std::pair<double, bool>> waits;  // (wait, abandoned)
  for (const ContactRecord& r : log) {
    // Not on the line: a skipped redial, a contact deflected on arrival.
    if (r.outcome == LoggedOutcome::kSkipped ||
        (r.outcome == LoggedOutcome::kDeflected && r.wait_s == 0)) {
      continue;
    }
    ++fit.contacts;
    fit.abandoned += r.outcome == LoggedOutcome::kAbandoned;
    fit.total_wait_s += r.wait_s;
    if (method == PatienceMethod::kKaplanMeier) {
      waits.emplace_back(r.wait_s, r.outcome == LoggedOutcome::kAbandoned);
    }
  }
  constexpr double kInfinity = std::numeric_limits<double>::infinity();
  fit.mean_s = fit.abandoned > 0 ? fit.total_wait_s / static_cast<double>(fit.abandoned)
                                 : kInfinity;
  fit.median_s = kInfinity;
  if (method == PatienceMethod::kExponential) return fit;
  fit.method = "kaplan_meier";
  std::sort(waits.begin(), waits.end());
  double survival = 1;
  size_t i = 0;
  while (i < waits.size()) {
    const double t = waits[i].first;
    const size_t at_risk = waits.size() - i;  // waits >= t
    size_t abandoned = 0;
    size_t j = i;
    for (; j < waits.size() && waits[j].first == t; ++j) abandoned += waits[j].second;
    if (abandoned > 0) {
      survival *= 1.0 - static_cast<double>(abandoned) / static_cast<double>(at_risk);
      fit.survival.emplace_back(t, survival);
      if (survival <= 0.5 && std::isinf(fit.median_s)) fit.median_s = t;
    }
    i = j;
  }
  return fit;
}

absl::StatusOr<ReplayResult> Replay(const SimulationConfig& scenario,
                                    std::span<const ContactRecord> log,
                                    const ReplayOptions& options) {
  SWITCHBOARD_RETURN_IF_ERROR(ValidateSimulation(scenario));
  if (options.replications < 0 ||
      options.replications > scenario.limits.max_replications) {
    return absl::InvalidArgumentError(fmt::format("replications is {}; expected 1..{}",
                                                  options.replications,
                                                  scenario.limits.max_replications));
  }
  ReplayResult result;
  result.patience = FitPatience(log, options.patience);

  SimulationConfig config = scenario;
  if (options.replications > 0) config.replications = options.replications;
  if (options.seed) config.seed = *options.seed;
  config.traffic.clear();
  detail::Trace trace;
  trace.patience_mean_s = result.patience.mean_s;
  for (const auto& [t, survival] : result.patience.survival) {
    trace.survival.emplace_back(SecondsToMicros(t), survival);
  }
  std::set<std::string_view> queue_names;
  for (const QueueConfig& queue : scenario.queues) queue_names.insert(queue.id);
  // One stream per distinct (queue, attributes, channel, priority) of the log.
  std::map<std::tuple<std::string, Attributes, Channel, int>, uint32_t> streams;
  struct Customer {
    uint32_t number;       // dense
    Micros first_arrival;
    uint32_t first_traffic;
  };
  std::map<uint64_t, Customer> customers;
  // Talk times a log leaves empty: one draw per row, the same in every replication.
  uint64_t state = config.seed ^ 0x68616e646c655f73ULL;
  detail::Random handle_draws(detail::SplitMix64(state));
  std::vector<Micros> wrap_up;
  // The entry rules' conditions, for rows without a queue.
  std::vector<ContactCondition> conditions;
  for (const EntryRule& route : scenario.routes) {
    absl::StatusOr<ContactCondition> condition = ContactCondition::Parse(route.when);
    if (!condition.ok()) return condition.status();  // ValidateSimulation parsed it already
    conditions.push_back(*std::move(condition));
  }
  auto row_error = [&](size_t i, std::string_view column, std::string_view what) {
    return absl::InvalidArgumentError(fmt::format("{}: line {}, column '{}': {}",
                                                  options.log_name, LineOf(log, i), column, what));
  };
  for (size_t i = 0; i < log.size(); ++i) {
    const ContactRecord& r = log[i];
    // The engine's clock reads start + arrival; a wait or a handle time may follow it.
    if (scenario.start + absl::Seconds(r.arrival_s) + 2 * kMaxDuration > kMaxTime) {
      return row_error(i, "arrival_s", fmt::format("{} s after the scenario's start is too late "
                                                   "for the engine's clock (year 9999)",
                                                   r.arrival_s));
    }
    // What ParseContactLog checks, for records built in code (the trace skips validation).
    if (r.priority < -kMaxPriority || r.priority > kMaxPriority) {
      return row_error(i, "priority", fmt::format("{} is outside {}..{}", r.priority,
                                                  -kMaxPriority, kMaxPriority));
    }
    SWITCHBOARD_RETURN_IF_ERROR(detail::CheckAttributes(
        fmt::format("{}: line {}, column 'attributes'", options.log_name, LineOf(log, i)),
        r.attributes));
    if (!r.queue.empty() && queue_names.count(r.queue) == 0) {
      return row_error(i, "queue", fmt::format("queue '{}' is not a queue of the scenario",
                                               r.queue));
    }
    if (r.queue.empty() && scenario.routes.empty()) {
      return row_error(i, "queue", "empty, and the scenario has no [[route]] to place the "
                                   "contact by its attributes");
    }
    if (r.queue.empty() &&
        std::none_of(conditions.begin(), conditions.end(),
                     [&](const ContactCondition& c) { return c.Matches(r.attributes); })) {
      return row_error(i, "attributes", "no queue, and no [[route]] of the scenario matches "
                                        "these attributes");
    }
    auto [stream, added] = streams.try_emplace({r.queue, r.attributes, r.channel, r.priority},
                                               static_cast<uint32_t>(config.traffic.size()));
    if (added) {
      TrafficConfig& traffic = config.traffic.emplace_back();
      traffic.queue = r.queue;
      if (!r.attributes.empty()) traffic.attributes.push_back({.share = 1, .attributes = r.attributes});
      traffic.channel = r.channel;
      traffic.priority = r.priority;
      traffic.wrap_up = WrapUpFor(scenario, r.queue, r.channel);
      traffic.arrivals.rates = {0};  // the trace brings the arrivals
    }
    wrap_up.push_back(detail::ToMicros(config.traffic[stream->second].wrap_up));
    Micros handle = 0;
    if (std::isnan(r.handle_s)) {  // not logged: the scenario's distribution
      const detail::Sampler sampler(HandleFor(scenario, r.queue, r.channel));
      const double drawn = sampler.DrawSeconds(handle_draws);
      handle = std::isfinite(drawn) ? SecondsToMicros(std::min(drawn, kMaxSeconds)) : 0;
    } else {
      handle = SecondsToMicros(r.handle_s);
    }
    const Micros arrival = SecondsToMicros(r.arrival_s);
    auto [customer, first] = customers.try_emplace(
        r.customer, Customer{static_cast<uint32_t>(customers.size()), arrival, stream->second});
    trace.arrivals.push_back({.arrival = arrival,
                              .traffic = stream->second,
                              .handle = handle,
                              .abandoned = r.outcome == LoggedOutcome::kAbandoned,
                              .wait = SecondsToMicros(r.wait_s),
                              .customer = customer->second.number,
                              .first_arrival = customer->second.first_arrival,
                              .first_traffic = customer->second.first_traffic,
                              .redial = r.redial && !first,
                              .accepts = AcceptedOffer(r)});
  }
  trace.customers = static_cast<uint32_t>(customers.size());

  RunOptions run;
  run.threads = options.threads;
  run.progress = options.progress;
  run.record_contacts = true;
  absl::StatusOr<SimulationResult> replayed = detail::SimulateTrace(config, trace, run);
  if (!replayed.ok()) return replayed.status();
  result.replayed = *std::move(replayed);
  result.replayed.scenario = scenario.scenario;
  result.logged = LoggedKpis(config, log, result.replayed.contacts, wrap_up);
  result.logged.scenario = scenario.scenario;
  result.logged.seed = config.seed;

  ReplayAgreement& agreement = result.agreement;
  agreement.contacts = static_cast<int64_t>(log.size());
  double difference_sum = 0;
  int64_t within = 0;
  for (size_t i = 0; i < log.size(); ++i) {
    const ContactRecord& a = log[i];
    const ContactRecord& b = result.replayed.contacts[i];
    agreement.same_outcome += a.outcome == b.outcome;
    if (a.outcome != LoggedOutcome::kAnswered || b.outcome != LoggedOutcome::kAnswered) continue;
    ++agreement.compared;
    const double difference = std::abs(b.wait_s - a.wait_s);
    difference_sum += difference;
    within += difference <= 1.0;
  }
  if (agreement.compared > 0) {
    agreement.mean_abs_wait_difference_s = difference_sum / static_cast<double>(agreement.compared);
    agreement.within_1s = static_cast<double>(within) / static_cast<double>(agreement.compared);
  }
  return result;
}

std::string ReplayToJson(const ReplayResult& result, std::string_view log_name) {
  auto string = [](std::string_view value) {
    detail::JsonWriter w;
    w.String(value);
    return std::move(w).Take();
  };
  detail::JsonWriter patience;
  patience.BeginObject();
  patience.Key("method").String(result.patience.method);
  if (std::isfinite(result.patience.mean_s)) {
    patience.Key("mean_s").Double(result.patience.mean_s);
  } else {
    patience.Key("mean_s").Null();  // nobody abandoned
  }
  if (result.patience.method == "kaplan_meier") {
    if (std::isfinite(result.patience.median_s)) {
      patience.Key("median_s").Double(result.patience.median_s);
    } else {
      patience.Key("median_s").Null();  // S stays above one half
    }
    patience.Key("steps").Int(static_cast<int64_t>(result.patience.survival.size()));
  }
  patience.Key("contacts").Int(result.patience.contacts);
  patience.Key("abandoned").Int(result.patience.abandoned);
  patience.Key("total_wait_s").Double(result.patience.total_wait_s);
  patience.EndObject();
  detail::JsonWriter agreement;
  agreement.BeginObject();
  agreement.Key("contacts").Int(result.agreement.contacts);
  agreement.Key("same_outcome").Int(result.agreement.same_outcome);
  agreement.Key("compared").Int(result.agreement.compared);
  agreement.Key("mean_abs_wait_difference_s").Double(result.agreement.mean_abs_wait_difference_s);
  agreement.Key("within_1s").Double(result.agreement.within_1s);
  agreement.EndObject();
  // The two results as ResultsToJson prints them, indented one level.
  auto nested = [](const SimulationResult& kpis) {
    std::string json = ResultsToJson(kpis);
    while (!json.empty() && (json.back() == '\n' || json.back() == ' ')) json.pop_back();
    std::string indented;
    for (char c : json) {
      indented += c;
      if (c == '\n') indented += "  ";
    }
    return indented;
  };
  std::string out = "{\n";
  out += "  \"scenario\": " + string(result.replayed.scenario) + ",\n";
  out += "  \"log\": " + string(log_name) + ",\n";
  out += "  \"patience\": " + std::move(patience).Take() + ",\n";
  out += "  \"agreement\": " + std::move(agreement).Take() + ",\n";
  out += "  \"logged\": " + nested(result.logged) + ",\n";
  out += "  \"replayed\": " + nested(result.replayed) + "\n}\n";
  return out;
}

std::string ReplayToTable(const ReplayResult& result, std::string_view log_name) {
  std::string out = fmt::format("log: {}   scenario: {}   replications: {}   seed: {}\n",
                                log_name, result.replayed.scenario,
                                result.replayed.replications, result.replayed.seed);
  const PatienceFit& p = result.patience;
  auto seconds = [](double x) {
    return std::isfinite(x) ? fmt::format("{:.1f} s", x) : std::string("infinite");
  };
  if (p.method == "kaplan_meier") {
    out += fmt::format(
        "patience: Kaplan-Meier, {} steps: median {}; exponential tail of mean {} ({} abandoned "
        "of {} contacts)\n",
        p.survival.size(), seconds(p.median_s), seconds(p.mean_s), p.abandoned, p.contacts);
  } else {
    out += fmt::format(
        "patience: exponential, censored maximum likelihood: mean {} ({} abandoned of {} "
        "contacts, {:.0f} s waited in all)\n",
        seconds(p.mean_s), p.abandoned, p.contacts, p.total_wait_s);
  }
  const ReplayAgreement& a = result.agreement;
  out += fmt::format(
      "first replication against the log: same outcome {} of {}; answered in both {}: mean "
      "|wait difference| {:.2f} s, within 1 s {:.1f} %\n\n",
      a.same_outcome, a.contacts, a.compared, a.mean_abs_wait_difference_s, 100 * a.within_1s);
  struct Row {
    const char* label;
    Metric Kpis::*member;
    double scale;
    int precision;
  };
  constexpr Row kRows[] = {
      {"offered", &Kpis::offered, 1, 1},
      {"answered", &Kpis::answered, 1, 1},
      {"abandoned", &Kpis::abandoned, 1, 1},
      {"service level %", &Kpis::service_level, 100, 1},
      {"ASA s", &Kpis::asa_s, 1, 1},
      {"abandon %", &Kpis::abandon_rate, 100, 2},
      {"P(wait) %", &Kpis::p_wait, 100, 1},
      {"max wait s", &Kpis::max_wait_s, 1, 1},
      {"mean queue", &Kpis::mean_queue_length, 1, 2},
      {"AHT s", &Kpis::aht_s, 1, 1},
      {"first calls", &Kpis::first_attempts, 1, 1},
      {"redials", &Kpis::redials, 1, 1},
      {"customers served", &Kpis::customers_served, 1, 1},
  };
  auto section = [&](std::string_view name, const Kpis& logged, const Kpis& replayed) {
    out += fmt::format("{:<18}{:>12}{:>22}\n", name, "logged", "replayed");
    for (const Row& row : kRows) {
      const Metric& l = logged.*row.member;
      const Metric& r = replayed.*row.member;
      std::string replayed_cell = fmt::format("{:.{}f}", r.mean * row.scale, row.precision);
      if (result.replayed.replications > 1) {
        replayed_cell += fmt::format(" \u00b1 {:.{}f}", r.ci95 * row.scale, row.precision);
      }
      out += fmt::format("  {:<16}{:>12.{}f}{:>22}\n", row.label, l.mean * row.scale,
                         row.precision, replayed_cell);
    }
  };
  section("overall", result.logged.overall, result.replayed.overall);
  if (result.replayed.queues.size() > 1) {
    for (const auto& [name, kpis] : result.replayed.queues) {
      out += '\n';
      section(name, result.logged.queues.at(name), kpis);
    }
  }
  out += fmt::format("\nagent occupancy (replayed): {:.1f} %\n", 100 * result.replayed.occupancy.mean);
  return out;
}

std::string ReplayContactsToCsv(std::span<const ContactRecord> log, const ReplayResult& result) {
  std::string out =
      "line,customer,arrival_s,queue,logged_outcome,logged_wait_s,replayed_outcome,"
      "replayed_wait_s\n";
  for (size_t i = 0; i < log.size(); ++i) {
    const ContactRecord& a = log[i];
    const ContactRecord& b = result.replayed.contacts[i];
    std::string replayed_wait =
        b.outcome == LoggedOutcome::kSkipped ? std::string() : fmt::format("{}", b.wait_s);
    out += fmt::format("{},{},{},{},{},{},{},{}\n", LineOf(log, i), a.customer, a.arrival_s,
                       QuotedField(b.queue),
                       LoggedOutcomeName(a.outcome), a.wait_s, LoggedOutcomeName(b.outcome),
                       replayed_wait);
  }
  return out;
}

}  // namespace switchboard
