#include "switchboard/strategy.h"

#include <algorithm>
#include <array>
#include <limits>

#include "core/selection.h"

namespace switchboard {

namespace {
constexpr std::array<std::string_view, kStrategyCount> kStrategyNames = {
    "longest_idle", "most_skilled", "least_occupied", "fewest_contacts",
    "round_robin",  "random",       "host_score"};
}  // namespace

std::string_view StrategyName(Strategy strategy) {
  return kStrategyNames[static_cast<int>(strategy)];
}

std::optional<Strategy> ParseStrategy(std::string_view name) {
  for (int i = 0; i < kStrategyCount; ++i) {
    if (kStrategyNames[i] == name) return static_cast<Strategy>(i);
  }
  return std::nullopt;
}

namespace detail {

bool CoolingDown(const Contact& contact, AgentIndex agent, Micros now) {
  if (!contact.cooldowns) return false;
  for (const auto& [excluded, until] : *contact.cooldowns) {
    if (excluded == agent && until > now) return true;
  }
  return false;
}

AgentPool::Layout PoolLayout(Strategy strategy) {
  switch (strategy) {
    case Strategy::kRoundRobin:  // needs "the first key after x"
      return AgentPool::Layout::kByAgent;
    case Strategy::kRandom:
      return AgentPool::Layout::kWeighted;
    default:
      return AgentPool::Layout::kHeap;
  }
}

PoolEntry PoolKey(Strategy strategy, const Agent& agent, AgentIndex index,
                  const ServedQueue& served) {
  switch (strategy) {
    case Strategy::kLongestIdle:
      return {agent.free_since, 0, index};
    case Strategy::kHostScore:
      return {agent.free_since, HostScoreSecondary(index, served.skill_score), index};
    case Strategy::kMostSkilled:
      return {-served.skill_score, agent.free_since, index};
    case Strategy::kLeastOccupied:
      return {agent.occupancy_key, agent.free_since, index};
    case Strategy::kFewestContacts:
      return {agent.handled_since_login, agent.free_since, index};
    case Strategy::kRoundRobin:
    case Strategy::kRandom:
      return {static_cast<int64_t>(index), 0, index};
  }
  return {0, 0, index};
}

namespace {

// The test of each candidate agent: not one the contact cools down from, nor one it rings at
// already. Tested per candidate walked, so the usual case (a contact without cooldowns, a
// single offer) is one branch on a register.
auto AllowedAgents(const SelectionContext& context) {
  const bool any =
      (context.contact && context.contact->cooldowns) || !context.ringing.empty();
  return [&context, any](AgentIndex agent) {
    if (!any) return true;
    if (std::find(context.ringing.begin(), context.ringing.end(), agent) !=
        context.ringing.end()) {
      return false;
    }
    return !context.contact || !CoolingDown(*context.contact, agent, context.now);
  };
}

// The smallest allowed entry across the pools, from `lower` on (sorted pools) or from the start.
bool BestAcross(const SelectionContext& context, std::span<AgentPool* const> pools,
                const PoolEntry* lower, PoolEntry& best) {
  const auto allowed = AllowedAgents(context);
  bool found = false;
  for (const AgentPool* pool : pools) {
    PoolEntry candidate;
    const bool has =
        lower ? pool->BestFrom(*lower, allowed, candidate) : pool->Best(allowed, candidate);
    if (has && (!found || candidate < best)) {
      best = candidate;
      found = true;
    }
  }
  return found;
}

AgentIndex SelectRoundRobin(const SelectionContext& context, std::span<AgentPool* const> pools) {
  const AgentIndex cursor = *context.round_robin_cursor;
  PoolEntry chosen;
  bool found = false;
  if (cursor != kNoIndex) {
    const PoolEntry after{static_cast<int64_t>(cursor) + 1, std::numeric_limits<int64_t>::min(), 0};
    found = BestAcross(context, pools, &after, chosen);
  }
  if (!found) found = BestAcross(context, pools, nullptr, chosen);  // wrap around
  if (!found) return kNoIndex;
  *context.round_robin_cursor = chosen.agent;
  return chosen.agent;
}

AgentIndex SelectRandom(const SelectionContext& context, std::span<AgentPool* const> pools) {
  // Leave the agents the contact is cooling down from (or rings at already) out of this draw,
  // then restore them. An
  // agent's member number in this queue's pools is in its record, at its entry for the queue.
  std::vector<std::pair<AgentPool*, std::pair<uint32_t, int64_t>>> removed;
  std::vector<AgentIndex> excluded(context.ringing.begin(), context.ringing.end());
  if (context.contact && context.contact->cooldowns) {
    for (const auto& [a, until] : *context.contact->cooldowns) {
      if (until > context.now) excluded.push_back(a);
    }
  }
  if (!excluded.empty()) {
    for (AgentIndex a : excluded) {
      const Agent& agent = (*context.agents)[a];
      if (agent.pooled_channels == 0) continue;  // in no pool
      for (size_t i = 0; i < agent.served.size(); ++i) {
        if (agent.served[i].queue != context.queue) continue;
        const uint32_t member =
            agent.pool_members[agent.PoolMemberSlot(i, context.contact->channel)];
        for (AgentPool* pool : pools) {
          const int64_t units = pool->WeightOf(member, a);
          if (units > 0) {
            removed.push_back({pool, {member, units}});
            pool->SetWeight(member, 0);
          }
        }
        break;
      }
    }
  }
  int64_t total = 0;
  for (const AgentPool* pool : pools) total += pool->total_weight();
  AgentIndex chosen = kNoIndex;
  if (total > 0) {
    int64_t target = static_cast<int64_t>(context.random->Next() % static_cast<uint64_t>(total));
    for (const AgentPool* pool : pools) {
      if (target < pool->total_weight()) {
        chosen = pool->FindByWeight(target);
        break;
      }
      target -= pool->total_weight();
    }
  }
  for (const auto& [pool, entry] : removed) pool->SetWeight(entry.first, entry.second);
  return chosen;
}

AgentIndex SelectHostScore(const SelectionContext& context, std::span<AgentPool* const> pools) {
  // The longest-idle allowed candidates across the pools, at most host_score_candidates, in a
  // buffer the engine keeps (filled on every decision: no allocation once it has grown).
  std::vector<PoolEntry>& candidates = *context.candidates;
  candidates.clear();
  const auto allowed = AllowedAgents(context);
  for (const AgentPool* pool : pools) {
    pool->Smallest(context.host_score_candidates, allowed, candidates);
  }
  if (candidates.empty()) return kNoIndex;
  if (pools.size() > 1) std::sort(candidates.begin(), candidates.end());  // one: already sorted
  if (static_cast<int>(candidates.size()) > context.host_score_candidates) {
    candidates.resize(context.host_score_candidates);
  }
  if (!context.scorer || !*context.scorer) return candidates.front().agent;
  // Locals, not the context's fields: the scorer is opaque to the compiler, which would
  // otherwise load those again after every call.
  const ChunkedVector<Agent, 6>& agents = *context.agents;
  const HostScorer& scorer = *context.scorer;
  const Micros now = context.now;
  // The candidates' records are scattered: start fetching them all before reading any.
  // Only the lines the candidate is built from (the record's first, up to the handled count);
  // the idle time and the skill score come with the pool's key.
  const Agent& any = agents[candidates.front().agent];
  const auto shown =
      static_cast<size_t>(reinterpret_cast<const char*>(&any.handled_since_login + 1) -
                          reinterpret_cast<const char*>(&any));
  for (const PoolEntry& entry : candidates) PrefetchRecord(agents[entry.agent], shown);
  // What the candidates share is set once; the loop fills in the agent's part.
  ScoringCandidate candidate{.contact_id = context.contact->id,
                             .queue_id = context.queue_id,
                             .channel = context.contact->channel,
                             .contact_attributes = context.contact->attributes.get()};
  AgentIndex best = kNoIndex;
  double best_score = 0;
  for (const PoolEntry& entry : candidates) {
    const Agent& agent = agents[entry.agent];
    candidate.agent_id = agent.id;
    candidate.idle_micros = now - entry.primary;  // the key's free_since
    candidate.contacts_handled = agent.handled_since_login;
    candidate.skill_score = HostScoreSkill(entry.secondary);
    const double score = scorer(candidate);
    if (best == kNoIndex || score > best_score) {
      best = entry.agent;
      best_score = score;
    }
  }
  return best;
}

}  // namespace

AgentIndex SelectAgent(const SelectionContext& context, std::span<AgentPool* const> pools) {
  switch (context.strategy) {
    case Strategy::kRoundRobin:
      return SelectRoundRobin(context, pools);
    case Strategy::kRandom:
      return SelectRandom(context, pools);
    case Strategy::kHostScore:
      return SelectHostScore(context, pools);
    case Strategy::kLongestIdle:
    case Strategy::kMostSkilled:
    case Strategy::kLeastOccupied:
    case Strategy::kFewestContacts: {
      PoolEntry best;
      return BestAcross(context, pools, nullptr, best) ? best.agent : kNoIndex;
    }
  }
  return kNoIndex;
}

}  // namespace detail
}  // namespace switchboard
