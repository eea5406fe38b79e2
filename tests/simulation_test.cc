// The simulator's own behaviour: reproducibility, common random numbers, measured period,
// ringing and RONA, shifts and breaks, reserve agents, interval reports, and refusal of bad
// configurations.
#include <catch2/catch.hpp>

#include <optional>

#include "switchboard/sim.h"

namespace switchboard {
namespace {

SimulationConfig Small() {
  SimulationConfig config;
  config.seed = 5;
  config.duration = absl::Hours(2);
  config.warmup = absl::Minutes(30);
  config.replications = 4;
  config.queues.push_back({.id = "q"});
  config.traffic.push_back({.queue = "q",
                            .arrivals = Arrivals::Constant(0.1),
                            .handle = Distribution::Exponential(150),
                            .patience = Distribution::Exponential(120)});
  config.agents.push_back({.name = "agent", .count = 16});
  return config;
}

TEST_CASE("The same seed gives the same results; another seed does not", "[simulation]") {
  SimulationConfig config = Small();
  absl::StatusOr<SimulationResult> a = Simulate(config);
  absl::StatusOr<SimulationResult> b = Simulate(config, {.threads = 2});
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(a->overall.asa_s.mean == b->overall.asa_s.mean);
  CHECK(a->overall.offered.mean == b->overall.offered.mean);
  CHECK(a->contacts_simulated == b->contacts_simulated);
  config.seed = 6;
  absl::StatusOr<SimulationResult> c = Simulate(config);
  REQUIRE(c.ok());
  CHECK(c->overall.asa_s.mean != a->overall.asa_s.mean);
}

TEST_CASE("Staffing changes do not change the customers (common random numbers)",
          "[simulation]") {
  SimulationConfig config = Small();
  absl::StatusOr<SimulationResult> few = Simulate(config);
  config.agents[0].count = 20;
  absl::StatusOr<SimulationResult> many = Simulate(config);
  REQUIRE(few.ok());
  REQUIRE(many.ok());
  CHECK(few->overall.offered.mean == many->overall.offered.mean);
  CHECK(few->contacts_simulated == many->contacts_simulated);
  CHECK(many->overall.asa_s.mean < few->overall.asa_s.mean);
  CHECK(many->overall.abandon_rate.mean < few->overall.abandon_rate.mean);
}

TEST_CASE("Every counted customer is answered or abandons", "[simulation]") {
  absl::StatusOr<SimulationResult> result = Simulate(Small());
  REQUIRE(result.ok());
  const Kpis& q = result->queues.at("q");
  CHECK(q.answered.mean + q.abandoned.mean == q.offered.mean);
  CHECK(q.offered.mean == Approx(720).epsilon(0.1));  // 0.1/s over 2 h
  CHECK(result->intervals.size() == 4);
  double offered = 0;
  for (const IntervalReport& interval : result->intervals) {
    offered += interval.queues.at("q").offered.mean;
  }
  CHECK(offered == Approx(q.offered.mean));
}

TEST_CASE("With overflow rules, every counted customer still has exactly one outcome",
          "[simulation][overflow]") {
  // Few agents, so that every rule fires: deflection offers on a long queue, callbacks after a
  // wait (some dial-backs unanswered, retried once), and voicemail for the rest.
  using Trigger = OverflowRule::Trigger;
  using Action = OverflowRule::Action;
  SimulationConfig config = Small();
  config.agents[0].count = 12;
  config.queues[0].overflow = {
      {.trigger = Trigger::kQueueLength, .queue_length = 4, .action = Action::kDeflect,
       .target = "web"},
      {.trigger = Trigger::kWait, .wait = absl::Seconds(60), .action = Action::kCallback,
       .callback = {.retries = 1, .retry_after = absl::Minutes(5)}},
      {.trigger = Trigger::kWait, .wait = absl::Seconds(150), .action = Action::kVoicemail}};
  config.responses["q"] = {{.accept = 0.3}, {.accept = 0.5, .answer = 0.7}};
  absl::StatusOr<SimulationResult> result = Simulate(config);
  REQUIRE(result.ok());
  const Kpis& q = result->queues.at("q");
  CHECK(q.deflected.mean > 0);
  CHECK(q.callbacks.mean > 0);
  CHECK(q.callbacks_failed.mean > 0);
  CHECK(q.voicemail.mean > 0);
  CHECK(q.answered.mean + q.abandoned.mean + q.deflected.mean + q.voicemail.mean +
            q.callbacks_failed.mean ==
        Approx(q.offered.mean));
  CHECK(q.overflowed.mean == Approx(q.deflected.mean + q.voicemail.mean + q.callbacks.mean));
  CHECK(q.callbacks_connected.mean + q.callbacks_failed.mean == Approx(q.callbacks.mean));
}

TEST_CASE("A customer ended by a later rule before answering an offer is not answered for",
          "[simulation][overflow][regression]") {
  // Both rules fall due at 60 s: the customer is asked, then sent to voicemail at once; the
  // simulated answer must not act on the ended contact.
  using Trigger = OverflowRule::Trigger;
  using Action = OverflowRule::Action;
  SimulationConfig config = Small();
  config.agents[0].count = 10;
  config.queues[0].overflow = {
      {.trigger = Trigger::kWait, .wait = absl::Seconds(60), .action = Action::kDeflect,
       .target = "web"},
      {.trigger = Trigger::kWait, .wait = absl::Seconds(60), .action = Action::kVoicemail}};
  config.responses["q"] = {{.accept = 0.5}};
  absl::StatusOr<SimulationResult> result = Simulate(config);
  REQUIRE(result.ok());
  const Kpis& q = result->queues.at("q");
  REQUIRE(q.voicemail.mean > 0);
  CHECK(q.deflected.mean == 0);
  CHECK(q.answered.mean + q.abandoned.mean + q.voicemail.mean == Approx(q.offered.mean));
}

TEST_CASE("Customers accept offers and answer dial-backs with the scenario's probabilities",
          "[simulation][overflow]") {
  using Trigger = OverflowRule::Trigger;
  using Action = OverflowRule::Action;
  // One agent kept busy: nearly every caller is asked, and 30 % accept the web.
  SimulationConfig deflect = Small();
  deflect.replications = 20;
  deflect.agents[0].count = 1;
  deflect.traffic[0].handle = Distribution::Constant(1e6);
  deflect.traffic[0].patience = Distribution::None();
  deflect.queues[0].overflow = {{.trigger = Trigger::kQueueLength, .queue_length = 0,
                                 .action = Action::kDeflect, .target = "web"}};
  deflect.responses["q"] = {{.accept = 0.3}};
  absl::StatusOr<SimulationResult> deflected = Simulate(deflect);
  REQUIRE(deflected.ok());
  const Kpis& d = deflected->queues.at("q");
  CHECK(d.deflected.mean / d.offered.mean == Approx(0.3).margin(0.03));

  // Every caller accepts a callback at once; half answer the one dial-back.
  SimulationConfig callback = Small();
  callback.replications = 20;
  callback.queues[0].overflow = {{.trigger = Trigger::kQueueLength, .queue_length = 0,
                                  .action = Action::kCallback}};
  callback.agents[0].count = 10;
  callback.responses["q"] = {{.answer = 0.5}};
  absl::StatusOr<SimulationResult> called = Simulate(callback);
  REQUIRE(called.ok());
  const Kpis& c = called->queues.at("q");
  REQUIRE(c.callbacks.mean > 100);
  CHECK(c.callbacks_connected.mean / c.callbacks.mean == Approx(0.5).margin(0.05));
  CHECK(c.abandoned.mean == 0);  // whoever waits is called back: off the line, no patience
}

TEST_CASE("Entry rules place each attribute set of a stream, in its share", "[simulation][routes]") {
  SimulationConfig config = Small();
  config.replications = 10;
  config.queues = {{.id = "english"}, {.id = "japanese"}};
  config.routes = {{.when = R"(language == "ja")", .queue = "japanese", .priority_class = 1},
                   {.when = R"(ivr == "balance")", .deflect = "web"},
                   {.queue = "english"}};
  config.traffic[0].queue.clear();
  config.traffic[0].attributes = {{.share = 0.6, .attributes = {{"language", "en"}}},
                                  {.share = 0.3, .attributes = {{"language", "ja"}}},
                                  {.share = 0.1, .attributes = {{"ivr", "balance"}}}};
  absl::StatusOr<SimulationResult> result = Simulate(config);
  REQUIRE(result.ok());
  const double total = result->overall.offered.mean;
  CHECK(result->queues.at("english").offered.mean / total == Approx(0.6).margin(0.03));
  CHECK(result->queues.at("japanese").offered.mean / total == Approx(0.3).margin(0.03));
  // Deflected at entry: counted overall, in no queue.
  CHECK(result->overall.deflected.mean / total == Approx(0.1).margin(0.02));
  CHECK(result->queues.at("english").deflected.mean == 0);
  CHECK(result->overall.answered.mean + result->overall.abandoned.mean +
            result->overall.deflected.mean ==
        Approx(total));
  // Class 1 goes first: Japanese callers wait less.
  CHECK(result->queues.at("japanese").asa_s.mean < result->queues.at("english").asa_s.mean);
}

TEST_CASE("A route's own requirement sends its contacts only to the agents meeting it",
          "[simulation][routes]") {
  // 15 Erlangs of platinum customers on 16 agents, 2 of them on the VIP desk.
  SimulationConfig config = Small();
  config.agents = {{.name = "plain", .count = 14},
                   {.name = "desk", .count = 2, .skills = {{"vip", 1}}}};
  config.routes = {{.when = R"(tier == "platinum")", .queue = "q"}};
  config.traffic[0].queue.clear();
  config.traffic[0].attributes = {{.attributes = {{"tier", "platinum"}}}};
  absl::StatusOr<SimulationResult> anyone = Simulate(config);
  config.routes[0].requirement = "vip >= 1";
  absl::StatusOr<SimulationResult> desk = Simulate(config);
  REQUIRE(anyone.ok());
  REQUIRE(desk.ok());
  const Kpis& a = anyone->queues.at("q");
  const Kpis& d = desk->queues.at("q");
  CHECK(a.answered.mean / a.offered.mean > 0.8);
  // Two agents answer about 2 x 3600 / 150 = 48 an hour of the 360 who call.
  CHECK(d.answered.mean / d.offered.mean == Approx(48.0 / 360).margin(0.05));
}

TEST_CASE("Customers who abandon call again with the stream's probability",
          "[simulation][routes]") {
  SimulationConfig config = Small();
  config.replications = 10;
  config.agents[0].count = 12;  // enough abandonments to count
  absl::StatusOr<SimulationResult> without = Simulate(config);
  config.traffic[0].redial = {.probability = 0.5, .after = Distribution::Exponential(300)};
  absl::StatusOr<SimulationResult> with = Simulate(config);
  REQUIRE(without.ok());
  REQUIRE(with.ok());
  const Kpis& q = with->queues.at("q");
  REQUIRE(q.abandoned.mean > 50);
  // About half of those who abandon come back (fewer: the last ones fall after the period).
  CHECK(q.redials.mean / q.abandoned.mean == Approx(0.5).margin(0.1));
  CHECK(q.offered.mean == Approx(without->queues.at("q").offered.mean + q.redials.mean)
                              .margin(3 * q.offered.ci95));
  CHECK(without->queues.at("q").redials.mean == 0);
}

TEST_CASE("First attempts and redials are counted apart, and customers served once",
          "[simulation][routes][redials]") {
  SimulationConfig config = Small();
  config.replications = 1;  // the relations below hold in every replication exactly
  config.agents[0].count = 12;
  std::optional<Kpis> without_redials;
  for (const double probability : {0.0, 1.0}) {
    config.traffic[0].redial = {.probability = probability,
                                .after = Distribution::Exponential(120)};
    absl::StatusOr<SimulationResult> result = Simulate(config);
    REQUIRE(result.ok());
    for (const Kpis* k : {&result->queues.at("q"), &result->overall,
                          &result->intervals[1].overall}) {
      INFO("redial probability " << probability);
      CHECK(k->offered.mean == k->first_attempts.mean + k->redials.mean);
      CHECK(k->customers_served.mean <= k->first_attempts.mean);
    }
    const Kpis& q = result->queues.at("q");
    CHECK(q.customers_served.mean <= q.answered.mean);
    if (probability == 0) {
      CHECK(q.redials.mean == 0);
      CHECK(q.first_attempts.mean == q.offered.mean);
      CHECK(q.customers_served.mean == q.answered.mean);
      without_redials = q;
    } else {
      REQUIRE(q.abandoned.mean > 50);
      CHECK(q.redials.mean > 0.8 * q.abandoned.mean);  // all but the last ones call again
      // The arrival stream does not depend on redials: the same first calls.
      CHECK(q.first_attempts.mean == without_redials->first_attempts.mean);
      // Warm-up customers answered on a redial in the measured period are not counted.
      CHECK(q.customers_served.mean < q.answered.mean);
    }
  }
}

TEST_CASE("Customers of the warm-up answered on a later call are not customers served",
          "[simulation][redials]") {
  // Nobody answers during the 30-minute warm-up: its customers (0.1/s, about 180) give up
  // after 10 s and call again 50 s later, over and over, until the agents log in at its end;
  // then each is answered once, on a call counted in `answered` but not as a customer served.
  SimulationConfig config = Small();
  config.replications = 1;
  config.traffic[0].patience = Distribution::Constant(10);
  config.traffic[0].redial = {.probability = 1, .after = Distribution::Constant(50)};
  config.agents[0].shift_start = absl::Minutes(30);
  absl::StatusOr<SimulationResult> result = Simulate(config);
  REQUIRE(result.ok());
  const Kpis& q = result->queues.at("q");
  const double warmup_customers = q.answered.mean - q.customers_served.mean;
  CHECK(warmup_customers == Approx(180).margin(45));  // Poisson: sd 13
  CHECK(q.offered.mean == q.first_attempts.mean + q.redials.mean);
  CHECK(q.customers_served.mean <= q.first_attempts.mean);
  // Warm-up customers redial into the measured period: more redials than its abandonments
  // alone would give.
  CHECK(q.redials.mean > q.abandoned.mean);
}

TEST_CASE("A requirement step lets more agents take the contacts that waited",
          "[simulation][steps]") {
  // 15 Erlangs for 6 experts: without the step most customers give up; with it, the 12 novices
  // take whoever waited 20 s, and all but a few are answered, none much later than 20 s.
  SimulationConfig config = Small();
  config.queues[0].requirement = "support >= 5";
  config.agents = {{.name = "expert", .count = 6, .skills = {{"support", 5}}},
                   {.name = "novice", .count = 12, .skills = {{"support", 2}}}};
  absl::StatusOr<SimulationResult> strict = Simulate(config);
  config.queues[0].steps = {{.after = absl::Seconds(20), .requirement = "support >= 1"}};
  absl::StatusOr<SimulationResult> relaxed = Simulate(config);
  REQUIRE(strict.ok());
  REQUIRE(relaxed.ok());
  const Kpis& before = strict->queues.at("q");
  const Kpis& after = relaxed->queues.at("q");
  CHECK(before.abandon_rate.mean > 0.4);
  CHECK(after.abandon_rate.mean < 0.2);
  CHECK(after.answered.mean + after.abandoned.mean == after.offered.mean);
  CHECK(after.asa_s.mean < 20);
  CHECK(after.max_wait_s.mean < 120);
}

TEST_CASE("Reserve agents take the queue's contacts only while its reserve policy says so",
          "[simulation][reserve]") {
  // 11 Erlangs for 10 regular agents: customers wait long and many give up. 4 reserve agents
  // stand by; without a policy they never take a contact, and the results are those of the
  // regular agents alone (common random numbers); with one activated by a 30 s oldest wait
  // they work and customers wait far less.
  SimulationConfig config = Small();
  config.traffic[0].arrivals = Arrivals::Constant(11.0 / 180);
  config.traffic[0].handle = Distribution::Exponential(180);
  config.traffic[0].patience = Distribution::Exponential(300);
  config.agents = {{.name = "regular", .count = 10}};
  absl::StatusOr<SimulationResult> alone = Simulate(config);
  config.agents.push_back({.name = "reserve", .count = 4, .reserve_for = {"q"}});
  absl::StatusOr<SimulationResult> idle = Simulate(config);
  config.queues[0].reserve =
      ReservePolicy{.activate_wait = absl::Seconds(30), .deactivate_wait = absl::Seconds(5)};
  absl::StatusOr<SimulationResult> working = Simulate(config);
  REQUIRE(alone.ok());
  REQUIRE(idle.ok());
  REQUIRE(working.ok());
  const Kpis& a = alone->queues.at("q");
  const Kpis& i = idle->queues.at("q");
  const Kpis& w = working->queues.at("q");
  CHECK(i.answered.mean == a.answered.mean);
  CHECK(i.asa_s.mean == Approx(a.asa_s.mean));
  // Busy time: the reserve group's share is 0 without a policy, clearly above with one.
  const double busy_alone = alone->occupancy.mean * 10;
  CHECK(idle->occupancy.mean * 14 == Approx(busy_alone));
  CHECK(working->occupancy.mean * 14 > busy_alone + 0.5);  // by about 1.2 agents
  CHECK(a.asa_s.mean > 30);
  CHECK(w.asa_s.mean < a.asa_s.mean / 2);
  CHECK(w.service_level.mean > a.service_level.mean + 0.15);
  CHECK(w.abandon_rate.mean < a.abandon_rate.mean / 2);
  CHECK(w.asa_s.mean < 30);  // the activation wait
}

TEST_CASE("Queues after one with steps keep their own results", "[simulation][steps]") {
  // A step takes an engine queue index of its own; the results stay by scenario queue.
  SimulationConfig config = Small();
  config.queues = {{.id = "a", .steps = {{.after = absl::Seconds(20), .requirement = ""}}},
                   {.id = "b"},
                   {.id = "c"}};
  config.traffic[0].queue = "b";
  absl::StatusOr<SimulationResult> result = Simulate(config);
  REQUIRE(result.ok());
  CHECK(result->queues.at("a").offered.mean == 0);
  CHECK(result->queues.at("b").offered.mean == Approx(720).epsilon(0.1));
  CHECK(result->queues.at("c").offered.mean == 0);
}

TEST_CASE("Agents who take time to answer add it to the wait", "[simulation]") {
  SimulationConfig config = Small();
  config.traffic[0].patience = Distribution::None();
  config.agents[0].count = 40;  // nobody waits for an agent
  absl::StatusOr<SimulationResult> at_once = Simulate(config);
  config.answer_delay = absl::Seconds(5);
  absl::StatusOr<SimulationResult> after_5s = Simulate(config);
  REQUIRE(at_once.ok());
  REQUIRE(after_5s.ok());
  CHECK(at_once->overall.asa_s.mean < 0.5);
  CHECK(after_5s->overall.asa_s.mean == Approx(5.0).margin(0.5));
}

TEST_CASE("Offers nobody answers ring out and customers abandon", "[simulation]") {
  SimulationConfig config = Small();
  config.no_answer_probability = 1;
  absl::StatusOr<SimulationResult> result = Simulate(config);
  REQUIRE(result.ok());
  CHECK(result->overall.answered.mean == 0);
  CHECK(result->overall.abandoned.mean == result->overall.offered.mean);
}

TEST_CASE("Agents work only during their shift", "[simulation]") {
  SimulationConfig config = Small();
  config.warmup = absl::ZeroDuration();
  config.agents[0].shift_end = absl::Hours(1);  // nobody in the second hour
  absl::StatusOr<SimulationResult> result = Simulate(config);
  REQUIRE(result.ok());
  const auto& intervals = result->intervals;
  REQUIRE(intervals.size() == 4);
  CHECK(intervals[0].overall.answered.mean > 0);
  CHECK(intervals[3].overall.answered.mean == 0);
  CHECK(intervals[3].overall.abandoned.mean == intervals[3].overall.offered.mean);
}

TEST_CASE("A break that ends with the shift does not bring the agent back", "[simulation]") {
  SimulationConfig config = Small();
  config.warmup = absl::ZeroDuration();
  config.traffic[0].patience = Distribution::None();
  config.agents[0].shift_end = absl::Hours(1);
  config.agents[0].breaks = {{absl::Minutes(59), absl::Minutes(1)}};  // most are mid-call
  absl::StatusOr<SimulationResult> result = Simulate(config);
  REQUIRE(result.ok());
  CHECK(result->intervals[3].overall.answered.mean == 0);
}

TEST_CASE("Bad configurations are refused before anything runs", "[simulation][errors]") {
  SimulationConfig config = Small();
  config.traffic[0].queue = "nope";
  CHECK(Simulate(config).status().code() == absl::StatusCode::kInvalidArgument);
  config = Small();
  config.traffic[0].arrivals = Arrivals::Constant(-1);
  CHECK(Simulate(config).status().code() == absl::StatusCode::kInvalidArgument);
  config = Small();
  config.traffic[0].handle = Distribution::Lognormal(100, 0);
  CHECK(Simulate(config).status().code() == absl::StatusCode::kInvalidArgument);
  config = Small();
  config.replications = 0;
  CHECK(Simulate(config).status().code() == absl::StatusCode::kInvalidArgument);
  config = Small();
  config.no_answer_probability = 2;
  CHECK(Simulate(config).status().code() == absl::StatusCode::kInvalidArgument);
  config = Small();
  config.interval = absl::Nanoseconds(100);  // below the engine's microsecond
  CHECK(Simulate(config).status().code() == absl::StatusCode::kInvalidArgument);
  config = Small();
  config.agents[0].shift_end = absl::Hours(1);
  config.agents[0].breaks = {{absl::Minutes(50), absl::Minutes(15)}};  // past the shift
  CHECK(Simulate(config).status().code() == absl::StatusCode::kInvalidArgument);
  config = Small();
  config.agents[0].reserve_for = {"nope"};
  CHECK(Simulate(config).status().message() == "agents 'agent': reserve_for: unknown queue 'nope'");
  config.agents[0].reserve_for = {"q", "q"};
  CHECK(Simulate(config).status().message() ==
        "agents 'agent': reserve_for: queue 'q' is listed twice");
}

TEST_CASE("Distributions keep their means", "[simulation]") {
  for (const Distribution& handle :
       {Distribution::Constant(120), Distribution::Lognormal(120, 60),
        Distribution::Gamma(120, 80), Distribution::Empirical({60, 120, 180})}) {
    SimulationConfig config = Small();
    config.traffic[0].handle = handle;
    config.traffic[0].patience = Distribution::None();
    config.agents[0].count = 30;
    absl::StatusOr<SimulationResult> result = Simulate(config);
    REQUIRE(result.ok());
    INFO(DistributionName(handle.kind));
    CHECK(result->overall.aht_s.mean == Approx(120).epsilon(0.06));
  }
}

}  // namespace
}  // namespace switchboard
