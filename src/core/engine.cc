// Commands, agents, time and events of the engine. Routing decisions are in routing.cc.
#include "switchboard/engine.h"

#include <algorithm>
#include <cmath>
#include <utility>
#include <variant>

#include "base/durations.h"
#include "core/engine_impl.h"
#include "fmt/format.h"
#include "core/selection.h"
#include "base/status_macros.h"
#include "switchboard/limits.h"

namespace switchboard {

using detail::AgentCommand;
using detail::kNoIndex;

namespace {

using detail::kNever;
using detail::ToMicros;

bool HoldsSomething(const detail::Agent& agent) {
  return !agent.offers.empty() || !agent.connected.empty() || !agent.wrap_ups.empty();
}

absl::Status CheckNonNegative(std::string_view what, absl::Duration value) {
  return detail::CheckDuration(what, value, /*positive=*/false);
}

absl::Status CheckPositive(std::string_view what, absl::Duration value) {
  return detail::CheckDuration(what, value, /*positive=*/true);
}

absl::Status RefuseId(std::string_view what, std::string_view id) {
  if (id.empty()) return absl::InvalidArgumentError(fmt::format("{} id is empty", what));
  return CheckText(fmt::format("{} id", what), id, kMaxIdBytes);
}

// Non-empty, valid UTF-8 and at most kMaxIdBytes; the common case costs one pass over the id.
inline absl::Status CheckId(std::string_view what, std::string_view id) {
  if (!id.empty() && id.size() <= kMaxIdBytes && IsValidUtf8(id)) [[likely]] {
    return absl::OkStatus();
  }
  return RefuseId(what, id);
}

// The refusal for an id that names nothing: NotFound, or InvalidArgument when the id could not
// name anything (then the message does not repeat its bytes).
absl::Status UnknownId(std::string_view what, std::string_view id, std::string_view suffix = {}) {
  if (id.size() > kMaxIdBytes || !IsValidUtf8(id)) {
    return CheckText(fmt::format("{} id", what), id, kMaxIdBytes);
  }
  return absl::NotFoundError(fmt::format("unknown {} '{}'{}", what, id, suffix));
}

absl::Status CheckActor(const Actor& actor) {
  if (actor.kind > Actor::Kind::kHost) {
    return absl::InvalidArgumentError(
        fmt::format("actor kind {} is not a kind (0..3)", static_cast<int>(actor.kind)));
  }
  return CheckText("actor id", actor.id, kMaxIdBytes);
}

absl::Status CheckReason(std::string_view reason) {
  return CheckText("reason", reason, kMaxTextBytes);
}

// Attribute names and string values as text within their limits, numbers finite.
absl::Status CheckAttributes(std::string_view owner, const Attributes& attributes) {
  if (attributes.size() > kMaxEntries) {
    return absl::InvalidArgumentError(fmt::format("{}: {} attributes; expected at most {}", owner,
                                                  attributes.size(), kMaxEntries));
  }
  for (const auto& [name, value] : attributes) {
    SWITCHBOARD_RETURN_IF_ERROR(
        CheckText(fmt::format("{}: attribute name", owner), name, kMaxNameBytes));
    if (const std::string* text = std::get_if<std::string>(&value)) {
      SWITCHBOARD_RETURN_IF_ERROR(CheckText(
          fmt::format("{}: attribute '{}'", owner, name), *text, kMaxTextBytes));
    } else if (!std::isfinite(std::get<double>(value))) {
      return absl::InvalidArgumentError(fmt::format(
          "{}: attribute '{}' is {}; expected a finite number", owner, name,
          std::get<double>(value)));
    }
  }
  return absl::OkStatus();
}

}  // namespace

namespace detail {

absl::Status CheckDuration(std::string_view what, absl::Duration value, bool positive) {
  if (value < absl::ZeroDuration() || value > kMaxDuration ||
      (positive && value < absl::Microseconds(1))) {
    return absl::InvalidArgumentError(fmt::format(
        "{} is {}; expected a duration {} and at most {}", what, absl::FormatDuration(value),
        positive ? "of at least 1us" : ">= 0", absl::FormatDuration(kMaxDuration)));
  }
  return absl::OkStatus();
}

}  // namespace detail

absl::Status ValidateOptions(const EngineOptions& options) {
  SWITCHBOARD_RETURN_IF_ERROR(CheckPositive("offer_timeout", options.offer_timeout));
  SWITCHBOARD_RETURN_IF_ERROR(CheckNonNegative("rona_cooldown", options.rona_cooldown));
  SWITCHBOARD_RETURN_IF_ERROR(CheckNonNegative("reject_delay", options.reject_delay));
  SWITCHBOARD_RETURN_IF_ERROR(CheckNonNegative("timeout_delay", options.timeout_delay));
  SWITCHBOARD_RETURN_IF_ERROR(CheckNonNegative("aging_unit", options.aging_unit));
  // A priority of ±kMaxPriority aging units must stay far from overflowing the clock.
  if (options.aging_unit > absl::Hours(24)) {
    return absl::InvalidArgumentError(fmt::format("aging_unit is {}; expected at most 24h",
                                                  absl::FormatDuration(options.aging_unit)));
  }
  SWITCHBOARD_RETURN_IF_ERROR(CheckPositive("occupancy_window", options.occupancy_window));
  if (options.max_consecutive_misses < 0) {
    return absl::InvalidArgumentError(
        fmt::format("max_consecutive_misses is {}; expected >= 0", options.max_consecutive_misses));
  }
  if (options.host_score_candidates < 1 ||
      options.host_score_candidates > static_cast<int>(kMaxEntries)) {
    return absl::InvalidArgumentError(
        fmt::format("host_score_candidates is {}; expected 1..{}", options.host_score_candidates,
                    kMaxEntries));
  }
  if (options.max_buffered_events < 1) {
    return absl::InvalidArgumentError(
        fmt::format("max_buffered_events is {}; expected >= 1", options.max_buffered_events));
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------------------------
// Engine: the public shell.

Engine::Engine(EngineOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
Engine::~Engine() = default;
Engine::Engine(Engine&&) noexcept = default;
Engine& Engine::operator=(Engine&&) noexcept = default;

absl::StatusOr<std::unique_ptr<Engine>> Engine::Create(EngineOptions options) {
  SWITCHBOARD_RETURN_IF_ERROR(ValidateOptions(options));
  return std::make_unique<Engine>(std::move(options));
}

absl::Status Engine::Execute(const Command& command) { return impl_->Execute(command); }

absl::Status Engine::AddQueue(absl::Time now, QueueConfig config, Actor actor) {
  return impl_->Run(now, actor, switchboard::AddQueue{std::move(config)});
}
absl::Status Engine::AddAgent(absl::Time now, AgentConfig config, Actor actor) {
  return impl_->Run(now, actor, switchboard::AddAgent{std::move(config)});
}
absl::Status Engine::Login(absl::Time now, std::string_view agent, bool ready, Actor actor) {
  return impl_->Run(now, actor, switchboard::Login{std::string(agent), ready, {}});
}
absl::Status Engine::Logout(absl::Time now, std::string_view agent, bool after_contacts,
                            Actor actor) {
  return impl_->Run(now, actor, switchboard::Logout{std::string(agent), after_contacts});
}
absl::Status Engine::SetReady(absl::Time now, std::string_view agent, Actor actor) {
  return impl_->Run(now, actor, switchboard::SetReady{std::string(agent)});
}
absl::Status Engine::SetNotReady(absl::Time now, std::string_view agent, std::string_view reason,
                                 bool after_contacts, Actor actor) {
  return impl_->Run(
      now, actor,
      switchboard::SetNotReady{std::string(agent), std::string(reason), after_contacts});
}
absl::Status Engine::AddContact(absl::Time now, ContactConfig config, Actor actor) {
  return impl_->Run(now, actor, switchboard::AddContact{std::move(config)});
}
absl::Status Engine::Accept(absl::Time now, std::string_view agent, std::string_view contact,
                            Actor actor) {
  return impl_->RunAccept(now, actor, agent, contact);
}
absl::Status Engine::Reject(absl::Time now, std::string_view agent, std::string_view contact,
                            Actor actor) {
  return impl_->Run(now, actor, RejectOffer{std::string(agent), std::string(contact)});
}
absl::Status Engine::Hold(absl::Time now, std::string_view agent, std::string_view contact,
                          Actor actor) {
  return impl_->Run(now, actor, HoldContact{std::string(agent), std::string(contact)});
}
absl::Status Engine::Resume(absl::Time now, std::string_view agent, std::string_view contact,
                            Actor actor) {
  return impl_->Run(now, actor, ResumeContact{std::string(agent), std::string(contact)});
}
absl::Status Engine::Complete(absl::Time now, std::string_view agent, std::string_view contact,
                              Actor actor) {
  return impl_->RunComplete(now, actor, agent, contact);
}
absl::Status Engine::EndWrapUp(absl::Time now, std::string_view agent, std::string_view contact,
                               Actor actor) {
  return impl_->Run(now, actor, switchboard::EndWrapUp{std::string(agent), std::string(contact)});
}
absl::Status Engine::ExtendWrapUp(absl::Time now, std::string_view agent, std::string_view contact,
                                  absl::Duration extension, Actor actor) {
  return impl_->Run(now, actor,
                    switchboard::ExtendWrapUp{std::string(agent), std::string(contact), extension});
}
absl::Status Engine::Abandon(absl::Time now, std::string_view contact, Actor actor) {
  return impl_->Run(now, actor, AbandonContact{std::string(contact)});
}
absl::Status Engine::Remove(absl::Time now, std::string_view contact, std::string_view reason,
                            Actor actor) {
  return impl_->Run(now, actor, RemoveContact{std::string(contact), std::string(reason)});
}
absl::Status Engine::AdvanceTo(absl::Time now) { return impl_->Run(now, Actor::Host(), Advance{}); }

std::optional<absl::Time> Engine::NextDeadline() const { return impl_->NextDeadline(); }
absl::Time Engine::now() const { return impl_->now(); }
std::vector<Event> Engine::DrainEvents() { return impl_->DrainEvents(); }
void Engine::SetEventSink(EventSink* sink) { impl_->SetEventSink(sink); }
void Engine::SetHostScorer(HostScorer scorer) { impl_->SetHostScorer(std::move(scorer)); }
absl::StatusOr<QueueStats> Engine::GetQueueStats(std::string_view queue) const {
  return impl_->GetQueueStats(queue);
}
absl::StatusOr<AgentStats> Engine::GetAgentStats(std::string_view agent) const {
  return impl_->GetAgentStats(agent);
}
absl::StatusOr<ContactInfo> Engine::GetContact(std::string_view contact) const {
  return impl_->GetContact(contact);
}
absl::StatusOr<std::vector<std::string>> Engine::GetAgentQueues(std::string_view agent) const {
  return impl_->GetAgentQueues(agent);
}
absl::StatusOr<std::vector<ContactInfo>> Engine::GetAgentContacts(std::string_view agent) const {
  return impl_->GetAgentContacts(agent);
}
const SkillRegistry& Engine::skills() const { return impl_->skills(); }
const EngineOptions& Engine::options() const { return impl_->options(); }
int64_t Engine::MappedBytes() { return detail::HugePageArena::MappedBytes(); }

// ---------------------------------------------------------------------------------------------
// The single entry point.

Engine::Impl::Impl(EngineOptions options) : options_(std::move(options)), random_(options_.seed) {
  options_status_ = ValidateOptions(options_);
  offer_timeout_ = ToMicros(options_.offer_timeout);
  rona_cooldown_ = ToMicros(options_.rona_cooldown);
  reject_delay_ = ToMicros(options_.reject_delay);
  timeout_delay_ = ToMicros(options_.timeout_delay);
  aging_unit_ = ToMicros(options_.aging_unit);
  occupancy_window_ = ToMicros(options_.occupancy_window);
}

absl::Status Engine::Impl::Execute(const Command& command) {
  SWITCHBOARD_RETURN_IF_ERROR(
      Begin(command.now, command.actor, [&command] { return CommandName(command.body); }));
  return std::visit([this](const auto& body) { return Apply(body); }, command.body);
}

absl::Status Engine::Impl::RunAccept(absl::Time now, const Actor& actor, std::string_view agent,
                                     std::string_view contact) {
  SWITCHBOARD_RETURN_IF_ERROR(Begin(now, actor, [] { return NameOf<AcceptOffer>(); }));
  return Accept(agent, contact);
}

absl::Status Engine::Impl::RunComplete(absl::Time now, const Actor& actor, std::string_view agent,
                                       std::string_view contact) {
  SWITCHBOARD_RETURN_IF_ERROR(Begin(now, actor, [] { return NameOf<CompleteContact>(); }));
  return Complete(agent, contact);
}

absl::Status Engine::Impl::Begin(absl::Time time, const Actor& actor,
                                 absl::FunctionRef<std::string_view()> name) {
  if (!options_status_.ok()) return options_status_;
  if (time < kMinTime || time > kMaxTime) {
    if (time == absl::InfiniteFuture() || time == absl::InfinitePast()) {
      return absl::InvalidArgumentError("command time must be finite");
    }
    return CheckTime("command time", time);
  }
  const Micros now = absl::ToUnixMicros(time);
  if (now < now_) {
    return absl::OutOfRangeError(
        fmt::format("time went backwards: {} is at {} but the engine is already at {}", name(),
                    absl::FormatTime(time, absl::UTCTimeZone()),
                    absl::FormatTime(absl::FromUnixMicros(now_), absl::UTCTimeZone())));
  }
  // What fell due before `now` happened whatever the command turns out to be, unless the event
  // buffer fills first: then the engine stops at the last deadline it fired (now() tells which)
  // and refuses the command, so that no event is lost and one command cannot grow the buffer
  // without bound (a long AdvanceTo through a RONA loop). The host drains, then retries.
  if (!FireTimersUpTo(now)) {
    return absl::ResourceExhaustedError(fmt::format(
        "{} events wait to be drained (max_buffered_events {}); the engine stopped at {} before "
        "{}; drain them, then retry",
        events_.size(), options_.max_buffered_events,
        absl::FormatTime(absl::FromUnixMicros(now_), absl::UTCTimeZone()), name()));
  }
  if (sink_ == nullptr && options_.record_events &&
      static_cast<int64_t>(events_.size()) >= options_.max_buffered_events) {
    return absl::ResourceExhaustedError(fmt::format(
        "{} events wait to be drained (max_buffered_events {}); drain them, then retry {}",
        events_.size(), options_.max_buffered_events, name()));
  }
  now_ = now;
  if (actor.kind != actor_.kind || actor.id != actor_.id) {  // rarely: timers act as the system
    SWITCHBOARD_RETURN_IF_ERROR(CheckActor(actor));
    actor_ = actor;
  }
  cause_ = Cause::kCommand;
  return absl::OkStatus();
}

absl::Time Engine::Impl::now() const {
  return now_ == std::numeric_limits<Micros>::min() ? absl::InfinitePast()
                                                    : absl::FromUnixMicros(now_);
}

// ---------------------------------------------------------------------------------------------
// Lookups.

absl::StatusOr<AgentIndex> Engine::Impl::FindAgent(const AgentIds::Key& key) const {
  const std::optional<uint32_t> index = agent_ids_.Find(key);
  if (!index) return UnknownId("agent", key.id);
  return *index;
}

absl::StatusOr<QueueIndex> Engine::Impl::FindQueue(std::string_view id) const {
  auto it = queue_ids_.find(detail::AbslView(id));
  if (it == queue_ids_.end()) return UnknownId("queue", id);
  return it->second;
}

absl::StatusOr<ContactSlot> Engine::Impl::FindContact(std::string_view id) const {
  const std::optional<uint32_t> slot = contact_ids_.Find(id);
  if (!slot) return UnknownId("contact", id, " (never added, or ended)");
  return *slot;
}

detail::AgentView Engine::Impl::View(const Agent& agent) const {
  return {&agent.id,
          agent.logged_in,
          agent.ready,
          static_cast<int>(agent.offers.size()),
          static_cast<int>(agent.connected.size()),
          static_cast<int>(agent.wrap_ups.size()),
          agent.pending};
}

absl::StatusOr<AgentIndex> Engine::Impl::AgentFor(const AgentIds::Key& key,
                                                  AgentCommand command) const {
  absl::StatusOr<AgentIndex> index = FindAgent(key);
  if (!index.ok()) return index;
  detail::PrefetchRecord(agents_[*index]);
  SWITCHBOARD_RETURN_IF_ERROR(CheckAgentCommand(View(agents_[*index]), command));
  return index;
}

absl::StatusOr<ContactSlot> Engine::Impl::ContactWith(std::string_view id, AgentIndex agent,
                                                      ContactState state, bool or_on_hold) const {
  auto state_ok = [&](const Contact& contact) {
    return contact.state == state || (or_on_hold && contact.state == ContactState::kOnHold);
  };
  // The usual case without the id table: the contact is among the agent's few contacts.
  const Agent& holder = agents_[agent];
  for (ContactSlot candidate : state == ContactState::kOffered ? holder.offers : holder.connected) {
    const Contact& contact = contacts_[candidate];
    if (contact.id == id && state_ok(contact)) return candidate;
  }
  absl::StatusOr<ContactSlot> slot = FindContact(id);
  if (!slot.ok()) return slot;
  const Contact& contact = contacts_[*slot];
  if (contact.agent != agent || !state_ok(contact)) {
    return absl::FailedPreconditionError(fmt::format(
        "contact '{}' is {}{}; agent '{}' cannot {} it", id, ContactStateName(contact.state),
        contact.agent == kNoIndex ? "" : " with agent '" + agents_[contact.agent].id + "'",
        agents_[agent].id,
        state == ContactState::kOffered  ? "answer or decline"
        : state == ContactState::kOnHold ? "resume"
                                         : "hold or complete"));
  }
  return slot;
}

// ---------------------------------------------------------------------------------------------
// Configuration commands.

absl::Status Engine::Impl::Apply(const switchboard::AddQueue& command) {
  const QueueConfig& config = command.config;
  SWITCHBOARD_RETURN_IF_ERROR(CheckId("queue", config.id));
  if (queue_ids_.contains(config.id)) {
    return absl::AlreadyExistsError(fmt::format("queue '{}' already exists", config.id));
  }
  SWITCHBOARD_RETURN_IF_ERROR(
      CheckNonNegative(fmt::format("queue '{}': service_level_threshold", config.id),
                       config.service_level_threshold));
  if (!(config.service_level_target >= 0 && config.service_level_target <= 1)) {
    return absl::InvalidArgumentError(
        fmt::format("queue '{}': service_level_target is {}; expected 0..1", config.id,
                    config.service_level_target));
  }
  if (config.max_length < 0) {
    return absl::InvalidArgumentError(
        fmt::format("queue '{}': max_length is {}; expected >= 0", config.id, config.max_length));
  }
  // Enumerations cast from integers by a C++ host.
  if (static_cast<int>(config.strategy) >= kStrategyCount) {
    return absl::InvalidArgumentError(
        fmt::format("queue '{}': strategy {} is not a strategy (0..{})", config.id,
                    static_cast<int>(config.strategy), kStrategyCount - 1));
  }
  if (config.wrap_up.mode > WrapUpPolicy::Mode::kTimedWithExtension) {
    return absl::InvalidArgumentError(
        fmt::format("queue '{}': wrap_up.mode {} is not a mode (0..{})", config.id,
                    static_cast<int>(config.wrap_up.mode),
                    static_cast<int>(WrapUpPolicy::Mode::kTimedWithExtension)));
  }
  const WrapUpPolicy& wrap_up = config.wrap_up;
  if (wrap_up.mode == WrapUpPolicy::Mode::kTimed ||
      wrap_up.mode == WrapUpPolicy::Mode::kTimedWithExtension) {
    SWITCHBOARD_RETURN_IF_ERROR(
        CheckPositive(fmt::format("queue '{}': wrap_up.duration", config.id), wrap_up.duration));
  }
  SWITCHBOARD_RETURN_IF_ERROR(CheckNonNegative(
      fmt::format("queue '{}': wrap_up.max_extension", config.id), wrap_up.max_extension));
  // Parse last: on success it interns the skills it names.
  absl::StatusOr<Requirement> requirement = Requirement::Parse(config.requirement, skills_);
  if (!requirement.ok()) {
    return absl::InvalidArgumentError(
        fmt::format("queue '{}': {}", config.id, detail::Message(requirement.status())));
  }

  const QueueIndex index = static_cast<QueueIndex>(queues_.size());
  Queue& queue = queues_.emplace_back();
  queue.config = config;
  queue.requirement = *std::move(requirement);
  queue.service_level_threshold = ToMicros(config.service_level_threshold);
  queue_ids_.emplace(config.id, index);
  if (config.strategy == Strategy::kLeastOccupied) ++least_occupied_queues_;
  if (events_on()) {
    Event event = NewEvent(EventType::kQueueAdded);
    event.queue_id = config.id;
    Emit(std::move(event));
  }

  // Agents with automatic membership that meet the requirement now serve it. Only agents that
  // hold the first required skill need checking.
  auto consider = [&](AgentIndex a) {
    Agent& agent = agents_[a];
    if (!agent.auto_membership ||
        !queue.requirement.Matches(agent.skills, agent.Profile().attributes)) {
      return;
    }
    BeginAgentChange(a);
    agent.served = ComputeServed(agent);
    EndAgentChange(a);
  };
  if (!queue.requirement.required_skills().empty()) {
    // The rarest required skill gives the fewest candidates; a skill nobody holds, none.
    const std::vector<AgentIndex>* narrowest = nullptr;
    for (SkillId skill : queue.requirement.required_skills()) {
      static const std::vector<AgentIndex> kNobody;
      const std::vector<AgentIndex>& holders =
          skill < agents_by_skill_.size() ? agents_by_skill_[skill] : kNobody;
      if (narrowest == nullptr || holders.size() < narrowest->size()) narrowest = &holders;
    }
    for (AgentIndex a : *narrowest) consider(a);
  } else {
    for (AgentIndex a = 0; a < agents_.size(); ++a) consider(a);
  }
  return absl::OkStatus();
}

detail::ServedQueues Engine::Impl::ComputeServed(const Agent& agent) const {
  detail::ServedQueues served;
  if (agent.auto_membership) {
    for (QueueIndex q = 0; q < queues_.size(); ++q) {
      if (queues_[q].requirement.Matches(agent.skills, agent.Profile().attributes)) {
        served.push_back({.queue = q, .skill_score = queues_[q].requirement.Score(agent.skills)});
      }
    }
  } else {
    for (const QueueMembership& membership : agent.Profile().explicit_queues) {
      const QueueIndex q = queue_ids_.at(membership.queue);
      served.push_back({.delay = ToMicros(membership.delay),
                        .queue = q,
                        .priority = membership.priority,
                        .skill_score = queues_[q].requirement.Score(agent.skills)});
    }
  }
  std::stable_sort(served.begin(), served.end(),
                   [this](const detail::ServedQueue& x, const detail::ServedQueue& y) {
                     if (x.priority != y.priority) return x.priority > y.priority;
                     const int px = queues_[x.queue].config.priority;
                     const int py = queues_[y.queue].config.priority;
                     if (px != py) return px > py;
                     return x.queue < y.queue;
                   });
  served.shrink_to_fit();  // kept for the agent's life: no growth slack
  return served;
}

absl::Status Engine::Impl::Apply(const switchboard::AddAgent& command) {
  const AgentConfig& config = command.config;
  SWITCHBOARD_RETURN_IF_ERROR(CheckId("agent", config.id));
  if (agent_ids_.Contains(config.id)) {
    return absl::AlreadyExistsError(fmt::format("agent '{}' already exists", config.id));
  }
  const std::string owner = fmt::format("agent '{}'", config.id);
  SWITCHBOARD_RETURN_IF_ERROR(CheckAttributes(owner, config.attributes));
  if (config.groups.size() > kMaxEntries || config.queues.size() > kMaxEntries) {
    return absl::InvalidArgumentError(
        fmt::format("{}: {} groups and {} queues; expected at most {} of each", owner,
                    config.groups.size(), config.queues.size(), kMaxEntries));
  }
  for (const std::string& group : config.groups) {
    SWITCHBOARD_RETURN_IF_ERROR(CheckText(owner + ": group name", group, kMaxNameBytes));
  }
  for (const auto& [name, level] : config.skills) {
    absl::Status status = ValidateSkillName(name);
    if (status.ok()) status = ValidateSkillLevel(name, level);
    if (!status.ok()) {
      return absl::InvalidArgumentError(
          fmt::format("agent '{}': {}", config.id, detail::Message(status)));
    }
  }
  if (absl::Status status = ValidateCapacity(config.capacity); !status.ok()) {
    return absl::InvalidArgumentError(
        fmt::format("agent '{}': {}", config.id, detail::Message(status)));
  }
  // Random pools sum weights in 64-bit integer units of 1/1000: the bound keeps any sum of
  // them (up to 2^32 members) from overflowing, and rules out infinity.
  if (!(config.weight > 0 && config.weight <= kMaxAgentWeight)) {
    return absl::InvalidArgumentError(
        fmt::format("agent '{}': weight is {}; expected > 0 and <= {}", config.id, config.weight,
                    kMaxAgentWeight));
  }
  if (config.auto_membership && !config.queues.empty()) {
    return absl::InvalidArgumentError(fmt::format(
        "agent '{}': queues are listed but auto_membership is on; turn it off to serve exactly "
        "those queues",
        config.id));
  }
  if (!config.auto_membership && config.queues.empty()) {
    return absl::InvalidArgumentError(
        fmt::format("agent '{}': auto_membership is off and no queues are listed", config.id));
  }

  // Skills as the agent will hold them; names are interned only once everything checks out.
  SkillSet skills;
  int new_names = 0;
  for (const auto& [name, level] : config.skills) {
    if (std::optional<SkillId> id = skills_.Find(name)) {
      skills.Set(*id, static_cast<SkillLevel>(level));
    } else {
      ++new_names;
    }
  }
  if (skills_.size() + new_names > kMaxSkills) {
    return absl::ResourceExhaustedError(
        fmt::format("agent '{}': the engine already knows {} skills; at most {} are supported",
                    config.id, skills_.size(), kMaxSkills));
  }
  for (size_t i = 0; i < config.queues.size(); ++i) {
    const QueueMembership& membership = config.queues[i];
    absl::StatusOr<QueueIndex> q = FindQueue(membership.queue);
    if (!q.ok()) {
      return absl::Status(q.status().code(),
                          fmt::format("agent '{}': {}", config.id, detail::Message(q.status())));
    }
    for (size_t j = 0; j < i; ++j) {
      if (config.queues[j].queue == membership.queue) {
        return absl::InvalidArgumentError(
            fmt::format("agent '{}': queue '{}' is listed twice", config.id, membership.queue));
      }
    }
    SWITCHBOARD_RETURN_IF_ERROR(CheckNonNegative(
        fmt::format("agent '{}': delay for queue '{}'", config.id, membership.queue),
        membership.delay));
    // Skills the registry does not know yet appear in no requirement, so `skills` (which
    // lacks them) decides the match correctly.
    const Queue& queue = queues_[*q];
    if (!queue.requirement.Matches(skills, config.attributes)) {
      return absl::InvalidArgumentError(
          fmt::format("agent '{}' is listed for queue '{}' but does not meet its requirement "
                      "'{}'",
                      config.id, membership.queue, queue.requirement.text()));
    }
  }

  const AgentIndex index = static_cast<AgentIndex>(agents_.size());
  Agent& agent = agents_.emplace_back();
  agent_lists_at_.emplace_back();
  agent.id = config.id;
  for (const auto& [name, level] : config.skills) {
    const SkillId id = skills_.Intern(name);
    agent.skills.Set(id, static_cast<SkillLevel>(level));
    if (id >= agents_by_skill_.size()) agents_by_skill_.resize(id + 1);
    agents_by_skill_[id].push_back(index);
  }
  if (!config.groups.empty() || !config.attributes.empty() || !config.queues.empty()) {
    agent.profile = std::make_unique<detail::AgentProfile>(
        detail::AgentProfile{config.groups, config.attributes, config.queues});
  }
  agent.capacity = config.capacity;
  for (int c = 0; c < kChannelCount; ++c) {
    if (config.capacity.limit[c] == 0) continue;
    agent.channels |= static_cast<uint16_t>(1u << c);
    agent.channel_rank[c] = agent.channel_count++;
  }
  agent.weight = config.weight;
  agent.auto_membership = config.auto_membership;
  agent.served = ComputeServed(agent);
  agent.state_since = now_;
  agent_ids_.Insert(index);
  if (events_on()) {
    Event event = NewEvent(EventType::kAgentAdded);
    event.agent_id = config.id;
    Emit(std::move(event));
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------------------------
// Agent state commands.

absl::Status Engine::Impl::Apply(const switchboard::Login& command) {
  SWITCHBOARD_RETURN_IF_ERROR(CheckReason(command.reason));
  absl::StatusOr<AgentIndex> a = AgentFor(command.agent, AgentCommand::kLogin);
  if (!a.ok()) return a.status();
  if (command.ready && !command.reason.empty()) {
    return absl::InvalidArgumentError(
        fmt::format("agent '{}': a not-ready reason ('{}') was given with ready login",
                    command.agent, command.reason));
  }
  BeginAgentChange(*a);
  Agent& agent = agents_[*a];
  agent.logged_in = true;
  agent.ready = command.ready;
  agent.SetReason(command.ready            ? std::string_view()
                  : command.reason.empty() ? std::string_view(kReasonLogin)
                                           : std::string_view(command.reason));
  agent.pending = PendingChange::kNone;
  agent.handled_since_login = 0;
  agent.consecutive_misses = 0;
  agent.free_since = now_;
  EndAgentChange(*a, /*repool=*/false);
  RouteAgent(*a);
  return absl::OkStatus();
}

absl::Status Engine::Impl::Apply(const switchboard::Logout& command) {
  absl::StatusOr<AgentIndex> a =
      AgentFor(command.agent,
               command.after_contacts ? AgentCommand::kLogoutAfterContacts : AgentCommand::kLogout);
  if (!a.ok()) return a.status();
  BeginAgentChange(*a);
  Agent& agent = agents_[*a];
  agent.pending = PendingChange::kLogout;
  agent.SetPendingReason({});
  if (events_on() && HoldsSomething(agent)) {
    Event event = NewEvent(EventType::kAgentPendingChange);
    event.agent_id = agent.id;
    event.reason = "logout";
    Emit(std::move(event));
  }
  EndAgentChange(*a);  // applies it at once when the agent holds nothing
  return absl::OkStatus();
}

absl::Status Engine::Impl::Apply(const switchboard::SetReady& command) {
  absl::StatusOr<AgentIndex> a = AgentFor(command.agent, AgentCommand::kSetReady);
  if (!a.ok()) return a.status();
  BeginAgentChange(*a);
  Agent& agent = agents_[*a];
  if (agent.pending != PendingChange::kNone) {
    agent.pending = PendingChange::kNone;
    agent.SetPendingReason({});
    if (events_on()) {
      Event event = NewEvent(EventType::kAgentPendingChange);
      event.agent_id = agent.id;
      Emit(std::move(event));
    }
  }
  if (!agent.ready) {
    agent.ready = true;
    agent.SetReason({});
    agent.missed_delay_token = 0;
    agent.consecutive_misses = 0;
    agent.free_since = now_;
  }
  EndAgentChange(*a, /*repool=*/false);
  RouteAgent(*a);
  return absl::OkStatus();
}

absl::Status Engine::Impl::Apply(const switchboard::SetNotReady& command) {
  SWITCHBOARD_RETURN_IF_ERROR(CheckReason(command.reason));
  absl::StatusOr<AgentIndex> a =
      AgentFor(command.agent, command.after_contacts ? AgentCommand::kSetNotReadyAfterContacts
                                                     : AgentCommand::kSetNotReady);
  if (!a.ok()) return a.status();
  if (command.reason.empty()) {
    return absl::InvalidArgumentError(
        fmt::format("agent '{}': a not-ready reason code is required", command.agent));
  }
  BeginAgentChange(*a);
  Agent& agent = agents_[*a];
  agent.pending = PendingChange::kNotReady;
  agent.SetPendingReason(command.reason);
  if (events_on() && HoldsSomething(agent)) {
    Event event = NewEvent(EventType::kAgentPendingChange);
    event.agent_id = agent.id;
    event.reason = "not_ready:" + command.reason;
    Emit(std::move(event));
  }
  EndAgentChange(*a);  // applies it at once when the agent holds nothing
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------------------------
// Contact commands.

absl::Status Engine::Impl::Apply(const switchboard::AddContact& command) {
  const ContactConfig& config = command.config;
  SWITCHBOARD_RETURN_IF_ERROR(CheckId("contact", config.id));
  const auto key = decltype(contact_ids_)::KeyOf(config.id);
  if (contact_ids_.Contains(key)) {
    return absl::AlreadyExistsError(
        fmt::format("contact '{}' is already in the engine", config.id));
  }
  absl::StatusOr<QueueIndex> q = FindQueue(config.queue);
  if (!q.ok()) {
    return absl::Status(q.status().code(),
                        fmt::format("contact '{}': {}", config.id, detail::Message(q.status())));
  }
  if (static_cast<int>(config.channel) >= kChannelCount) {
    return absl::InvalidArgumentError(
        fmt::format("contact '{}': channel {} is not a channel (0..{})", config.id,
                    static_cast<int>(config.channel), kChannelCount - 1));
  }
  if (config.priority < -kMaxPriority || config.priority > kMaxPriority) {
    return absl::InvalidArgumentError(
        fmt::format("contact '{}': priority is {}; expected {}..{}", config.id, config.priority,
                    -kMaxPriority, kMaxPriority));
  }
  if (config.priority_class < 0 || config.priority_class > kMaxPriorityClass) {
    return absl::InvalidArgumentError(
        fmt::format("contact '{}': priority_class is {}; expected 0..{}", config.id,
                    config.priority_class, kMaxPriorityClass));
  }
  Micros arrival = now_;
  if (config.arrival) {
    if (*config.arrival == absl::InfinitePast() || *config.arrival > now()) {
      return absl::InvalidArgumentError(fmt::format(
          "contact '{}': arrival must be finite and not after the command's time", config.id));
    }
    SWITCHBOARD_RETURN_IF_ERROR(
        CheckTime(fmt::format("contact '{}': arrival", config.id), *config.arrival));
    arrival = absl::ToUnixMicros(*config.arrival);
  }
  if (!config.attributes.empty()) {
    SWITCHBOARD_RETURN_IF_ERROR(
        CheckAttributes(fmt::format("contact '{}'", config.id), config.attributes));
  }
  AgentIndex preferred = kNoIndex;
  if (!config.preferred_agent.empty()) {
    absl::StatusOr<AgentIndex> p = FindAgent(config.preferred_agent);
    if (!p.ok()) {
      return absl::Status(p.status().code(), fmt::format("contact '{}': preferred {}", config.id,
                                                         detail::Message(p.status())));
    }
    SWITCHBOARD_RETURN_IF_ERROR(CheckNonNegative(
        fmt::format("contact '{}': preferred_timeout", config.id), config.preferred_timeout));
    if (config.preferred_timeout > absl::ZeroDuration()) preferred = *p;
  }

  Queue& queue = queues_[*q];
  ++queue.counters.offered;
  if (queue.config.max_length > 0 && queue.waiting_count >= queue.config.max_length) {
    ++queue.counters.rejected;
    if (events_on()) {
      Event event = NewEvent(EventType::kContactRejected);
      event.contact_id = config.id;
      event.queue_id = queue.config.id;
      event.channel = config.channel;
      event.outcome = ContactOutcome::kRejected;
      event.reason = "queue_full";
      Emit(std::move(event));
    }
    return absl::OkStatus();
  }

  const std::optional<AgentIndex> early =
      preferred == kNoIndex
          ? ChooseEarly(*q, config.channel, VirtualArrival(arrival, config.priority))
          : std::nullopt;
  const ContactSlot slot =
      CreateContact(*q, config.channel, arrival, config.priority, config.priority_class);
  Contact& contact = contacts_[slot];
  contact.id = config.id;
  contact.id_hash = key.hash;
  if (!config.attributes.empty()) {
    contact.attributes = std::make_unique<Attributes>(config.attributes);
  }
  contact.preferred = preferred;
  contact_ids_.Insert(slot);
  if (preferred != kNoIndex) {
    contact.preferred_until = now_ + ToMicros(config.preferred_timeout);
    SetTimer(contact.preferred_until, TimerKind::kPreferredTimeout, slot, 0, contact.sequence);
  }
  if (events_on()) EmitContact(EventType::kContactQueued, contact, preferred);
  PlaceNew(slot, early);
  return absl::OkStatus();
}

ContactSlot Engine::Impl::CreateContact(QueueIndex queue, Channel channel, Micros arrival,
                                        int priority, int priority_class) {
  ContactSlot slot;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else {
    slot = static_cast<ContactSlot>(contacts_.size());
    contacts_.emplace_back();  // a new slot, default-constructed
  }
  Contact& contact = contacts_[slot];
  contact.sequence = ++next_contact_sequence_;
  contact.queue = queue;
  contact.channel = channel;
  contact.state = ContactState::kWaiting;
  contact.priority_class = static_cast<uint8_t>(priority_class);
  contact.priority = priority;
  contact.arrival = arrival;
  contact.virtual_arrival = VirtualArrival(arrival, priority);
  contact.answered_at = 0;
  contact.answered = false;
  contact.agent = kNoIndex;
  contact.preferred = kNoIndex;
  contact.offer_token = 0;
  contact.in_use = true;
  contact.queued = false;
  return slot;
}

absl::Status Engine::Impl::Accept(std::string_view agent, std::string_view contact) {
  absl::StatusOr<AgentIndex> a = AgentFor(agent, AgentCommand::kAccept);
  if (!a.ok()) return a.status();
  absl::StatusOr<ContactSlot> slot = ContactWith(contact, *a, ContactState::kOffered, false);
  if (!slot.ok()) return slot.status();
  AcceptOffered(*a, *slot);
  return absl::OkStatus();
}

void Engine::Impl::AcceptOffered(AgentIndex a, ContactSlot slot) {
  Contact& contact = contacts_[slot];
  Queue& queue = queues_[contact.queue];
  BeginAgentChange(a);
  Agent& agent = agents_[a];
  detail::EraseFirst(agent.offers, slot);
  agent.connected.push_back(slot);
  agent.consecutive_misses = 0;
  ++agent.handled_since_login;
  ++agent.handled_total;
  contact.state = ContactState::kConnected;
  contact.answered_at = now_;
  contact.answered = true;
  const Micros wait = now_ - contact.arrival;
  ++queue.counters.answered;
  queue.counters.total_answer_wait += wait;
  if (wait <= queue.service_level_threshold) ++queue.counters.answered_within_threshold;
  if (events_on()) EmitContact(EventType::kOfferAccepted, contact, a);
  EndAgentChange(a);
}

absl::Status Engine::Impl::Apply(const RejectOffer& command) {
  absl::StatusOr<AgentIndex> a = AgentFor(command.agent, AgentCommand::kReject);
  if (!a.ok()) return a.status();
  absl::StatusOr<ContactSlot> slot =
      ContactWith(command.contact, *a, ContactState::kOffered, false);
  if (!slot.ok()) return slot.status();
  MissOffer(*slot, /*timed_out=*/false);
  return absl::OkStatus();
}

absl::Status Engine::Impl::Apply(const HoldContact& command) {
  absl::StatusOr<AgentIndex> a = AgentFor(command.agent, AgentCommand::kHold);
  if (!a.ok()) return a.status();
  absl::StatusOr<ContactSlot> slot =
      ContactWith(command.contact, *a, ContactState::kConnected, false);
  if (!slot.ok()) return slot.status();
  contacts_[*slot].state = ContactState::kOnHold;
  if (events_on()) EmitContact(EventType::kContactHeld, contacts_[*slot], *a);
  return absl::OkStatus();
}

absl::Status Engine::Impl::Apply(const ResumeContact& command) {
  absl::StatusOr<AgentIndex> a = AgentFor(command.agent, AgentCommand::kResume);
  if (!a.ok()) return a.status();
  absl::StatusOr<ContactSlot> slot = ContactWith(command.contact, *a, ContactState::kOnHold, false);
  if (!slot.ok()) return slot.status();
  contacts_[*slot].state = ContactState::kConnected;
  if (events_on()) EmitContact(EventType::kContactResumed, contacts_[*slot], *a);
  return absl::OkStatus();
}

absl::Status Engine::Impl::Complete(std::string_view agent, std::string_view contact) {
  // At scale the agent's record and then the contact's, found through the agent's list, are
  // both cold. Both tables' lines are requested first; then the contact table's guess starts
  // the contact's record, whose miss overlaps the agent's instead of following it.
  const ContactIds::Key contact_key = ContactIds::KeyOf(contact);
  const AgentIds::Key agent_key = AgentIds::KeyOf(agent);
  contact_ids_.Prefetch(contact_key);  // also where the contact leaves the table at the end
  agent_ids_.Prefetch(agent_key);      // before the guess waits (the lookup asks again, harmlessly)
  if (std::optional<uint32_t> guess = contact_ids_.Guess(contact_key)) {
    detail::PrefetchRecord(contacts_[*guess]);
  }
  absl::StatusOr<AgentIndex> a = AgentFor(agent_key, AgentCommand::kComplete);
  if (!a.ok()) return a.status();
  // The contact is most likely one of the agent's few: fetch them alongside the next ones (the
  // guess's fetch again when it was right; this one also covers a wrong guess).
  for (ContactSlot held : agents_[*a].connected) detail::PrefetchRecord(contacts_[held]);
  PrefetchNextContacts(*a);
  absl::StatusOr<ContactSlot> slot = ContactWith(contact, *a, ContactState::kConnected, true);
  if (!slot.ok()) return slot.status();
  CompleteConnected(*a, *slot);
  return absl::OkStatus();
}

uint64_t Engine::Impl::CompleteConnected(AgentIndex a, ContactSlot slot) {
  Contact& contact = contacts_[slot];
  Queue& queue = queues_[contact.queue];
  BeginAgentChange(a);
  Agent& agent = agents_[a];
  detail::EraseFirst(agent.connected, slot);
  ++queue.counters.completed;
  if (events_on())
    EmitContact(EventType::kContactCompleted, contact, a, ContactOutcome::kCompleted);
  const WrapUpPolicy& policy = queue.config.wrap_up;
  uint64_t token = 0;
  if (policy.mode == WrapUpPolicy::Mode::kNone) {
    RemoveLoad(agent, contact.channel);
  } else {
    detail::WrapUp& wrap_up = agent.wrap_ups.emplace_back();
    wrap_up.contact_id = contact.id;
    wrap_up.channel = contact.channel;
    wrap_up.queue = contact.queue;
    wrap_up.token = token = ++next_token_;
    if (policy.mode != WrapUpPolicy::Mode::kUntilAgentEnds) {
      wrap_up.deadline = now_ + ToMicros(policy.duration);
      SetTimer(wrap_up.deadline, TimerKind::kWrapUpEnd, a, 0, wrap_up.token);
    }
    if (events_on()) {
      EmitContact(EventType::kWrapUpStarted, contact, a, ContactOutcome::kNone, wrap_up.deadline);
    }
  }
  FreeContact(slot);
  EndAgentChange(a, /*repool=*/false);
  RouteAgent(a);
  return token;
}

absl::Status Engine::Impl::Apply(const switchboard::EndWrapUp& command) {
  absl::StatusOr<AgentIndex> a = AgentFor(command.agent, AgentCommand::kEndWrapUp);
  if (!a.ok()) return a.status();
  Agent& agent = agents_[*a];
  if (!command.contact.empty()) {
    auto it =
        std::find_if(agent.wrap_ups.begin(), agent.wrap_ups.end(),
                     [&](const detail::WrapUp& w) { return w.contact_id == command.contact; });
    if (it == agent.wrap_ups.end()) {
      return absl::FailedPreconditionError(
          fmt::format("agent '{}' has no wrap-up of contact '{}'", command.agent, command.contact));
    }
    BeginAgentChange(*a);
    EndWrapUpIndex(*a, it - agent.wrap_ups.begin());
  } else {
    BeginAgentChange(*a);
    while (!agent.wrap_ups.empty()) EndWrapUpIndex(*a, 0);
  }
  EndAgentChange(*a, /*repool=*/false);
  RouteAgent(*a);
  return absl::OkStatus();
}

absl::Status Engine::Impl::Apply(const switchboard::ExtendWrapUp& command) {
  absl::StatusOr<AgentIndex> a = AgentFor(command.agent, AgentCommand::kExtendWrapUp);
  if (!a.ok()) return a.status();
  Agent& agent = agents_[*a];
  auto it =
      std::find_if(agent.wrap_ups.begin(), agent.wrap_ups.end(), [&](const detail::WrapUp& w) {
        return command.contact.empty() || w.contact_id == command.contact;
      });
  if (it == agent.wrap_ups.end()) {
    return absl::FailedPreconditionError(
        fmt::format("agent '{}' has no wrap-up of contact '{}'", command.agent, command.contact));
  }
  const WrapUpPolicy& policy = queues_[it->queue].config.wrap_up;
  if (policy.mode != WrapUpPolicy::Mode::kTimedWithExtension) {
    return absl::FailedPreconditionError(
        fmt::format("queue '{}' does not allow wrap-up extensions", queues_[it->queue].config.id));
  }
  SWITCHBOARD_RETURN_IF_ERROR(CheckPositive("extension", command.extension));
  const Micros extension = ToMicros(command.extension);
  const Micros allowed = ToMicros(policy.max_extension) - it->extended;
  if (extension > allowed) {
    return absl::FailedPreconditionError(
        fmt::format("agent '{}': wrap-up of contact '{}' {} (queue '{}' allows {} in all)",
                    command.agent, it->contact_id,
                    allowed > 0 ? fmt::format("can be extended by at most {} more",
                                              absl::FormatDuration(absl::Microseconds(allowed)))
                                : std::string("cannot be extended any further"),
                    queues_[it->queue].config.id, absl::FormatDuration(policy.max_extension)));
  }
  it->extended += extension;
  it->deadline += extension;
  it->token = ++next_token_;
  SetTimer(it->deadline, TimerKind::kWrapUpEnd, *a, 0, it->token);
  if (events_on()) {
    Event event = NewEvent(EventType::kWrapUpExtended);
    event.agent_id = agent.id;
    event.contact_id = it->contact_id;
    event.queue_id = queues_[it->queue].config.id;
    event.deadline = absl::FromUnixMicros(it->deadline);
    Emit(std::move(event));
  }
  return absl::OkStatus();
}

absl::Status Engine::Impl::Apply(const AbandonContact& command) {
  absl::StatusOr<ContactSlot> slot = FindContact(command.contact);
  if (!slot.ok()) return slot.status();
  const Contact& contact = contacts_[*slot];
  if (contact.state != ContactState::kWaiting && contact.state != ContactState::kOffered) {
    return absl::FailedPreconditionError(fmt::format(
        "contact '{}' is {} with agent '{}'; it cannot be abandoned, the agent completes it",
        command.contact, ContactStateName(contact.state), agents_[contact.agent].id));
  }
  EndUnanswered(*slot, ContactOutcome::kAbandoned, {});
  return absl::OkStatus();
}

absl::Status Engine::Impl::Apply(const RemoveContact& command) {
  SWITCHBOARD_RETURN_IF_ERROR(CheckReason(command.reason));
  absl::StatusOr<ContactSlot> slot = FindContact(command.contact);
  if (!slot.ok()) return slot.status();
  const Contact& contact = contacts_[*slot];
  if (contact.state != ContactState::kWaiting && contact.state != ContactState::kOffered) {
    return absl::FailedPreconditionError(fmt::format(
        "contact '{}' is {} with agent '{}'; only waiting or ringing contacts can be removed",
        command.contact, ContactStateName(contact.state), agents_[contact.agent].id));
  }
  EndUnanswered(*slot, ContactOutcome::kRemoved, command.reason);
  return absl::OkStatus();
}

absl::Status Engine::Impl::Apply(const Advance&) { return absl::OkStatus(); }

// ---------------------------------------------------------------------------------------------
// Agents.

void Engine::Impl::AddLoad(Agent& agent, Channel channel) {
  const int c = static_cast<int>(channel);
  ++agent.load.count[c];
  agent.held_channels |= static_cast<uint16_t>(1u << c);
  if (agent.capacity.model == CapacityConfig::Model::kCost) {
    agent.load.used_cost += agent.capacity.cost[c];
  }
}

void Engine::Impl::RemoveLoad(Agent& agent, Channel channel) {
  const int c = static_cast<int>(channel);
  if (--agent.load.count[c] == 0) agent.held_channels &= static_cast<uint16_t>(~(1u << c));
  if (agent.capacity.model == CapacityConfig::Model::kCost) {
    agent.load.used_cost -= agent.capacity.cost[c];
  }
  agent.free_since = now_;
}

void Engine::Impl::EndWrapUpIndex(AgentIndex a, size_t index) {
  Agent& agent = agents_[a];
  const detail::WrapUp wrap_up = std::move(agent.wrap_ups[index]);
  agent.wrap_ups.erase(agent.wrap_ups.begin() + static_cast<ptrdiff_t>(index));
  RemoveLoad(agent, wrap_up.channel);
  if (events_on()) {
    Event event = NewEvent(EventType::kWrapUpEnded);
    event.agent_id = agent.id;
    event.contact_id = wrap_up.contact_id;
    event.queue_id = queues_[wrap_up.queue].config.id;
    Emit(std::move(event));
  }
}

void Engine::Impl::BeginAgentChange(AgentIndex a) { RemoveFromPools(a); }

void Engine::Impl::EndAgentChange(AgentIndex a, bool repool) {
  Agent& agent = agents_[a];
  const Cause saved_cause = cause_;
  if (!HoldsSomething(agent) && agent.pending != PendingChange::kNone) {
    if (agent.pending == PendingChange::kLogout) {
      agent.logged_in = false;
      agent.ready = false;
      agent.SetReason({});
    } else {
      agent.ready = false;
      agent.SetReason(agent.PendingReason());
    }
    agent.missed_delay_token = 0;
    agent.pending = PendingChange::kNone;
    agent.SetPendingReason({});
    if (agent.state == AgentState::kBusy || agent.state == AgentState::kWrapUp ||
        agent.state == AgentState::kReserved) {
      cause_ = Cause::kPendingChange;
    }
  }

  // Occupancy intervals (for least_occupied queues only): open while the agent handles or
  // wraps up a contact.
  const bool busy =
      least_occupied_queues_ > 0 && (!agent.connected.empty() || !agent.wrap_ups.empty());
  if (busy && agent.busy_since < 0) {
    agent.busy_since = now_;
  } else if (!busy && agent.busy_since >= 0) {
    if (!agent.busy_intervals) {
      agent.busy_intervals = std::make_unique<std::vector<std::pair<Micros, Micros>>>();
    }
    auto& intervals = *agent.busy_intervals;
    intervals.emplace_back(agent.busy_since, now_);
    agent.busy_since = -1;
    const Micros horizon = now_ - occupancy_window_;
    auto keep = std::find_if(intervals.begin(), intervals.end(),
                             [horizon](const auto& interval) { return interval.second > horizon; });
    intervals.erase(intervals.begin(), keep);
  }

  const AgentState state = detail::DeriveState(View(agent));
  const bool reason_changed =
      state == AgentState::kNotReady && agent.ReportedReason() != agent.Reason();
  if (state != agent.state || reason_changed) {
    agent.time_by_state[static_cast<int>(agent.state)] += now_ - agent.state_since;
    if (events_on()) {
      Event event = NewEvent(EventType::kAgentStateChanged);
      event.agent_id = agent.id;
      event.from_state = agent.state;
      event.to_state = state;
      if (state == AgentState::kNotReady) event.reason = std::string(agent.Reason());
      Emit(std::move(event));
    }
    agent.state = state;
    agent.state_since = now_;
    if (state == AgentState::kNotReady) {
      agent.SetReportedReason(agent.Reason());
    } else if (!agent.ReportedReason().empty()) {
      agent.SetReportedReason({});
    }
  }
  cause_ = saved_cause;
  if (repool) AddToPools(a);
}

int64_t Engine::Impl::OccupancyPpm(const Agent& agent) const {
  const Micros start = now_ - occupancy_window_;
  Micros busy = 0;
  if (agent.busy_intervals) {
    for (const auto& [from, to] : *agent.busy_intervals) {
      if (to > start) busy += to - std::max(from, start);
    }
  }
  if (agent.busy_since >= 0) busy += now_ - std::max(agent.busy_since, start);
  return static_cast<int64_t>(static_cast<double>(busy) * 1e6 /
                              static_cast<double>(occupancy_window_));
}

// ---------------------------------------------------------------------------------------------
// Time.

void Engine::Impl::SetTimer(Micros time, TimerKind kind, uint32_t a, uint32_t b, uint64_t token) {
  timers_.Schedule(time, kind, a, b, token);
}

bool Engine::Impl::IsLive(const Timer& timer) const {
  switch (timer.kind()) {
    case TimerKind::kOfferTimeout: {
      const Contact& contact = contacts_[timer.a];
      return contact.in_use && contact.state == ContactState::kOffered &&
             contact.offer_token == timer.token;
    }
    case TimerKind::kWrapUpEnd:
      for (const detail::WrapUp& wrap_up : agents_[timer.a].wrap_ups) {
        if (wrap_up.token == timer.token) return true;
      }
      return false;
    case TimerKind::kMissedOfferDelay:
      return agents_[timer.a].missed_delay_token == timer.token;
    case TimerKind::kPreferredTimeout: {
      const Contact& contact = contacts_[timer.a];
      return contact.in_use && contact.sequence == timer.token &&
             contact.state == ContactState::kWaiting && contact.preferred != kNoIndex;
    }
    case TimerKind::kCooldownEnd: {
      const Contact& contact = contacts_[timer.a];
      return contact.in_use && contact.sequence == timer.token;
    }
    case TimerKind::kQueueRecheck:
      return queues_[timer.a].recheck_at[timer.b] == timer.time;
  }
  return false;
}

std::optional<absl::Time> Engine::Impl::NextDeadline() const {
  while (!timers_.empty() && !IsLive(timers_.top())) timers_.pop();
  if (timers_.empty()) return std::nullopt;
  return absl::FromUnixMicros(timers_.top().time);
}

bool Engine::Impl::FireTimersUpTo(Micros time) {
  const bool bounded = sink_ == nullptr && options_.record_events;
  while (!timers_.empty() && timers_.top().time <= time) {
    const Timer timer = timers_.top();
    if (!IsLive(timer)) {
      timers_.pop();
      continue;
    }
    if (bounded && static_cast<int64_t>(events_.size()) >= options_.max_buffered_events) {
      return false;  // the buffer is full: the rest waits until the host has drained
    }
    timers_.pop();
    now_ = std::max(now_, timer.time);
    actor_ = Actor::System();
    Fire(timer);
  }
  return true;
}

void Engine::Impl::Fire(const Timer& timer) {
  switch (timer.kind()) {
    case TimerKind::kOfferTimeout:
      cause_ = Cause::kOfferTimeout;
      MissOffer(timer.a, /*timed_out=*/true);
      return;
    case TimerKind::kWrapUpEnd: {
      cause_ = Cause::kWrapUpTimeout;
      const AgentIndex a = timer.a;
      Agent& agent = agents_[a];
      BeginAgentChange(a);
      for (size_t i = 0; i < agent.wrap_ups.size(); ++i) {
        if (agent.wrap_ups[i].token == timer.token) {
          EndWrapUpIndex(a, i);
          break;
        }
      }
      EndAgentChange(a, /*repool=*/false);
      RouteAgent(a);
      return;
    }
    case TimerKind::kMissedOfferDelay: {
      cause_ = Cause::kMissedOfferDelay;
      const AgentIndex a = timer.a;
      BeginAgentChange(a);
      Agent& agent = agents_[a];
      agent.missed_delay_token = 0;
      agent.ready = true;
      agent.SetReason({});
      agent.free_since = now_;
      EndAgentChange(a, /*repool=*/false);
      RouteAgent(a);
      return;
    }
    case TimerKind::kPreferredTimeout: {
      cause_ = Cause::kPreferredTimeout;
      const ContactSlot slot = timer.a;
      Contact& contact = contacts_[slot];
      const AgentIndex preferred = contact.preferred;
      LeaveWaiting(slot);
      contact.preferred = kNoIndex;
      if (events_on()) EmitContact(EventType::kPreferredTimedOut, contact, preferred);
      Place(slot);
      return;
    }
    case TimerKind::kCooldownEnd: {
      cause_ = Cause::kRouting;
      Contact& contact = contacts_[timer.a];
      if (contact.cooldowns) {
        std::erase_if(*contact.cooldowns,
                      [this](const auto& entry) { return entry.second <= now_; });
      }
      if (contact.state == ContactState::kWaiting) RouteAgent(timer.b);
      return;
    }
    case TimerKind::kQueueRecheck:
      cause_ = Cause::kRouting;
      queues_[timer.a].recheck_at[timer.b] = std::numeric_limits<Micros>::max();
      RecheckQueue(timer.a, static_cast<Channel>(timer.b));
      return;
  }
}

// ---------------------------------------------------------------------------------------------
// Events.

Event Engine::Impl::NewEvent(EventType type) const {
  Event event;
  event.type = type;
  event.time = absl::FromUnixMicros(now_);
  event.actor = actor_;
  event.cause = cause_;
  return event;
}

void Engine::Impl::Emit(Event event) {
  event.sequence = ++event_sequence_;
  if (sink_ != nullptr) {
    sink_->OnEvent(event);
  } else if (options_.record_events) {
    events_.push_back(std::move(event));
  }
}

void Engine::Impl::EmitContact(EventType type, const Contact& contact, AgentIndex agent,
                               ContactOutcome outcome, Micros deadline, std::string_view reason) {
  Event event = NewEvent(type);
  event.contact_id = contact.id;
  if (agent != kNoIndex) event.agent_id = agents_[agent].id;
  event.queue_id = queues_[contact.queue].config.id;
  event.channel = contact.channel;
  event.outcome = outcome;
  if (deadline != kNever) event.deadline = absl::FromUnixMicros(deadline);
  event.reason = std::string(reason);
  event.wait_micros =
      !contact.answered ? now_ - contact.arrival : contact.answered_at - contact.arrival;
  Emit(std::move(event));
}

std::vector<Event> Engine::Impl::DrainEvents() {
  std::vector<Event> drained;
  drained.swap(events_);
  return drained;
}

// ---------------------------------------------------------------------------------------------
// The resolved layer (for the simulator).

void Engine::Impl::MoveTo(Micros now) {
  FireTimersUpTo(now);  // never stops early: the simulator keeps no events
  now_ = std::max(now_, now);
  actor_ = Actor::Host();
  cause_ = Cause::kCommand;
}

Micros Engine::Impl::NextDeadlineMicros() const {
  while (!timers_.empty() && !IsLive(timers_.top())) timers_.pop();
  return timers_.empty() ? kNever : timers_.top().time;
}

ContactSlot Engine::Impl::AddContactAt(QueueIndex queue, Channel channel, Micros arrival,
                                       int priority) {
  ++queues_[queue].counters.offered;
  const std::optional<AgentIndex> early =
      ChooseEarly(queue, channel, VirtualArrival(arrival, priority));
  const ContactSlot slot = CreateContact(queue, channel, arrival, priority, 0);
  PlaceNew(slot, early);
  return slot;
}

void Engine::Impl::AcceptAt(AgentIndex agent, ContactSlot contact) {
  AcceptOffered(agent, contact);
}

uint64_t Engine::Impl::CompleteAt(AgentIndex agent, ContactSlot contact) {
  return CompleteConnected(agent, contact);
}

void Engine::Impl::EndWrapUpAt(AgentIndex a, uint64_t token) {
  Agent& agent = agents_[a];
  for (size_t i = 0; i < agent.wrap_ups.size(); ++i) {
    if (agent.wrap_ups[i].token != token) continue;
    BeginAgentChange(a);
    EndWrapUpIndex(a, i);
    EndAgentChange(a, /*repool=*/false);
    RouteAgent(a);
    return;
  }
}

void Engine::Impl::AbandonAt(ContactSlot contact) {
  EndUnanswered(contact, ContactOutcome::kAbandoned, {});
}

std::array<Micros, kAgentStateCount> Engine::Impl::TimeByState(const Agent& agent) const {
  std::array<Micros, kAgentStateCount> times = agent.time_by_state;
  times[static_cast<int>(agent.state)] += std::max(now_, agent.state_since) - agent.state_since;
  return times;
}

std::pair<Micros, Micros> Engine::Impl::WorkAndLoggedIn(AgentIndex a) const {
  const std::array<Micros, kAgentStateCount> times = TimeByState(agents_[a]);
  Micros logged_in = 0;
  for (int s = 0; s < kAgentStateCount; ++s) {
    if (s != static_cast<int>(AgentState::kLoggedOut)) logged_in += times[s];
  }
  return {times[static_cast<int>(AgentState::kBusy)] + times[static_cast<int>(AgentState::kWrapUp)],
          logged_in};
}

// ---------------------------------------------------------------------------------------------
// Statistics.

absl::StatusOr<QueueStats> Engine::Impl::GetQueueStats(std::string_view id) const {
  absl::StatusOr<QueueIndex> q = FindQueue(id);
  if (!q.ok()) return q.status();
  const Queue& queue = queues_[*q];
  const QueueCounters& c = queue.counters;
  QueueStats stats;
  stats.queue_id = queue.config.id;
  stats.waiting = queue.waiting_count;
  const std::optional<Micros> oldest = queue.by_arrival.Oldest();
  stats.longest_wait = oldest ? absl::Microseconds(now_ - *oldest) : absl::ZeroDuration();
  stats.offered = c.offered;
  stats.rejected = c.rejected;
  stats.answered = c.answered;
  stats.answered_within_threshold = c.answered_within_threshold;
  stats.abandoned = c.abandoned;
  stats.removed = c.removed;
  stats.completed = c.completed;
  stats.offers = c.offers;
  stats.offers_missed = c.offers_missed;
  const int64_t decided = c.answered + c.abandoned;
  stats.service_level =
      decided == 0 ? 1.0 : static_cast<double>(c.answered_within_threshold) / decided;
  stats.asa =
      c.answered == 0 ? absl::ZeroDuration() : absl::Microseconds(c.total_answer_wait / c.answered);
  return stats;
}

absl::StatusOr<AgentStats> Engine::Impl::GetAgentStats(std::string_view id) const {
  absl::StatusOr<AgentIndex> a = FindAgent(id);
  if (!a.ok()) return a.status();
  const Agent& agent = agents_[*a];
  AgentStats stats;
  stats.agent_id = agent.id;
  stats.state = agent.state;
  stats.not_ready_reason =
      agent.state == AgentState::kNotReady ? std::string(agent.Reason()) : std::string();
  const Micros now = std::max(now_, agent.state_since);
  stats.time_in_state = absl::Microseconds(now - agent.state_since);
  stats.contacts_handled = agent.handled_since_login;
  stats.contacts_handled_total = agent.handled_total;
  stats.active_contacts =
      static_cast<int>(agent.offers.size() + agent.connected.size() + agent.wrap_ups.size());
  const std::array<Micros, kAgentStateCount> times = TimeByState(agent);
  for (int s = 0; s < kAgentStateCount; ++s) stats.time_by_state[s] = absl::Microseconds(times[s]);
  const auto [working, logged_in] = WorkAndLoggedIn(*a);
  stats.occupancy = logged_in == 0 ? 0.0 : static_cast<double>(working) / logged_in;
  return stats;
}

absl::StatusOr<ContactInfo> Engine::Impl::GetContact(std::string_view id) const {
  absl::StatusOr<ContactSlot> slot = FindContact(id);
  if (!slot.ok()) return slot.status();
  return InfoOf(*slot);
}

ContactInfo Engine::Impl::InfoOf(ContactSlot slot) const {
  const Contact& contact = contacts_[slot];
  ContactInfo info;
  info.id = contact.id;
  info.queue = queues_[contact.queue].config.id;
  info.channel = contact.channel;
  info.state = contact.state;
  if (contact.agent != kNoIndex) info.agent = agents_[contact.agent].id;
  info.arrival = absl::FromUnixMicros(contact.arrival);
  info.priority = contact.priority;
  info.priority_class = contact.priority_class;
  if (contact.attributes) info.attributes = *contact.attributes;
  return info;
}

absl::StatusOr<std::vector<ContactInfo>> Engine::Impl::GetAgentContacts(std::string_view id) const {
  absl::StatusOr<AgentIndex> a = FindAgent(id);
  if (!a.ok()) return a.status();
  std::vector<ContactInfo> contacts;
  for (ContactSlot slot : agents_[*a].offers) contacts.push_back(InfoOf(slot));
  for (ContactSlot slot : agents_[*a].connected) contacts.push_back(InfoOf(slot));
  return contacts;
}

absl::StatusOr<std::vector<std::string>> Engine::Impl::GetAgentQueues(std::string_view id) const {
  absl::StatusOr<AgentIndex> a = FindAgent(id);
  if (!a.ok()) return a.status();
  std::vector<std::string> ids;
  for (const detail::ServedQueue& served : agents_[*a].served) {
    ids.push_back(queues_[served.queue].config.id);
  }
  return ids;
}

}  // namespace switchboard
