#include "switchboard/shared_engine.h"

#include <algorithm>
#include <utility>

namespace switchboard {
namespace {

// The SharedEngine whose events this thread is delivering, if any (a subscriber of one
// SharedEngine may command another: each delivery saves and restores it).
thread_local const SharedEngine* delivering = nullptr;

class DeliveringScope {
 public:
  explicit DeliveringScope(const SharedEngine* engine) : saved_(delivering) {
    delivering = engine;
  }
  ~DeliveringScope() { delivering = saved_; }
  DeliveringScope(const DeliveringScope&) = delete;
  DeliveringScope& operator=(const DeliveringScope&) = delete;

 private:
  const SharedEngine* saved_;
};

absl::Status CalledFromSubscriber() {
  return absl::FailedPreconditionError(
      "a command was issued from a subscriber of this SharedEngine; subscribers must not "
      "execute commands (queue the command and execute it from another thread)");
}

}  // namespace

SharedEngine::SharedEngine(Engine engine, Clock clock)
    : engine_(std::move(engine)), clock_(std::move(clock)) {
  engine_.SetEventSink(nullptr);
}

SharedEngine::~SharedEngine() = default;

bool SharedEngine::InSubscriber() const { return delivering == this; }

absl::Status SharedEngine::Execute(CommandBody body, Actor actor) {
  if (InSubscriber()) return CalledFromSubscriber();
  absl::Status status;
  {
    std::unique_lock<std::shared_mutex> lock(engine_mutex_);
    Command command{.now = std::max(clock_(), engine_.now()),
                    .actor = std::move(actor),
                    .body = std::move(body)};
    status = engine_.Execute(command);
    QueueEventsLocked();
  }
  Deliver();
  return status;
}

absl::Status SharedEngine::Execute(const Command& command) {
  if (InSubscriber()) return CalledFromSubscriber();
  absl::Status status;
  {
    std::unique_lock<std::shared_mutex> lock(engine_mutex_);
    status = engine_.Execute(command);
    QueueEventsLocked();
  }
  Deliver();
  return status;
}

absl::Status SharedEngine::Advance() {
  if (InSubscriber()) return CalledFromSubscriber();
  absl::Status status;
  {
    std::unique_lock<std::shared_mutex> lock(engine_mutex_);
    status = engine_.AdvanceTo(std::max(clock_(), engine_.now()));
    QueueEventsLocked();
  }
  Deliver();
  return status;
}

std::optional<absl::Time> SharedEngine::NextDeadline() {
  std::unique_lock<std::shared_mutex> lock(engine_mutex_);
  return engine_.NextDeadline();
}

void SharedEngine::QueueEventsLocked() {
  std::vector<Event> events = engine_.DrainEvents();
  if (events.empty()) return;
  std::lock_guard<std::mutex> lock(pending_mutex_);
  pending_.push_back(std::move(events));
}

void SharedEngine::Deliver() noexcept {
  std::lock_guard<std::mutex> delivery_lock(delivery_mutex_);
  // Every batch queued so far, this thread's among them (queued before it got here). Batches
  // queued meanwhile are left to their own threads, so one thread's work stays bounded.
  std::deque<std::vector<Event>> batches;
  {
    std::lock_guard<std::mutex> lock(pending_mutex_);
    batches.swap(pending_);
  }
  if (batches.empty()) return;
  DeliveringScope scope(this);
  for (const std::vector<Event>& batch : batches) {
    for (const Event& event : batch) {
      for (const Subscription& subscription : subscriptions_) subscription.callback(event);
    }
    ApplyDeferredLocked();
  }
}

void SharedEngine::ApplyDeferredLocked() {
  for (Subscription& subscription : deferred_subscribe_) {
    subscriptions_.push_back(std::move(subscription));
  }
  deferred_subscribe_.clear();
  for (int id : deferred_unsubscribe_) {
    std::erase_if(subscriptions_, [id](const Subscription& s) { return s.id == id; });
  }
  deferred_unsubscribe_.clear();
}

int SharedEngine::Subscribe(Subscriber subscriber) {
  if (InSubscriber()) {  // this thread holds delivery_mutex_
    const int id = next_id_++;
    deferred_subscribe_.push_back({id, std::move(subscriber)});
    return id;
  }
  std::lock_guard<std::mutex> lock(delivery_mutex_);
  const int id = next_id_++;
  subscriptions_.push_back({id, std::move(subscriber)});
  return id;
}

void SharedEngine::Unsubscribe(int id) {
  if (InSubscriber()) {  // this thread holds delivery_mutex_
    deferred_unsubscribe_.push_back(id);
    return;
  }
  std::lock_guard<std::mutex> lock(delivery_mutex_);
  std::erase_if(subscriptions_, [id](const Subscription& s) { return s.id == id; });
}

}  // namespace switchboard
