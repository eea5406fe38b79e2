// The operations side at scale: live changes (UpdateAgent, UpdateQueue), supervisor commands on
// waiting contacts (MoveContact, SetContactPriority, AssignContact) and the listings and
// queries a wallboard or a supervisor's screen calls (GetQueueContacts, ListAgents, ListQueues,
// GetAgentStats, GetQueueStats, Explain), on generated centers of 200 skills, against the costs
// that include/switchboard/commands.h and engine.h state. One item = one command or one query,
// timed alone (manual time); whatever a row does to put the engine back (the other half of a
// toggle, a replacement contact) is either that same command, timed as its own item, or left
// out of the time. docs/performance.md, "Operations and listings", has the figures.
#include <algorithm>
#include <cstdint>
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

// The queue whose waiting contacts the supervisor rows act on and the listings list, and the
// queue MoveContact sends them to and back from.
constexpr int kListedQueue = 0;
constexpr int kOtherQueue = 1;
// An agent that serves no queue (its only skill is one no queue requires), logged in and ready:
// AssignContact hands it contacts, and routing never does.
constexpr char kAssignee[] = "assignee";

// An engine loaded with a generated center, every agent logged in and ready. With `waiting` >=
// 0, every agent then holds a contact and `waiting` more wait in the listed queue.
class OpsBed {
 public:
  OpsBed(const CenterShape& shape, int64_t waiting) : center_(GenerateCenter(shape)) {
    EngineOptions options;
    options.record_events = false;
    engine_ = std::make_unique<Engine>(Engine::Create(options).value());
    for (const QueueConfig& queue : center_.queues) Check(engine_->AddQueue(now_, queue));
    for (const AgentConfig& agent : center_.agents) {
      Check(engine_->AddAgent(now_, agent));
      Check(engine_->Login(Tick(), agent.id, /*ready=*/true));
    }
    scattered_.resize(center_.agents.size());
    std::iota(scattered_.begin(), scattered_.end(), 0);
    std::shuffle(scattered_.begin(), scattered_.end(), rng_);
    if (waiting < 0) return;
    for (const AgentConfig& agent : center_.agents) {
      while (engine_->GetAgentStats(agent.id)->state == AgentState::kAvailable) {
        const std::string id = NextContactId();
        const std::string queue = engine_->GetAgentQueues(agent.id)->front();
        Check(engine_->AddContact(Tick(), {.id = id, .queue = queue}));
        const std::string taker = engine_->GetContact(id)->agent;
        Check(engine_->Accept(Tick(), taker, id));
      }
    }
    for (int64_t i = 0; i < waiting; ++i) waiting_.push_back(AddWaiting());
    moves_.assign(waiting_.size(), 0);
    Check(engine_->AddAgent(now_, {.id = kAssignee, .skills = {{"unused", 1}}}));
    Check(engine_->Login(Tick(), kAssignee, /*ready=*/true));
  }

  Engine& engine() { return *engine_; }
  const Center& center() const { return center_; }
  absl::Time Tick() { return now_ += absl::Microseconds(1); }
  std::string NextContactId() { return fmt::format("c{}", ++contacts_); }
  const std::string& QueueId(int q) const { return center_.queues[q].id; }

  // A new contact at the back of the listed queue (every agent is busy: it waits).
  std::string AddWaiting() {
    std::string id = NextContactId();
    Check(engine_->AddContact(Tick(), {.id = id, .queue = QueueId(kListedQueue)}));
    return id;
  }
  // The ids of the contacts waiting in the listed queue, oldest first as long as no row has
  // replaced one; and, for MoveContact, how often each has been moved (kMaxTransfers bounds it).
  std::vector<std::string>& waiting() { return waiting_; }
  std::vector<int>& moves() { return moves_; }
  size_t RandomWaiting() { return rng_() % waiting_.size(); }
  int ScatteredAgent(int64_t n) const { return scattered_[n % scattered_.size()]; }
  uint64_t Random() { return rng_(); }

  // Rows that toggle (a change, then as the next item its undoing) keep their place here, as
  // the benchmark library runs a row's function several times on the same bed: `step` counts
  // the items so far, `current` is what the pending undo is about.
  int64_t step = 0;
  size_t current = 0;

 private:
  Center center_;
  std::unique_ptr<Engine> engine_;
  absl::Time now_ = absl::FromUnixSeconds(1700000000);
  int64_t contacts_ = 0;
  std::vector<std::string> waiting_;
  std::vector<int> moves_;
  std::vector<int> scattered_;
  std::mt19937_64 rng_{7};
};

// One bed per row (`row` names the benchmark family, so that no row measures a bed another has
// changed), one at a time: the large ones are large.
OpsBed& BedFor(const std::string& row, const CenterShape& shape, int64_t waiting) {
  using Key = std::tuple<std::string, int, int, int64_t>;
  static std::map<Key, std::unique_ptr<OpsBed>> beds;
  const Key key{row, shape.agents, shape.queues, waiting};
  if (auto it = beds.find(key); it != beds.end()) return *it->second;
  beds.clear();
  return *(beds[key] = std::make_unique<OpsBed>(shape, waiting));
}

CenterShape Shape(int64_t agents, int64_t queues = 50) {
  return {.agents = static_cast<int>(agents), .skills = 200, .queues = static_cast<int>(queues)};
}

Command At(absl::Time now, CommandBody body) {
  return {.now = now, .actor = Actor::Supervisor("sup"), .body = std::move(body)};
}

// --- Live changes (every agent free, nothing waiting) ---

// An agent gains the skills of a queue it did not meet (it joins that queue), then, as the next
// item, gets its own skills back (it leaves it). Automatic membership: each re-checks every
// queue. Args: agents, queues.
void BM_Ops_UpdateAgent(benchmark::State& state) {
  OpsBed& bed = BedFor("UpdateAgent", Shape(state.range(0), state.range(1)), -1);
  Latency latency;
  for (auto _ : state) {
    const int64_t n = bed.step++;
    if (n % 2 == 0) bed.current = static_cast<size_t>(bed.ScatteredAgent(n / 2));
    const AgentConfig* agent = &bed.center().agents[bed.current];
    UpdateAgent update;
    if (n % 2 == 0) {
      std::map<std::string, int, std::less<>> skills = agent->skills;
      // A queue that needs a skill the agent lacks.
      for (int tries = 0; tries < 100 && skills.size() == agent->skills.size(); ++tries) {
        const auto& needs = bed.center().queue_skills[bed.Random() % bed.center().queues.size()];
        for (const std::string& skill : needs) skills.try_emplace(skill, 50);
      }
      update = UpdateAgent{.agent = agent->id, .skills = std::move(skills)};
    } else {
      update = UpdateAgent{.agent = agent->id, .skills = agent->skills};
    }
    const Command command = At(bed.Tick(), std::move(update));
    latency.Time(state, [&] { Check(bed.engine().Execute(command)); });
  }
  latency.Report(state);
}

// A queue's requirement gains a skill (most of its agents leave it), then, as the next item,
// gets its own back (they join again); the queues in turn. Args: agents, queues.
void BM_Ops_UpdateQueue(benchmark::State& state) {
  OpsBed& bed = BedFor("UpdateQueue", Shape(state.range(0), state.range(1)), -1);
  Latency latency;
  for (auto _ : state) {
    const int64_t n = bed.step++;
    const size_t q = static_cast<size_t>(n / 2) % bed.center().queues.size();
    QueueConfig config = bed.center().queues[q];
    if (n % 2 == 0) {
      // A skill it does not require: the one after its last (skills are s0..s199).
      const std::string& last = bed.center().queue_skills[q].back();
      config.requirement += " && " + SkillName((std::stoi(last.substr(1)) + 1) % 200);
    }
    const Command command = At(bed.Tick(), UpdateQueue{.config = std::move(config)});
    latency.Time(state, [&] { Check(bed.engine().Execute(command)); });
  }
  latency.Report(state);
}

// --- Supervisor commands (every agent busy, `waiting` contacts in the listed queue) ---

// A random waiting contact moves to another queue, then, as the next item, back (it keeps its
// arrival, so it re-enters out of order). A contact moved kMaxTransfers - 2 times is replaced,
// untimed, by a new one at the back. Args: agents, waiting.
void BM_Ops_MoveContact(benchmark::State& state) {
  OpsBed& bed = BedFor("MoveContact", Shape(state.range(0)), state.range(1));
  Latency latency;
  for (auto _ : state) {
    const int64_t n = bed.step++;
    if (n % 2 == 0) {
      bed.current = bed.RandomWaiting();
      const size_t i = bed.current;
      if (bed.moves()[i] >= kMaxTransfers - 2) {
        Check(bed.engine().Remove(bed.Tick(), bed.waiting()[i], "replaced"));
        bed.waiting()[i] = bed.AddWaiting();
        bed.moves()[i] = 0;
      }
    }
    const size_t i = bed.current;
    const int target = n % 2 == 0 ? kOtherQueue : kListedQueue;
    const Command command =
        At(bed.Tick(), MoveContact{.contact = bed.waiting()[i], .queue = bed.QueueId(target)});
    latency.Time(state, [&] { Check(bed.engine().Execute(command)); });
    ++bed.moves()[i];
  }
  latency.Report(state);
}

// A random waiting contact's priority goes to 5 (ahead of 5 aging units' arrivals), then, as the
// next item, back to 0. Args: agents, waiting.
void BM_Ops_SetContactPriority(benchmark::State& state) {
  OpsBed& bed = BedFor("SetContactPriority", Shape(state.range(0)), state.range(1));
  Latency latency;
  for (auto _ : state) {
    const int64_t n = bed.step++;
    if (n % 2 == 0) bed.current = bed.RandomWaiting();
    const Command command = At(bed.Tick(), SetContactPriority{.contact = bed.waiting()[bed.current],
                                                              .priority = n % 2 == 0 ? 5 : 0});
    latency.Time(state, [&] { Check(bed.engine().Execute(command)); });
  }
  latency.Report(state);
}

// A random waiting contact is handed to a free agent; untimed, the agent accepts and completes
// it and a new contact takes its place at the back. Args: agents, waiting.
void BM_Ops_AssignContact(benchmark::State& state) {
  OpsBed& bed = BedFor("AssignContact", Shape(state.range(0)), state.range(1));
  Latency latency;
  for (auto _ : state) {
    const size_t i = bed.RandomWaiting();
    const std::string contact = bed.waiting()[i];
    const Command command = At(bed.Tick(), AssignContact{.contact = contact, .agent = kAssignee});
    latency.Time(state, [&] { Check(bed.engine().Execute(command)); });
    Check(bed.engine().Accept(bed.Tick(), kAssignee, contact));
    Check(bed.engine().Complete(bed.Tick(), kAssignee, contact));
    bed.waiting()[i] = bed.AddWaiting();
  }
  latency.Report(state);
}

// --- Listings and queries (timed with the copy they return, as the host gets it) ---

// The listed queue's waiting contacts in offer order. Args: agents, waiting.
void BM_Ops_GetQueueContacts(benchmark::State& state) {
  OpsBed& bed = BedFor("Listings", Shape(state.range(0)), state.range(1));
  const std::string queue = bed.QueueId(kListedQueue);
  Latency latency;
  for (auto _ : state) {
    latency.Time(state, [&] {
      absl::StatusOr<std::vector<ContactInfo>> contacts = bed.engine().GetQueueContacts(queue);
      Check(contacts.status());
      benchmark::DoNotOptimize(contacts->data());
    });
  }
  latency.Report(state);
}

// Why a waiting contact waits: the first in the listed queue (`position` 0) or the last (1).
// Args: agents, waiting, position.
void BM_Ops_Explain(benchmark::State& state) {
  OpsBed& bed = BedFor("Listings", Shape(state.range(0)), state.range(1));
  const std::string contact = state.range(2) == 0 ? bed.waiting().front() : bed.waiting().back();
  Latency latency;
  for (auto _ : state) {
    latency.Time(state, [&] {
      absl::StatusOr<Explanation> explanation = bed.engine().Explain(contact);
      Check(explanation.status());
      benchmark::DoNotOptimize(explanation->agents.data());
    });
  }
  state.counters["agents_listed"] =
      static_cast<double>(bed.engine().Explain(contact)->agents.size());
  latency.Report(state);
}

// Every agent's id. Args: agents.
void BM_Ops_ListAgents(benchmark::State& state) {
  OpsBed& bed = BedFor("Free", Shape(state.range(0)), -1);
  Latency latency;
  for (auto _ : state) {
    latency.Time(state, [&] { benchmark::DoNotOptimize(bed.engine().ListAgents().data()); });
  }
  state.SetComplexityN(state.range(0));
  latency.Report(state);
}

// Every queue's id. Args: agents, queues.
void BM_Ops_ListQueues(benchmark::State& state) {
  OpsBed& bed = BedFor("Free", Shape(state.range(0), state.range(1)), -1);
  Latency latency;
  for (auto _ : state) {
    latency.Time(state, [&] { benchmark::DoNotOptimize(bed.engine().ListQueues().data()); });
  }
  latency.Report(state);
}

// A random agent's statistics (it holds one contact). Args: agents.
void BM_Ops_GetAgentStats(benchmark::State& state) {
  OpsBed& bed = BedFor("Listings", Shape(state.range(0)), 100);
  Latency latency;
  int64_t n = 0;
  for (auto _ : state) {
    const std::string agent = bed.center().agents[bed.ScatteredAgent(n++)].id;
    latency.Time(state, [&] {
      absl::StatusOr<AgentStats> stats = bed.engine().GetAgentStats(agent);
      Check(stats.status());
      benchmark::DoNotOptimize(stats->occupancy);
    });
  }
  latency.Report(state);
}

// The listed queue's statistics. Args: agents, waiting.
void BM_Ops_GetQueueStats(benchmark::State& state) {
  OpsBed& bed = BedFor("Listings", Shape(state.range(0)), state.range(1));
  const std::string queue = bed.QueueId(kListedQueue);
  Latency latency;
  for (auto _ : state) {
    latency.Time(state, [&] {
      absl::StatusOr<QueueStats> stats = bed.engine().GetQueueStats(queue);
      Check(stats.status());
      benchmark::DoNotOptimize(stats->waiting);
    });
  }
  latency.Report(state);
}

void AgentsAndQueues(benchmark::internal::Benchmark* b) {
  b->ArgNames({"agents", "queues"});
  b->Args({1000, 50})->Args({10000, 50})->Args({10000, 200});
}

void AgentsAndWaiting(benchmark::internal::Benchmark* b) {
  b->ArgNames({"agents", "waiting"});
  for (int64_t agents : {1000, 10000}) {
    for (int64_t waiting : {100, 10000}) b->Args({agents, waiting});
  }
}

BENCHMARK(BM_Ops_UpdateAgent)->Apply(AgentsAndQueues)->UseManualTime();
BENCHMARK(BM_Ops_UpdateQueue)->Apply(AgentsAndQueues)->UseManualTime();
BENCHMARK(BM_Ops_MoveContact)->Apply(AgentsAndWaiting)->UseManualTime();
BENCHMARK(BM_Ops_SetContactPriority)->Apply(AgentsAndWaiting)->UseManualTime();
BENCHMARK(BM_Ops_AssignContact)->Apply(AgentsAndWaiting)->UseManualTime();
BENCHMARK(BM_Ops_GetQueueContacts)->Apply(AgentsAndWaiting)->UseManualTime();
BENCHMARK(BM_Ops_Explain)
    ->ArgNames({"agents", "waiting", "position"})
    ->ArgsProduct({{1000, 10000}, {100, 10000}, {0, 1}})
    ->UseManualTime();
BENCHMARK(BM_Ops_GetQueueStats)->Apply(AgentsAndWaiting)->UseManualTime();
BENCHMARK(BM_Ops_GetAgentStats)->ArgNames({"agents"})->Arg(1000)->Arg(10000)->UseManualTime();
BENCHMARK(BM_Ops_ListAgents)
    ->ArgNames({"agents"})
    ->Arg(1000)
    ->Arg(10000)
    ->Arg(100000)
    ->Complexity(benchmark::oN)
    ->UseManualTime();
BENCHMARK(BM_Ops_ListQueues)->Apply(AgentsAndQueues)->UseManualTime();

}  // namespace
}  // namespace switchboard::bench
