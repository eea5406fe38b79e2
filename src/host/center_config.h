// The center file of `switchboard serve --config`: the queues, agents and entry rules a new
// journal starts with, in TOML, with the keys of the protocol's args (docs/host-protocol.md):
//
//   [[queue]]
//   id = "support"
//   requirement = "support >= 1"
//   service_level_threshold = "20s"
//
//   [[agent]]
//   id = "alice"
//   team = "blue"
//   skills = { support = 5 }
//
//   [[entry_rule]]
//   when = "language == 'fr'"
//   queue = "support"
//
// Each [[queue]] is an add_queue, each [[agent]] an add_agent, and the [[entry_rule]] tables
// together one set_entry_rules, in that order.
#ifndef SWITCHBOARD_SRC_HOST_CENTER_CONFIG_H_
#define SWITCHBOARD_SRC_HOST_CENTER_CONFIG_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"

namespace switchboard::host {

// The requests ({"op": ..., "args": {...}}) that configure the center `text` describes.
// InvalidArgument naming the file and the table for a TOML syntax error, an unknown top-level
// key, or a table whose args the command codec refuses:
//   center.toml: [[agent]] #2: args: unknown key 'skils' for add_agent; expected one of ...
// Values are checked by the engine when the requests run.
absl::StatusOr<std::vector<nlohmann::json>> ParseCenterConfig(std::string_view text,
                                                              std::string_view name);
// Reads and parses the file at `path`.
absl::StatusOr<std::vector<nlohmann::json>> LoadCenterConfig(const std::string& path);

}  // namespace switchboard::host

#endif  // SWITCHBOARD_SRC_HOST_CENTER_CONFIG_H_
