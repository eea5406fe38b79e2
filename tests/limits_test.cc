// The limits of include/switchboard/limits.h as the C++ API applies them: hostile input to the
// engine and the simulator is refused with a message, changes nothing, and never crashes.
// The same probes through Python, the command line and scenario files are in
// bindings/tests/test_hostile.py, hostile_cli_test.cc and hostile_scenario_test.cc.
#include "switchboard/limits.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <limits>
#include <string>
#include <vector>

#include "engine_with.h"
#include "fmt/format.h"
#include "switchboard/engine.h"
#include "switchboard/sim.h"

namespace switchboard {
namespace {

const absl::Time kT0 = absl::FromUnixSeconds(1'700'000'000);
const std::string kBadUtf8 = "caf\xff";

std::string MessageOf(const absl::Status& status) { return std::string(status.message()); }

// An engine with one queue and one ready agent, its events drained.
Engine ReadyEngine(EngineOptions options = {}) {
  Engine engine = EngineWith(options);
  REQUIRE(engine.AddQueue(kT0, {.id = "q"}).ok());
  REQUIRE(engine.AddAgent(kT0, {.id = "a1"}).ok());
  REQUIRE(engine.Login(kT0, "a1", /*ready=*/true).ok());
  engine.DrainEvents();
  return engine;
}

TEST_CASE("UTF-8 validation refuses every malformed form", "[limits]") {
  CHECK(IsValidUtf8(""));
  CHECK(IsValidUtf8("plain ascii"));
  CHECK(IsValidUtf8("caf\xc3\xa9"));               // é
  CHECK(IsValidUtf8("\xe6\x97\xa5\xe6\x9c\xac"));  // 日本
  CHECK(IsValidUtf8("\xf0\x9f\x93\x9e"));          // 📞
  CHECK(IsValidUtf8("\xcf\xbf\x77"));              // U+03FF 'w'
  CHECK(IsValidUtf8(std::string("a\0b", 3)));      // NUL is a code point
  CHECK_FALSE(IsValidUtf8("\xff"));
  CHECK_FALSE(IsValidUtf8("\x80"));              // continuation without a lead
  CHECK_FALSE(IsValidUtf8("\xc3"));              // truncated
  CHECK_FALSE(IsValidUtf8("\xe6\x97"));          // truncated
  CHECK_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong '/'
  CHECK_FALSE(IsValidUtf8("\xe0\x80\xaf"));      // overlong
  CHECK_FALSE(IsValidUtf8("\xf0\x80\x80\xaf"));  // overlong
  CHECK_FALSE(IsValidUtf8("\xed\xa0\x80"));      // surrogate U+D800
  CHECK_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // past U+10FFFF
  CHECK_FALSE(IsValidUtf8("\xc3\x28"));          // bad continuation
}

TEST_CASE("CheckText names what was wrong without repeating the bytes", "[limits]") {
  CHECK(CheckText("agent id", "a1", kMaxIdBytes).ok());
  CHECK(MessageOf(CheckText("agent id", kBadUtf8, kMaxIdBytes)) == "agent id is not valid UTF-8");
  CHECK(MessageOf(CheckText("agent id", std::string(257, 'x'), kMaxIdBytes)) ==
        "agent id is 257 bytes; expected at most 256");
  CHECK(CheckText("agent id", std::string(256, 'x'), kMaxIdBytes).ok());
}

TEST_CASE("CheckTime accepts years 1 to 9999 only", "[limits]") {
  CHECK(CheckTime("t", kMinTime).ok());
  CHECK(CheckTime("t", kMaxTime).ok());
  CHECK(CheckTime("t", kT0).ok());
  CHECK_FALSE(CheckTime("t", kMinTime - absl::Microseconds(1)).ok());
  CHECK_FALSE(CheckTime("t", kMaxTime + absl::Seconds(1)).ok());
  CHECK_FALSE(CheckTime("t", absl::InfiniteFuture()).ok());
  CHECK(MessageOf(CheckTime("t", absl::FromUnixSeconds(-9'100'000'000'000))).find("years 0001") !=
        std::string::npos);
}

TEST_CASE("Invalid UTF-8 and overlong text are refused wherever the engine keeps text",
          "[limits][hostile]") {
  Engine engine = ReadyEngine();
  auto refused = [&](const absl::Status& status, const std::string& expected) {
    INFO(status);
    CHECK(status.code() == absl::StatusCode::kInvalidArgument);
    CHECK(MessageOf(status).find(expected) != std::string::npos);
    // Nothing happened: no event, the agent still free, no contact.
    CHECK(engine.DrainEvents().empty());
  };
  refused(engine.AddQueue(kT0, {.id = kBadUtf8}), "queue id is not valid UTF-8");
  refused(engine.AddQueue(kT0, {.id = std::string(300, 'q')}), "queue id is 300 bytes");
  refused(engine.AddQueue(kT0, {.id = "q2", .requirement = "x == '" + kBadUtf8 + "'"}),
          "requirement is not valid UTF-8");
  refused(engine.AddQueue(kT0, {.id = "q2", .requirement = std::string(70'000, ' ')}),
          "requirement is 70000 bytes");
  refused(engine.AddAgent(kT0, {.id = kBadUtf8}), "agent id is not valid UTF-8");
  refused(engine.AddAgent(kT0, {.id = "a2", .skills = {{kBadUtf8, 1}}}),
          "skill name is not valid UTF-8");
  refused(engine.AddAgent(kT0, {.id = "a2", .groups = {kBadUtf8}}),
          "agent 'a2': group name is not valid UTF-8");
  refused(engine.AddAgent(kT0, {.id = "a2", .attributes = {{kBadUtf8, 1.0}}}),
          "agent 'a2': attribute name is not valid UTF-8");
  refused(engine.AddAgent(kT0, {.id = "a2", .attributes = {{"lang", kBadUtf8}}}),
          "agent 'a2': attribute 'lang' is not valid UTF-8");
  refused(engine.AddAgent(
              kT0, {.id = "a2", .attributes = {{"x", std::numeric_limits<double>::quiet_NaN()}}}),
          "expected a finite number");
  refused(engine.AddContact(kT0, {.id = kBadUtf8, .queue = "q"}), "contact id is not valid UTF-8");
  refused(engine.AddContact(kT0, {.id = "c1", .queue = kBadUtf8}), "queue id is not valid UTF-8");
  refused(engine.AddContact(kT0, {.id = "c1", .queue = "q", .attributes = {{"t", kBadUtf8}}}),
          "contact 'c1': attribute 't' is not valid UTF-8");
  refused(engine.AddContact(kT0, {.id = "c1", .queue = "q", .preferred_agent = kBadUtf8}),
          "agent id is not valid UTF-8");
  refused(engine.SetNotReady(kT0, "a1", kBadUtf8), "reason is not valid UTF-8");
  refused(engine.SetNotReady(kT0, "a1", std::string(5000, 'r')), "reason is 5000 bytes");
  refused(engine.Login(kT0, kBadUtf8), "agent id is not valid UTF-8");
  refused(engine.Abandon(kT0, kBadUtf8), "contact id is not valid UTF-8");
  refused(engine.AddContact(kT0, {.id = "c1", .queue = "q"}, Actor::Agent(kBadUtf8)),
          "actor id is not valid UTF-8");
  refused(
      engine.AddContact(kT0, {.id = "c1", .queue = "q"}, Actor::Supervisor(std::string(999, 's'))),
      "actor id is 999 bytes");
  CHECK(engine.GetContact("c1").status().code() == absl::StatusCode::kNotFound);
  CHECK(engine.GetContact(kBadUtf8).status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(engine.GetAgentStats(kBadUtf8).status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(engine.GetQueueStats(kBadUtf8).status().code() == absl::StatusCode::kInvalidArgument);

  // Valid non-ASCII text is fine everywhere.
  const std::string ja = "\xe6\x97\xa5\xe6\x9c\xac";
  REQUIRE(
      engine
          .AddContact(kT0, {.id = ja, .queue = "q", .attributes = {{"lang", ja}}}, Actor::Agent(ja))
          .ok());
  CHECK(engine.GetContact(ja)->agent == "a1");
}

TEST_CASE("Enumerations cast from out-of-range integers are refused", "[limits][hostile]") {
  Engine engine = ReadyEngine();
  auto refused = [&](const absl::Status& status, const std::string& expected) {
    INFO(status);
    CHECK(status.code() == absl::StatusCode::kInvalidArgument);
    CHECK(MessageOf(status).find(expected) != std::string::npos);
    CHECK(engine.DrainEvents().empty());
  };
  refused(engine.AddQueue(kT0, {.id = "q2", .strategy = static_cast<Strategy>(kStrategyCount)}),
          "queue 'q2': strategy 7 is not a strategy (0..6)");
  QueueConfig queue{.id = "q2"};
  queue.wrap_up.mode = static_cast<WrapUpPolicy::Mode>(4);
  refused(engine.AddQueue(kT0, queue), "queue 'q2': wrap_up.mode 4 is not a mode (0..3)");
  AgentConfig agent{.id = "a2"};
  agent.capacity.model = static_cast<CapacityConfig::Model>(2);
  refused(engine.AddAgent(kT0, agent), "capacity: model 2 is not a model");
  refused(engine.AddContact(kT0, {.id = "c1", .channel = static_cast<Channel>(200), .queue = "q"}),
          "channel 200 is not a channel");
  refused(
      engine.AddContact(kT0, {.id = "c1", .queue = "q"}, Actor{static_cast<Actor::Kind>(9), "x"}),
      "actor kind 9 is not a kind");
}

TEST_CASE("Times outside years 1..9999 are refused before they can overflow a wait",
          "[limits][hostile]") {
  Engine engine = ReadyEngine();
  // The probe: a wait of 9.1e12 + 9.1e12 seconds overflows int64 microseconds.
  const absl::Time far_future = absl::FromUnixSeconds(9'100'000'000'000);
  const absl::Time far_past = absl::FromUnixSeconds(-9'100'000'000'000);
  absl::Status status = engine.AdvanceTo(far_future);
  CHECK(status.code() == absl::StatusCode::kInvalidArgument);
  CHECK(MessageOf(status).find("command time") != std::string::npos);
  CHECK(engine.now() == kT0);
  status =
      engine.AddContact(kT0 + absl::Seconds(1), {.id = "c1", .queue = "q", .arrival = far_past});
  CHECK(status.code() == absl::StatusCode::kInvalidArgument);
  CHECK(MessageOf(status).find("contact 'c1': arrival") != std::string::npos);
  CHECK(engine.GetContact("c1").status().code() == absl::StatusCode::kNotFound);
  // The edges themselves are accepted.
  CHECK(engine.AddContact(kT0 + absl::Seconds(1), {.id = "c2", .queue = "q", .arrival = kMinTime})
            .ok());
  CHECK(engine.AdvanceTo(kMaxTime).ok());
}

TEST_CASE("A full event buffer refuses commands until drained, losing nothing",
          "[limits][hostile]") {
  EngineOptions options;
  options.max_buffered_events = 5;
  Engine engine = EngineWith(options);
  REQUIRE(engine.AddQueue(kT0, {.id = "q"}).ok());  // 1 event each
  REQUIRE(engine.AddAgent(kT0, {.id = "a1"}).ok());
  REQUIRE(engine.Login(kT0, "a1", /*ready=*/true).ok());
  REQUIRE(engine.AddContact(kT0, {.id = "c1", .queue = "q"}).ok());  // queued, offered, ...
  // Now at or past the bound: the next command is refused, whatever it is, and fires nothing.
  const std::optional<absl::Time> deadline = engine.NextDeadline();
  REQUIRE(deadline.has_value());
  absl::Status status = engine.AdvanceTo(*deadline + absl::Seconds(1));
  CHECK(status.code() == absl::StatusCode::kResourceExhausted);
  CHECK(MessageOf(status).find("max_buffered_events") != std::string::npos);
  CHECK(engine.now() == kT0);
  CHECK(engine.GetContact("c1")->state == ContactState::kOffered);  // the offer did not time out
  const std::vector<Event> events = engine.DrainEvents();
  CHECK(events.size() >= 5);
  CHECK(std::any_of(events.begin(), events.end(),
                    [](const Event& e) { return e.type == EventType::kContactOffered; }));
  // Drained: the same command now applies.
  CHECK(engine.AdvanceTo(*deadline + absl::Seconds(1)).ok());
  CHECK(engine.GetContact("c1")->state == ContactState::kWaiting);

  options.max_buffered_events = 0;
  CHECK(ValidateOptions(options).code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("Pre-sized id tables hold what they were sized for, and more", "[limits]") {
  EngineOptions options;
  options.expected_agents = -1;
  CHECK(MessageOf(ValidateOptions(options)) == "expected_agents is -1; expected 0..10000000");
  options.expected_agents = 0;
  options.expected_contacts = kMaxExpectedEntries + 1;
  CHECK(MessageOf(Engine::Create(options).status()) ==
        "expected_contacts is 10000001; expected 0..10000000");
  options.expected_agents = 50;
  options.expected_contacts = 200;
  Engine engine = ReadyEngine(options);
  // Past the size asked for, the tables grow as usual.
  for (int i = 0; i < 500; ++i) {
    REQUIRE(engine.AddContact(kT0, {.id = fmt::format("c{}", i), .queue = "q"}).ok());
  }
  for (int i = 0; i < 500; i += 3) {
    REQUIRE(engine.GetContact(fmt::format("c{}", i)).ok());
  }
  CHECK(engine.AddContact(kT0, {.id = "c7", .queue = "q"}).code() ==
        absl::StatusCode::kAlreadyExists);
}

TEST_CASE("A long jump through a RONA loop stops when the buffer is full, and resumes",
          "[limits][hostile]") {
  // The fuzzer's probe: an offer nobody answers, re-offered at once to the same agent for ever;
  // one AdvanceTo across a year would fire millions of timeouts.
  EngineOptions options;
  options.offer_timeout = absl::Seconds(1);
  options.max_consecutive_misses = 0;
  options.rona_cooldown = absl::ZeroDuration();
  options.timeout_delay = absl::ZeroDuration();
  options.max_buffered_events = 1000;
  Engine engine = ReadyEngine(options);
  REQUIRE(engine.AddContact(kT0, {.id = "c1", .queue = "q"}).ok());
  const absl::Time target = kT0 + absl::Hours(24 * 365);
  absl::Status status = engine.AdvanceTo(target);
  CHECK(status.code() == absl::StatusCode::kResourceExhausted);
  CHECK(MessageOf(status).find("the engine stopped at") != std::string::npos);
  const absl::Time stopped = engine.now();
  CHECK(stopped > kT0);
  CHECK(stopped < target);
  std::vector<Event> events = engine.DrainEvents();
  CHECK(events.size() >= 1000);
  CHECK(events.size() < 1100);  // past the bound by one timer's events at most
  // Each drain lets it go on from where it stopped, losing nothing.
  status = engine.AdvanceTo(target);
  CHECK(status.code() == absl::StatusCode::kResourceExhausted);
  CHECK(engine.now() > stopped);
  CHECK(engine.DrainEvents().front().sequence == events.back().sequence + 1);
}

SimulationConfig SmallSimulation() {
  SimulationConfig config;
  config.duration = absl::Hours(1);
  config.queues.push_back({.id = "support"});
  config.traffic.push_back({.queue = "support",
                            .arrivals = Arrivals::Constant(100.0 / 3600),
                            .handle = Distribution::Exponential(180)});
  config.agents.push_back({.name = "support", .count = 10});
  return config;
}

TEST_CASE("Expected contacts integrate the arrival rates over warm-up and duration", "[limits]") {
  SimulationConfig config = SmallSimulation();
  CHECK(ExpectedContactsPerReplication(config) == Approx(100));
  config.warmup = absl::Minutes(30);
  CHECK(ExpectedContactsPerReplication(config) == Approx(150));
  // Two hourly periods, then nothing: 60 + 120 * 0.5 over 1.5 h.
  config.traffic[0].arrivals = {absl::Hours(1), {60, 120}};
  CHECK(ExpectedContactsPerReplication(config) == Approx(120));
  config.duration = absl::Hours(8);
  CHECK(ExpectedContactsPerReplication(config) == Approx(180));
}

TEST_CASE("The work of a simulation is bounded, and the bounds can be raised",
          "[limits][hostile]") {
  auto refused = [](const SimulationConfig& config, const std::string& expected) {
    const absl::Status status = ValidateSimulation(config);
    INFO(status);
    CHECK(status.code() == absl::StatusCode::kInvalidArgument);
    CHECK(MessageOf(status).find(expected) != std::string::npos);
    // Simulate refuses it before any work.
    CHECK(Simulate(config).status() == status);
  };
  SimulationConfig config = SmallSimulation();
  REQUIRE(ValidateSimulation(config).ok());

  SimulationConfig flood = config;  // the probe: 1e12 arrivals an hour
  flood.traffic[0].arrivals = {absl::Hours(1), {1e12}};
  refused(flood,
          "traffic #1 ('support'): arrivals: the arrival rates give 1e+12 expected contacts per "
          "replication");
  flood.limits.max_contacts_per_replication = 2e12;
  flood.limits.max_contacts = 2e12;
  CHECK(ValidateSimulation(flood).ok());  // raised on purpose

  SimulationConfig many = config;
  many.replications = 200'000;
  refused(many, "replications is 200000; the limit is 100000");
  many.replications = 3'000'000;
  many.limits.max_replications = 5'000'000;
  refused(many, "3000000 replications of 100 expected contacts make 3e+08");

  SimulationConfig crowd = config;
  crowd.agents.push_back({.name = "more", .count = 99'995});
  refused(crowd, "100005 agents in all groups; the limit is 100000");
  crowd.limits.max_agents = 200'000;
  CHECK(ValidateSimulation(crowd).ok());

  SimulationConfig bad_name = config;
  bad_name.agents[0].name = "caf\xff";
  refused(bad_name, "agents #1: name is not valid UTF-8");
  bad_name.agents[0].name = std::string(201, 'n');
  refused(bad_name, "agents #1: name is 201 bytes; expected at most 200");
  SimulationConfig bad_queue = config;
  bad_queue.traffic[0].queue = "q\xc0";
  refused(bad_queue, "traffic #1: queue is not valid UTF-8");

  SimulationConfig bad_limits = config;
  bad_limits.limits.max_contacts = std::numeric_limits<double>::quiet_NaN();
  refused(bad_limits, "every limit must be positive");
}

TEST_CASE("Threads are bounded, and the results do not depend on them", "[limits][hostile]") {
  SimulationConfig config = SmallSimulation();
  config.replications = 3;
  RunOptions options;
  options.threads = kMaxThreads + 1;
  CHECK(Simulate(config, options).status().code() == absl::StatusCode::kInvalidArgument);
  options.threads = 0;
  CHECK(Simulate(config, options).status().code() == absl::StatusCode::kInvalidArgument);
  options.threads = 1;
  const absl::StatusOr<SimulationResult> one = Simulate(config, options);
  options.threads = 200;  // more than replications: as many as there are
  const absl::StatusOr<SimulationResult> many = Simulate(config, options);
  REQUIRE(one.ok());
  REQUIRE(many.ok());
  CHECK(one->overall.service_level.mean == many->overall.service_level.mean);
}

TEST_CASE("A progress callback's exception reaches the caller, not std::terminate",
          "[limits][hostile]") {
  SimulationConfig config = SmallSimulation();
  config.replications = 8;
  RunOptions options;
  options.threads = 4;
  options.progress = [](int done, int) {
    if (done == 2) throw std::runtime_error("progress failed");
  };
  CHECK_THROWS_WITH(Simulate(config, options), "progress failed");
}

}  // namespace
}  // namespace switchboard
