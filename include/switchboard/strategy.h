// Agent-selection strategies: which of several agents that could take a contact gets it.
#ifndef SWITCHBOARD_STRATEGY_H_
#define SWITCHBOARD_STRATEGY_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

#include "switchboard/attributes.h"
#include "switchboard/channel.h"

namespace switchboard {

enum class Strategy : uint8_t {
  kLongestIdle,    // the agent free for longest (since its last contact ended or it got ready)
  kMostSkilled,    // highest sum of levels on the queue's skills; ties by longest idle
  kLeastOccupied,  // lowest occupancy over EngineOptions::occupancy_window; ties by longest idle
  kFewestContacts, // fewest contacts handled since login; ties by longest idle
  kRoundRobin,     // in agent order, resuming after the agent chosen last for this queue
  kRandom,         // weighted random (AgentConfig::weight) from the engine's seeded generator
  kHostScore,      // the host's HostScorer ranks the longest-idle candidates; highest wins
};

inline constexpr int kStrategyCount = 7;

// "longest_idle", "most_skilled", "least_occupied", "fewest_contacts", "round_robin", "random",
// "host_score".
std::string_view StrategyName(Strategy strategy);
std::optional<Strategy> ParseStrategy(std::string_view name);

// What the host sees of one candidate when the queue uses Strategy::kHostScore.
struct ScoringCandidate {
  std::string_view agent_id;
  std::string_view contact_id;
  std::string_view queue_id;
  Channel channel = Channel::kVoice;
  int64_t idle_micros = 0;        // time since the agent became free
  int64_t contacts_handled = 0;   // since login
  int skill_score = 0;            // sum of levels on the queue's skills
  // The contact's host attributes (customer tier, language, ...); null when it has none.
  const Attributes* contact_attributes = nullptr;
};

// Scores a candidate; the highest score wins, ties go to the longest idle. Must be
// deterministic for the engine to be. Called at most EngineOptions::host_score_candidates times
// per decision, inside the command that routes; like an EventSink, it must not call back into
// the engine.
using HostScorer = std::function<double(const ScoringCandidate&)>;

}  // namespace switchboard

#endif  // SWITCHBOARD_STRATEGY_H_
