// ResolvedEngine: the engine below Execute, for a host inside the library (the simulator).
// Commands are addressed by dense record index instead of string id, build no events and skip
// Execute's checks: the caller guarantees what Execute would have checked (the ids exist, the
// contact is in the state the command needs, time never goes back). Routing, the agent state
// machine and the indexes are the engine's own, so simulated decisions are the live ones.
//
// Example (src/sim/simulator.cc):
//   absl::StatusOr<Engine> engine = Engine::Create(options);  // then queues and agents through
//   detail::ResolvedEngine resolved(*engine);                  // the public API
//   ContactSlot slot = resolved.AddContactByIndex(queue, Channel::kVoice, arrival, priority);
#ifndef SWITCHBOARD_SRC_CORE_RESOLVED_ENGINE_H_
#define SWITCHBOARD_SRC_CORE_RESOLVED_ENGINE_H_

#include <cstdint>
#include <string_view>
#include <utility>

#include "absl/status/statusor.h"
#include "core/engine_impl.h"
#include "switchboard/engine.h"

namespace switchboard::detail {

class ResolvedEngine {
 public:
  using OfferListener = Engine::Impl::OfferListener;

  // Not owned; `engine` must outlive this view.
  explicit ResolvedEngine(Engine& engine) : impl_(engine.impl_.get()) {}

  // Every offer is reported to `listener` as it is made. With `accepts_at_once` the listener
  // promises to accept every offer before time moves on, so offers get no timeout timer.
  void SetOfferListener(OfferListener* listener, bool accepts_at_once = false) {
    impl_->SetOfferListener(listener, accepts_at_once);
  }

  // What overflow rules and callbacks do to contacts is reported to `listener`.
  using PolicyListener = Engine::Impl::PolicyListener;
  void SetPolicyListener(PolicyListener* listener) { impl_->SetPolicyListener(listener); }
  // The customer's answer to an overflow rule's offer (the contact is waiting, asked).
  void AnswerOverflowByIndex(ContactSlot contact, bool accepted) {
    impl_->AnswerOverflowByIndex(contact, accepted);
  }
  // The result of dialling a callback (the contact is dialing).
  void ReportCallbackByIndex(ContactSlot contact, CallbackResult result) {
    impl_->ReportCallbackByIndex(contact, result);
  }
  bool IsDialing(ContactSlot contact) const { return impl_->IsDialing(contact); }
  // Whether the contact (slot and sequence) still waits for its answer to rule `rule`'s offer.
  bool IsAsked(ContactSlot contact, uint64_t sequence, size_t rule) const {
    return impl_->IsAsked(contact, sequence, rule);
  }

  // Fires the timers due up to `now` and moves time there (AdvanceTo without the checks).
  void MoveTo(Micros now) { impl_->MoveTo(now); }
  // The earliest live timer, or kNever.
  Micros NextDeadline() const { return impl_->NextDeadlineMicros(); }

  // A contact without a host id enters chain `queue` (a queue's index, or an entry rule's
  // `entry`); returns its slot (valid until it ends).
  ContactSlot AddContactByIndex(QueueIndex queue, Channel channel, Micros arrival, int priority,
                                int priority_class = 0) {
    return impl_->AddContactByIndex(queue, channel, arrival, priority, priority_class);
  }
  // The first entry rule whose condition `attributes` meet, or null.
  const EntryRuleRecord* MatchEntryRule(const Attributes& attributes) const {
    return impl_->MatchEntryRule(attributes);
  }
  // Contacts in the engine (waiting, ringing, connected or waiting to be called back).
  size_t LiveContacts() const { return impl_->LiveContacts(); }
  // The slot AddContactByIndex will return next: a listener may hear of the contact (an overflow
  // rule firing on arrival) before AddContactByIndex returns.
  ContactSlot NextContactSlot() const { return impl_->NextContactSlot(); }
  // The wait estimated for the contact when it entered (EWT; 0 when it was offered at once).
  Micros EstimateAtEntryByIndex(ContactSlot contact) const {
    return impl_->EstimateAtEntry(contact);
  }
  // The agent answers the contact offered to it.
  void AcceptByIndex(AgentIndex agent, ContactSlot contact) {
    impl_->AcceptByIndex(agent, contact);
  }
  // Completes a connected contact; returns the token of its wrap-up, or 0 when none.
  uint64_t CompleteByIndex(AgentIndex agent, ContactSlot contact) {
    return impl_->CompleteByIndex(agent, contact);
  }
  // Ends the wrap-up with `token` if it is still running.
  void EndWrapUpByToken(AgentIndex agent, uint64_t token) {
    impl_->EndWrapUpByToken(agent, token);
  }
  // Abandons a waiting or ringing contact.
  void AbandonByIndex(ContactSlot contact) { impl_->AbandonByIndex(contact); }

  // Waiting or ringing: not yet answered.
  bool IsUnanswered(ContactSlot contact) const { return impl_->IsUnanswered(contact); }
  bool IsOfferedTo(ContactSlot contact, AgentIndex agent) const {
    return impl_->IsOfferedTo(contact, agent);
  }
  // The contact's entry number, unique over the engine's life.
  uint64_t SequenceOf(ContactSlot contact) const { return impl_->SequenceOf(contact); }
  // Identifies the contact's current offer (a new one each time it is offered).
  uint64_t OfferTokenOf(ContactSlot contact) const { return impl_->OfferTokenOf(contact); }
  absl::StatusOr<QueueIndex> QueueIndexOf(std::string_view id) const {
    return impl_->QueueIndexOf(id);
  }
  // Time the agent has spent working and logged in so far, in microseconds.
  std::pair<Micros, Micros> WorkAndLoggedIn(AgentIndex agent) const {
    return impl_->WorkAndLoggedIn(agent);
  }

 private:
  Engine::Impl* impl_;
};

}  // namespace switchboard::detail

#endif  // SWITCHBOARD_SRC_CORE_RESOLVED_ENGINE_H_
