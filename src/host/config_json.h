// The JSON forms of the configurations inside commands (command_json.h): a queue's (add_queue,
// update_queue), an agent's (add_agent, update_agent), a contact's (add_contact) and the entry
// rules (set_entry_rules), with the keys and value shapes of the Python bindings' keyword
// arguments (bindings/switchboard/_core.pyi). Internal to the switchboard_host library.
//
// Each Decode* reads the keys of an args object that Fields::Check has accepted and fills the
// struct from its defaults; InvalidArgument naming the path of the first bad value. Each Encode*
// writes the keys that decode back to exactly the struct given, leaving out those at their
// default, with two exceptions that cannot be written because they have no effect and no key:
// a capacity's `cost` and `total` in the limits model, and bits of `blocks` above the last
// channel.
#ifndef SWITCHBOARD_SRC_HOST_CONFIG_JSON_H_
#define SWITCHBOARD_SRC_HOST_CONFIG_JSON_H_

#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "host/json_values.h"
#include "switchboard/agent.h"
#include "switchboard/commands.h"
#include "switchboard/contact.h"
#include "switchboard/entry_rules.h"
#include "switchboard/queue.h"

namespace switchboard::host::detail {

// add_queue and update_queue. hours, zone, closed_on and hours_on together make `hours`
// (zone, closed_on and hours_on only with hours).
// clang-format off
inline constexpr std::string_view kQueueKeys[] = {
    "id", "requirement", "strategy", "priority", "ring_agents", "service_level_threshold",
    "service_level_target", "max_length", "max_hold", "wrap_up", "steps", "overflow", "hours",
    "zone", "closed_on", "hours_on", "reserve"};
// clang-format on
// add_agent and update_agent. capacity, cost, cost_total and blocks together make the capacity.
inline constexpr std::string_view kAgentKeys[] = {
    "id",         "skills", "groups", "attributes",      "capacity", "cost",
    "cost_total", "blocks", "queues", "auto_membership", "weight",   "team"};
// add_contact.
inline constexpr std::string_view kContactKeys[] = {
    "id",         "queue",   "channel",         "priority",         "priority_class",
    "attributes", "arrival", "preferred_agent", "preferred_timeout"};

absl::Status DecodeQueueConfig(const Fields& args, QueueConfig* config);
void EncodeQueueConfig(const QueueConfig& config, Json& args);

// Without `queues`, auto_membership defaults to true; with it, to false (as add_agent).
absl::Status DecodeAgentConfig(const Fields& args, AgentConfig* config);
void EncodeAgentConfig(const AgentConfig& config, Json& args);

// Each key given sets its optional; capacity is set when any of capacity, cost and blocks is
// given (cost_total only with cost).
absl::Status DecodeUpdateAgent(const Fields& args, UpdateAgent* update);
void EncodeUpdateAgent(const UpdateAgent& update, Json& args);

absl::Status DecodeContactConfig(const Fields& args, ContactConfig* config);
void EncodeContactConfig(const ContactConfig& config, Json& args);

// A list of rule objects {"when", "queue", "priority", "priority_class", "requirement",
// "deflect"}.
absl::Status DecodeEntryRules(const Json& value, std::string_view path,
                              std::vector<EntryRule>* rules);
Json EncodeEntryRules(const std::vector<EntryRule>& rules);

}  // namespace switchboard::host::detail

#endif  // SWITCHBOARD_SRC_HOST_CONFIG_JSON_H_
