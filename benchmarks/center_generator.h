// Realistic generated contact centers for the benchmarks: queues that need 1-3 skills, agents
// with 3-8 skills at levels 1-100, every agent able to serve at least one queue.
#ifndef SWITCHBOARD_BENCHMARKS_CENTER_GENERATOR_H_
#define SWITCHBOARD_BENCHMARKS_CENTER_GENERATOR_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "switchboard/agent.h"
#include "switchboard/entry_rules.h"
#include "switchboard/queue.h"

namespace switchboard::bench {

enum Policy : uint8_t {
  kRequirementSteps = 1,
  kOverflow = 2,
  kEntryRules = 4,
  kOpeningHours = 8,
};

struct CenterShape {
  int agents = 1000;
  int skills = 20;
  int queues = 50;
  Strategy strategy = Strategy::kLongestIdle;
  // Chat capacity per agent (0: voice only).
  int chats = 0;
  // Policies configured on every queue but not firing within a benchmark's run (a Policy mask):
  //  - kRequirementSteps: a step after 1 h that keeps the queue's contacts for its experts (each
  //    required skill at level 50 or more, about half the agents);
  //  - kOverflow: a rule of each trigger: a callback offered after a wait of 1 h, voicemail
  //    past a million waiting, a transfer to the next queue at an estimated wait of 1000 h, and
  //    voicemail when no agent is logged in;
  //  - kEntryRules: an entry rule per queue giving its contacts a requirement of their own (the
  //    queue's first skill at level 90 or more, about a tenth of its agents), so that each queue
  //    has a variant chain; the benchmarks' contacts name their queue, so no rule matches;
  //  - kOpeningHours: opening hours on every queue (open all week, UTC) with a voicemail rule
  //    for when it is closed.
  uint8_t policies = 0;
  uint64_t seed = 42;
};

struct Center {
  std::vector<QueueConfig> queues;
  // Skills each queue requires at level >= 1 (the requirement is their conjunction).
  std::vector<std::vector<std::string>> queue_skills;
  std::vector<AgentConfig> agents;
  std::vector<EntryRule> entry_rules;  // for the engine's SetEntryRules, after the queues
};

Center GenerateCenter(const CenterShape& shape);

// "s17"
std::string SkillName(int skill);

}  // namespace switchboard::bench

#endif  // SWITCHBOARD_BENCHMARKS_CENTER_GENERATOR_H_
