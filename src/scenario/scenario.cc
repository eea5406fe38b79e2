// The scenario loader: TOML (docs/scenario-format.md) to a validated SimulationConfig.
//
// Every check lives in ParseScenarioTable, which the Python bindings call with a table built
// from a dict. It checks the document's top level here and leaves each table to its parser
// (scenario_tables.h), which reads it through the TOML readers (toml_reader.h); the first
// problem ends the parse with one line "<source>: <table>: key '<key>': <what was wrong>".
#include "switchboard/scenario.h"

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "base/status_macros.h"
#include "fmt/format.h"
#include "scenario/scenario_internal.h"  // toml++, with its assertions off
#include "scenario/scenario_tables.h"
#include "scenario/toml_reader.h"
#include "sim/queue_order.h"
#include "switchboard/sim.h"

namespace switchboard {
namespace {

using detail::scenario::Closest;
using detail::scenario::Describe;
using detail::scenario::Join;
using detail::scenario::Names;
using detail::scenario::ParseAgents;
using detail::scenario::ParsedQueue;
using detail::scenario::ParseEngine;
using detail::scenario::ParseQueue;
using detail::scenario::ParseRoute;
using detail::scenario::ParseSimulation;
using detail::scenario::ParseTraffic;
using detail::scenario::Printable;
using detail::scenario::Where;

// The tables of an array of tables ([[queue]]); empty when absent.
absl::StatusOr<std::vector<const toml::table*>> RootArray(std::string_view source,
                                                          const toml::table& root,
                                                          std::string_view key) {
  std::vector<const toml::table*> tables;
  const toml::node* node = root.get(key);
  if (node == nullptr) return tables;
  const toml::array* array = node->as_array();
  if (array == nullptr || (!array->empty() && !array->is_array_of_tables())) {
    return absl::InvalidArgumentError(
        fmt::format("{}: key '{}': expected an array of tables [[{}]] (one [[{}]] header each), "
                    "found {}",
                    source, key, key, key, Describe(*node)));
  }
  for (const toml::node& element : *array) tables.push_back(element.as_table());
  return tables;
}

// "[[queue]] #2", with " 'name'" when the table has a string `name`.
std::string ArrayWhere(std::string_view key, size_t index, const toml::table& table) {
  std::string where = fmt::format("[[{}]] #{}", key, index + 1);
  if (const toml::node* name = table.get("name")) {
    const auto* s = name->as_string();
    if (s != nullptr && !s->get().empty()) where += fmt::format(" '{}'", Printable(s->get(), 0));
  }
  return where;
}

}  // namespace

absl::StatusOr<SimulationConfig> ParseScenarioTable(const toml::table& root,
                                                    std::string_view source_name) {
  const std::string_view source = source_name;
  SimulationConfig config;
  config.scenario = std::string(source_name);

  // Top level: the five known tables, each of the right kind.
  static const Names kSingle = {"simulation", "engine"};
  static const Names kArrays = {"queue", "route", "traffic", "agents"};
  Names known = kSingle;
  known.insert(known.end(), kArrays.begin(), kArrays.end());
  const auto header = [&](std::string_view key) {
    return std::find(kSingle.begin(), kSingle.end(), key) != kSingle.end()
               ? fmt::format("[{}]", key)
               : fmt::format("[[{}]]", key);
  };
  for (auto&& [key, node] : root) {
    const std::string_view name = key.str();
    if (std::find(known.begin(), known.end(), name) != known.end()) continue;
    std::string message;
    if (node.is_table()) {
      message = fmt::format("unknown table [{}]", Printable(name, 0));
    } else if (node.is_array_of_tables()) {
      message = fmt::format("unknown table [[{}]]", Printable(name, 0));
    } else {
      message = fmt::format("unknown top-level key '{}'", Printable(name, 0));
    }
    if (std::optional<std::string_view> close = Closest(name, known)) {
      message += fmt::format("; did you mean {}?", header(*close));
    } else {
      message +=
          "; expected [simulation], [engine], [[queue]], [[route]], [[traffic]] and [[agents]]";
    }
    return absl::InvalidArgumentError(fmt::format("{}: {}", source, message));
  }
  for (std::string_view key : kSingle) {
    const toml::node* node = root.get(key);
    if (node != nullptr && !node->is_table()) {
      return absl::InvalidArgumentError(fmt::format("{}: key '{}': expected a table [{}], found {}",
                                                    source, key, key, Describe(*node)));
    }
  }
  absl::StatusOr<std::vector<const toml::table*>> queue_tables = RootArray(source, root, "queue");
  if (!queue_tables.ok()) return queue_tables.status();
  absl::StatusOr<std::vector<const toml::table*>> route_tables = RootArray(source, root, "route");
  if (!route_tables.ok()) return route_tables.status();
  absl::StatusOr<std::vector<const toml::table*>> traffic_tables =
      RootArray(source, root, "traffic");
  if (!traffic_tables.ok()) return traffic_tables.status();
  absl::StatusOr<std::vector<const toml::table*>> agent_tables = RootArray(source, root, "agents");
  if (!agent_tables.ok()) return agent_tables.status();

  // [simulation], [engine]
  const toml::table* simulation = root.get_as<toml::table>("simulation");
  if (simulation == nullptr) {
    return absl::InvalidArgumentError(
        fmt::format("{}: missing table [simulation] (with at least duration = \"8h\")", source));
  }
  std::string zone;
  SWITCHBOARD_RETURN_IF_ERROR(
      ParseSimulation(Where(source, "[simulation]"), *simulation, config, zone));
  if (const toml::table* engine = root.get_as<toml::table>("engine")) {
    SWITCHBOARD_RETURN_IF_ERROR(ParseEngine(Where(source, "[engine]"), *engine, config.engine));
  }

  // [[queue]]
  if (queue_tables->empty()) {
    return absl::InvalidArgumentError(
        fmt::format("{}: no [[queue]] table; a scenario needs at least one queue", source));
  }
  std::vector<ParsedQueue> queues(queue_tables->size());
  for (size_t i = 0; i < queues.size(); ++i) {
    const toml::table& table = *(*queue_tables)[i];
    const Where where(source, ArrayWhere("queue", i, table));
    SWITCHBOARD_RETURN_IF_ERROR(ParseQueue(where, table, queues[i]));
    queues[i].where = where.table();
    // Opening hours are in the simulation's zone (checked with [simulation]).
    if (queues[i].config.hours) queues[i].config.hours->zone = zone;
    for (size_t j = 0; j < i; ++j) {
      if (queues[j].config.id == queues[i].config.id) {
        return where.KeyError("name", fmt::format("queue '{}' is already defined by [[queue]] #{}",
                                                  Printable(queues[i].config.id, 0), j + 1));
      }
    }
  }

  // Transfer targets name queues of the file (in any order, but not in a cycle).
  for (const ParsedQueue& queue : queues) {
    const std::vector<OverflowRule>& rules = queue.config.overflow;
    for (size_t i = 0; i < rules.size(); ++i) {
      if (rules[i].action != OverflowRule::Action::kTransfer &&
          rules[i].action != OverflowRule::Action::kCopy) {
        continue;
      }
      const bool exists = std::any_of(queues.begin(), queues.end(), [&](const ParsedQueue& q) {
        return q.config.id == rules[i].target;
      });
      const std::string path = Join(detail::scenario::Indexed("overflow", i), "target");
      if (rules[i].target == queue.config.id) {
        return Where(source, queue.where).KeyError(path, "a queue cannot transfer to itself");
      }
      if (!exists) {
        return Where(source, queue.where)
            .KeyError(path, fmt::format("unknown queue '{}'; no [[queue]] has that name",
                                        Printable(rules[i].target, 0)));
      }
    }
  }
  {
    std::vector<QueueConfig> configs;
    for (const ParsedQueue& queue : queues) configs.push_back(queue.config);
    if (absl::StatusOr<std::vector<size_t>> order = detail::QueueAddOrder(configs); !order.ok()) {
      return absl::InvalidArgumentError(
          fmt::format("{}: [[queue]]: {}", source, detail::Message(order.status())));
    }
  }

  // [[route]]
  for (size_t i = 0; i < route_tables->size(); ++i) {
    const Where where(source, fmt::format("[[route]] #{}", i + 1));
    SWITCHBOARD_RETURN_IF_ERROR(
        ParseRoute(where, *(*route_tables)[i], queues, config.routes.emplace_back()));
  }

  // [[traffic]]
  if (traffic_tables->empty()) {
    return absl::InvalidArgumentError(fmt::format(
        "{}: no [[traffic]] table; a scenario needs at least one traffic stream", source));
  }
  for (size_t i = 0; i < traffic_tables->size(); ++i) {
    const Where where(source, fmt::format("[[traffic]] #{}", i + 1));
    TrafficConfig traffic;
    SWITCHBOARD_RETURN_IF_ERROR(ParseTraffic(where, *(*traffic_tables)[i], queues,
                                             !config.routes.empty(), traffic));
    config.traffic.push_back(std::move(traffic));
  }

  // [[agents]]
  if (agent_tables->empty()) {
    return absl::InvalidArgumentError(
        fmt::format("{}: no [[agents]] table; a scenario needs at least one agent group", source));
  }
  std::vector<bool> named(agent_tables->size(), false);
  std::set<std::string, std::less<>> taken;
  for (size_t i = 0; i < agent_tables->size(); ++i) {
    const toml::table& table = *(*agent_tables)[i];
    const Where where(source, ArrayWhere("agents", i, table));
    AgentGroupConfig group;
    bool is_named = false;
    SWITCHBOARD_RETURN_IF_ERROR(ParseAgents(where, table, queues, group, is_named));
    named[i] = is_named;
    if (is_named) {
      for (size_t j = 0; j < i; ++j) {
        if (named[j] && config.agents[j].name == group.name) {
          return where.KeyError(
              "name", fmt::format("agent group name '{}' is already used by [[agents]] #{}",
                                  Printable(group.name, 0), j + 1));
        }
      }
      taken.insert(group.name);
    }
    config.agents.push_back(std::move(group));
  }
  // Unnamed groups: their first skill, else "agents<k>", made unique.
  for (size_t i = 0; i < config.agents.size(); ++i) {
    if (named[i]) continue;
    AgentGroupConfig& group = config.agents[i];
    const std::string k = std::to_string(i + 1);
    std::vector<std::string> candidates;
    if (!group.skills.empty()) {
      candidates.push_back(group.skills.begin()->first);
      candidates.push_back(group.skills.begin()->first + k);
    }
    candidates.push_back("agents" + k);
    std::string name;
    for (const std::string& candidate : candidates) {
      if (!taken.contains(candidate)) {
        name = candidate;
        break;
      }
    }
    if (name.empty()) {
      name = candidates.back();
      while (taken.contains(name)) name += "_";
    }
    taken.insert(name);
    group.name = std::move(name);
  }

  // Every skill a queue requires is held by some agent group.
  for (const ParsedQueue& queue : queues) {
    for (const auto& entry : queue.required_skills) {
      const std::string& skill = entry.first;
      const std::string& key = entry.second;
      const bool held =
          std::any_of(config.agents.begin(), config.agents.end(),
                      [&](const AgentGroupConfig& g) { return g.skills.contains(skill); });
      if (!held) {
        return Where(source, queue.where)
            .KeyError(key,
                      fmt::format("unknown skill '{}': no [[agents]] group has it", skill));
      }
    }
  }

  for (ParsedQueue& queue : queues) {
    if (!queue.responses.empty()) config.responses[queue.config.id] = std::move(queue.responses);
    config.queues.push_back(std::move(queue.config));
  }
  return config;
}

namespace detail {

void TomlUnreachable() {
  throw std::logic_error("the TOML parser reached a state it does not expect");
}

}  // namespace detail

absl::StatusOr<SimulationConfig> ParseScenario(std::string_view toml_text,
                                               std::string_view source_name) {
  try {
#if TOML_EXCEPTIONS
    try {
      const toml::table root = toml::parse(toml_text, source_name);
      return ParseScenarioTable(root, source_name);
    } catch (const toml::parse_error& error) {
      return absl::InvalidArgumentError(
          fmt::format("{}: line {}, column {}: {}", source_name, error.source().begin.line,
                      error.source().begin.column, Printable(error.description(), 0, 400)));
    }
#else
    toml::parse_result result = toml::parse(toml_text, source_name);
    if (!result) {
      const toml::parse_error& error = result.error();
      return absl::InvalidArgumentError(
          fmt::format("{}: line {}, column {}: {}", source_name, error.source().begin.line,
                      error.source().begin.column, Printable(error.description(), 0, 400)));
    }
    return ParseScenarioTable(result.table(), source_name);
#endif
  } catch (const std::logic_error& error) {  // detail::TomlUnreachable
    return absl::InvalidArgumentError(
        fmt::format("{}: not a valid TOML file ({})", source_name, error.what()));
  }
}

absl::StatusOr<SimulationConfig> LoadScenarioFile(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    return absl::ErrnoToStatus(errno, fmt::format("{}: cannot open the scenario file", path));
  }
  std::string text;
  char buffer[1 << 16];
  size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0) text.append(buffer, n);
  const bool failed = std::ferror(file) != 0;
  const int error = errno;
  std::fclose(file);
  if (failed) {
    return absl::ErrnoToStatus(error, fmt::format("{}: cannot read the scenario file", path));
  }
  absl::StatusOr<SimulationConfig> config = ParseScenario(text, path);
  if (!config.ok()) return config.status();
  std::string base = std::filesystem::path(path).filename().string();
  config->scenario = base.empty() ? path : std::move(base);
  return config;
}

}  // namespace switchboard
