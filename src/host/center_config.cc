#include "host/center_config.h"

#include <cerrno>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "base/status_macros.h"
#include "fmt/format.h"
#include "host/command_json.h"
#include "scenario/scenario_internal.h"  // toml++, with its assertions off

namespace switchboard::host {
namespace {

using nlohmann::json;

// A TOML table as JSON: toml++ writes it, nlohmann reads it back.
json ToJson(const toml::table& table) {
  std::ostringstream text;
  text << toml::json_formatter{table};
  return json::parse(text.str());
}

absl::StatusOr<toml::table> ParseToml(std::string_view text, std::string_view name) {
  try {
#if TOML_EXCEPTIONS
    try {
      return toml::parse(text, name);
    } catch (const toml::parse_error& error) {
      return absl::InvalidArgumentError(fmt::format("{}: line {}, column {}: {}", name,
                                                    error.source().begin.line,
                                                    error.source().begin.column,
                                                    error.description()));
    }
#else
    toml::parse_result result = toml::parse(text, name);
    if (!result) {
      const toml::parse_error& error = result.error();
      return absl::InvalidArgumentError(fmt::format("{}: line {}, column {}: {}", name,
                                                    error.source().begin.line,
                                                    error.source().begin.column,
                                                    error.description()));
    }
    return std::move(result).table();
#endif
  } catch (const std::logic_error& error) {  // detail::TomlUnreachable
    return absl::InvalidArgumentError(
        fmt::format("{}: not a valid TOML file ({})", name, error.what()));
  }
}

}  // namespace

absl::StatusOr<std::vector<json>> ParseCenterConfig(std::string_view text,
                                                    std::string_view name) {
  absl::StatusOr<toml::table> root = ParseToml(text, name);
  if (!root.ok()) return root.status();
  json document;
  try {
    document = ToJson(*root);
  } catch (const json::exception& e) {
    return absl::InvalidArgumentError(fmt::format("{}: {}", name, e.what()));
  }
  for (const auto& [key, value] : document.items()) {
    if (key != "queue" && key != "agent" && key != "entry_rule") {
      return absl::InvalidArgumentError(fmt::format(
          "{}: unknown key '{}'; a center file has [[queue]], [[agent]] and [[entry_rule]]",
          name, key));
    }
    if (!value.is_array()) {
      return absl::InvalidArgumentError(
          fmt::format("{}: '{}' must be an array of tables: [[{}]]", name, key, key));
    }
  }
  std::vector<json> requests;
  const auto add = [&](std::string_view op, json args, std::string_view table,
                       size_t number) -> absl::Status {
    absl::StatusOr<CommandBody> body = DecodeCommandBody(op, args);
    if (!body.ok()) {
      return absl::InvalidArgumentError(fmt::format("{}: [[{}]] #{}: {}", name, table, number,
                                                    detail::Message(body.status())));
    }
    requests.push_back(json{{"op", op}, {"args", std::move(args)}});
    return absl::OkStatus();
  };
  for (const auto& [key, op] : {std::pair("queue", "add_queue"), std::pair("agent", "add_agent")}) {
    if (!document.contains(key)) continue;
    size_t number = 0;
    for (const json& args : document[key]) {
      SWITCHBOARD_RETURN_IF_ERROR(add(op, args, key, ++number));
    }
  }
  if (document.contains("entry_rule")) {
    SWITCHBOARD_RETURN_IF_ERROR(
        add("set_entry_rules", json{{"rules", document["entry_rule"]}}, "entry_rule", 1));
  }
  return requests;
}

absl::StatusOr<std::vector<json>> LoadCenterConfig(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return absl::ErrnoToStatus(errno, fmt::format("{}: cannot open the center file", path));
  }
  std::ostringstream text;
  text << file.rdbuf();
  return ParseCenterConfig(text.str(), path);
}

}  // namespace switchboard::host
