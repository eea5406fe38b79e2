// SharedEngine: many threads commanding and querying one engine, events delivered in the
// engine's order, time that never goes backwards, and the same events as a plain Engine.
// scripts/test.sh also runs this file under ThreadSanitizer.
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine_with.h"
#include "switchboard/engine.h"
#include "switchboard/shared_engine.h"

namespace switchboard {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1700000000);

// A fake monotonic clock shared by every thread: each call is one millisecond later.
class FakeClock {
 public:
  absl::Time Now() { return kStart + absl::Milliseconds(ticks_.fetch_add(1) + 1); }
  SharedEngine::Clock AsClock() {
    return [this] { return Now(); };
  }

 private:
  std::atomic<int64_t> ticks_{0};
};

// Collects what a subscriber saw. Only the delivering thread touches it (under the delivery
// lock), and the test reads it after joining the threads.
struct Recorder {
  std::vector<Event> events;
  SharedEngine::Subscriber AsSubscriber() {
    return [this](const Event& e) { events.push_back(e); };
  }
};

std::vector<std::string> Formatted(const std::vector<Event>& events) {
  std::vector<std::string> lines;
  lines.reserve(events.size());
  for (const Event& e : events) lines.push_back(FormatEvent(e));
  return lines;
}

// Failures seen on worker threads (Catch2's assertions are not thread-safe), checked after join.
class Failures {
 public:
  void Check(const absl::Status& status, const char* what) {
    if (status.ok()) return;
    std::lock_guard<std::mutex> lock(mutex_);
    messages_.push_back(absl::StrCat(what, ": ", status.ToString()));
  }
  void Fail(std::string message) {
    std::lock_guard<std::mutex> lock(mutex_);
    messages_.push_back(std::move(message));
  }
  std::vector<std::string> messages() {
    std::lock_guard<std::mutex> lock(mutex_);
    return messages_;
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> messages_;
};

TEST_CASE("Eight threads drive their own agents and contacts through one SharedEngine",
          "[shared_engine][threads]") {
  constexpr int kThreads = 8;
  constexpr int kAgentsPerThread = 2;
  constexpr int kContactsPerThread = 40;
  constexpr int kReaders = 2;

  FakeClock clock;
  // Offers never time out here: every contact is answered by its thread.
  SharedEngine shared(EngineWith({.offer_timeout = absl::Hours(24)}), clock.AsClock());
  Recorder first;
  Recorder second;
  shared.Subscribe(first.AsSubscriber());
  shared.Subscribe(second.AsSubscriber());

  Failures failures;
  std::atomic<int> writers_done{0};
  std::atomic<int64_t> reads{0};

  std::vector<std::thread> readers;
  for (int r = 0; r < kReaders; ++r) {
    readers.emplace_back([&] {
      // At least a few reads each, then until the writers are done.
      for (int n = 0; n < 10 || writers_done.load() < kThreads; ++n) {
        shared.Read([&](const Engine& engine) {
          for (const std::string& queue : engine.ListQueues()) {
            absl::StatusOr<QueueStats> stats = engine.GetQueueStats(queue);
            failures.Check(stats.status(), "GetQueueStats");
            if (stats.ok() && !(stats->completed <= stats->answered &&
                                stats->answered <= stats->offered)) {
              failures.Fail(absl::StrCat("queue ", queue, ": completed ", stats->completed,
                                         " answered ", stats->answered, " offered ",
                                         stats->offered));
            }
          }
          for (const std::string& agent : engine.ListAgents()) {
            failures.Check(engine.GetAgentStats(agent).status(), "GetAgentStats");
          }
        });
        shared.NextDeadline();
        reads.fetch_add(1);
      }
    });
  }

  std::vector<std::thread> writers;
  for (int t = 0; t < kThreads; ++t) {
    writers.emplace_back([&, t] {
      const std::string queue = absl::StrCat("q", t);
      const std::string skill = absl::StrCat("skill", t);
      failures.Check(shared.Execute(AddQueue{{.id = queue, .requirement = skill + " >= 1"}}),
                     "AddQueue");
      for (int a = 0; a < kAgentsPerThread; ++a) {
        const std::string agent = absl::StrCat("a", t, "_", a);
        failures.Check(shared.Execute(AddAgent{{.id = agent, .skills = {{skill, 1}}}}),
                       "AddAgent");
        failures.Check(shared.Execute(Login{.agent = agent, .ready = true}, Actor::Agent(agent)),
                       "Login");
      }
      for (int c = 0; c < kContactsPerThread; ++c) {
        const std::string contact = absl::StrCat("c", t, "_", c);
        failures.Check(shared.Execute(AddContact{{.id = contact, .queue = queue}}),
                       "AddContact");
        // Offered at once: this thread's agents are free, and no other thread's serve q<t>.
        absl::StatusOr<ContactInfo> info =
            shared.Read([&](const Engine& e) { return e.GetContact(contact); });
        failures.Check(info.status(), "GetContact");
        if (!info.ok()) continue;
        if (info->state != ContactState::kOffered || info->agent.empty()) {
          failures.Fail(absl::StrCat(contact, " was not offered at once"));
          continue;
        }
        const std::string agent = info->agent;
        failures.Check(shared.Execute(AcceptOffer{.agent = agent, .contact = contact},
                                      Actor::Agent(agent)),
                       "AcceptOffer");
        failures.Check(shared.Execute(CompleteContact{.agent = agent, .contact = contact},
                                      Actor::Agent(agent)),
                       "CompleteContact");
      }
      writers_done.fetch_add(1);
    });
  }
  for (std::thread& w : writers) w.join();
  for (std::thread& r : readers) r.join();

  INFO(absl::StrJoin(failures.messages(), "\n"));
  REQUIRE(failures.messages().empty());
  CHECK(reads.load() >= 10 * kReaders);

  // Both subscribers saw the same events, every one once, in the engine's order.
  REQUIRE(!first.events.empty());
  CHECK(Formatted(first.events) == Formatted(second.events));
  for (size_t i = 0; i < first.events.size(); ++i) {
    REQUIRE(first.events[i].sequence == i + 1);
    if (i > 0) REQUIRE(first.events[i - 1].time <= first.events[i].time);
  }

  // Each contact: offered, then accepted (connected), then completed, once each.
  std::map<std::string, std::vector<EventType>> lifecycle;
  for (const Event& e : first.events) {
    if (e.type == EventType::kContactOffered || e.type == EventType::kOfferAccepted ||
        e.type == EventType::kContactCompleted) {
      lifecycle[e.contact_id].push_back(e.type);
    }
  }
  REQUIRE(lifecycle.size() == size_t{kThreads * kContactsPerThread});
  const std::vector<EventType> expected = {EventType::kContactOffered, EventType::kOfferAccepted,
                                           EventType::kContactCompleted};
  for (const auto& [contact, types] : lifecycle) {
    INFO(contact);
    CHECK(types == expected);
  }

  // The statistics add up to what the threads did.
  shared.Read([&](const Engine& engine) {
    int64_t offered = 0, answered = 0, completed = 0, handled = 0;
    for (const std::string& queue : engine.ListQueues()) {
      absl::StatusOr<QueueStats> stats = engine.GetQueueStats(queue);
      REQUIRE(stats.ok());
      CHECK(stats->offered == kContactsPerThread);
      offered += stats->offered;
      answered += stats->answered;
      completed += stats->completed;
    }
    for (const std::string& agent : engine.ListAgents()) {
      absl::StatusOr<AgentStats> stats = engine.GetAgentStats(agent);
      REQUIRE(stats.ok());
      handled += stats->contacts_handled_total;
    }
    CHECK(engine.ListQueues().size() == size_t{kThreads});
    CHECK(engine.ListAgents().size() == size_t{kThreads * kAgentsPerThread});
    CHECK(offered == kThreads * kContactsPerThread);
    CHECK(answered == kThreads * kContactsPerThread);
    CHECK(completed == kThreads * kContactsPerThread);
    CHECK(handled == kThreads * kContactsPerThread);
  });
}

// One scripted run, given a way to apply each command at its time.
template <typename Apply>
void RunScript(Apply&& apply) {
  auto at = [](double seconds) { return kStart + absl::Seconds(seconds); };
  apply(at(0), AddQueue{{.id = "support", .requirement = "support >= 1"}});
  apply(at(0), AddAgent{{.id = "a1", .skills = {{"support", 5}}}});
  apply(at(0), AddAgent{{.id = "a2", .skills = {{"support", 3}}}});
  apply(at(1), Login{.agent = "a1", .ready = true});
  apply(at(2), AddContact{{.id = "c1", .queue = "support"}});
  apply(at(3), AddContact{{.id = "c2", .queue = "support"}});  // waits: a2 is logged out
  apply(at(4), AcceptOffer{.agent = "a1", .contact = "c1"});
  apply(at(5), Login{.agent = "a2", .ready = true});           // c2 rings at a2
  apply(at(30), Advance{});                                    // a2 misses it (RONA)
  apply(at(40), CompleteContact{.agent = "a1", .contact = "c1"});  // a1 takes c2
  apply(at(41), AcceptOffer{.agent = "a1", .contact = "c2"});
  apply(at(50), CompleteContact{.agent = "a1", .contact = "c2"});
  apply(at(51), AcceptOffer{.agent = "a1", .contact = "c2"});  // refused: not offered
}

TEST_CASE("One thread: SharedEngine gives the same events and statuses as a plain Engine",
          "[shared_engine]") {
  std::vector<absl::Status> plain_statuses;
  Engine plain;
  RunScript([&](absl::Time now, CommandBody body) {
    plain_statuses.push_back(plain.Execute({.now = now, .actor = Actor::Host(), .body = body}));
  });
  const std::vector<std::string> plain_events = Formatted(plain.DrainEvents());
  REQUIRE(plain_statuses.back().code() == absl::StatusCode::kFailedPrecondition);

  SECTION("commands stamped by the caller") {
    SharedEngine shared(Engine(), [] { return absl::InfinitePast(); });
    Recorder recorder;
    shared.Subscribe(recorder.AsSubscriber());
    std::vector<absl::Status> statuses;
    RunScript([&](absl::Time now, CommandBody body) {
      statuses.push_back(shared.Execute(Command{.now = now, .body = std::move(body)}));
    });
    CHECK(statuses == plain_statuses);
    CHECK(Formatted(recorder.events) == plain_events);
  }
  SECTION("commands stamped by the clock") {
    absl::Time next = absl::InfinitePast();
    SharedEngine shared(Engine(), [&] { return next; });
    Recorder recorder;
    shared.Subscribe(recorder.AsSubscriber());
    std::vector<absl::Status> statuses;
    RunScript([&](absl::Time now, CommandBody body) {
      next = now;
      if (std::holds_alternative<Advance>(body)) {
        statuses.push_back(shared.Advance());
      } else {
        statuses.push_back(shared.Execute(std::move(body)));
      }
    });
    CHECK(statuses == plain_statuses);
    CHECK(Formatted(recorder.events) == plain_events);
    CHECK(shared.Read([](const Engine& e) { return e.now(); }) == kStart + absl::Seconds(51));
  }
}

TEST_CASE("A clock that goes backwards stamps the engine's time; a caller's stamp may not",
          "[shared_engine][time]") {
  absl::Time next = kStart + absl::Seconds(10);
  SharedEngine shared(Engine(), [&] { return next; });
  REQUIRE(shared.Execute(AddQueue{{.id = "q"}}).ok());
  next = kStart;  // earlier than the engine's time
  REQUIRE(shared.Execute(AddAgent{{.id = "a1"}}).ok());
  CHECK(shared.Read([](const Engine& e) { return e.now(); }) == kStart + absl::Seconds(10));
  CHECK(shared.Execute(Command{.now = kStart, .body = AddAgent{{.id = "a2"}}}).code() ==
        absl::StatusCode::kOutOfRange);
}

TEST_CASE("NextDeadline and Advance fire what fell due on the clock",
          "[shared_engine][time]") {
  absl::Time next = kStart;
  SharedEngine shared(EngineWith({.offer_timeout = absl::Seconds(15)}), [&] { return next; });
  REQUIRE(shared.Execute(AddQueue{{.id = "q"}}).ok());
  REQUIRE(shared.Execute(AddAgent{{.id = "a1"}}).ok());
  REQUIRE(shared.Execute(Login{.agent = "a1", .ready = true}).ok());
  REQUIRE(shared.Execute(AddContact{{.id = "c1", .queue = "q"}}).ok());
  CHECK(shared.NextDeadline() == kStart + absl::Seconds(15));
  Recorder recorder;
  shared.Subscribe(recorder.AsSubscriber());
  next = kStart + absl::Seconds(15);
  REQUIRE(shared.Advance().ok());
  REQUIRE(!recorder.events.empty());
  CHECK(recorder.events.front().type == EventType::kOfferTimedOut);
}

TEST_CASE("A subscriber may read but not command; subscriptions made in one apply after the "
          "batch",
          "[shared_engine][subscribers]") {
  absl::Time next = kStart;
  SharedEngine shared(Engine(), [&] { return next; });
  std::vector<absl::Status> from_subscriber;
  std::vector<size_t> queues_seen;
  Recorder late;
  int late_id = 0;
  int first_id = 0;
  first_id = shared.Subscribe([&](const Event& e) {
    from_subscriber.push_back(shared.Execute(AddQueue{{.id = "nested"}}));
    from_subscriber.push_back(shared.Advance());
    queues_seen.push_back(shared.Read([](const Engine& en) { return en.ListQueues().size(); }));
    if (e.type == EventType::kQueueAdded && late_id == 0) {
      late_id = shared.Subscribe(late.AsSubscriber());  // from the next batch on
      shared.Unsubscribe(first_id);                     // after this batch
    }
  });
  REQUIRE(shared.Execute(AddQueue{{.id = "q1"}}).ok());
  REQUIRE(shared.Execute(AddQueue{{.id = "q2"}}).ok());
  REQUIRE(from_subscriber.size() == 2);
  for (const absl::Status& status : from_subscriber) {
    CHECK(status.code() == absl::StatusCode::kFailedPrecondition);
  }
  CHECK(queues_seen == std::vector<size_t>{1});
  REQUIRE(late.events.size() == 1);
  CHECK(late.events[0].queue_id == "q2");

  shared.Unsubscribe(late_id);
  REQUIRE(shared.Execute(AddQueue{{.id = "q3"}}).ok());
  CHECK(late.events.size() == 1);
}

}  // namespace
}  // namespace switchboard
