// Routing decisions through the public API, at the scales integrators run: a contact arrives
// and the engine picks among thousands of free agents; an agent frees and the engine picks the
// most urgent contact among many waiting. One item = one routing decision.
#include <algorithm>
#include <map>
#include <memory>
#include <numeric>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include <benchmark/benchmark.h>

#include "center_generator.h"
#include "fmt/format.h"
#include "heap_usage.h"
#include "latency.h"
#include "switchboard/switchboard.h"

namespace switchboard::bench {
namespace {

void Check(const absl::Status& status) {
  if (!status.ok()) {
    fmt::print(stderr, "benchmark setup failed: {}\n", std::string(status.ToString()));
    std::abort();
  }
}

// An engine loaded with a generated center, kept between the runs of one benchmark.
class Bed {
 public:
  explicit Bed(const CenterShape& shape, bool wrap_up = false) : center_(GenerateCenter(shape)) {
    EngineOptions options;
    options.record_events = false;
    engine_ = std::make_unique<Engine>(Engine::Create(options).value());
    for (QueueConfig queue : center_.queues) {
      if (wrap_up) queue.wrap_up.mode = WrapUpPolicy::Mode::kUntilAgentEnds;
      Check(engine_->AddQueue(now_, queue));
    }
    Check(engine_->SetEntryRules(now_, center_.entry_rules));
    const int64_t before = HeapInUse();
    for (const AgentConfig& agent : center_.agents) {
      Check(engine_->AddAgent(now_, agent));
      Check(engine_->Login(Tick(), agent.id, /*ready=*/true));
    }
    bytes_per_agent_ =
        static_cast<double>(HeapInUse() - before) / static_cast<double>(center_.agents.size());
    holding_.resize(center_.agents.size());
    scattered_.resize(center_.agents.size());
    std::iota(scattered_.begin(), scattered_.end(), 0);
    std::shuffle(scattered_.begin(), scattered_.end(), rng_);
  }

  Engine& engine() { return *engine_; }
  const Center& center() const { return center_; }
  absl::Time now() const { return now_; }
  absl::Time Tick() { return now_ += absl::Microseconds(1); }
  double bytes_per_agent() const { return bytes_per_agent_; }
  double bytes_per_contact() const { return bytes_per_contact_; }

  std::string NextContactId() { return fmt::format("c{}", ++contacts_); }
  const std::string& RandomQueue() {
    return center_.queues[rng_() % center_.queues.size()].id;
  }

  // Adds a contact; if it is offered at once, the agent accepts it and holds it.
  void AddAndAccept(const std::string& queue, Channel channel = Channel::kVoice) {
    const std::string id = NextContactId();
    Check(engine_->AddContact(Tick(), {.id = id, .channel = channel, .queue = queue}));
    AcceptIfOffered(id);
  }
  void AcceptIfOffered(const std::string& contact) {
    absl::StatusOr<ContactInfo> info = engine_->GetContact(contact);
    Check(info.status());
    if (info->agent.empty()) return;
    Check(engine_->Accept(Tick(), info->agent, contact));
    holding_[AgentNumber(info->agent)].push_back(contact);
  }
  // Accepts whatever is offered to the agent now.
  void AcceptOffersOf(const std::string& agent) {
    absl::StatusOr<std::vector<ContactInfo>> contacts = engine_->GetAgentContacts(agent);
    Check(contacts.status());
    for (const ContactInfo& contact : *contacts) {
      if (contact.state == ContactState::kOffered) AcceptIfOffered(contact.id);
    }
  }

  // Every agent busy, then `waiting` contacts waiting across the queues.
  void Saturate(int64_t waiting) {
    for (const AgentConfig& agent : center_.agents) {
      while (engine_->GetAgentStats(agent.id)->state == AgentState::kAvailable) {
        AddAndAccept(engine_->GetAgentQueues(agent.id)->front());
      }
    }
    const int64_t before = HeapInUse();
    for (int64_t i = 0; i < waiting; ++i) AddAndAccept(RandomQueue());
    if (waiting > 0) {
      bytes_per_contact_ = static_cast<double>(HeapInUse() - before) / static_cast<double>(waiting);
    }
  }

  std::vector<std::string>& holding(int agent) { return holding_[agent]; }
  // Agent numbers in a fixed shuffled order, for benchmarks that pick the agent a command is
  // about: in a center, calls end and agents take breaks in no relation to the order in which
  // they were added. Walking them in that order instead would let the processor stream their
  // records ahead of the commands (consecutive agents' records are adjacent), which flatters
  // large centers.
  int ScatteredAgent(int64_t n) const { return scattered_[n % scattered_.size()]; }
  static int AgentNumber(const std::string& id) { return std::stoi(id.substr(1)); }
  uint64_t Random() { return rng_(); }

 private:
  Center center_;
  std::unique_ptr<Engine> engine_;
  absl::Time now_ = absl::FromUnixSeconds(1700000000);
  int64_t contacts_ = 0;
  double bytes_per_agent_ = 0;
  double bytes_per_contact_ = 0;
  std::vector<std::vector<std::string>> holding_;
  std::vector<int> scattered_;
  std::mt19937_64 rng_{7};
};

// Benchmarks run their function several times; the (costly) bed is built once per arguments.
// `waiting` < 0 leaves every agent free; otherwise all are made busy and `waiting` wait.
Bed& BedFor(const CenterShape& shape, int64_t waiting) {
  using Key = std::tuple<int, int, int, int, uint8_t, int64_t>;
  static std::map<Key, std::unique_ptr<Bed>> beds;
  const Key key{shape.agents,      shape.skills,
                static_cast<int>(shape.strategy), shape.chats,
                shape.policies, waiting};
  std::unique_ptr<Bed>& bed = beds[key];
  if (!bed) {
    beds.clear();  // one at a time: the large ones are large
    std::unique_ptr<Bed>& fresh = beds[key];
    fresh = std::make_unique<Bed>(shape);
    if (waiting >= 0) fresh->Saturate(waiting);
    return *fresh;
  }
  return *bed;
}

void ReportMemory(benchmark::State& state, const Bed& bed) {
  state.counters["bytes_per_agent"] = bed.bytes_per_agent();
  if (bed.bytes_per_contact() > 0) state.counters["bytes_per_contact"] = bed.bytes_per_contact();
}

// Under-loaded: every agent is free; a contact arrives and the engine picks one.
void BM_Route_ContactArrives(benchmark::State& state, Strategy strategy,
                             uint8_t policies = 0) {
  const CenterShape shape{.agents = static_cast<int>(state.range(0)),
                          .skills = static_cast<int>(state.range(1)),
                          .strategy = strategy,
                          .policies = policies};
  Bed& bed = BedFor(shape, -1);
  if (strategy == Strategy::kHostScore) {
    // A cheap deterministic host rule: prefer the agent that handled fewest contacts.
    bed.engine().SetHostScorer(
        [](const ScoringCandidate& c) { return -static_cast<double>(c.contacts_handled); });
  }
  Latency latency;
  for (auto _ : state) {
    const std::string id = bed.NextContactId();
    ContactConfig contact{.id = id, .queue = bed.RandomQueue()};
    const absl::Time now = bed.Tick();
    latency.Time(state, [&] { Check(bed.engine().AddContact(now, std::move(contact))); });
    // Put the agent back: it answers and completes at once.
    const std::string agent = bed.engine().GetContact(id)->agent;
    Check(bed.engine().Accept(bed.Tick(), agent, id));
    Check(bed.engine().Complete(bed.Tick(), agent, id));
  }
  latency.Report(state);
  ReportMemory(state, bed);
}

// Over-loaded: every agent is busy and `waiting` contacts wait; an agent completes its contact
// and the engine picks the most urgent one it may take across its queues.
void AgentFrees(benchmark::State& state, uint8_t policies) {
  const CenterShape shape{.agents = static_cast<int>(state.range(0)),
                          .skills = static_cast<int>(state.range(1)),
                          .policies = policies};
  Bed& bed = BedFor(shape, state.range(2));
  Latency latency;
  int64_t n = 0;
  for (auto _ : state) {
    int a = bed.ScatteredAgent(n++);
    while (bed.holding(a).empty()) a = bed.ScatteredAgent(n++);
    // Copies, as a host has the ids of the command it is handling at hand (the center's table
    // of agents is cold memory that the engine's time should not include).
    const std::string agent = bed.center().agents[a].id;
    const std::string contact = bed.holding(a).back();
    bed.holding(a).pop_back();
    const absl::Time now = bed.Tick();
    latency.Time(state, [&] { Check(bed.engine().Complete(now, agent, contact)); });
    // The agent answers what it was given, and a new contact keeps the queues as long.
    bed.AcceptOffersOf(agent);
    bed.AddAndAccept(bed.RandomQueue());
  }
  latency.Report(state);
  ReportMemory(state, bed);
}

void BM_Route_AgentFrees(benchmark::State& state) { AgentFrees(state, 0); }

// Policies configured on every queue but not firing (CenterShape::policies): the same decisions
// as BM_Route_ContactArrives/longest_idle and BM_Route_AgentFrees.
enum class Decision { kContactArrives, kAgentFrees };
void PolicyDecision(benchmark::State& state, Decision decision, uint8_t policies) {
  if (decision == Decision::kContactArrives) {
    BM_Route_ContactArrives(state, Strategy::kLongestIdle, policies);
  } else {
    AgentFrees(state, policies);
  }
}
void BM_Policy_RequirementSteps(benchmark::State& state, Decision decision) {
  PolicyDecision(state, decision, kRequirementSteps);
}
void BM_Policy_Overflow(benchmark::State& state, Decision decision) {
  PolicyDecision(state, decision, kOverflow);
}
void BM_Policy_EntryRules(benchmark::State& state, Decision decision) {
  PolicyDecision(state, decision, kEntryRules);
}
void BM_Policy_OpeningHours(benchmark::State& state, Decision decision) {
  PolicyDecision(state, decision, kOpeningHours);
}

// The whole cycle of one contact: arrive (offer) → accept → complete → wrap-up → available.
void BM_Route_FullCycle(benchmark::State& state) {
  const CenterShape shape{.agents = static_cast<int>(state.range(0)),
                          .skills = static_cast<int>(state.range(1))};
  Bed bed(shape, /*wrap_up=*/true);
  std::vector<std::string> ids(4096);
  for (size_t i = 0; i < ids.size(); ++i) ids[i] = fmt::format("cycle{}", i);
  size_t n = 0;
  for (auto _ : state) {
    const std::string& id = ids[n++ % ids.size()];
    Check(bed.engine().AddContact(bed.Tick(), {.id = id, .queue = bed.RandomQueue()}));
    const std::string agent = bed.engine().GetContact(id)->agent;
    Check(bed.engine().Accept(bed.Tick(), agent, id));
    Check(bed.engine().Complete(bed.Tick(), agent, id));
    Check(bed.engine().EndWrapUp(bed.Tick(), agent));
  }
  state.SetItemsProcessed(state.iterations());
}

// Agent state changes: ready ↔ not ready, each re-indexing the agent in its queues' pools.
void BM_Agent_StateChange(benchmark::State& state) {
  const CenterShape shape{.agents = static_cast<int>(state.range(0)),
                          .skills = static_cast<int>(state.range(1))};
  Bed bed(shape);
  Latency latency;
  const int agents = static_cast<int>(bed.center().agents.size());
  int64_t n = 0;
  for (auto _ : state) {
    const std::string agent = bed.center().agents[bed.ScatteredAgent(n)].id;  // at hand
    const bool to_break = (n / agents) % 2 == 0;
    ++n;
    const absl::Time now = bed.Tick();
    latency.Time(state, [&] {
      Check(to_break ? bed.engine().SetNotReady(now, agent, "break")
                     : bed.engine().SetReady(now, agent));
    });
  }
  latency.Report(state);
}

// Multichannel agents (1 voice or 3 chats): chats arrive and are spread over free capacity.
void BM_Route_Multichannel(benchmark::State& state) {
  const CenterShape shape{.agents = static_cast<int>(state.range(0)),
                          .skills = static_cast<int>(state.range(1)),
                          .chats = 3};
  Bed bed(shape);
  Latency latency;
  std::vector<std::pair<std::string, std::string>> open;  // (agent, contact) connected
  for (auto _ : state) {
    const std::string id = bed.NextContactId();
    ContactConfig contact{.id = id, .channel = Channel::kChat, .queue = bed.RandomQueue()};
    const absl::Time now = bed.Tick();
    latency.Time(state, [&] { Check(bed.engine().AddContact(now, std::move(contact))); });
    const std::string agent = bed.engine().GetContact(id)->agent;
    Check(bed.engine().Accept(bed.Tick(), agent, id));
    open.emplace_back(agent, id);
    // Keep about two chats per agent open: end a random one.
    if (open.size() > 2 * bed.center().agents.size()) {
      const size_t k = bed.Random() % open.size();
      Check(bed.engine().Complete(bed.Tick(), open[k].first, open[k].second));
      open[k] = open.back();
      open.pop_back();
    }
  }
  latency.Report(state);
}

// Contacts leaving from the middle of a long queue (callers hanging up) while new ones arrive.
// One item = one waiting contact abandoned and one added, timed together. No agents: what is
// measured is the queue's structures and the id table. p999_ns and max_ns show whether any
// single step does work proportional to the queue (a compaction, a rehash, a copy on growth).
//
// The engine is deterministic, so the run is replayed kReplays times and each step's time is
// its fastest over the replays: an interrupt or a preemption of this shared machine lands on a
// different step each time, while a step that does more work is slow in every replay. The
// timed steps follow a warm-up long enough for the queue's memory to reach its steady size
// (while it grows, each new page costs a first-touch fault, ~10 µs on this virtual machine).
void BM_Route_ContactChurn(benchmark::State& state) {
  constexpr int kReplays = 5;
  const int64_t waiting = state.range(0);
  const int64_t warm_up = 4 * waiting;
  const int64_t steps = 2 * waiting;
  auto replay = [&] {
    EngineOptions options;
    options.record_events = false;
    Engine engine = Engine::Create(options).value();
    absl::Time now = absl::FromUnixSeconds(1700000000);
    Check(engine.AddQueue(now, {.id = "q", .requirement = "churn >= 1"}));
    std::vector<std::string> ids;
    ids.reserve(static_cast<size_t>(waiting));
    int64_t next = 0;
    for (int64_t i = 0; i < waiting; ++i) {
      ids.push_back(fmt::format("c{}", next++));
      Check(engine.AddContact(now, {.id = ids.back(), .queue = "q"}));
    }
    std::mt19937_64 rng(11);
    std::vector<int64_t> times;
    times.reserve(static_cast<size_t>(steps));
    for (int64_t step = -warm_up; step < steps; ++step) {
      now += absl::Microseconds(1);
      std::string& leaving = ids[rng() % ids.size()];
      std::string arriving = fmt::format("c{}", next++);
      const Latency::Clock::time_point start = Latency::Clock::now();
      Check(engine.Abandon(now, leaving));
      Check(engine.AddContact(now, {.id = arriving, .queue = "q"}));
      const Latency::Clock::time_point end = Latency::Clock::now();
      if (step >= 0) times.push_back((end - start).count());
      leaving = std::move(arriving);
    }
    return times;
  };
  for (auto _ : state) {
    std::vector<int64_t> fastest = replay();
    for (int r = 1; r < kReplays; ++r) {
      const std::vector<int64_t> times = replay();
      for (size_t i = 0; i < fastest.size(); ++i) fastest[i] = std::min(fastest[i], times[i]);
    }
    Latency latency;
    for (int64_t ns : fastest) latency.Add(ns);
    const double total = static_cast<double>(std::accumulate(fastest.begin(), fastest.end(), 0l));
    state.SetIterationTime(total * 1e-9);
    latency.Report(state);
    latency.ReportTail(state);
  }
}

void Scales(benchmark::internal::Benchmark* b) {
  b->ArgNames({"agents", "skills"});
  for (int64_t agents : {1000, 10000, 100000}) {
    for (int64_t skills : {20, 200}) b->Args({agents, skills});
  }
}

void WaitingScales(benchmark::internal::Benchmark* b) {
  b->ArgNames({"agents", "skills", "waiting"});
  for (int64_t agents : {1000, 10000, 100000}) {
    for (int64_t skills : {20, 200}) {
      for (int64_t waiting : {1000, 100000}) b->Args({agents, skills, waiting});
    }
  }
}

BENCHMARK_CAPTURE(BM_Route_ContactArrives, longest_idle, Strategy::kLongestIdle)
    ->Apply(Scales)->UseManualTime();
BENCHMARK_CAPTURE(BM_Route_ContactArrives, most_skilled, Strategy::kMostSkilled)
    ->Apply(Scales)->UseManualTime();
BENCHMARK_CAPTURE(BM_Route_ContactArrives, least_occupied, Strategy::kLeastOccupied)
    ->Apply(Scales)->UseManualTime();
BENCHMARK_CAPTURE(BM_Route_ContactArrives, fewest_contacts, Strategy::kFewestContacts)
    ->Apply(Scales)->UseManualTime();
BENCHMARK_CAPTURE(BM_Route_ContactArrives, round_robin, Strategy::kRoundRobin)
    ->Apply(Scales)->UseManualTime();
BENCHMARK_CAPTURE(BM_Route_ContactArrives, random, Strategy::kRandom)
    ->Apply(Scales)->UseManualTime();
BENCHMARK_CAPTURE(BM_Route_ContactArrives, host_score, Strategy::kHostScore)
    ->Apply(Scales)->UseManualTime();
BENCHMARK(BM_Route_AgentFrees)->Apply(WaitingScales)->UseManualTime();
BENCHMARK_CAPTURE(BM_Policy_RequirementSteps, contact_arrives, Decision::kContactArrives)
    ->ArgNames({"agents", "skills"})->Args({10000, 200})->UseManualTime();
BENCHMARK_CAPTURE(BM_Policy_RequirementSteps, agent_frees, Decision::kAgentFrees)
    ->ArgNames({"agents", "skills", "waiting"})->Args({10000, 200, 100000})->UseManualTime();
BENCHMARK_CAPTURE(BM_Policy_Overflow, contact_arrives, Decision::kContactArrives)
    ->ArgNames({"agents", "skills"})->Args({10000, 200})->UseManualTime();
BENCHMARK_CAPTURE(BM_Policy_Overflow, agent_frees, Decision::kAgentFrees)
    ->ArgNames({"agents", "skills", "waiting"})->Args({10000, 200, 100000})->UseManualTime();
BENCHMARK_CAPTURE(BM_Policy_EntryRules, contact_arrives, Decision::kContactArrives)
    ->ArgNames({"agents", "skills"})->Args({10000, 200})->UseManualTime();
BENCHMARK_CAPTURE(BM_Policy_EntryRules, agent_frees, Decision::kAgentFrees)
    ->ArgNames({"agents", "skills", "waiting"})->Args({10000, 200, 100000})->UseManualTime();
BENCHMARK_CAPTURE(BM_Policy_OpeningHours, contact_arrives, Decision::kContactArrives)
    ->ArgNames({"agents", "skills"})->Args({10000, 200})->UseManualTime();
BENCHMARK_CAPTURE(BM_Policy_OpeningHours, agent_frees, Decision::kAgentFrees)
    ->ArgNames({"agents", "skills", "waiting"})->Args({10000, 200, 100000})->UseManualTime();
BENCHMARK(BM_Route_FullCycle)->ArgNames({"agents", "skills"})->Args({10000, 200});
BENCHMARK(BM_Agent_StateChange)->ArgNames({"agents", "skills"})->Args({10000, 200})
    ->UseManualTime();
BENCHMARK(BM_Route_Multichannel)->ArgNames({"agents", "skills"})->Args({10000, 200})
    ->UseManualTime();
BENCHMARK(BM_Route_ContactChurn)->ArgNames({"waiting"})->Arg(10000)->Arg(100000)->Iterations(1)
    ->UseManualTime();

}  // namespace
}  // namespace switchboard::bench
