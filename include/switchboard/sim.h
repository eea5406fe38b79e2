// The discrete-event simulator: the same Engine a PBX links in, driven in virtual time by
// generated traffic, with KPIs over replications. docs/simulation.md describes the model.
//
// Example:
//   SimulationConfig config;
//   config.duration = absl::Hours(8);
//   config.queues.push_back({.id = "support"});
//   config.traffic.push_back({.queue = "support",
//                             .arrivals = Arrivals::Constant(600.0 / 3600),
//                             .handle = Distribution::Exponential(180)});
//   config.agents.push_back({.name = "support", .count = 35});
//   absl::StatusOr<SimulationResult> result = Simulate(config);
#ifndef SWITCHBOARD_SIM_H_
#define SWITCHBOARD_SIM_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "switchboard/capacity.h"
#include "switchboard/channel.h"
#include "switchboard/attributes.h"
#include "switchboard/contact_log.h"
#include "switchboard/engine.h"
#include "switchboard/entry_rules.h"
#include "switchboard/limits.h"
#include "switchboard/queue.h"

namespace switchboard {

// A distribution of durations (handle time, patience), in seconds.
struct Distribution {
  enum class Kind : uint8_t {
    kNone,         // never (patience: the customer never abandons)
    kExponential,  // mean
    kLognormal,    // mean and sd of the distribution itself (not of its logarithm)
    kConstant,     // mean
    kGamma,        // mean and sd
    kEmpirical,    // one of `values`, uniformly
  };
  Kind kind = Kind::kNone;
  double mean_s = 0;
  double sd_s = 0;
  std::vector<double> values_s;

  static Distribution None() { return {}; }
  static Distribution Exponential(double mean_s) { return {Kind::kExponential, mean_s, 0, {}}; }
  static Distribution Constant(double value_s) { return {Kind::kConstant, value_s, 0, {}}; }
  static Distribution Lognormal(double mean_s, double sd_s) {
    return {Kind::kLognormal, mean_s, sd_s, {}};
  }
  static Distribution Gamma(double mean_s, double sd_s) { return {Kind::kGamma, mean_s, sd_s, {}}; }
  static Distribution Empirical(std::vector<double> values_s) {
    return {Kind::kEmpirical, 0, 0, std::move(values_s)};
  }
};

// "none", "exponential", "lognormal", "constant", "gamma", "empirical".
std::string_view DistributionName(Distribution::Kind kind);

// A Poisson arrival process whose rate is constant over each of consecutive periods of length
// `per`, starting at the start of the simulation (warm-up included). With one rate it is
// constant for ever; with several, the rate is 0 after the last period.
struct Arrivals {
  absl::Duration per = absl::Hours(1);
  // Expected arrivals per period, >= 0.
  std::vector<double> rates;

  static Arrivals Constant(double per_second) { return {absl::Seconds(1), {per_second}}; }
};

// A share of a traffic stream's contacts that carry the same attributes (IVR choice, language,
// tier) for the entry rules.
struct AttributeShare {
  // > 0; a stream's shares are relative to their sum.
  double share = 1;
  Attributes attributes;
};

// Customers who abandon may call again.
struct Redial {
  // Probability that a customer who abandoned calls again, 0..1; default 0 (never).
  double probability = 0;
  // The delay before the new call (required when `probability` > 0).
  Distribution after;
};

// One stream of contacts.
struct TrafficConfig {
  // The queue; empty: SimulationConfig::routes place each contact by its attributes.
  std::string queue;
  // Attribute sets and their shares; empty: contacts carry no attributes.
  std::vector<AttributeShare> attributes;
  Redial redial;
  Channel channel = Channel::kVoice;
  Arrivals arrivals;
  Distribution handle = Distribution::Exponential(180);
  // kNone: customers never abandon.
  Distribution patience;
  // After-contact work following each contact of this stream.
  absl::Duration wrap_up = absl::ZeroDuration();
  // Contact priority (see ContactConfig::priority).
  int priority = 0;
};

// A break within a shift: the agent goes not ready ("break") after its current contacts.
struct Break {
  absl::Duration start;  // since the start of the simulation
  absl::Duration duration;
};

// `count` identical agents.
struct AgentGroupConfig {
  // Agents are named "<name>-1", "<name>-2", ...
  std::string name = "agent";
  int count = 1;
  std::map<std::string, int, std::less<>> skills;
  CapacityConfig capacity;
  // Logged in (ready) from `shift_start` to `shift_end` (logout after contacts); default: the
  // whole simulation.
  absl::Duration shift_start = absl::ZeroDuration();
  std::optional<absl::Duration> shift_end;
  std::vector<Break> breaks;
  // Queues (by id) this group's agents are reserve members of (QueueMembership::reserve): they
  // take those queues' contacts only while the queue's reserve is active (QueueConfig::reserve),
  // and serve every other queue whose requirement they meet as usual. Each queue must exist,
  // once, and the group must meet its requirement (or that of one of its steps). Default none.
  std::vector<std::string> reserve_for;
};

// The work one simulation may take. ValidateSimulation refuses a configuration beyond any of
// them with InvalidArgument naming the limit; a caller raises a field on purpose for a larger
// run (command line: --max-contacts and friends; Python: simulate(max_contacts=...)).
// docs/limits.md explains the defaults.
struct SimulationLimits {
  // Replications of one run. Default 100,000; >= 1.
  int max_replications = kDefaultMaxReplications;
  // Agents of all groups together. Default 100,000; >= 1.
  int64_t max_agents = kDefaultMaxAgents;
  // Expected contacts (the arrival rates integrated over warm-up and duration) of one
  // replication: what its memory grows with when contacts pile up. Default 10 million; > 0.
  double max_contacts_per_replication = kDefaultMaxContactsPerReplication;
  // Expected contacts of all replications together: what the run's time grows with. Default
  // 200 million; > 0.
  double max_contacts = kDefaultMaxContacts;
};

// How simulated customers answer one overflow rule of a queue.
struct CustomerResponse {
  // Share of customers who accept the rule's callback or deflection, 0..1; the others keep
  // waiting (with their patience). Below 1 the simulator sets the rule's `ask`. Default 1.
  double accept = 1;
  // Probability that the customer answers one dial-back attempt of a callback, 0..1. Default 1.
  double answer = 1;
};

struct SimulationConfig {
  // Name reported in the results (e.g. the scenario file's name).
  std::string scenario;
  uint64_t seed = 1;
  // Measured simulated time, after the warm-up.
  absl::Duration duration = absl::Hours(8);
  // Contacts that arrive during the warm-up are not counted.
  absl::Duration warmup = absl::ZeroDuration();
  // The instant the simulation (its warm-up) starts: what queues' opening hours see. Default
  // Monday 2026-01-05 00:00 UTC; from kMinTime, with the whole run before kMaxTime.
  absl::Time start = absl::FromUnixSeconds(1767571200);
  // Independent runs, seeds derived from `seed`.
  int replications = 1;
  // Length of the intervals of the interval report.
  absl::Duration interval = absl::Minutes(30);
  // Queues; a transfer rule may name a queue listed after its own (the simulator adds them in
  // an order where targets come first), but queues may not transfer to each other in a cycle.
  std::vector<QueueConfig> queues;
  // Customers' answers to overflow rules: by queue id, one per rule in order (missing ones:
  // CustomerResponse's defaults).
  std::map<std::string, std::vector<CustomerResponse>, std::less<>> responses;
  // Entry rules placing the contacts of traffic streams that name no queue (entry_rules.h).
  std::vector<EntryRule> routes;
  std::vector<TrafficConfig> traffic;
  std::vector<AgentGroupConfig> agents;
  // Routing options of the engine (its seed is derived per replication; record_events is off).
  EngineOptions engine;
  // How long simulated agents let an offer ring before answering it (>= 0; default 0). At or
  // beyond engine.offer_timeout every offer times out.
  absl::Duration answer_delay = absl::ZeroDuration();
  // Share of offers agents let ring out (RONA), 0..1; default 0.
  double no_answer_probability = 0;
  // Bounds on the work of the run; not part of a scenario file.
  SimulationLimits limits;
};

// InvalidArgument naming the first problem (unknown queue, non-positive rate, work beyond
// `config.limits`, ...).
absl::Status ValidateSimulation(const SimulationConfig& config);

// Contacts expected to arrive in one replication (warm-up included): the arrival rates
// integrated over warm-up and duration.
double ExpectedContactsPerReplication(const SimulationConfig& config);

// The mean over replications and the half-width of its 95 % confidence interval (Student t;
// 0 with one replication).
struct Metric {
  double mean = 0;
  double ci95 = 0;
};

// KPIs of a queue, of all queues, or of one interval. Definitions in docs/scenario-format.md
// ("Results") and docs/simulation.md.
struct Kpis {
  Metric offered;
  Metric answered;
  Metric abandoned;
  Metric service_level;
  Metric p_wait;
  Metric asa_s;
  Metric abandon_rate;
  Metric aht_s;
  Metric mean_queue_length;
  Metric max_wait_s;
  // Estimated wait given at arrival against the actual wait, over answered contacts: the mean
  // absolute difference and the mean difference (> 0: estimates too long).
  Metric ewt_error_s;
  Metric ewt_bias_s;
  // Overflow rules (docs/policies.md): contacts a rule moved to another queue, that accepted a
  // callback (of which connected / failed after every attempt), deflected, sent to voicemail,
  // disconnected; `overflowed` counts every rule that took a contact out of a queue, and
  // overflow_rate = overflowed / offered.
  Metric transferred;
  Metric callbacks;
  Metric callbacks_connected;
  Metric callbacks_failed;
  Metric deflected;
  Metric voicemail;
  Metric disconnected;
  Metric overflowed;
  Metric overflow_rate;
  // Calls of customers who had abandoned and called again (counted in `offered` too).
  Metric redials;
  // Offered contacts that are a customer's first call: offered = first_attempts + redials
  // (in a queue, plus the contacts a transfer offered there).
  Metric first_attempts;
  // Distinct customers whose first call arrived in the measured period (in this queue and
  // interval) and who were answered on one of their calls: <= first_attempts.
  Metric customers_served;
};

// The names of the KPIs, in the order of Kpis' fields: the keys of every KPI object in the
// results JSON (ResultsToJson, report.h), the KPI columns of the interval CSV (each followed by
// `<name>_ci95`), and the keys of Python's KPI dicts, whose switchboard.KPI_NAMES lists the
// same. Static storage; never empty.
std::span<const std::string_view> KpiNames();

struct IntervalReport {
  absl::Duration start;  // since the start of the measured period
  std::map<std::string, Kpis> queues;
  Kpis overall;
  Metric occupancy;
};

struct SimulationResult {
  std::string scenario;
  uint64_t seed = 0;
  int replications = 0;
  std::map<std::string, Kpis> queues;
  Kpis overall;
  Metric occupancy;
  std::vector<IntervalReport> intervals;
  // Contacts simulated in all replications, warm-up included (for throughput figures).
  int64_t contacts_simulated = 0;
  // With RunOptions::record_contacts: every contact of the first replication, warm-up
  // included, in order of arrival (contact_log.h); otherwise empty.
  std::vector<ContactRecord> contacts;
};

struct RunOptions {
  // Called after each replication with (done, total); may be empty.
  std::function<void(int, int)> progress;
  // Threads for replications, 1..kMaxThreads; 1 runs them in the calling thread. Results do not
  // depend on it.
  int threads = 1;
  // Record the first replication's contacts into SimulationResult::contacts (a contact log).
  // Off: the simulator records nothing per contact.
  bool record_contacts = false;
};

// Runs the replications. InvalidArgument when the configuration or `options.threads` is
// invalid; ResourceExhausted when a thread cannot be created or memory runs out (no exception
// leaves Simulate, except one thrown by `options.progress`, which is rethrown in the calling
// thread once the started replications end).
absl::StatusOr<SimulationResult> Simulate(const SimulationConfig& config,
                                          const RunOptions& options = {});

}  // namespace switchboard

#endif  // SWITCHBOARD_SIM_H_
