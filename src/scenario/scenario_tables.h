// The tables of a scenario file, one parser each: [simulation], [engine], and one table of
// [[queue]], [[traffic]] or [[agents]]. ParseScenarioTable (scenario.cc) walks the document,
// calls these, and checks what spans tables (unique queue and group names, required skills held
// by some group).
//
// Each parser first checks the table for unknown keys (so that a typo is reported as a typo,
// not as a missing key), then reads it key by key into the output, leaving defaults where a key
// is absent. It returns OK, or the first problem as an InvalidArgumentError from `where`
// (toml_reader.h); the output is then partly filled and must not be used.
#ifndef SWITCHBOARD_SRC_SCENARIO_SCENARIO_TABLES_H_
#define SWITCHBOARD_SRC_SCENARIO_SCENARIO_TABLES_H_

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "scenario/scenario_internal.h"  // toml++, with its assertions off
#include "scenario/toml_reader.h"
#include "switchboard/engine.h"
#include "switchboard/queue.h"
#include "switchboard/sim.h"

namespace switchboard::detail::scenario {

// A [[queue]] table as read, before ParseScenarioTable moves `config` into the configuration.
struct ParsedQueue {
  QueueConfig config;
  std::string where;  // "[[queue]] #1 'support'"; set by the caller, for errors about `require`
  // Skills a `require` table names (the queue's or a step's) -> the key that names it.
  std::map<std::string, std::string, std::less<>> required_skills;
  // How customers answer each of its overflow rules (accept, answer).
  std::vector<CustomerResponse> responses;
};

// [simulation] into `config`: seed, duration (required), warmup, replications, interval,
// answer_delay, no_answer_probability, start (read in `zone`); `zone` gets the time zone's name
// (default "UTC"), for the queues' opening hours.
absl::Status ParseSimulation(const Where& where, const toml::table& table,
                             SimulationConfig& config, std::string& zone);

// [engine] into `options`: the engine's durations and max_consecutive_misses.
absl::Status ParseEngine(const Where& where, const toml::table& table, EngineOptions& options);

// One [[queue]], its [[queue.step]] tables included, into `queue.config` and
// `queue.required_skills`; leaves `queue.where` alone. Whether its name is unique is the
// caller's check.
absl::Status ParseQueue(const Where& where, const toml::table& table, ParsedQueue& queue);

// [[queue.overflow]] tables of one [[queue]] (scenario_policies.cc) into `queue.config.overflow`
// and `queue.responses`. Transfer targets are checked by the caller, which knows every queue.
absl::Status ParseOverflow(const Where& where, const toml::table& table, ParsedQueue& queue);

// `hours` and `closed_on` of one [[queue]] (scenario_policies.cc) into `queue.config.hours`, in
// zone "UTC": the caller sets the simulation's zone.
absl::Status ParseHours(const Where& where, const toml::table& table, ParsedQueue& queue);

// [queue.reserve] of one [[queue]] (scenario_policies.cc) into `queue.config.reserve`: when the
// queue's reserve members (an [[agents]] group's `reserve_for`) take its contacts.
absl::Status ParseReserve(const Where& where, const toml::table& table, ParsedQueue& queue);

// The distribution under `key` of `parent` (handle times, patience, redial delays); with
// `patience`, absent means never and dist "none" is allowed. `prefix` is the path of `parent`
// in messages ("redial" for "redial.after").
absl::StatusOr<Distribution> ParseDistribution(const Where& where, const toml::table& parent,
                                               std::string_view key, bool patience,
                                               std::string_view prefix = {});

// One [[route]] (scenario_policies.cc) into `rule`; its `queue` must name one of `queues`.
absl::Status ParseRoute(const Where& where, const toml::table& table,
                        const std::vector<ParsedQueue>& queues, EntryRule& rule);

// A [[traffic]]'s `attributes` and `redial` (scenario_policies.cc) into `traffic`.
absl::Status ParseTrafficPolicies(const Where& where, const toml::table& table,
                                  TrafficConfig& traffic);

// One [[traffic]] into `traffic`; its `queue` must name one of `queues`, and may be left out
// when `routed` (the file has [[route]] rules).
absl::Status ParseTraffic(const Where& where, const toml::table& table,
                          const std::vector<ParsedQueue>& queues, bool routed,
                          TrafficConfig& traffic);

// One [[agents]] into `group`; `named` tells whether the table gave a name (the caller checks
// that names are unique and names the unnamed groups). Each queue of its `reserve_for` must be
// one of `queues`, whose requirement (or a step's) the group's skills meet.
absl::Status ParseAgents(const Where& where, const toml::table& table,
                         const std::vector<ParsedQueue>& queues, AgentGroupConfig& group,
                         bool& named);

}  // namespace switchboard::detail::scenario

#endif  // SWITCHBOARD_SRC_SCENARIO_SCENARIO_TABLES_H_
