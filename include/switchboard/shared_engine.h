// An Engine that many threads may use at once: commands are applied one at a time, stamped with
// a time that never goes backwards, and their events reach every subscriber in the order the
// engine produced them.
//
// Example:
//   absl::StatusOr<Engine> engine = Engine::Create({.offer_timeout = absl::Seconds(20)});
//   if (!engine.ok()) return engine.status();
//   SharedEngine shared(*std::move(engine), [] { return absl::Now(); });
//   shared.Subscribe([&](const Event& e) { journal.Append(FormatEvent(e)); });
//   // On any thread:
//   absl::Status s = shared.Execute(AcceptOffer{.agent = "a1", .contact = "c1"},
//                                   Actor::Agent("a1"));
//   absl::StatusOr<QueueStats> q =
//       shared.Read([](const Engine& e) { return e.GetQueueStats("support"); });
//   // On the host's timer thread, when NextDeadline() falls due:
//   shared.Advance();
//
// Thread-safety contract:
//  - Every method may be called from any thread at the same time, except the constructor and
//    the destructor (no other call may run while the SharedEngine is destroyed).
//  - Commands (Execute, Advance) are serialized by an exclusive engine lock. The engine stays
//    deterministic: the same commands in the same order with the same times give the same
//    events as a plain Engine; which thread's command goes first is up to the scheduler.
//  - Read runs its function under a shared engine lock: reads run concurrently with each other,
//    never with a command. NextDeadline takes the exclusive lock (see there).
//  - Events: after each command, under the engine lock, its events (those of the deadlines it
//    fired first included) are drained from the engine into a FIFO of batches. After releasing
//    the engine lock, the same thread takes the delivery lock and delivers every batch then in
//    the FIFO, oldest first, each event to every subscriber in the order they subscribed. So
//    every subscriber sees every event exactly once, in the engine's order (sequence 1, 2, 3,
//    ...), one command's events before the next command's; a command's events may be delivered
//    by the thread of a later command, and when Execute or Advance returns, the events of that
//    command and of every command before it have been delivered. Slow subscribers delay only
//    the threads that deliver, never the engine lock: commands and reads go on meanwhile.
//  - Subscribers run on the threads that call Execute and Advance, one at a time (under the
//    delivery lock), and must not throw (delivery is noexcept: std::terminate). A subscriber may
//    call Read and NextDeadline (they show the engine as of now, possibly past the event). It
//    must not execute commands: Execute and Advance called from a subscriber of this
//    SharedEngine execute nothing and return FailedPrecondition (the command would wait for the
//    delivery lock its own thread holds). Subscribe and Unsubscribe called from a subscriber
//    take effect after the batch being delivered.
//  - The clock is called under the exclusive engine lock, once per Execute(body) and Advance:
//    it must be thread-safe, cheap, and must not call into the SharedEngine.
//  - Configure the engine before moving it in: its host scorer (Engine::SetHostScorer) is called
//    under the engine lock, from the command's thread, and must not call into the SharedEngine.
//    Events come through Subscribe only: the constructor detaches any sink the engine had.
//    Events the engine held undrained are delivered with the first command's.
//  - With EngineOptions::record_events off the engine builds no events: subscribers see none.
#ifndef SWITCHBOARD_SHARED_ENGINE_H_
#define SWITCHBOARD_SHARED_ENGINE_H_

#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "switchboard/actor.h"
#include "switchboard/commands.h"
#include "switchboard/engine.h"
#include "switchboard/events.h"

namespace switchboard {

class SharedEngine {
 public:
  // Receives each event once, in the engine's order (see the contract above).
  using Subscriber = std::function<void(const Event&)>;
  // The host's clock: the time to stamp a command with. Called under the engine lock.
  using Clock = std::function<absl::Time()>;

  // Takes `engine` (detaching any event sink it had) and the host's `clock`, which must be
  // callable.
  SharedEngine(Engine engine, Clock clock);
  ~SharedEngine();
  SharedEngine(const SharedEngine&) = delete;
  SharedEngine& operator=(const SharedEngine&) = delete;

  // Applies `body` on behalf of `actor` at max(clock(), engine's now()), read under the engine
  // lock, so that time never goes backwards across threads; then delivers the events (see the
  // contract). Errors: those of the command (commands.h; never OutOfRange for the time), or
  // FailedPrecondition when called from a subscriber of this SharedEngine (nothing executed).
  absl::Status Execute(CommandBody body, Actor actor = Actor::Host());
  // For a caller that stamps the command itself: as Engine::Execute (OutOfRange when
  // `command.now` is before the engine's time), then delivers the events; FailedPrecondition
  // when called from a subscriber.
  absl::Status Execute(const Command& command);
  // Engine::AdvanceTo(max(clock(), engine's now())): fires what fell due. Errors as Execute.
  absl::Status Advance();

  // The engine's NextDeadline(). Under the exclusive engine lock, because the engine drops
  // stale timers there (a write behind a const method); amortized O(log T).
  std::optional<absl::Time> NextDeadline();

  // Calls `f(const Engine&)` under the shared engine lock and returns what it returns. Reads
  // run concurrently with each other and never with a command. `f` must only query: it must not
  // call engine.NextDeadline() (a write in disguise, racing with other readers; use
  // SharedEngine::NextDeadline), must not call into this SharedEngine (deadlock), and must not
  // return references or pointers into the engine (e.g. skills()): they dangle once the lock is
  // released. Example: Read([](const Engine& e) { return e.GetAgentStats("a1"); }).
  template <typename F>
  auto Read(F&& f) const -> std::invoke_result_t<F, const Engine&> {
    std::shared_lock<std::shared_mutex> lock(engine_mutex_);
    return std::forward<F>(f)(std::as_const(engine_));
  }

  // Adds `subscriber` (callable); it receives the events of commands whose delivery starts after
  // this returns. Returns its id (1, 2, 3, ...). Takes the delivery lock: waits for a delivery
  // under way (unless called from a subscriber: then it takes effect after the current batch).
  int Subscribe(Subscriber subscriber);
  // Removes subscriber `id` (no effect for an unknown id). Once this returns it is not called
  // again, so what it captured may be destroyed; called from a subscriber, it takes effect
  // after the current batch.
  void Unsubscribe(int id);

 private:
  // Drains the engine's events into pending_. Requires the exclusive engine lock.
  void QueueEventsLocked();
  // Delivers every batch in pending_, oldest first, under the delivery lock. Takes no engine
  // lock.
  void Deliver() noexcept;
  // True when the calling thread is delivering this SharedEngine's events.
  bool InSubscriber() const;
  // Applies subscriptions made from a subscriber. Requires the delivery lock.
  void ApplyDeferredLocked();

  struct Subscription {
    int id = 0;
    Subscriber callback;
  };

  // Lock order: engine_mutex_ before pending_mutex_; delivery_mutex_ before pending_mutex_ and
  // before engine_mutex_ (a subscriber's Read). Nobody waits for delivery_mutex_ while holding
  // engine_mutex_.
  mutable std::shared_mutex engine_mutex_;
  Engine engine_;  // guarded by engine_mutex_
  Clock clock_;    // called under engine_mutex_ (exclusive)

  std::mutex pending_mutex_;
  std::deque<std::vector<Event>> pending_;  // guarded by pending_mutex_

  std::mutex delivery_mutex_;
  // Guarded by delivery_mutex_.
  std::vector<Subscription> subscriptions_;
  std::vector<Subscription> deferred_subscribe_;
  std::vector<int> deferred_unsubscribe_;
  int next_id_ = 1;
};

}  // namespace switchboard

#endif  // SWITCHBOARD_SHARED_ENGINE_H_
