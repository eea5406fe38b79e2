// switchboard.Engine's C++ object: the engine, the host's scorer, and the events drain_events()
// took from the engine but has not returned yet. engine_bindings.cc binds it.
#ifndef SWITCHBOARD_BINDINGS_PY_ENGINE_H_
#define SWITCHBOARD_BINDINGS_PY_ENGINE_H_

#include <cstddef>
#include <cstdint>
#include <exception>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include <pybind11/pybind11.h>

#include "absl/status/status.h"
#include "bindings.h"
#include "records.h"
#include "status.h"
#include "switchboard/engine.h"

namespace switchboard::python {

// The Python object behind switchboard.Engine: the engine and the host's scorer.
class PyEngine {
 public:
  // Raises InvalidArgumentError, with Engine::Create's message, for options out of range.
  explicit PyEngine(EngineOptions options)
      : engine_(ValueOrThrow(Engine::Create(std::move(options)))) {}

  // Applies one command; raises the scorer's exception (if it raised during the command) or
  // the command's error.
  void Run(absl::Time now, Actor actor, CommandBody body) {
    CheckNotInCommand();
    CheckPendingEvents();
    in_command_ = true;
    const absl::Status status = engine_.Execute({now, std::move(actor), std::move(body)});
    in_command_ = false;
    if (scorer_error_) std::rethrow_exception(std::exchange(scorer_error_, nullptr));
    ThrowIfError(status);
  }

  // FailedPreconditionError while a command runs: only the host scorer (or another thread,
  // while the scorer runs Python code) can get here then.
  void CheckNotInCommand() const {
    if (in_command_) {
      ThrowIfError(absl::FailedPreconditionError(
          "the engine is in the middle of a command (its host scorer may read statistics but "
          "not issue commands, drain events or change the scorer)"));
    }
  }

  // ResourceExhaustedError while the events kept from a failed drain_events() fill the bound:
  // the engine's own buffer is then empty, so it would not refuse the command itself.
  void CheckPendingEvents() const {
    if (pending_.empty()) return;
    const int64_t bound = engine_.options().max_buffered_events;
    const size_t pending = PendingCount();
    if (static_cast<int64_t>(pending) >= bound) {
      ThrowIfError(absl::ResourceExhaustedError(
          std::to_string(pending) + " events wait to be drained (max_buffered_events " +
          std::to_string(bound) + "); call drain_events() before the next command"));
    }
  }

  size_t PendingCount() const {
    size_t n = 0;
    for (const std::vector<Event>& batch : pending_) n += batch.size();
    return n;
  }

  Engine& engine() { return engine_; }

  void SetHostScorer(pybind11::object scorer) {
    CheckNotInCommand();
    if (scorer.is_none()) {
      scorer_ = pybind11::none();
      engine_.SetHostScorer(nullptr);
      return;
    }
    if (!PyCallable_Check(scorer.ptr())) {
      throw pybind11::type_error("set_host_scorer: expected a callable or None");
    }
    scorer_ = std::move(scorer);
    engine_.SetHostScorer([this](const ScoringCandidate& c) { return Score(c); });
  }

  const pybind11::object& host_scorer() const { return scorer_; }

  // The events since the last call as switchboard.Event records, oldest first. Events taken from the engine stay in
  // pending_ until all of them are converted: when a conversion raises (MemoryError), the next
  // call returns them, followed by the newer ones.
  pybind11::list DrainEvents() {
    CheckNotInCommand();
    pending_.reserve(pending_.size() + 1);  // may raise, before any event leaves the engine
    pending_.push_back(engine_.DrainEvents());  // a move into reserved space: cannot fail
    pybind11::list out = NewList(PendingCount());
    Py_ssize_t i = 0;
    for (const std::vector<Event>& batch : pending_) {
      for (const Event& event : batch) {
        PyList_SET_ITEM(out.ptr(), i++, EventToPython(event).release().ptr());
      }
    }
    std::vector<std::vector<Event>>().swap(pending_);  // gives the memory back
    return out;
  }

  // For the garbage collector (tp_clear): drops the scorer, which may refer back to the engine.
  void ClearScorer() {
    engine_.SetHostScorer(nullptr);
    scorer_ = pybind11::none();
  }

 private:
  // Runs inside a command, with the GIL held (commands never release it). After the scorer
  // raised once, every candidate scores -inf until the command ends, so the decision falls
  // back to the longest idle agent; Run then re-raises.
  double Score(const ScoringCandidate& c) {
    if (scorer_error_) return -std::numeric_limits<double>::infinity();
    try {
      pybind11::dict candidate;
      candidate["agent"] = Str(c.agent_id);
      candidate["contact"] = Str(c.contact_id);
      candidate["queue"] = Str(c.queue_id);
      candidate["channel"] = Str(ChannelName(c.channel));
      candidate["idle_s"] = static_cast<double>(c.idle_micros) / 1e6;
      candidate["contacts_handled"] = c.contacts_handled;
      candidate["skill_score"] = c.skill_score;
      candidate["attributes"] =
          c.contact_attributes ? AttributesToDict(*c.contact_attributes) : pybind11::dict();
      const pybind11::object result = scorer_(candidate);
      const double score = PyFloat_AsDouble(result.ptr());
      if (score == -1.0 && PyErr_Occurred()) throw pybind11::error_already_set();
      return score;
    } catch (...) {
      scorer_error_ = std::current_exception();
      return -std::numeric_limits<double>::infinity();
    }
  }

  Engine engine_;
  // Batches drained from engine_ but not yet returned to Python (a drain_events() raised),
  // oldest first.
  std::vector<std::vector<Event>> pending_;
  pybind11::object scorer_ = pybind11::none();
  std::exception_ptr scorer_error_;
  bool in_command_ = false;
};

// Binds the commands for a live center (live_bindings.cc).
void DefLiveCommands(pybind11::class_<PyEngine>& engine);

}  // namespace switchboard::python

// Right after the class: from here on every binding that takes a PyEngine refuses one whose
// __init__ never ran (bindings.h).
SWITCHBOARD_PYTHON_CLASS(switchboard::python::PyEngine, "switchboard.Engine",
                         "switchboard.Engine(...)")

#endif  // SWITCHBOARD_BINDINGS_PY_ENGINE_H_
