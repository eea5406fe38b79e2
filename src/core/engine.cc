// The engine's public shell, its single entry point (Execute: time, due deadlines, dispatch to
// the command's handler) and the id lookups every handler uses. The handlers are in
// config_commands.cc, agent_commands.cc and contact_commands.cc; routing in routing.cc.
#include "switchboard/engine.h"

#include <cassert>
#include <utility>

#include "base/durations.h"
#include "base/status_macros.h"
#include "core/engine_impl.h"
#include "core/validation.h"
#include "fmt/format.h"
#include "switchboard/limits.h"

namespace switchboard {

using detail::AgentCommand;
using detail::kNoIndex;
using detail::ToMicros;
using detail::UnknownId;
using detail::CheckActor;

Engine::Engine() : Engine(std::make_unique<Impl>(EngineOptions{})) {}
Engine::Engine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Engine::~Engine() = default;
Engine::Engine(Engine&&) noexcept = default;
Engine& Engine::operator=(Engine&&) noexcept = default;

absl::StatusOr<Engine> Engine::Create(EngineOptions options) {
  SWITCHBOARD_RETURN_IF_ERROR(ValidateOptions(options));
  return Engine(std::make_unique<Impl>(std::move(options)));
}

absl::StatusOr<Engine> Engine::LoadState(std::string_view dump) {
  absl::StatusOr<std::unique_ptr<Impl>> impl = Impl::LoadState(dump);
  if (!impl.ok()) return impl.status();
  return Engine(*std::move(impl));
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
absl::Status Engine::AnswerOverflow(absl::Time now, std::string_view contact, bool accepted,
                                    Actor actor, std::optional<absl::Time> callback_at) {
  return impl_->Run(now, actor,
                    switchboard::AnswerOverflow{std::string(contact), accepted, callback_at});
}
absl::Status Engine::ReportCallback(absl::Time now, std::string_view contact,
                                    CallbackResult result, Actor actor) {
  return impl_->Run(now, actor, switchboard::ReportCallback{std::string(contact), result});
}
absl::Status Engine::SetEntryRules(absl::Time now, std::vector<EntryRule> rules, Actor actor) {
  return impl_->Run(now, actor, switchboard::SetEntryRules{std::move(rules)});
}
absl::Status Engine::Remove(absl::Time now, std::string_view contact, std::string_view reason,
                            Actor actor) {
  return impl_->Run(now, actor, RemoveContact{std::string(contact), std::string(reason)});
}
absl::Status Engine::AdvanceTo(absl::Time now) { return impl_->Run(now, Actor::Host(), Advance{}); }

std::optional<absl::Time> Engine::NextDeadline() const { return impl_->NextDeadline(); }
absl::Time Engine::now() const { return impl_->now(); }
std::string Engine::DumpState() const { return impl_->DumpState(); }
std::vector<Event> Engine::DrainEvents() { return impl_->DrainEvents(); }
void Engine::SetEventSink(EventSink* sink) { impl_->SetEventSink(sink); }
void Engine::SetHostScorer(HostScorer scorer) { impl_->SetHostScorer(std::move(scorer)); }
absl::StatusOr<IntervalStats> Engine::GetIntervalStats(StatsScope scope,
                                                       std::string_view id) const {
  return impl_->GetIntervalStats(scope, id);
}
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
absl::StatusOr<std::vector<ContactInfo>> Engine::GetQueueContacts(std::string_view queue) const {
  return impl_->GetQueueContacts(queue);
}
std::vector<std::string> Engine::ListQueues() const { return impl_->ListQueues(); }
absl::StatusOr<Explanation> Engine::Explain(std::string_view contact) const {
  return impl_->Explain(contact);
}
absl::StatusOr<OfferExplanation> Engine::ExplainOffer(std::string_view contact) const {
  return impl_->ExplainOffer(contact);
}
std::vector<std::string> Engine::ListAgents() const { return impl_->ListAgents(); }
const SkillRegistry& Engine::skills() const { return impl_->skills(); }
const EngineOptions& Engine::options() const { return impl_->options(); }
int64_t Engine::MappedBytes() { return detail::HugePageArena::MappedBytes(); }

Engine::Impl::Impl(EngineOptions options) : options_(std::move(options)), random_(options_.seed) {
  assert(ValidateOptions(options_).ok());
  record_arena_.set_enabled(options_.huge_page_records);
  agent_ids_.Reserve(static_cast<size_t>(options_.expected_agents));
  contact_ids_.Reserve(static_cast<size_t>(options_.expected_contacts));
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
  if (EventBufferFull()) {
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

}  // namespace switchboard
