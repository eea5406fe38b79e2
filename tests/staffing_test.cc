#include "switchboard/staffing.h"

#include <chrono>
#include <cmath>
#include <string>
#include <vector>

#include "catch2/catch.hpp"
#include "switchboard/erlang.h"

namespace switchboard {
namespace {

bool IsInvalid(const absl::Status& status, const std::string& needle) {
  return status.code() == absl::StatusCode::kInvalidArgument &&
         std::string(status.message()).find(needle) != std::string::npos;
}

// The smallest count meeting the options, by trying every count from 1: what Staff's bracketing
// search must agree with.
int ScanStaffing(double rate, double aht, const StaffingOptions& options) {
  for (int n = 1;; ++n) {
    if (options.model == ErlangModel::kC) {
      absl::StatusOr<ErlangCResult> c = ErlangC(rate, aht, n, options.threshold_s);
      REQUIRE(c.ok());
      if (n > rate * aht && c->service_level >= options.target &&
          c->occupancy <= options.max_occupancy) {
        return n;
      }
    } else {
      absl::StatusOr<ErlangAResult> a =
          ErlangA(rate, aht, options.mean_patience_s, n, options.threshold_s);
      REQUIRE(a.ok());
      if (a->service_level >= options.target && a->occupancy <= options.max_occupancy &&
          a->abandon_rate <= options.max_abandon) {
        return n;
      }
    }
  }
}

TEST_CASE("Staff finds the smallest count meeting the service level", "[staffing]") {
  StaffingOptions options;  // Erlang C, 80 % within 20 s
  absl::StatusOr<StaffingResult> staff = Staff(720.0 / 3600, 240, options);
  REQUIRE(staff.ok());
  CHECK(staff->agents == 54);
  CHECK(staff->load_erlangs == Approx(48));
  CHECK(staff->service_level >= 0.8);
  absl::StatusOr<ErlangCResult> fewer = ErlangC(720.0 / 3600, 240, 53, 20);
  REQUIRE(fewer.ok());
  CHECK(fewer->service_level < 0.8);
  CHECK(staff->scheduled == 54);
  CHECK(staff->abandon_rate == 0);
  CHECK(staff->occupancy == Approx(48.0 / 54));
}

TEST_CASE("Staff agrees with a scan from one agent for every model and constraint", "[staffing]") {
  struct Case {
    double rate, aht;
    StaffingOptions options;
  };
  std::vector<Case> cases;
  for (double rate : {0.01, 0.1, 0.5, 2.0}) {
    for (double target : {0.0, 0.5, 0.8, 0.95}) {
      StaffingOptions c;
      c.target = target;
      c.threshold_s = 30;
      cases.push_back({rate, 180, c});
      c.max_occupancy = 0.85;
      cases.push_back({rate, 180, c});
      StaffingOptions a = c;
      a.model = ErlangModel::kA;
      a.mean_patience_s = 120;
      a.max_occupancy = 1;
      cases.push_back({rate, 180, a});
      a.max_abandon = 0.02;
      cases.push_back({rate, 180, a});
    }
  }
  for (const Case& c : cases) {
    INFO("rate " << c.rate << " target " << c.options.target << " model "
                 << ErlangModelName(c.options.model) << " max_occupancy " << c.options.max_occupancy
                 << " max_abandon " << c.options.max_abandon);
    absl::StatusOr<StaffingResult> staff = Staff(c.rate, c.aht, c.options);
    REQUIRE(staff.ok());
    CHECK(staff->agents == ScanStaffing(c.rate, c.aht, c.options));
  }
}

TEST_CASE("Occupancy, abandonment and shrinkage each raise the head count", "[staffing]") {
  StaffingOptions options;
  options.max_occupancy = 0.85;  // 48 / 0.85 = 56.5
  absl::StatusOr<StaffingResult> capped = Staff(0.2, 240, options);
  REQUIRE(capped.ok());
  CHECK(capped->agents == 57);
  CHECK(capped->occupancy <= 0.85);

  options.shrinkage = 0.3;  // 57 / 0.7 = 81.4
  absl::StatusOr<StaffingResult> shrunk = Staff(0.2, 240, options);
  REQUIRE(shrunk.ok());
  CHECK(shrunk->agents == 57);
  CHECK(shrunk->scheduled == 82);

  options = {};
  options.shrinkage = 0.5;  // exactly 2 × 54
  absl::StatusOr<StaffingResult> half = Staff(0.2, 240, options);
  REQUIRE(half.ok());
  CHECK(half->scheduled == 108);

  StaffingOptions a;
  a.model = ErlangModel::kA;
  a.mean_patience_s = 60;
  a.target = 0.5;
  absl::StatusOr<StaffingResult> loose = Staff(0.2, 240, a);
  a.max_abandon = 0.01;
  absl::StatusOr<StaffingResult> strict = Staff(0.2, 240, a);
  REQUIRE(loose.ok());
  REQUIRE(strict.ok());
  CHECK(strict->agents > loose->agents);
  CHECK(strict->abandon_rate <= 0.01);
  CHECK(loose->abandon_rate > 0.01);
}

TEST_CASE("Staff sizes 9,000 Erlangs quickly", "[staffing]") {
  StaffingOptions options;
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<StaffingResult> c = Staff(9000.0 / 300, 300, options);
  options.model = ErlangModel::kA;
  options.mean_patience_s = 180;
  absl::StatusOr<StaffingResult> a = Staff(9000.0 / 300, 300, options);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  REQUIRE(c.ok());
  REQUIRE(a.ok());
  CHECK(c->agents > 9000);
  CHECK(c->agents < 9100);
  CHECK(a->agents <= c->agents);
  CHECK(std::isfinite(c->asa_s));
  CHECK(std::isfinite(a->asa_s));
  CHECK(seconds < 2);
}

// Whether `agents` meet every constraint of `options`, from the calculators directly.
bool MeetsAll(double rate, double aht, int agents, const StaffingOptions& options) {
  if (options.model == ErlangModel::kC) {
    absl::StatusOr<ErlangCResult> c = ErlangC(rate, aht, agents, options.threshold_s);
    REQUIRE(c.ok());
    return agents > rate * aht && c->service_level >= options.target &&
           c->occupancy <= options.max_occupancy;
  }
  absl::StatusOr<ErlangAResult> a =
      ErlangA(rate, aht, options.mean_patience_s, agents, options.threshold_s);
  if (a.status().code() == absl::StatusCode::kOutOfRange) return false;
  REQUIRE(a.ok());
  CHECK(a->occupancy <= 1);
  return a->service_level >= options.target && a->occupancy <= options.max_occupancy &&
         a->abandon_rate <= options.max_abandon;
}

TEST_CASE("Staff with model A is the smallest count at 9,000 Erlangs", "[staffing]") {
  struct Case {
    double rate, aht, patience;
    double max_occupancy;
  };
  // The same load as 135,000 contacts an hour of 240 s, and as 9,000 a second of 1 s; with no
  // occupancy cap (1) and with one.
  for (const Case& c : std::vector<Case>{{9000.0 / 240, 240, 180, 1},
                                         {9000, 1, 180, 1},
                                         {9000.0 / 240, 240, 180, 0.98},
                                         {9000, 1, 100000, 1}}) {
    INFO("rate " << c.rate << " aht " << c.aht << " patience " << c.patience << " max_occupancy "
                 << c.max_occupancy);
    StaffingOptions options;
    options.model = ErlangModel::kA;
    options.mean_patience_s = c.patience;
    options.max_occupancy = c.max_occupancy;
    absl::StatusOr<StaffingResult> staff = Staff(c.rate, c.aht, options);
    REQUIRE(staff.ok());
    CHECK(staff->occupancy <= options.max_occupancy);
    CHECK(staff->service_level >= options.target);
    CHECK(MeetsAll(c.rate, c.aht, staff->agents, options));
    CHECK_FALSE(MeetsAll(c.rate, c.aht, staff->agents - 1, options));
  }
  StaffingOptions options;
  options.model = ErlangModel::kA;
  options.mean_patience_s = 180;
  absl::StatusOr<StaffingResult> staff = Staff(9000.0 / 240, 240, options);
  REQUIRE(staff.ok());
  CHECK(staff->agents == 8176);
}

TEST_CASE("Staff with model A searches past counts Erlang A cannot evaluate", "[staffing]") {
  // At the lower bound (7,200 agents for 80 % of 9,000 Erlangs) the queue would need
  // 1,800 × 100,000 states: those counts do not meet the target, more agents do.
  StaffingOptions options;
  options.model = ErlangModel::kA;
  options.mean_patience_s = 100000;
  REQUIRE(ErlangA(9000, 1, 100000, 7200, 20).status().code() == absl::StatusCode::kOutOfRange);
  absl::StatusOr<StaffingResult> staff = Staff(9000, 1, options);
  REQUIRE(staff.ok());
  CHECK(staff->agents > 8900);
  CHECK(MeetsAll(9000, 1, staff->agents, options));
  CHECK_FALSE(MeetsAll(9000, 1, staff->agents - 1, options));

  // When no count up to the maximum can be evaluated the error says why.
  options.target = 0;
  options.mean_patience_s = 1000;
  absl::StatusOr<StaffingResult> none = Staff(2e6, 1, options);
  CHECK(none.status().code() == absl::StatusCode::kOutOfRange);
  const std::string message(none.status().message());
  CHECK(message.find("no staffing up to 1000000 agents") != std::string::npos);
  CHECK(message.find("states") != std::string::npos);
}

TEST_CASE("Staff refuses a scheduled head count beyond the maximum, naming shrinkage",
          "[staffing]") {
  StaffingOptions options;
  options.shrinkage = 0.9999999999;  // 54 agents → 540 billion scheduled
  absl::StatusOr<StaffingResult> staff = Staff(0.2, 240, options);
  CHECK(staff.status().code() == absl::StatusCode::kOutOfRange);
  CHECK(std::string(staff.status().message()).find("shrinkage") != std::string::npos);
  options.shrinkage = 0.99;  // 5,400: fine
  absl::StatusOr<StaffingResult> fine = Staff(0.2, 240, options);
  REQUIRE(fine.ok());
  CHECK(fine->scheduled == 5400);
}

TEST_CASE("The Erlang C occupancy cap is the lower bound when it binds", "[staffing]") {
  // 48 Erlangs at most 80 % busy: 60 agents exactly (48 / 60 = 0.8), far above the 54 the
  // service level needs; and the same through a scan.
  StaffingOptions options;
  options.max_occupancy = 0.8;
  absl::StatusOr<StaffingResult> staff = Staff(0.2, 240, options);
  REQUIRE(staff.ok());
  CHECK(staff->agents == 60);
  for (double cap : {0.5, 0.7, 0.8, 0.9, 0.95, 0.999}) {
    INFO("cap " << cap);
    options.max_occupancy = cap;
    for (double rate : {0.2, 1.0 / 3, 2.5}) {
      absl::StatusOr<StaffingResult> s = Staff(rate, 240, options);
      REQUIRE(s.ok());
      CHECK(s->agents == ScanStaffing(rate, 240, options));
    }
  }
}

TEST_CASE("Staff with no arrivals needs no agents", "[staffing]") {
  absl::StatusOr<StaffingResult> staff = Staff(0, 240, {});
  REQUIRE(staff.ok());
  CHECK(staff->agents == 0);
  CHECK(staff->scheduled == 0);
  CHECK(staff->service_level == 1);
}

TEST_CASE("Staff rejects options out of range, naming the field", "[staffing]") {
  const auto with = [](auto change) {
    StaffingOptions options;
    change(options);
    return Staff(0.2, 240, options).status();
  };
  CHECK(IsInvalid(with([](StaffingOptions& o) { o.target = 1; }), "target must be"));
  CHECK(IsInvalid(with([](StaffingOptions& o) { o.target = -0.1; }), "target must be"));
  CHECK(IsInvalid(with([](StaffingOptions& o) { o.threshold_s = -1; }), "threshold must be"));
  CHECK(IsInvalid(with([](StaffingOptions& o) { o.max_occupancy = 0; }), "max occupancy"));
  CHECK(IsInvalid(with([](StaffingOptions& o) { o.shrinkage = 1; }), "shrinkage must be"));
  CHECK(IsInvalid(with([](StaffingOptions& o) { o.model = ErlangModel::kA; }),
                  "model A needs a mean patience"));
  CHECK(IsInvalid(with([](StaffingOptions& o) { o.max_abandon = 0.05; }),
                  "max abandon needs model A"));
  CHECK(IsInvalid(Staff(-1, 240, {}).status(), "arrival rate must be >= 0"));
  CHECK(IsInvalid(Staff(0.2, 0, {}).status(), "average handle time must be > 0"));
}

TEST_CASE("Arrival rates are read per hour, minute or second", "[staffing]") {
  CHECK(*ParseArrivalRate("720/h") == Approx(0.2));
  CHECK(*ParseArrivalRate("12/m") == Approx(0.2));
  CHECK(*ParseArrivalRate("0.2/s") == Approx(0.2));
  CHECK(*ParseArrivalRate(" 0/h ") == 0);
  for (const char* bad : {"720", "720/d", "-5/h", "/h", "abc/h", "nan/h", ""}) {
    INFO(bad);
    CHECK(IsInvalid(ParseArrivalRate(bad).status(), "expected a rate like 720/h"));
  }
}

TEST_CASE("An intraday CSV gives consecutive intervals", "[staffing][intraday]") {
  absl::StatusOr<IntradayForecast> forecast = ParseIntradayCsv(
      "start,arrivals,aht_s\r\n08:00,120,240\r\n08:30, 180 ,250\n\n09:00,0,240\n", "day.csv");
  REQUIRE(forecast.ok());
  CHECK(forecast->interval == absl::Minutes(30));
  REQUIRE(forecast->intervals.size() == 3);
  CHECK(forecast->intervals[1].start == absl::Hours(8) + absl::Minutes(30));
  CHECK(forecast->intervals[1].arrivals == 180);
  CHECK(forecast->intervals[1].aht_s == 250);

  absl::StatusOr<IntradayForecast> bom =
      ParseIntradayCsv("\xEF\xBB\xBFstart,arrivals,aht_s\n08:00,1,240\n08:15,2,240\n", "bom.csv");
  REQUIRE(bom.ok());
  CHECK(bom->interval == absl::Minutes(15));

  absl::StatusOr<IntradayForecast> one =
      ParseIntradayCsv("start,arrivals,aht_s\n10:00,50,200\n", "one.csv", absl::Minutes(15));
  REQUIRE(one.ok());
  CHECK(one->interval == absl::Minutes(15));
}

TEST_CASE("A malformed intraday row names the file, line and column", "[staffing][intraday]") {
  const auto message = [](std::string_view text,
                          std::optional<absl::Duration> interval = std::nullopt) {
    absl::StatusOr<IntradayForecast> forecast = ParseIntradayCsv(text, "day.csv", interval);
    REQUIRE_FALSE(forecast.ok());
    CHECK(forecast.status().code() == absl::StatusCode::kInvalidArgument);
    return std::string(forecast.status().message());
  };
  CHECK(message("start,arrivals,aht_s\n08:00,12x,240\n") ==
        "day.csv: line 2, column 2 (arrivals): expected a number >= 0, got '12x'");
  CHECK(message("start,arrivals,aht_s\n08:00,12,240\n08:30,10,0\n") ==
        "day.csv: line 3, column 3 (aht_s): expected a number of seconds > 0, got '0'");
  CHECK(message("start,arrivals,aht_s\n8h,12,240\n") ==
        "day.csv: line 2, column 1 (start): expected a time of day HH:MM or HH:MM:SS, got '8h'");
  CHECK(message("start,arrivals,aht_s\n08:00,1,240\n08:30,1,240\n09:15,1,240\n") ==
        "day.csv: line 4, column 1 (start): 09:15 is not one interval (30m) after the previous "
        "start 08:30");
  CHECK(message("start,arrivals,aht_s\n08:00,1,240\n08:30,1\n") ==
        "day.csv: line 3: expected 3 columns (start,arrivals,aht_s), got 2");
  CHECK(message("time,calls,aht\n08:00,1,240\n").find("line 1: expected the header row") !=
        std::string::npos);
  CHECK(message("start,arrivals,aht_s\n08:00,1,240\n").find("give the interval length") !=
        std::string::npos);
  CHECK(message("start,arrivals,aht_s\n08:00,1,240\n08:30,1,240\n", absl::Minutes(15)) ==
        "day.csv: line 3, column 1 (start): 08:30 is not one interval (15m) after the previous "
        "start 08:00");
  CHECK(message("start,arrivals,aht_s\n23:30,1,240\n23:50,1,240\n").find("ends after midnight") !=
        std::string::npos);
  CHECK(ParseIntradayCsv("start,arrivals,aht_s\n23:30,1,240\n23:45,1,240\n", "day.csv").ok());
  CHECK(message("").find("empty") != std::string::npos);
}

TEST_CASE("Intraday staffing sizes each interval at its own rate", "[staffing][intraday]") {
  IntradayForecast forecast;
  forecast.interval = absl::Minutes(30);
  forecast.intervals = {{absl::Hours(8), 360, 240},  // 720/h: 54 agents
                        {absl::Hours(8) + absl::Minutes(30), 0, 240},
                        {absl::Hours(9), 60, 200}};
  StaffingOptions options;
  options.shrinkage = 0.2;
  absl::StatusOr<std::vector<IntervalRequirement>> plan = StaffIntraday(forecast, options);
  REQUIRE(plan.ok());
  REQUIRE(plan->size() == 3);
  CHECK((*plan)[0].staffing.agents == 54);
  CHECK((*plan)[0].staffing.scheduled == 68);  // 54 / 0.8 = 67.5
  CHECK((*plan)[1].staffing.agents == 0);
  absl::StatusOr<StaffingResult> direct = Staff(60.0 / 1800, 200, options);
  REQUIRE(direct.ok());
  CHECK((*plan)[2].staffing.agents == direct->agents);
}

TEST_CASE("Verify simulates the staffed day and agrees with Erlang C in steady intervals",
          "[staffing][intraday][simulation]") {
  IntradayForecast forecast;
  forecast.interval = absl::Hours(1);
  forecast.intervals = {{absl::Hours(8), 600, 180},
                        {absl::Hours(9), 600, 180},
                        {absl::Hours(10), 900, 180},
                        {absl::Hours(11), 900, 180}};
  StaffingOptions options;
  absl::StatusOr<std::vector<IntervalRequirement>> plan = StaffIntraday(forecast, options);
  REQUIRE(plan.ok());
  VerifyOptions verify;
  verify.replications = 20;
  verify.seed = 7;
  absl::StatusOr<SimulationConfig> config = StaffedDayConfig(forecast, *plan, options, verify);
  REQUIRE(config.ok());
  CHECK(config->traffic.size() == 5);  // the warm-up, then one per interval
  CHECK(config->warmup == absl::Hours(1));
  // The head count over the periods (warm-up first) is the plan's.
  for (size_t p = 0; p <= 4; ++p) {
    const absl::Duration at = absl::Hours(static_cast<int64_t>(p)) + absl::Minutes(30);
    int logged_in = 0;
    for (const AgentGroupConfig& group : config->agents) {
      if (group.shift_start <= at && (!group.shift_end || at < *group.shift_end)) {
        logged_in += group.count;
      }
    }
    CHECK(logged_in == (*plan)[p == 0 ? 0 : p - 1].staffing.agents);
  }
  // Two levels: the first level's agents stay logged in all day.
  CHECK(config->agents.size() == 2);

  absl::StatusOr<std::vector<IntervalCheck>> checks =
      VerifyStaffing(forecast, *plan, options, verify);
  REQUIRE(checks.ok());
  REQUIRE(checks->size() == 4);
  for (size_t i = 0; i < checks->size(); ++i) {
    const IntervalCheck& check = (*checks)[i];
    INFO("interval " << i << " theory " << (*plan)[i].staffing.service_level << " simulated "
                     << check.service_level.mean << " ± " << check.service_level.ci95);
    CHECK(check.offered.mean == Approx(forecast.intervals[i].arrivals).epsilon(0.05));
    CHECK(check.service_level.ci95 > 0);
    CHECK(check.abandon_rate.mean == 0);
    // The second hour of each level is steady: theory holds there.
    if (i == 1 || i == 3) CHECK_FALSE(check.disagrees);
  }

  verify.replications = 1;
  CHECK(IsInvalid(VerifyStaffing(forecast, *plan, options, verify).status(),
                  "at least 2 replications"));
}

TEST_CASE("Verify with Erlang A simulates patience", "[staffing][intraday][simulation]") {
  IntradayForecast forecast;
  forecast.interval = absl::Hours(1);
  forecast.intervals = {{absl::Hours(8), 600, 180}, {absl::Hours(9), 600, 180}};
  StaffingOptions options;
  options.model = ErlangModel::kA;
  options.mean_patience_s = 60;
  options.target = 0.6;
  absl::StatusOr<std::vector<IntervalRequirement>> plan = StaffIntraday(forecast, options);
  REQUIRE(plan.ok());
  VerifyOptions verify;
  absl::StatusOr<std::vector<IntervalCheck>> checks =
      VerifyStaffing(forecast, *plan, options, verify);
  REQUIRE(checks.ok());
  const IntervalCheck& steady = (*checks)[1];
  INFO("abandon theory " << (*plan)[1].staffing.abandon_rate << " simulated "
                         << steady.abandon_rate.mean << " ± " << steady.abandon_rate.ci95);
  CHECK(steady.abandon_rate.mean > 0);
  CHECK_FALSE(steady.disagrees);
}

}  // namespace
}  // namespace switchboard
