// The contact log: what the simulator records agrees with its KPIs, the CSV reads back what it
// wrote, and a malformed row is an error naming the file, the line and the column.
#include <catch2/catch.hpp>

#include <cmath>
#include <set>
#include <string>

#include "switchboard/contact_log.h"
#include "switchboard/sim.h"

namespace switchboard {
namespace {

SimulationConfig Redialling() {
  SimulationConfig config;
  config.seed = 11;
  config.duration = absl::Hours(2);
  config.warmup = absl::Minutes(30);
  config.queues.push_back({.id = "q", .service_level_threshold = absl::Seconds(20)});
  TrafficConfig& traffic = config.traffic.emplace_back();
  traffic.queue = "q";
  traffic.attributes.push_back({.share = 0.7, .attributes = {{"language", std::string("en")}}});
  traffic.attributes.push_back(
      {.share = 0.3, .attributes = {{"language", std::string("ja")}, {"tier", 2.0}}});
  traffic.redial.probability = 0.6;
  traffic.redial.after = Distribution::Exponential(200);
  traffic.arrivals = Arrivals::Constant(0.1);
  traffic.handle = Distribution::Exponential(150);
  traffic.patience = Distribution::Exponential(100);
  config.agents.push_back({.name = "agent", .count = 14});
  return config;
}

TEST_CASE("The contact log agrees with the KPIs, recomputed by hand from it", "[contact_log]") {
  const SimulationConfig config = Redialling();
  absl::StatusOr<SimulationResult> result = Simulate(config, {.record_contacts = true});
  REQUIRE(result.ok());
  const std::vector<ContactRecord>& log = result->contacts;
  REQUIRE(static_cast<int64_t>(log.size()) == result->contacts_simulated);
  const double start = 1800, end = 1800 + 7200;
  double offered = 0, answered = 0, abandoned = 0, first = 0, redials = 0, wait_sum = 0;
  std::map<uint64_t, double> first_call;
  std::set<uint64_t> served;
  for (const ContactRecord& r : log) {
    CHECK(r.queue == "q");
    CHECK(r.outcome != LoggedOutcome::kSkipped);
    if (!r.redial) first_call[r.customer] = r.arrival_s;
    REQUIRE(first_call.count(r.customer) == 1);  // a redial's customer called before
    if (r.outcome == LoggedOutcome::kAnswered) {
      CHECK(served.insert(r.customer).second);  // answered at most once
      if (first_call[r.customer] < start) served.erase(r.customer);
    }
    if (r.arrival_s < start || r.arrival_s >= end) continue;
    ++offered;
    (r.redial ? redials : first) += 1;
    if (r.outcome == LoggedOutcome::kAnswered) {
      ++answered;
      wait_sum += r.wait_s;
    }
    abandoned += r.outcome == LoggedOutcome::kAbandoned;
  }
  const Kpis& q = result->queues.at("q");
  CHECK(q.offered.mean == offered);
  CHECK(q.answered.mean == answered);
  CHECK(q.abandoned.mean == abandoned);
  CHECK(q.first_attempts.mean == first);
  CHECK(q.redials.mean == redials);
  CHECK(redials > 20);
  CHECK(q.customers_served.mean == static_cast<double>(served.size()));
  CHECK(q.asa_s.mean == Approx(wait_sum / answered).epsilon(1e-9));

  // Not recording: no log, the same KPIs.
  absl::StatusOr<SimulationResult> plain = Simulate(config);
  REQUIRE(plain.ok());
  CHECK(plain->contacts.empty());
  CHECK(plain->queues.at("q").asa_s.mean == q.asa_s.mean);
}

TEST_CASE("The contact log's CSV reads back what the simulator wrote", "[contact_log]") {
  absl::StatusOr<SimulationResult> result = Simulate(Redialling(), {.record_contacts = true});
  REQUIRE(result.ok());
  const std::string csv = ContactLogToCsv(result->contacts);
  CHECK(csv.rfind(std::string(kContactLogHeader) + "\n", 0) == 0);
  absl::StatusOr<std::vector<ContactRecord>> back = ParseContactLog(csv, "day.csv");
  REQUIRE(back.ok());
  REQUIRE(back->size() == result->contacts.size());
  for (size_t i = 0; i < back->size(); ++i) {
    const ContactRecord& a = result->contacts[i];
    const ContactRecord& b = (*back)[i];
    INFO("row " << i + 2);
    CHECK(a.customer == b.customer);
    CHECK(a.redial == b.redial);
    CHECK(a.arrival_s == b.arrival_s);
    CHECK(a.queue == b.queue);
    CHECK(a.attributes == b.attributes);
    CHECK(a.channel == b.channel);
    CHECK(a.handle_s == b.handle_s);
    CHECK(a.outcome == b.outcome);
    CHECK(b.wait_s == Approx(a.wait_s).margin(1e-6));  // abandoned: from abandon_s - arrival_s
    CHECK(b.answered_s.value_or(b.wait_s) == Approx(a.answered_s.value_or(a.wait_s)).margin(1e-6));
    CHECK(b.queued_s.value_or(b.wait_s) == Approx(a.queued_s.value_or(a.wait_s)).margin(1e-6));
  }
}

TEST_CASE("A malformed contact log names the file, the line and the column", "[contact_log]") {
  // The optional answered_s and queued_s columns left out.
  const std::string header =
      "customer,redial,arrival_s,queue,attributes,channel,priority,handle_s,outcome,wait_s,"
      "abandon_s\n";
  const std::string good = "1,0,10.5,q,lang=en,voice,0,120,answered,3.2,\n";
  REQUIRE(ParseContactLog(header + good, "day.csv").ok());
  struct Case {
    std::string row;
    std::string message;
  };
  const Case cases[] = {
      {"x,0,10.5,q,,voice,0,120,answered,3.2,", "line 3, column 'customer': 'x' is not"},
      {"1,2,10.5,q,,voice,0,120,answered,3.2,", "line 3, column 'redial': '2'; expected 0 or 1"},
      {"2,0,ten,q,,voice,0,120,answered,3.2,", "line 3, column 'arrival_s': 'ten' is not a number"},
      {"2,0,5,q,,voice,0,120,answered,3.2,", "line 3, column 'arrival_s': 5 is before the previous"},
      {"2,0,10.5,,,voice,0,120,answered,3.2,", ""},  // no queue, no attributes: see below
      {"2,0,10.5,q,lang,voice,0,120,answered,3.2,", "line 3, column 'attributes': 'lang' is not key=value"},
      {"2,0,10.5,q,,pigeon,0,120,answered,3.2,", "line 3, column 'channel': unknown channel 'pigeon'"},
      {"2,0,10.5,q,,voice,high,120,answered,3.2,", "line 3, column 'priority': 'high' is not an integer"},
      {"2,0,10.5,q,,voice,0,-1,answered,3.2,", "line 3, column 'handle_s': '-1' is not a number"},
      {"2,0,10.5,q,,voice,0,1e13,answered,3.2,",
       "line 3, column 'handle_s': 1e13 is more than 360000000 seconds (100,000 hours"},
      {"2,0,10.5,q,,voice,0,120,answered,1e300,",
       "line 3, column 'wait_s': 1e300 is more than 360000000 seconds"},
      {"2,0,3.6e8,q,,voice,0,120,answered,0,", ""},  // the bound itself is a time
      {"2,0,360000000.5,q,,voice,0,120,answered,0,", "line 3, column 'arrival_s': 360000000.5 is more"},
      {"2,0,10.5,q,,voice,999999999,120,answered,3.2,",
       "line 3, column 'priority': 999999999 is outside -1000..1000"},
      {"2,0,10.5,q,,voice,-1001,120,answered,3.2,", "line 3, column 'priority': -1001 is outside"},
      {"2,0,10.5,q,note=" + std::string(5000, 'x') + ",voice,0,120,answered,3.2,",
       "line 3, column 'attributes': attribute 'note' is 5000 bytes; expected at most 4096"},
      {"2,0,10.5," + std::string(300, 'q') + ",,voice,0,120,answered,3.2,",
       "line 3, column 'queue' is 300 bytes; expected at most 256"},
      {"2,0,10.5,q,,voice,0,120,hung_up,3.2,", "line 3, column 'outcome': 'hung_up'; expected"},
      {"2,0,10.5,q,,voice,0,120,answered,,", "line 3, column 'wait_s': empty; expected"},
      {"2,0,10.5,q,,voice,0,120,abandoned,,", "line 3, column 'abandon_s': empty for an abandoned"},
      {"2,0,10.5,q,,voice,0,120,abandoned,,9", "line 3, column 'abandon_s': 9 is before the arrival"},
      {"2,0,10.5,q,,voice,0,120,abandoned,,x", "line 3, column 'abandon_s': 'x' is not a number"},
      {"2,0,10.5,q,,voice,0,120,answered", "day.csv: line 3: 9 fields; the header has 11"},
      {"1,0,11,q,,voice,0,120,answered,3.2,",
       "line 3, column 'redial': 0, but customer 1 called before (line 2); expected 1"},
      {"5,1,11,q,,voice,0,120,answered,3.2,",
       "line 3, column 'redial': 1, but this is customer 5's first call; expected 0"},
      {"2,0,10.5,q\"x,,voice,0,120,answered,3.2,", "day.csv: line 3: field 4: a quote inside an unquoted"},
      {"2,0,10.5,\"q\"x,,voice,0,120,answered,3.2,", "day.csv: line 3: field 4: 'x' after its closing quote"},
      {"2,0,10.5,\"q,,voice,0,120,answered,3.2,", "day.csv: line 3: a quote is not closed"},
  };
  for (const Case& c : cases) {
    INFO(c.row);
    absl::StatusOr<std::vector<ContactRecord>> log =
        ParseContactLog(header + good + c.row + "\n", "day.csv");
    if (c.message.empty()) {
      // Attributes alone place a contact (the scenario's entry rules), even empty ones.
      CHECK(log.ok());
      continue;
    }
    REQUIRE_FALSE(log.ok());
    CHECK(log.status().code() == absl::StatusCode::kInvalidArgument);
    CHECK(std::string(log.status().message()).rfind("day.csv: ", 0) == 0);
    CHECK(std::string(log.status().message()).find(c.message) != std::string::npos);
  }
  // A UTF-8 byte order mark before the header is not part of its first name.
  absl::StatusOr<std::vector<ContactRecord>> bom =
      ParseContactLog("\xEF\xBB\xBF" + header + good, "day.csv");
  REQUIRE(bom.ok());
  CHECK(bom->at(0).customer == 1);
  CHECK(bom->at(0).line == 2);
  // A quoted field with a doubled quote and a comma reads back.
  absl::StatusOr<std::vector<ContactRecord>> quoted =
      ParseContactLog(header + "1,0,10.5,\"q\"\",x\",,voice,0,120,answered,3.2,\n", "day.csv");
  REQUIRE(quoted.ok());
  CHECK(quoted->at(0).queue == "q\",x");
  // The header.
  CHECK(ParseContactLog("arrival_s,queue,handle_s\n", "d.csv").status().message() ==
        "d.csv: line 1, column 'outcome': missing from the header");
  CHECK(std::string(ParseContactLog("arrival_s,queue,handle_s,outcome,colour\n", "d.csv")
                        .status()
                        .message())
            .rfind("d.csv: line 1, column 'colour': unknown column", 0) == 0);
  CHECK(ParseContactLog("", "d.csv").status().message().find("empty") != absl::string_view::npos);
  // Optional columns may be left out.
  absl::StatusOr<std::vector<ContactRecord>> minimal = ParseContactLog(
      "arrival_s,queue,handle_s,outcome,abandon_s\n0,q,60,abandoned,40\n2,q,60,answered,\n", "m.csv");
  CHECK_FALSE(minimal.ok());  // an answered contact needs its wait
  minimal = ParseContactLog(
      "arrival_s,queue,handle_s,outcome,wait_s\n0,q,60,abandoned,40\n2,q,60,answered,1\n", "m.csv");
  REQUIRE(minimal.ok());
  CHECK(minimal->at(0).wait_s == 40);
  CHECK(minimal->at(1).customer == 1);  // a new customer per row
}

}  // namespace
}  // namespace switchboard
