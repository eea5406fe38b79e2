// The simulation's input checks (ValidateSimulation, with the work limits of SimulationLimits),
// the expected number of contacts they bound, and the names of distributions and KPIs.
#include <algorithm>
#include <cmath>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/durations.h"
#include "base/status_macros.h"
#include "fmt/format.h"
#include "sim/kpi_fields.h"
#include "sim/queue_order.h"
#include "switchboard/limits.h"
#include "switchboard/sim.h"

namespace switchboard {
namespace {

absl::Status CheckDistribution(std::string_view where, const Distribution& d, bool may_be_none) {
  auto bad = [&](std::string_view what) {
    return absl::InvalidArgumentError(fmt::format("{}: {}", where, what));
  };
  switch (d.kind) {
    case Distribution::Kind::kNone:
      if (!may_be_none) return bad("a distribution is required");
      return absl::OkStatus();
    case Distribution::Kind::kExponential:
    case Distribution::Kind::kConstant:
      if (!(d.mean_s > 0) || !std::isfinite(d.mean_s)) {
        return bad(fmt::format("mean is {} s; expected > 0", d.mean_s));
      }
      return absl::OkStatus();
    case Distribution::Kind::kLognormal:
    case Distribution::Kind::kGamma:
      if (!(d.mean_s > 0) || !std::isfinite(d.mean_s) || !(d.sd_s > 0) || !std::isfinite(d.sd_s)) {
        return bad(fmt::format("mean {} s and sd {} s; expected both > 0", d.mean_s, d.sd_s));
      }
      return absl::OkStatus();
    case Distribution::Kind::kEmpirical: {
      if (d.values_s.empty()) return bad("empirical values are empty");
      bool positive = false;
      for (double v : d.values_s) {
        if (!(v >= 0) || !std::isfinite(v)) {
          return bad(fmt::format("empirical value {} s; expected >= 0", v));
        }
        positive |= v > 0;
      }
      if (!positive) return bad("empirical values are all 0");
      return absl::OkStatus();
    }
  }
  return absl::OkStatus();
}

}  // namespace

std::string_view DistributionName(Distribution::Kind kind) {
  switch (kind) {
    case Distribution::Kind::kNone: return "none";
    case Distribution::Kind::kExponential: return "exponential";
    case Distribution::Kind::kLognormal: return "lognormal";
    case Distribution::Kind::kConstant: return "constant";
    case Distribution::Kind::kGamma: return "gamma";
    case Distribution::Kind::kEmpirical: return "empirical";
  }
  return "?";
}

std::span<const std::string_view> KpiNames() { return detail::kKpiNames; }

namespace {

// Contacts expected from one stream over the first `horizon_s` seconds.
double ExpectedContacts(const TrafficConfig& traffic, double horizon_s) {
  const std::vector<double>& rates = traffic.arrivals.rates;
  const double per_s = absl::ToDoubleSeconds(traffic.arrivals.per);
  if (rates.empty() || !(per_s > 0)) return 0;
  if (rates.size() == 1) return rates[0] * horizon_s / per_s;  // constant for ever
  double expected = 0;
  for (size_t i = 0; i < rates.size(); ++i) {
    const double start_s = per_s * static_cast<double>(i);
    if (start_s >= horizon_s) break;
    expected += rates[i] * (std::min(per_s, horizon_s - start_s) / per_s);
  }
  return expected;
}

double HorizonSeconds(const SimulationConfig& config) {
  return absl::ToDoubleSeconds(config.warmup + config.duration);
}

}  // namespace

double ExpectedContactsPerReplication(const SimulationConfig& config) {
  double expected = 0;
  for (const TrafficConfig& traffic : config.traffic) {
    expected += ExpectedContacts(traffic, HorizonSeconds(config));
  }
  return expected;
}

namespace {

absl::Status CheckLimits(const SimulationConfig& config) {
  auto bad = [](std::string message) { return absl::InvalidArgumentError(std::move(message)); };
  const SimulationLimits& limits = config.limits;
  if (limits.max_replications < 1 || limits.max_agents < 1 ||
      !(limits.max_contacts_per_replication > 0) || !(limits.max_contacts > 0)) {
    return bad("simulation limits: every limit must be positive");
  }
  if (config.replications > limits.max_replications) {
    return bad(fmt::format(
        "simulation: replications is {}; the limit is {} (raise max_replications to run more)",
        config.replications, limits.max_replications));
  }
  int64_t agents = 0;
  for (const AgentGroupConfig& group : config.agents) agents += std::max(group.count, 0);
  if (agents > limits.max_agents) {
    return bad(fmt::format(
        "agents: {} agents in all groups; the limit is {} (raise max_agents to simulate more)",
        agents, limits.max_agents));
  }
  const double per_replication = ExpectedContactsPerReplication(config);
  if (!(per_replication <= limits.max_contacts_per_replication)) {
    // Name the stream that brings the most, so that the message points at a key to change.
    size_t largest = 0;
    double largest_expected = -1;
    for (size_t i = 0; i < config.traffic.size(); ++i) {
      const double expected = ExpectedContacts(config.traffic[i], HorizonSeconds(config));
      if (expected > largest_expected) largest = i, largest_expected = expected;
    }
    return bad(fmt::format(
        "traffic #{} ('{}'): arrivals: the arrival rates give {:.4g} expected contacts per "
        "replication ({:.4g} from this stream); the limit is {:.4g} (raise "
        "max_contacts_per_replication, or lower the rates or the duration)",
        largest + 1, config.traffic[largest].queue, per_replication, largest_expected,
        limits.max_contacts_per_replication));
  }
  const double total = per_replication * config.replications;
  if (!(total <= limits.max_contacts)) {
    return bad(fmt::format(
        "simulation: {} replications of {:.4g} expected contacts make {:.4g}; the limit is {:.4g} "
        "(raise max_contacts, or run fewer replications)",
        config.replications, per_replication, total, limits.max_contacts));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateSimulation(const SimulationConfig& config) {
  auto bad = [](std::string message) { return absl::InvalidArgumentError(std::move(message)); };
  using detail::CheckDuration;
  SWITCHBOARD_RETURN_IF_ERROR(CheckDuration("simulation: duration", config.duration, true));
  SWITCHBOARD_RETURN_IF_ERROR(CheckDuration("simulation: warmup", config.warmup, false));
  SWITCHBOARD_RETURN_IF_ERROR(CheckDuration("simulation: interval", config.interval, true));
  SWITCHBOARD_RETURN_IF_ERROR(
      CheckDuration("simulation: answer_delay", config.answer_delay, false));
  if (config.duration / config.interval > 1e6) {
    return bad("simulation: more than a million intervals; choose a longer interval");
  }
  if (config.replications < 1) {
    return bad(fmt::format("simulation: replications is {}; expected >= 1", config.replications));
  }
  if (config.start < kMinTime || config.start + config.warmup + config.duration > kMaxTime) {
    return bad("simulation: the run must start and end within years 1-9999");
  }
  if (config.queues.empty()) return bad("simulation: no queue is defined");
  if (config.traffic.empty()) return bad("simulation: no traffic is defined");
  if (config.agents.empty()) return bad("simulation: no agents are defined");
  if (!(config.no_answer_probability >= 0 && config.no_answer_probability <= 1)) {
    return bad(fmt::format("simulation: no_answer_probability is {}; expected 0..1",
                           config.no_answer_probability));
  }
  // The options, then the queues and agents, are checked by an engine, as the replications will
  // build them.
  absl::StatusOr<Engine> created = Engine::Create(config.engine);
  if (!created.ok()) return created.status();
  Engine& engine = *created;
  const absl::Time start = absl::UnixEpoch();
  absl::StatusOr<std::vector<size_t>> order = detail::QueueAddOrder(config.queues);
  if (!order.ok()) return order.status();
  for (size_t q : *order) SWITCHBOARD_RETURN_IF_ERROR(engine.AddQueue(start, config.queues[q]));
  for (const auto& entry : config.responses) {
    const std::string& queue = entry.first;
    const std::vector<CustomerResponse>& responses = entry.second;
    const auto named = std::find_if(config.queues.begin(), config.queues.end(),
                                    [&](const QueueConfig& q) { return q.id == queue; });
    if (named == config.queues.end()) {
      return bad(fmt::format("responses: unknown queue '{}'", queue));
    }
    if (responses.size() > named->overflow.size()) {
      return bad(fmt::format("responses of queue '{}': {} for {} overflow rules", queue,
                             responses.size(), named->overflow.size()));
    }
    for (size_t i = 0; i < responses.size(); ++i) {
      for (const auto& [name, value] : {std::pair{"accept", responses[i].accept},
                                        std::pair{"answer", responses[i].answer}}) {
        if (!(value >= 0 && value <= 1)) {
          return bad(fmt::format("responses of queue '{}' [{}]: {} is {}; expected 0..1", queue, i,
                                 name, value));
        }
      }
    }
  }
  for (size_t g = 0; g < config.agents.size(); ++g) {
    const AgentGroupConfig& group = config.agents[g];
    SWITCHBOARD_RETURN_IF_ERROR(CheckText(fmt::format("agents #{}: name", g + 1), group.name,
                                          kMaxAgentGroupNameBytes));
    const std::string where = fmt::format("agents '{}'", group.name);
    if (group.count < 1) return bad(fmt::format("{}: count is {}; expected >= 1", where, group.count));
    SWITCHBOARD_RETURN_IF_ERROR(CheckDuration(where + ": shift start", group.shift_start, false));
    if (group.shift_end) {
      SWITCHBOARD_RETURN_IF_ERROR(CheckDuration(where + ": shift end", *group.shift_end, false));
      if (*group.shift_end <= group.shift_start) {
        return bad(fmt::format("{}: the shift must end after it starts", where));
      }
    }
    for (const Break& pause : group.breaks) {
      SWITCHBOARD_RETURN_IF_ERROR(CheckDuration(where + ": break start", pause.start, false));
      SWITCHBOARD_RETURN_IF_ERROR(CheckDuration(where + ": break length", pause.duration, true));
      if (pause.start < group.shift_start ||
          (group.shift_end && pause.start + pause.duration > *group.shift_end)) {
        return bad(fmt::format("{}: a break must lie within the shift", where));
      }
    }
    for (size_t i = 0; i < group.reserve_for.size(); ++i) {
      const std::string& queue = group.reserve_for[i];
      if (std::none_of(config.queues.begin(), config.queues.end(),
                       [&](const QueueConfig& q) { return q.id == queue; })) {
        return bad(fmt::format("{}: reserve_for: unknown queue '{}'", where, queue));
      }
      if (std::find(group.reserve_for.begin(), group.reserve_for.begin() + i, queue) !=
          group.reserve_for.begin() + i) {
        return bad(fmt::format("{}: reserve_for: queue '{}' is listed twice", where, queue));
      }
    }
    AgentConfig agent;
    agent.id = fmt::format("{}-check-{}", group.name, g);
    agent.skills = group.skills;
    agent.capacity = group.capacity;
    for (const std::string& queue : group.reserve_for) {
      agent.queues.push_back({.queue = queue, .reserve = true});
    }
    SWITCHBOARD_RETURN_IF_ERROR(engine.AddAgent(start, agent));
  }
  if (!config.routes.empty()) {
    if (absl::Status status = engine.SetEntryRules(start, config.routes); !status.ok()) {
      return absl::Status(status.code(), fmt::format("routes: {}", detail::Message(status)));
    }
  }
  for (size_t i = 0; i < config.traffic.size(); ++i) {
    const TrafficConfig& traffic = config.traffic[i];
    const std::string where = fmt::format("traffic #{} ('{}')", i + 1, traffic.queue);
    if (!traffic.queue.empty()) {
      SWITCHBOARD_RETURN_IF_ERROR(
          CheckText(fmt::format("traffic #{}: queue", i + 1), traffic.queue, kMaxIdBytes));
      if (!engine.GetQueueStats(traffic.queue).ok()) {
        return bad(fmt::format("{}: unknown queue '{}'", where, traffic.queue));
      }
    } else if (config.routes.empty()) {
      return bad(fmt::format("traffic #{}: names no queue, and there are no routes to place its "
                             "contacts",
                             i + 1));
    }
    if (traffic.attributes.size() > kMaxEntries) {
      return bad(fmt::format("{}: {} attribute sets; expected at most {}", where,
                             traffic.attributes.size(), kMaxEntries));
    }
    for (size_t v = 0; v < traffic.attributes.size(); ++v) {
      const AttributeShare& set = traffic.attributes[v];
      if (!(set.share > 0) || !std::isfinite(set.share)) {
        return bad(fmt::format("{}: attribute set #{}: share is {}; expected > 0", where, v + 1,
                               set.share));
      }
      // An engine checks the attributes, and the routes place them (or refuse: no match).
      absl::Status placed = engine.AddContact(
          start, {.id = fmt::format("check-{}-{}", i, v),
                  .queue = traffic.queue,
                  .attributes = set.attributes});
      if (absl::IsFailedPrecondition(placed)) {
        return bad(fmt::format("{}: attribute set #{} names no queue and no route matches it",
                               where, v + 1));
      }
      if (!placed.ok()) {
        return absl::Status(placed.code(), fmt::format("{}: attribute set #{}: {}", where, v + 1,
                                                       detail::Message(placed)));
      }
    }
    if (traffic.attributes.empty() && traffic.queue.empty() &&
        absl::IsFailedPrecondition(
            engine.AddContact(start, {.id = fmt::format("check-{}", i)}))) {
      return bad(fmt::format("{}: names no queue and no route matches contacts without "
                             "attributes",
                             where));
    }
    if (!(traffic.redial.probability >= 0 && traffic.redial.probability <= 1)) {
      return bad(fmt::format("{}: redial probability is {}; expected 0..1", where,
                             traffic.redial.probability));
    }
    if (traffic.redial.probability > 0) {
      SWITCHBOARD_RETURN_IF_ERROR(
          CheckDistribution(where + ": redial after", traffic.redial.after, false));
    }
    const Arrivals& arrivals = traffic.arrivals;
    SWITCHBOARD_RETURN_IF_ERROR(CheckDuration(where + ": arrivals per", arrivals.per, true));
    if (arrivals.rates.empty()) return bad(where + ": arrivals have no rate");
    bool positive = false;
    for (double rate : arrivals.rates) {
      if (!(rate >= 0) || !std::isfinite(rate)) {
        return bad(fmt::format("{}: arrival rate {}; expected >= 0", where, rate));
      }
      positive |= rate > 0;
    }
    if (!positive) return bad(where + ": every arrival rate is 0");
    SWITCHBOARD_RETURN_IF_ERROR(CheckDistribution(where + ": handle", traffic.handle, false));
    SWITCHBOARD_RETURN_IF_ERROR(CheckDistribution(where + ": patience", traffic.patience, true));
    SWITCHBOARD_RETURN_IF_ERROR(CheckDuration(where + ": wrap_up", traffic.wrap_up, false));
    if (traffic.priority < -kMaxPriority || traffic.priority > kMaxPriority) {
      return bad(fmt::format("{}: priority {}; expected {}..{}", where, traffic.priority,
                             -kMaxPriority, kMaxPriority));
    }
  }
  return CheckLimits(config);
}

namespace detail {

namespace {

// A rule that names a queue the contact may move to (transfer, copy).
bool MovesTo(const OverflowRule& rule) {
  return rule.action == OverflowRule::Action::kTransfer ||
         rule.action == OverflowRule::Action::kCopy;
}

}  // namespace

absl::StatusOr<std::vector<size_t>> QueueAddOrder(const std::vector<QueueConfig>& queues) {
  auto position = [&](std::string_view id) -> size_t {
    for (size_t q = 0; q < queues.size(); ++q) {
      if (queues[q].id == id) return q;
    }
    return queues.size();
  };
  for (const QueueConfig& queue : queues) {
    for (size_t i = 0; i < queue.overflow.size(); ++i) {
      const OverflowRule& rule = queue.overflow[i];
      if (!MovesTo(rule)) continue;
      if (rule.target == queue.id || position(rule.target) == queues.size()) {
        return absl::InvalidArgumentError(fmt::format(
            "queue '{}': overflow[{}].target: {}", queue.id, i,
            rule.target == queue.id ? std::string("a queue cannot transfer to itself")
                                    : fmt::format("unknown queue '{}'", rule.target)));
      }
    }
  }
  std::vector<size_t> order;
  std::vector<bool> added(queues.size(), false);
  while (order.size() < queues.size()) {
    const size_t before = order.size();
    for (size_t q = 0; q < queues.size(); ++q) {
      if (added[q]) continue;
      const bool ready = std::all_of(
          queues[q].overflow.begin(), queues[q].overflow.end(), [&](const OverflowRule& rule) {
            return !MovesTo(rule) || added[position(rule.target)];
          });
      if (ready) {
        added[q] = true;
        order.push_back(q);
      }
    }
    if (order.size() == before) {
      std::string names;
      for (size_t q = 0; q < queues.size(); ++q) {
        if (!added[q]) names += fmt::format("{}'{}'", names.empty() ? "" : ", ", queues[q].id);
      }
      return absl::InvalidArgumentError(fmt::format(
          "queues {} transfer to each other in a cycle; a transfer rule must not lead back to "
          "its own queue",
          names));
    }
  }
  return order;
}

}  // namespace detail
}  // namespace switchboard
