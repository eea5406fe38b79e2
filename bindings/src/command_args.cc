// Arguments the engine's commands share (command_args.h).
#include "command_args.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <pybind11/stl.h>

#include "status.h"
#include "switchboard/strategy.h"
#include "values.h"

namespace py = pybind11;

namespace switchboard::python {

absl::Status Invalid(std::string message) {
  return absl::InvalidArgumentError(std::move(message));
}

Channel ParseChannelOrThrow(std::string_view name) {
  if (std::optional<Channel> channel = ParseChannel(name)) return *channel;
  std::vector<std::string> names;
  for (Channel c : kAllChannels) names.emplace_back(ChannelName(c));
  ThrowIfError(Invalid("unknown channel '" + std::string(name) + "'; expected one of " +
                       JoinNames(names)));
  return Channel::kVoice;
}

Strategy ParseStrategyOrThrow(std::string_view name) {
  if (std::optional<Strategy> strategy = ParseStrategy(name)) return *strategy;
  std::vector<std::string> names;
  for (int s = 0; s < kStrategyCount; ++s) names.emplace_back(StrategyName(Strategy(s)));
  ThrowIfError(Invalid("unknown strategy '" + std::string(name) + "'; expected one of " +
                       JoinNames(names)));
  return Strategy::kLongestIdle;
}

// "host" (also None), "system", "agent:ID", "supervisor:ID", "host:ID".
Actor ParseActor(const std::optional<std::string>& text) {
  if (!text || *text == "host") return Actor::Host();
  if (*text == "system") return Actor::System();
  const std::string_view s = *text;
  const size_t colon = s.find(':');
  if (colon != std::string_view::npos && colon + 1 < s.size()) {
    const std::string_view kind = s.substr(0, colon);
    std::string id(s.substr(colon + 1));
    if (kind == "agent") return Actor::Agent(std::move(id));
    if (kind == "supervisor") return Actor::Supervisor(std::move(id));
    if (kind == "host") return Actor{Actor::Kind::kHost, std::move(id)};
  }
  ThrowIfError(Invalid("actor '" + *text +
                       "': expected \"host\", \"system\", \"agent:ID\" or \"supervisor:ID\""));
  return Actor::Host();
}

// queues: a list of queue ids or of {"queue": id, "priority": int, "delay": s, "reserve": bool}.
std::vector<QueueMembership> ParseMemberships(const py::iterable& items) {
  if (py::isinstance<py::str>(items)) {
    ThrowIfError(Invalid("queues: expected a list of queue ids or dicts, got a str"));
  }
  std::vector<QueueMembership> out;
  for (py::handle item : items) {
    QueueMembership membership;
    if (py::isinstance<py::str>(item)) {
      membership.queue = item.cast<std::string>();
    } else if (py::isinstance<py::dict>(item)) {
      const py::dict dict = py::reinterpret_borrow<py::dict>(item);
      CheckKeys(dict, "queues", {"queue", "priority", "delay", "reserve"});
      if (!dict.contains("queue")) ThrowIfError(Invalid("queues: each entry needs a 'queue'"));
      membership.queue = dict["queue"].cast<std::string>();
      if (dict.contains("priority")) membership.priority = IntAt(dict["priority"], "queues priority");
      if (dict.contains("delay")) {
        membership.delay = SecondsAt(dict["delay"], "queues delay");
      }
      if (dict.contains("reserve")) membership.reserve = BoolAt(dict["reserve"], "queues reserve");
    } else {
      ThrowIfError(Invalid("queues: expected a queue id or a dict with 'queue', 'priority', "
                           "'delay' and 'reserve', got " +
                           std::string(py::str(item.get_type().attr("__name__")))));
    }
    out.push_back(std::move(membership));
  }
  return out;
}

namespace {

uint8_t ToLimit(int n, std::string_view channel) {
  if (n < 0 || n > 255) {
    ThrowIfError(Invalid("capacity: channel '" + std::string(channel) + "' limit is " +
                         std::to_string(n) + "; expected 0..255"));
  }
  return static_cast<uint8_t>(n);
}

uint16_t ToCost(int n, std::string_view what) {
  if (n < 0 || n > 65535) {
    ThrowIfError(Invalid(std::string(what) + " is " + std::to_string(n) + "; expected 0..65535"));
  }
  return static_cast<uint16_t>(n);
}

}  // namespace

// capacity: channel -> contacts at once (replacing the default of one voice contact);
// cost / cost_total: the cost model; blocks: channel -> channels one contact of it blocks.
CapacityConfig ParseCapacity(const std::optional<std::map<std::string, int>>& limits,
                             const std::optional<std::map<std::string, int>>& cost,
                             int cost_total,
                             const std::optional<std::map<std::string, std::vector<std::string>>>&
                                 blocks) {
  CapacityConfig config;
  if (limits) {
    config.limit.fill(0);
    for (const auto& [name, n] : *limits) {
      config.limit[static_cast<int>(ParseChannelOrThrow(name))] = ToLimit(n, name);
    }
  }
  if (cost) {
    config.model = CapacityConfig::Model::kCost;
    config.cost.fill(0);
    for (const auto& [name, n] : *cost) {
      config.cost[static_cast<int>(ParseChannelOrThrow(name))] =
          ToCost(n, "cost of channel '" + name + "'");
    }
    config.total = ToCost(cost_total, "cost_total");
  }
  if (blocks) {
    for (const auto& [name, blocked] : *blocks) {
      uint16_t mask = 0;
      for (const std::string& other : blocked) {
        mask |= static_cast<uint16_t>(1u << static_cast<int>(ParseChannelOrThrow(other)));
      }
      config.blocks[static_cast<int>(ParseChannelOrThrow(name))] = mask;
    }
  }
  return config;
}

}  // namespace switchboard::python
