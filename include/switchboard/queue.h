// Queues: where contacts wait for an agent, with the rules for choosing that agent.
#ifndef SWITCHBOARD_QUEUE_H_
#define SWITCHBOARD_QUEUE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "switchboard/strategy.h"

namespace switchboard {

// Skill relaxation: once a contact has waited `after` in its queue (counted from its arrival),
// the agents that may take it are those meeting `requirement` instead. A step may widen the
// requirement (lower levels, other skills) or narrow it (experts for those who waited long).
struct RequirementStep {
  absl::Duration after;
  std::string requirement;  // an expression as QueueConfig::requirement; empty: every agent
};

// After-contact work when a contact on this queue ends.
struct WrapUpPolicy {
  enum class Mode : uint8_t {
    kNone,               // the agent is free as soon as the contact ends
    kTimed,              // ends after `duration` (the agent may end it earlier)
    kUntilAgentEnds,     // lasts until the agent (or supervisor) ends it
    kTimedWithExtension, // like kTimed; the agent may extend it, up to `max_extension` in all
  };
  Mode mode = Mode::kNone;
  // Length of timed wrap-up; > 0 for kTimed and kTimedWithExtension.
  absl::Duration duration = absl::ZeroDuration();
  // Total extra time the agent may ask for with kTimedWithExtension.
  absl::Duration max_extension = absl::ZeroDuration();
};

struct QueueConfig {
  // Host id; unique, non-empty.
  std::string id;
  // Requirement expression agents must meet (see requirements.h); empty: every agent.
  std::string requirement;
  // How an agent is chosen among several; default longest idle.
  Strategy strategy = Strategy::kLongestIdle;
  // Among the queues an agent serves with the same agent priority, higher is served first.
  // Default 0. (Agents' own per-queue priorities come first; see AgentConfig.)
  int priority = 0;
  // Service level: share of contacts answered within `service_level_threshold`; the target is
  // reported alongside, 0..1. Defaults 20 s and 0.8 (80/20).
  absl::Duration service_level_threshold = absl::Seconds(20);
  double service_level_target = 0.8;
  // Contacts that may wait at once; a contact arriving at a full queue is rejected at entry
  // (an outcome, not an error). 0: unlimited (default).
  int64_t max_length = 0;
  // After-contact work for contacts of this queue.
  WrapUpPolicy wrap_up;
  // Requirement steps, in increasing `after` (each > 0, at most 100,000 h; at most
  // kMaxRequirementSteps). A waiting contact moves to the step its wait has reached, keeping
  // its place in the order of waiting contacts (event contact_requirement_changed); an offered
  // one keeps its offer and takes its step if it comes back. Agents with explicit membership
  // serve the steps whose requirement they meet. Default none.
  std::vector<RequirementStep> steps;
};

}  // namespace switchboard

#endif  // SWITCHBOARD_QUEUE_H_
