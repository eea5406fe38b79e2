// The simulator agrees with queueing theory where theory exists: Erlang C (M/M/N) and Erlang A
// (M/M/N+M), pooled and dedicated agent groups. Each check allows three confidence half-widths
// (a false alarm about once in 400 checks for a fixed seed) and also requires the half-width to
// be small, so that agreement means something.
#include <cmath>
#include <string>

#include <catch2/catch.hpp>

#include "switchboard/erlang.h"
#include "switchboard/sim.h"

namespace switchboard {
namespace {

void CheckAgrees(const char* what, const Metric& simulated, double theory, double max_ci) {
  INFO(what << ": simulated " << simulated.mean << " ± " << simulated.ci95 << ", theory "
            << theory);
  CHECK(simulated.ci95 <= max_ci);
  CHECK(std::abs(simulated.mean - theory) <= 3 * simulated.ci95 + 1e-9);
}

SimulationConfig OneQueue(double calls_per_hour, double aht_s, int agents) {
  SimulationConfig config;
  config.seed = 20261123;
  config.duration = absl::Hours(8);
  config.warmup = absl::Hours(1);
  config.replications = 50;
  config.queues.push_back({.id = "q", .service_level_threshold = absl::Seconds(15)});
  config.traffic.push_back({.queue = "q",
                            .arrivals = Arrivals::Constant(calls_per_hour / 3600),
                            .handle = Distribution::Exponential(aht_s)});
  config.agents.push_back({.name = "agent", .count = agents});
  return config;
}

// Sales and support, 360 calls/h each, AHT 240 s, each needing its own skill; agents to add.
SimulationConfig TwoQueues() {
  SimulationConfig config = OneQueue(0, 240, 1);
  config.queues = {
      {.id = "sales", .requirement = "sales", .service_level_threshold = absl::Seconds(15)},
      {.id = "support", .requirement = "support", .service_level_threshold = absl::Seconds(15)}};
  config.traffic = {{.queue = "sales",
                     .arrivals = Arrivals::Constant(0.1),
                     .handle = Distribution::Exponential(240)},
                    {.queue = "support",
                     .arrivals = Arrivals::Constant(0.1),
                     .handle = Distribution::Exponential(240)}};
  config.agents.clear();
  return config;
}

TEST_CASE("M/M/N matches Erlang C on the published worked example", "[simulation][theory]") {
  // 720 calls/h, AHT 240 s, 55 agents, 15 s: P(wait) 0.2387, ASA 8.18 s, SL 0.846.
  const SimulationConfig config = OneQueue(720, 240, 55);
  absl::StatusOr<SimulationResult> result = Simulate(config, {.threads = 2});
  REQUIRE(result.ok());
  absl::StatusOr<ErlangCResult> theory = ErlangC(0.2, 240, 55, 15);
  REQUIRE(theory.ok());
  CHECK(theory->p_wait == Approx(0.2387).epsilon(0.001));
  const Kpis& q = result->queues.at("q");
  CheckAgrees("p_wait", q.p_wait, theory->p_wait, 0.03);
  CheckAgrees("asa_s", q.asa_s, theory->asa_s, 1.5);
  CheckAgrees("service_level", q.service_level, theory->service_level, 0.02);
  CheckAgrees("mean_queue_length", q.mean_queue_length, theory->mean_queue_length, 0.4);
  CheckAgrees("occupancy", result->occupancy, theory->occupancy, 0.01);
  CHECK(q.abandoned.mean == 0);
  CHECK(q.aht_s.mean == Approx(240).epsilon(0.02));
}

TEST_CASE("The estimated wait is unbiased on M/M/N", "[simulation][theory][ewt]") {
  // 720 calls/h, AHT 240 s, 51 agents (94 % occupancy): contacts told (k + 1) x the measured
  // time between serves wait that long on average; an estimate of 0, or of the mean wait for
  // all, would be off by the whole mean wait.
  const SimulationConfig config = OneQueue(720, 240, 51);
  absl::StatusOr<SimulationResult> result = Simulate(config, {.threads = 2});
  REQUIRE(result.ok());
  absl::StatusOr<ErlangCResult> theory = ErlangC(0.2, 240, 51, 15);
  REQUIRE(theory.ok());
  const Kpis& q = result->queues.at("q");
  CheckAgrees("asa_s", q.asa_s, theory->asa_s, 10);
  INFO("ewt bias " << q.ewt_bias_s.mean << " s, error " << q.ewt_error_s.mean << " s, ASA "
                   << q.asa_s.mean << " s");
  CHECK(std::abs(q.ewt_bias_s.mean) <= 0.1 * q.asa_s.mean);
  CHECK(q.ewt_error_s.mean < 0.5 * q.asa_s.mean);
}

TEST_CASE("M/M/N+M matches Erlang A", "[simulation][theory]") {
  SimulationConfig config = OneQueue(720, 240, 48);  // overloaded without abandonment
  config.traffic[0].patience = Distribution::Exponential(120);
  absl::StatusOr<SimulationResult> result = Simulate(config, {.threads = 2});
  REQUIRE(result.ok());
  absl::StatusOr<ErlangAResult> theory = ErlangA(0.2, 240, 120, 48, 15);
  REQUIRE(theory.ok());
  const Kpis& q = result->queues.at("q");
  CheckAgrees("abandon_rate", q.abandon_rate, theory->abandon_rate, 0.01);
  // p_wait counts answered contacts (SCENARIO.md); everyone who abandons had waited.
  const double p_wait_answered = (theory->p_wait - theory->abandon_rate) / (1 - theory->abandon_rate);
  CheckAgrees("p_wait", q.p_wait, p_wait_answered, 0.03);
  CheckAgrees("asa_s", q.asa_s, theory->asa_s, 3);
  CheckAgrees("mean_queue_length", q.mean_queue_length, theory->mean_queue_length, 0.5);
  CHECK(q.abandoned.mean > 0);
}

TEST_CASE("Two queues served by fully cross-skilled agents behave as one pooled group",
          "[simulation][theory]") {
  SimulationConfig config = TwoQueues();
  config.agents = {{.name = "both", .count = 55, .skills = {{"sales", 1}, {"support", 1}}}};
  absl::StatusOr<SimulationResult> result = Simulate(config, {.threads = 2});
  REQUIRE(result.ok());
  absl::StatusOr<ErlangCResult> pooled = ErlangC(0.2, 240, 55, 15);
  REQUIRE(pooled.ok());
  CheckAgrees("overall p_wait", result->overall.p_wait, pooled->p_wait, 0.03);
  CheckAgrees("overall asa_s", result->overall.asa_s, pooled->asa_s, 1.5);
  // Served in one order across both queues, each queue sees the pooled wait.
  CheckAgrees("sales p_wait", result->queues.at("sales").p_wait, pooled->p_wait, 0.04);
  CheckAgrees("support p_wait", result->queues.at("support").p_wait, pooled->p_wait, 0.04);
}

TEST_CASE("Dedicated agent pools behave as independent groups", "[simulation][theory]") {
  SimulationConfig config = TwoQueues();
  config.agents = {{.name = "sales", .count = 28, .skills = {{"sales", 1}}},
                   {.name = "support", .count = 30, .skills = {{"support", 1}}}};
  absl::StatusOr<SimulationResult> result = Simulate(config, {.threads = 2});
  REQUIRE(result.ok());
  absl::StatusOr<ErlangCResult> sales = ErlangC(0.1, 240, 28, 15);
  absl::StatusOr<ErlangCResult> support = ErlangC(0.1, 240, 30, 15);
  REQUIRE(sales.ok());
  REQUIRE(support.ok());
  CheckAgrees("sales p_wait", result->queues.at("sales").p_wait, sales->p_wait, 0.04);
  CheckAgrees("sales asa_s", result->queues.at("sales").asa_s, sales->asa_s, 5);
  CheckAgrees("support p_wait", result->queues.at("support").p_wait, support->p_wait, 0.04);
  CheckAgrees("support asa_s", result->queues.at("support").asa_s, support->asa_s, 5);
}

}  // namespace
}  // namespace switchboard
