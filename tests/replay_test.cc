// Replaying a day: a log the simulator wrote, replayed with the scenario it was recorded under,
// reproduces its waits; more agents shorten them; the patience fit accounts for censoring; the
// command line refuses a malformed log with one line naming the line and the column.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "cli_run.h"
#include "sim/kpi_fields.h"
#include "switchboard/contact_log.h"
#include "switchboard/replay.h"
#include "switchboard/scenario.h"
#include "switchboard/sim.h"

namespace switchboard {
namespace {

const std::string kExamples = std::string(SWITCHBOARD_SOURCE_DIR) + "/examples";

SimulationConfig Load(const std::string& path) {
  absl::StatusOr<SimulationConfig> config = LoadScenarioFile(path);
  REQUIRE(config.ok());
  return *std::move(config);
}

std::vector<ContactRecord> Logged(const SimulationConfig& config) {
  absl::StatusOr<SimulationResult> day = Simulate(config, {.record_contacts = true});
  REQUIRE(day.ok());
  return day->contacts;
}

// The tolerance docs/planning.md states for replaying a log with the staffing it was recorded
// under.
// The KPIs computed from a log equal the simulation's that wrote it: the same definitions.
void CheckLogMatchesSimulation(const Kpis& logged, const Kpis& simulated) {
  CHECK(logged.offered.mean == simulated.offered.mean);
  CHECK(logged.answered.mean == simulated.answered.mean);
  CHECK(logged.service_level.mean == Approx(simulated.service_level.mean).epsilon(1e-12));
  CHECK(logged.asa_s.mean == Approx(simulated.asa_s.mean).epsilon(1e-9));
  CHECK(logged.max_wait_s.mean == Approx(simulated.max_wait_s.mean).epsilon(1e-9));
  CHECK(logged.mean_queue_length.mean == Approx(simulated.mean_queue_length.mean).epsilon(1e-6));
  CHECK(logged.aht_s.mean == Approx(simulated.aht_s.mean).epsilon(1e-9));
  CHECK(logged.redials.mean == simulated.redials.mean);
  CHECK(logged.customers_served.mean == simulated.customers_served.mean);
}

void CheckReproduces(const ReplayResult& replay) {
  const ReplayAgreement& a = replay.agreement;
  INFO("same outcome " << a.same_outcome << " of " << a.contacts << "; mean |difference| "
                       << a.mean_abs_wait_difference_s << " s; within 1 s " << a.within_1s);
  REQUIRE(a.compared > 100);
  CHECK(a.mean_abs_wait_difference_s <= 0.5);
  CHECK(a.within_1s >= 0.99);
  CHECK(static_cast<double>(a.same_outcome) >= 0.99 * static_cast<double>(a.contacts));
  const Kpis& logged = replay.logged.overall;
  const Kpis& replayed = replay.replayed.overall;
  CHECK(replayed.offered.mean == logged.offered.mean);
  CHECK(replayed.answered.mean == Approx(logged.answered.mean).epsilon(0.01));
  CHECK(replayed.abandoned.mean == Approx(logged.abandoned.mean).margin(0.01 * logged.offered.mean));
  CHECK(replayed.service_level.mean == Approx(logged.service_level.mean).margin(0.01));
  CHECK(replayed.asa_s.mean == Approx(logged.asa_s.mean).margin(0.5));
  CHECK(replayed.first_attempts.mean == logged.first_attempts.mean);
}

TEST_CASE("A simulated day replayed with its own scenario reproduces its waits and KPIs",
          "[replay]") {
  SimulationConfig config = Load(kExamples + "/planning/replay_center.toml");
  const std::vector<ContactRecord> log = Logged(config);
  // Another seed than the recording's (23): without overflow offers only the censored
  // patience draws depend on it.
  absl::StatusOr<ReplayResult> replay = Replay(config, log, {.replications = 5, .seed = 99});
  REQUIRE(replay.ok());
  CheckReproduces(*replay);
  // The log's own KPIs are the simulation's: the same definitions.
  absl::StatusOr<SimulationResult> day = Simulate(config);
  REQUIRE(day.ok());
  CheckLogMatchesSimulation(replay->logged.overall, day->overall);
  CHECK(replay->replayed.replications == 5);
  CHECK(replay->replayed.overall.offered.ci95 == 0);  // replications differ only in patience
}

TEST_CASE("A callback's wait is its time on the line; its answer and queue times are apart",
          "[contact_log]") {
  absl::StatusOr<SimulationConfig> config =
      LoadScenarioFile(kExamples + "/scenarios/lunch_callbacks.toml");
  REQUIRE(config.ok());
  config->replications = 1;
  absl::StatusOr<SimulationResult> day = Simulate(*config, {.record_contacts = true});
  REQUIRE(day.ok());
  const double offer_s = 90;  // the callback rule's `wait`
  int callbacks = 0;
  for (const ContactRecord& r : day->contacts) {
    if (r.outcome != LoggedOutcome::kAnswered || *r.answered_s == r.wait_s) continue;
    ++callbacks;  // a connected callback: offered at 90 s, accepted, answered later
    CHECK(r.wait_s == Approx(offer_s).margin(1e-6));
    CHECK(*r.answered_s > r.wait_s);
    CHECK(*r.queued_s >= r.wait_s);
  }
  CHECK(callbacks > 50);
  absl::StatusOr<std::vector<ContactRecord>> back =
      ParseContactLog(ContactLogToCsv(day->contacts), "cb.csv");
  REQUIRE(back.ok());
  for (size_t i = 0; i < back->size(); ++i) {
    const ContactRecord& a = day->contacts[i];
    const ContactRecord& b = (*back)[i];
    CHECK(b.answered_s.value_or(b.wait_s) == Approx(a.answered_s.value_or(a.wait_s)).margin(1e-6));
    CHECK(b.queued_s.value_or(b.wait_s) == Approx(a.queued_s.value_or(a.wait_s)).margin(1e-6));
  }
}

TEST_CASE("With callbacks the log's KPIs are simulate's, and patience is the time on the line",
          "[replay]") {
  SimulationConfig config = Load(kExamples + "/scenarios/lunch_callbacks.toml");
  config.replications = 1;
  const std::vector<ContactRecord> log = Logged(config);
  absl::StatusOr<ReplayResult> replay = Replay(config, log);
  REQUIRE(replay.ok());
  absl::StatusOr<SimulationResult> day = Simulate(config);
  REQUIRE(day.ok());
  CheckLogMatchesSimulation(replay->logged.overall, day->overall);
  // The customers' patience: exponential, mean 300 s. Counting a callback's time off the line
  // as waiting would put the fit near 342 s.
  CHECK(replay->patience.mean_s == Approx(300).epsilon(0.08));
}

TEST_CASE("A customer the log shows deflected or called back accepts that offer in a replay",
          "[replay]") {
  SimulationConfig config = Load(kExamples + "/scenarios/lunch_callbacks.toml");
  config.replications = 1;
  const std::vector<ContactRecord> log = Logged(config);
  // The recording's seed reproduces the log exactly; another redraws the declines only.
  absl::StatusOr<ReplayResult> same = Replay(config, log);
  REQUIRE(same.ok());
  CHECK(same->agreement.same_outcome == same->agreement.contacts);
  absl::StatusOr<ReplayResult> other = Replay(config, log, {.seed = 5});
  REQUIRE(other.ok());
  int64_t deflected = 0, still = 0;
  for (size_t i = 0; i < log.size(); ++i) {
    if (log[i].outcome != LoggedOutcome::kDeflected) continue;
    ++deflected;
    still += other->replayed.contacts[i].outcome == LoggedOutcome::kDeflected;
  }
  INFO(still << " of " << deflected << " deflected again; same outcome "
             << other->agreement.same_outcome << " of " << other->agreement.contacts);
  REQUIRE(deflected > 50);
  // Drawing every answer anew: 44 of 139 and 3350 of 3615 (the offers themselves differ once
  // one customer answers differently, so the log's deflections are not all offered again).
  CHECK(static_cast<double>(still) >= 0.5 * static_cast<double>(deflected));
  CHECK(static_cast<double>(other->agreement.same_outcome) >=
        0.94 * static_cast<double>(other->agreement.contacts));
}

TEST_CASE("Entry rules, a warm-up and several queues replay too", "[replay]") {
  // Contacts without a queue in the log: the scenario's [[route]] rules place them again.
  SimulationConfig config = Load(kExamples + "/scenarios/ivr_bilingual.toml");
  config.replications = 1;
  const std::vector<ContactRecord> log = Logged(config);
  bool routed = false;
  for (const ContactRecord& r : log) routed |= r.queue.empty() && !r.attributes.empty();
  REQUIRE(routed);
  absl::StatusOr<ReplayResult> replay = Replay(config, log, {.seed = config.seed + 1});
  REQUIRE(replay.ok());
  CheckReproduces(*replay);
  for (const auto& [name, kpis] : replay->replayed.queues) {
    INFO(name);
    CHECK(kpis.offered.mean == replay->logged.queues.at(name).offered.mean);
    CHECK(kpis.customers_served.mean == replay->logged.queues.at(name).customers_served.mean);
    CHECK(kpis.redials.mean == replay->logged.queues.at(name).redials.mean);
  }
  CHECK(replay->logged.overall.redials.mean > 0);
}

TEST_CASE("With more agents the replayed waits drop", "[replay]") {
  SimulationConfig config = Load(kExamples + "/planning/replay_center.toml");
  const std::vector<ContactRecord> log = Logged(config);
  absl::StatusOr<ReplayResult> same = Replay(config, log);
  config.agents[0].count += 3;
  absl::StatusOr<ReplayResult> more = Replay(config, log, {.replications = 5});
  REQUIRE(same.ok());
  REQUIRE(more.ok());
  // The log's own KPIs do not depend on the replay (a skipped redial still counts where it
  // was logged).
  for (const detail::KpiField& field : detail::kKpiFields) {
    INFO(field.key);
    const double a = (same->logged.overall.*field.member).mean;
    const double b = (more->logged.overall.*field.member).mean;
    CHECK((a == b || (std::isnan(a) && std::isnan(b))));
  }
  const Kpis& logged = more->logged.overall;
  const Kpis& replayed = more->replayed.overall;
  // The same customers call first; redials of customers the replay served do not come.
  CHECK(replayed.first_attempts.mean == logged.first_attempts.mean);
  CHECK(replayed.redials.mean < logged.redials.mean);
  CHECK(replayed.asa_s.mean < 0.5 * logged.asa_s.mean);
  CHECK(replayed.abandoned.mean < logged.abandoned.mean);
  CHECK(replayed.service_level.mean > logged.service_level.mean + 0.1);
  CHECK(more->agreement.mean_abs_wait_difference_s > 1);
  // Fewer agents: longer waits.
  config.agents[0].count -= 5;
  absl::StatusOr<ReplayResult> fewer = Replay(config, log, {.replications = 5});
  REQUIRE(fewer.ok());
  CHECK(fewer->replayed.overall.asa_s.mean > logged.asa_s.mean);
}

TEST_CASE("The patience fit counts censored waits", "[replay][patience]") {
  // By hand: waits 30 (abandoned), 10 and 20 (answered: censored) -> 60 s / 1 abandonment.
  std::vector<ContactRecord> log(3);
  log[0].outcome = LoggedOutcome::kAbandoned;
  log[0].wait_s = 30;
  log[1].outcome = LoggedOutcome::kAnswered;
  log[1].wait_s = 10;
  log[2].outcome = LoggedOutcome::kAnswered;
  log[2].wait_s = 20;
  PatienceFit fit = FitPatience(log);
  CHECK(fit.mean_s == 60);
  CHECK(fit.abandoned == 1);
  CHECK(fit.contacts == 3);
  // A contact deflected on arrival never waited on the line: not an observation.
  log.emplace_back().outcome = LoggedOutcome::kDeflected;
  fit = FitPatience(log);
  CHECK(fit.contacts == 3);
  CHECK(fit.mean_s == 60);
  CHECK(FitPatience(log, PatienceMethod::kKaplanMeier).contacts == 3);
  log.pop_back();
  log[0].outcome = LoggedOutcome::kAnswered;
  CHECK(std::isinf(FitPatience(log).mean_s));  // nobody abandoned: nobody will

  // A heavily loaded day with exponential patience of mean 180 s: the fit finds it; the mean of
  // the abandoned customers' waits alone (censoring ignored) is far too short.
  SimulationConfig config = Load(kExamples + "/planning/replay_center.toml");
  config.duration = absl::Hours(8);
  config.agents[0].count = 18;
  const std::vector<ContactRecord> day = Logged(config);
  fit = FitPatience(day);
  REQUIRE(fit.abandoned > 300);
  CHECK(fit.mean_s == Approx(180).epsilon(0.12));
  double abandoned_waits = 0;
  for (const ContactRecord& r : day) {
    if (r.outcome == LoggedOutcome::kAbandoned) abandoned_waits += r.wait_s;
  }
  CHECK(abandoned_waits / static_cast<double>(fit.abandoned) < 0.6 * fit.mean_s);
}

TEST_CASE("Kaplan-Meier estimates the survival of patience from censored waits",
          "[replay][patience]") {
  // By hand: abandoned at 10, 20, 30; censored at 5 and 10 (a censored wait equal to an
  // abandonment time is still at risk): S(10) = 1 - 1/4, S(20) = S(10) (1 - 1/2), S(30) = 0.
  std::vector<ContactRecord> log(5);
  const std::pair<double, LoggedOutcome> rows[] = {{10, LoggedOutcome::kAbandoned},
                                                    {10, LoggedOutcome::kAnswered},
                                                    {20, LoggedOutcome::kAbandoned},
                                                    {5, LoggedOutcome::kAnswered},
                                                    {30, LoggedOutcome::kAbandoned}};
  for (size_t i = 0; i < log.size(); ++i) {
    log[i].wait_s = rows[i].first;
    log[i].outcome = rows[i].second;
  }
  const PatienceFit fit = FitPatience(log, PatienceMethod::kKaplanMeier);
  CHECK(fit.method == "kaplan_meier");
  REQUIRE(fit.survival.size() == 3);
  CHECK(fit.survival[0] == std::pair<double, double>(10, 0.75));
  CHECK(fit.survival[1] == std::pair<double, double>(20, 0.375));
  CHECK(fit.survival[2] == std::pair<double, double>(30, 0));
  CHECK(fit.median_s == 20);
  CHECK(fit.mean_s == 75.0 / 3);  // the exponential tail's

  // Exponential patience of mean 180 s: the median is 180 ln 2 = 124.8 s.
  SimulationConfig config = Load(kExamples + "/planning/replay_center.toml");
  config.duration = absl::Hours(8);
  config.agents[0].count = 18;
  const std::vector<ContactRecord> day = Logged(config);
  const PatienceFit busy = FitPatience(day, PatienceMethod::kKaplanMeier);
  CHECK(busy.median_s == Approx(180 * std::log(2.0)).epsilon(0.15));

  // Replayed with its own staffing, the day reproduces either way; with two more agents the
  // two methods agree on the abandonments (the patience is exponential).
  absl::StatusOr<ReplayResult> km =
      Replay(config, day, {.replications = 1, .patience = PatienceMethod::kKaplanMeier});
  REQUIRE(km.ok());
  CheckReproduces(*km);
  config.agents[0].count += 2;
  absl::StatusOr<ReplayResult> exponential = Replay(config, day, {.replications = 10});
  km = Replay(config, day, {.replications = 10, .patience = PatienceMethod::kKaplanMeier});
  REQUIRE(exponential.ok());
  REQUIRE(km.ok());
  CHECK(km->replayed.overall.abandoned.mean < 0.8 * km->logged.overall.abandoned.mean);
  CHECK(km->replayed.overall.abandoned.mean ==
        Approx(exponential->replayed.overall.abandoned.mean).epsilon(0.15));
}

TEST_CASE("A log row naming a queue the scenario lacks is refused with its line", "[replay]") {
  SimulationConfig config = Load(kExamples + "/planning/replay_center.toml");
  std::vector<ContactRecord> log(2);
  log[0].queue = "support";
  log[1].queue = "sales";
  absl::StatusOr<ReplayResult> replay = Replay(config, log);
  REQUIRE_FALSE(replay.ok());
  CHECK(replay.status().message() ==
        "contact log: line 3, column 'queue': queue 'sales' is not a queue of the scenario");
  log[1].queue = "support";
  log[1].priority = 999999999;
  replay = Replay(config, log);
  REQUIRE_FALSE(replay.ok());
  CHECK(replay.status().message() ==
        "contact log: line 3, column 'priority': 999999999 is outside -1000..1000");
  log[1].priority = 0;
  // Without a queue, the entry rules must place the contact.
  log[1].queue.clear();
  replay = Replay(config, log);
  REQUIRE_FALSE(replay.ok());
  CHECK(replay.status().message() ==
        "contact log: line 3, column 'queue': empty, and the scenario has no [[route]] to place "
        "the contact by its attributes");
  SimulationConfig routed = Load(kExamples + "/scenarios/ivr_bilingual.toml");
  REQUIRE(routed.routes.back().when.empty());
  routed.routes.pop_back();  // its default route, which places every contact
  for (TrafficConfig& traffic : routed.traffic) {  // what the remaining routes place
    if (traffic.queue.empty()) traffic.attributes = {{.attributes = {{"language", std::string("ja")}}}};
  }
  log[0].queue.clear();
  log[0].attributes = {{"language", std::string("ja")}};
  log[1].attributes = {{"language", std::string("klingon")}};
  replay = Replay(routed, log);
  REQUIRE_FALSE(replay.ok());
  CHECK(replay.status().message() ==
        "contact log: line 3, column 'attributes': no queue, and no [[route]] of the scenario "
        "matches these attributes");
}

TEST_CASE("A customer counts as served once, and only for an answer in the measured period",
          "[replay]") {
  SimulationConfig config = Load(kExamples + "/planning/replay_center.toml");
  std::vector<ContactRecord> log(4);
  for (ContactRecord& r : log) {
    r.queue = "support";
    r.handle_s = 60;
    r.outcome = LoggedOutcome::kAnswered;
  }
  // Customer 6 answered on two calls (a log built in code: the parser would want redial 1).
  log[0].customer = 6;
  log[0].arrival_s = 10;
  log[1].customer = 7;
  log[1].arrival_s = 100;
  log[1].outcome = LoggedOutcome::kAbandoned;
  log[1].wait_s = 5;
  log[2].customer = 6;
  log[2].arrival_s = 500;
  // Customer 7 answered only after the measured period (2 h): not served in it.
  log[3].customer = 7;
  log[3].redial = true;
  log[3].arrival_s = 7300;
  absl::StatusOr<ReplayResult> replay = Replay(config, log);
  REQUIRE(replay.ok());
  CHECK(replay->logged.overall.customers_served.mean == 1);
  // Customer 6 alone: the replay answers both calls, and counts the customer once.
  replay = Replay(config, std::vector<ContactRecord>{log[0], log[2]});
  REQUIRE(replay.ok());
  CHECK(replay->replayed.contacts[0].outcome == LoggedOutcome::kAnswered);
  CHECK(replay->replayed.contacts[1].outcome == LoggedOutcome::kAnswered);
  CHECK(replay->replayed.overall.customers_served.mean == 1);
  CHECK(replay->logged.overall.customers_served.mean == 1);
}

TEST_CASE("An unanswered row may leave handle_s empty: the replay draws it", "[replay]") {
  SimulationConfig config = Load(kExamples + "/planning/replay_center.toml");
  const std::string text =
      "arrival_s,queue,handle_s,outcome,wait_s\n"
      "10,support,,abandoned,30\n"
      "20,support,,answered,0\n";
  CHECK_FALSE(ParseContactLog(text, "d.csv").ok());  // an answered row needs its talk time
  absl::StatusOr<std::vector<ContactRecord>> log = ParseContactLog(
      "arrival_s,queue,handle_s,outcome,wait_s\n10,support,,abandoned,30\n", "d.csv");
  REQUIRE(log.ok());
  CHECK(std::isnan((*log)[0].handle_s));
  CHECK(ContactLogToCsv(*log).find(",voice,0,,abandoned,30,") != std::string::npos);
  // With idle agents the replay answers it at once, with a talk time from the scenario's
  // handle distribution (exponential, mean 240 s).
  absl::StatusOr<ReplayResult> replay = Replay(config, *log);
  REQUIRE(replay.ok());
  REQUIRE(replay->replayed.contacts[0].outcome == LoggedOutcome::kAnswered);
  const double handle_s = replay->replayed.contacts[0].handle_s;
  CHECK(handle_s > 0);
  CHECK(handle_s < 240 * 20);
  CHECK(replay->replayed.overall.aht_s.mean == Approx(handle_s + 15));  // plus its wrap-up
}

TEST_CASE("Replay errors and contacts.csv name the line a row was read from", "[replay]") {
  SimulationConfig config = Load(kExamples + "/planning/replay_center.toml");
  // Blank lines before the rows: they keep their own line numbers.
  const std::string text =
      "customer,redial,arrival_s,queue,attributes,channel,priority,handle_s,outcome,wait_s\n"
      "\n"
      "0,0,10,support,,voice,0,120,answered,0\n"
      "\n"
      "1,0,20,sales,,voice,0,120,answered,0\n";
  absl::StatusOr<std::vector<ContactRecord>> log = ParseContactLog(text, "monday.csv");
  REQUIRE(log.ok());
  CHECK((*log)[0].line == 3);
  CHECK((*log)[1].line == 5);
  absl::StatusOr<ReplayResult> replay = Replay(config, *log, {.log_name = "monday.csv"});
  REQUIRE_FALSE(replay.ok());
  CHECK(replay.status().message() ==
        "monday.csv: line 5, column 'queue': queue 'sales' is not a queue of the scenario");
  (*log)[1].queue = "support";
  replay = Replay(config, *log);
  REQUIRE(replay.ok());
  const std::string csv = ReplayContactsToCsv(*log, *replay);
  CHECK(csv.find("\n3,0,10,support,") != std::string::npos);
  CHECK(csv.find("\n5,1,20,support,") != std::string::npos);
}

TEST_CASE("switchboard replay: results, files, and one line for a malformed log",
          "[replay][cli]") {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / "switchboard_replay_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string scenario = kExamples + "/planning/replay_center.toml";
  const std::string log = (dir / "day.csv").string();
  Run simulate = RunArgs({"simulate", scenario, "--format", "json", "--contacts", log});
  REQUIRE(simulate.status == 0);
  Run replay = RunArgs({"replay", log, "--scenario", scenario, "--format", "json",
                        "--replications", "3", "--out", (dir / "out").string()});
  REQUIRE(replay.status == 0);
  CHECK(replay.out.find("\"method\":\"exponential_mle_censored\"") != std::string::npos);
  CHECK(replay.out.find("\"within_1s\":1") != std::string::npos);
  CHECK(std::filesystem::exists(dir / "out" / "results.json"));
  CHECK(std::filesystem::exists(dir / "out" / "contacts.csv"));
  CHECK(!std::filesystem::exists(dir / "out" / ".waits.json"));
  Run table = RunArgs({"replay", log, "--scenario", scenario, "--format", "table"});
  REQUIRE(table.status == 0);
  CHECK(table.out.find("patience: exponential, censored maximum likelihood") != std::string::npos);
  Run km = RunArgs({"replay", log, "--scenario", scenario, "--format", "json", "--patience",
                    "kaplan_meier"});
  REQUIRE(km.status == 0);
  CHECK(km.out.find("\"method\":\"kaplan_meier\"") != std::string::npos);
  CHECK(RunArgs({"replay", log, "--scenario", scenario, "--patience", "weibull"}).status == 2);

  // One malformed row among good ones: exit 2, one line naming the file, line and column.
  std::ifstream in(log);
  std::string header, first, second;
  std::getline(in, header);
  std::getline(in, first);
  std::getline(in, second);
  const std::string bad = (dir / "bad.csv").string();
  std::ofstream(bad) << header << "\n" << first << "\n" << "1,0,12,support,,voice,0,abc,answered,1,,,\n";
  Run refused = RunArgs({"replay", bad, "--scenario", scenario});
  CHECK(refused.status == 2);
  CHECK(refused.out.empty());
  CHECK(refused.err == bad + ": line 3, column 'handle_s': 'abc' is not a number of seconds >= 0\n");
  // A row the scenario cannot serve: the log's line and column, not the scenario's path.
  const std::string foreign = (dir / "foreign.csv").string();
  std::ofstream(foreign) << header << "\n\n" << first << "\n"
                         << "1,0,12,sales,,voice,0,60,answered,1,,,\n";
  refused = RunArgs({"replay", foreign, "--scenario", scenario});
  CHECK(refused.status == 2);
  CHECK(refused.err ==
        foreign + ": line 4, column 'queue': queue 'sales' is not a queue of the scenario\n");
  Run missing = RunArgs({"replay", (dir / "none.csv").string(), "--scenario", scenario});
  CHECK(missing.status == 2);
  Run no_scenario = RunArgs({"replay", log});
  CHECK(no_scenario.status == 2);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace switchboard
