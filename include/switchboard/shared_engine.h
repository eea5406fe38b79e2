// STAND-IN for the SharedEngine another change adds: only the interface the wallboard codes
// against (Read, Execute), so that this branch builds and tests on its own. Drop this file when
// merging the real one.
//
// An Engine shared between threads: one mutex around every call.
#ifndef SWITCHBOARD_SHARED_ENGINE_H_
#define SWITCHBOARD_SHARED_ENGINE_H_

#include <functional>
#include <mutex>
#include <utility>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "switchboard/commands.h"
#include "switchboard/engine.h"

namespace switchboard {

class SharedEngine {
 public:
  // Takes the engine; `clock` gives the host's time (unused by the stand-in).
  SharedEngine(Engine engine, std::function<absl::Time()> clock)
      : engine_(std::move(engine)), clock_(std::move(clock)) {}

  // Calls f(const Engine&) under the lock and returns its result. `f` must not call back into
  // this SharedEngine (the lock is not recursive).
  template <typename F>
  auto Read(F&& f) const {
    std::lock_guard<std::mutex> lock(mutex_);
    return std::forward<F>(f)(static_cast<const Engine&>(engine_));
  }

  // Engine::Execute under the lock; events are drained and dropped (the stand-in keeps none).
  absl::Status Execute(const Command& command) {
    std::lock_guard<std::mutex> lock(mutex_);
    absl::Status status = engine_.Execute(command);
    engine_.DrainEvents();
    return status;
  }

 private:
  mutable std::mutex mutex_;
  Engine engine_;
  std::function<absl::Time()> clock_;
};

}  // namespace switchboard

#endif  // SWITCHBOARD_SHARED_ENGINE_H_
