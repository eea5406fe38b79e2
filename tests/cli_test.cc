// The `switchboard` command line (RunCli) and the result formats of report.h.
//
// Exit statuses tested here (cli.h): 0 success; 2 for an invalid command line or scenario,
// including a scenario path that does not exist (the scenario is the tool's input, so a missing
// file is an invalid scenario, reported with the loader's one-line message); 1 otherwise.
#include "cli_run.h"

#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "switchboard/report.h"

namespace switchboard {
namespace {

namespace fs = std::filesystem;

const std::string kSupport =
    std::string(SWITCHBOARD_SOURCE_DIR) + "/examples/scenarios/support.toml";

size_t Lines(const std::string& text) {
  return static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
}

// A directory under the system's temporary directory, removed at the end of the test.
class TempDir {
 public:
  explicit TempDir(const std::string& name)
      : path_(fs::temp_directory_path() /
              ("switchboard_cli_test_" + std::to_string(::getpid()) + "_" + name)) {
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

  // Writes `text` to a file in the directory; returns its path.
  std::string Write(const std::string& file_name, const std::string& text) const {
    const fs::path file = path_ / file_name;
    std::ofstream(file, std::ios::binary) << text;
    return file.string();
  }

 private:
  fs::path path_;
};

std::string ReadFile(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

const char* const kKpiKeys[] = {
    "offered", "answered",     "abandoned", "service_level",     "p_wait",
    "asa_s",   "abandon_rate", "aht_s",     "mean_queue_length", "max_wait_s"};

void CheckMetric(const nlohmann::json& metric) {
  REQUIRE(metric.is_object());
  CHECK(metric.size() == 2);
  CHECK(metric.contains("mean"));
  CHECK(metric.contains("ci95"));
}

void CheckKpis(const nlohmann::json& kpis) {
  REQUIRE(kpis.is_object());
  for (const char* key : kKpiKeys) {
    INFO(key);
    REQUIRE(kpis.contains(key));
    CheckMetric(kpis[key]);
  }
}

// A valid scenario with one line replaced or added, for the error tests.
std::string SmallScenario(const std::string& simulation_extra, const std::string& duration) {
  return "[simulation]\nseed = 3\nduration = " + duration + "\n" + simulation_extra +
         "\n[[queue]]\nname = \"support\"\n"
         "\n[[traffic]]\nqueue = \"support\"\narrivals = { rate = 60, per = \"1h\" }\n"
         "handle = { dist = \"exponential\", mean = \"3m\" }\n"
         "\n[[agents]]\ncount = 2\nskills = { support = 1 }\n";
}

TEST_CASE("simulate prints the JSON of the results contract", "[cli]") {
  const Run run = RunArgs({"simulate", kSupport, "--replications", "2", "--format", "json"});
  INFO(run.err);
  REQUIRE(run.status == 0);
  const nlohmann::json json = nlohmann::json::parse(run.out);
  CHECK(json["scenario"] == "support.toml");
  CHECK(json["seed"] == 7);
  CHECK(json["replications"] == 2);
  REQUIRE(json["queues"].contains("support"));
  CheckKpis(json["queues"]["support"]);
  CheckKpis(json["overall"]);
  CheckMetric(json["agents"]["occupancy"]);
  REQUIRE(json["intervals"].is_array());
  CHECK(json["intervals"].size() == 16);  // 8 h in 30-minute intervals
  const nlohmann::json& first = json["intervals"][0];
  CHECK(first["start_s"] == 0);
  CheckKpis(first["queues"]["support"]);
  CheckKpis(first["overall"]);
  CheckMetric(first["occupancy"]);
  CHECK(json["intervals"][1]["start_s"] == 1800);
  CHECK(json["contacts_simulated"].get<int64_t>() > 2 * 8 * 600 * 9 / 10);
  const double answered = json["queues"]["support"]["answered"]["mean"].get<double>();
  CHECK(answered > 0);
  CHECK(json["queues"]["support"]["offered"]["ci95"].get<double>() > 0);
}

TEST_CASE("the same seed gives byte-identical JSON whatever the threads", "[cli][determinism]") {
  const Run a =
      RunArgs({"simulate", kSupport, "--replications", "3", "--format", "json", "--threads", "1"});
  const Run b =
      RunArgs({"simulate", kSupport, "--replications", "3", "--format", "json", "--threads", "3"});
  REQUIRE(a.status == 0);
  REQUIRE(b.status == 0);
  CHECK(a.out == b.out);

  const Run c =
      RunArgs({"simulate", kSupport, "--replications", "3", "--format", "json", "--seed", "8"});
  REQUIRE(c.status == 0);
  CHECK(c.out != a.out);
  CHECK(nlohmann::json::parse(c.out)["seed"] == 8);
}

TEST_CASE("simulate --out writes results.json, intervals.csv and maybe the plot", "[cli]") {
  const TempDir dir("out");
  const fs::path out_dir = dir.path() / "run" / "nested";  // created as needed
  const Run run = RunArgs(
      {"simulate", kSupport, "--replications", "2", "--format", "json", "--out", out_dir.string()});
  INFO(run.err);
  REQUIRE(run.status == 0);
  CHECK(ReadFile(out_dir / "results.json") == run.out);
  const std::string csv = ReadFile(out_dir / "intervals.csv");
  CHECK(csv.rfind("interval_start_s,queue,offered,offered_ci95,answered,", 0) == 0);
  CHECK(csv.find(",occupancy,occupancy_ci95\n") != std::string::npos);
  CHECK(Lines(csv) == 1 + 16 * 2);  // header, then support and overall per interval
  CHECK(csv.find("\n1800,support,") != std::string::npos);
  CHECK(csv.find("\n1800,overall,") != std::string::npos);
  CHECK(run.err.find((out_dir / "results.json").string()) != std::string::npos);
  CHECK(run.err.find((out_dir / "intervals.csv").string()) != std::string::npos);
  // The plot needs Python with matplotlib: either it is there or one line says it was skipped.
  if (fs::exists(out_dir / "intervals.png")) {
    CHECK(fs::file_size(out_dir / "intervals.png") > 1000);
    CHECK(run.err.find((out_dir / "intervals.png").string()) != std::string::npos);
  } else {
    CHECK(run.err.find("plot skipped: ") != std::string::npos);
  }
  CHECK(Lines(run.err) == 3);
}

TEST_CASE("a plot without matplotlib is skipped, not a failure", "[cli]") {
  const TempDir dir("noplot");
  const std::string fake_python = dir.Write("python", "#!/bin/sh\nexit 3\n");
  fs::permissions(fake_python, fs::perms::owner_all);
  ::setenv("SWITCHBOARD_PYTHON", fake_python.c_str(), 1);
  const Run run = RunArgs({"simulate", kSupport, "--replications", "1", "--format", "json", "--out",
                           (dir.path() / "out").string()});
  ::unsetenv("SWITCHBOARD_PYTHON");
  CHECK(run.status == 0);
  CHECK(run.err.find("plot skipped: matplotlib not available\n") != std::string::npos);
  CHECK(fs::exists(dir.path() / "out" / "results.json"));
  CHECK_FALSE(fs::exists(dir.path() / "out" / "intervals.png"));
}

TEST_CASE("an invalid scenario exits 2 with one line naming the file", "[cli][errors]") {
  const TempDir dir("invalid");
  struct Case {
    const char* name;
    std::string text;
    const char* expected;  // part of the message
  };
  const std::vector<Case> cases = {
      {"unknown_key.toml", SmallScenario("cuont = 3", "\"1h\""), "cuont"},
      {"bad_duration.toml", SmallScenario("", "\"8 hours\""), "duration"},
      {"syntax.toml", SmallScenario("replications = = 2", "\"1h\""), "line"},
  };
  for (const Case& c : cases) {
    const std::string path = dir.Write(c.name, c.text);
    const Run run = RunArgs({"simulate", path, "--format", "json"});
    INFO(c.name << ": " << run.err);
    CHECK(run.status == 2);
    CHECK(run.out.empty());
    CHECK(Lines(run.err) == 1);
    CHECK(run.err.back() == '\n');
    CHECK(run.err.find(c.name) != std::string::npos);
    CHECK(run.err.find(c.expected) != std::string::npos);
  }
}

TEST_CASE("a missing scenario file exits 2 naming the path", "[cli][errors]") {
  const Run run = RunArgs({"simulate", "no/such/scenario.toml", "--format", "json"});
  CHECK(run.status == 2);
  CHECK(run.out.empty());
  CHECK(Lines(run.err) == 1);
  CHECK(run.err.find("no/such/scenario.toml") != std::string::npos);
}

TEST_CASE("an invalid command line exits 2 with one line", "[cli][errors]") {
  const std::vector<std::vector<std::string>> command_lines = {
      {"simulate", kSupport, "--frobnicate"},
      {"simulate", kSupport, "--format", "xml"},
      {"simulate", kSupport, "--replications", "0"},
      {"simulate", kSupport, "--replications", "many"},
      {"simulate", kSupport, "--threads", "0"},
      {"simulate"},
      {"fly", kSupport},
      {},
  };
  for (const auto& args : command_lines) {
    const Run run = RunArgs(args);
    INFO(run.err);
    CHECK(run.status == 2);
    CHECK(run.out.empty());
    CHECK(Lines(run.err) == 1);
    CHECK(run.err.rfind("switchboard: ", 0) == 0);
  }
}

TEST_CASE("help and version go to out with status 0", "[cli]") {
  const Run version = RunArgs({"--version"});
  CHECK(version.status == 0);
  CHECK(version.out == "switchboard 0.1.0\n");

  const Run help = RunArgs({"--help"});
  CHECK(help.status == 0);
  CHECK(help.out.find("simulate") != std::string::npos);

  const Run simulate_help = RunArgs({"simulate", "--help"});
  CHECK(simulate_help.status == 0);
  CHECK(simulate_help.out.find("--replications") != std::string::npos);
  CHECK(simulate_help.out.find("--format") != std::string::npos);
  CHECK(simulate_help.err.empty());
}

TEST_CASE("simulate --format table shows the queues and the service level", "[cli]") {
  const Run run = RunArgs({"simulate", kSupport, "--replications", "2", "--format", "table"});
  REQUIRE(run.status == 0);
  CHECK(run.out.find("support") != std::string::npos);
  CHECK(run.out.find("overall") != std::string::npos);
  CHECK(run.out.find("SL") != std::string::npos);
  CHECK(run.out.find("\u00b1") != std::string::npos);
  CHECK(run.out.find("seed: 7") != std::string::npos);
  CHECK(run.out.find("occupancy") != std::string::npos);
}

TEST_CASE("without --format, output that is not a terminal gets JSON", "[cli]") {
  const Run run = RunArgs({"simulate", kSupport, "--replications", "1"});
  REQUIRE(run.status == 0);
  CHECK(nlohmann::json::parse(run.out)["replications"] == 1);
}

SimulationResult TinyResult() {
  SimulationResult result;
  result.scenario = "tiny \"q\".toml";
  result.seed = 18446744073709551615u;
  result.replications = 2;
  Kpis q;
  q.offered = {10, 1.5};
  q.answered = {9, 0};
  q.service_level = {0.8, 0.0634};
  q.asa_s = {0.1, 1e-7};
  q.max_wait_s = {1e21, 0};
  result.queues["q"] = q;
  result.overall = q;
  result.overall.asa_s = {std::numeric_limits<double>::quiet_NaN(), 0};
  result.occupancy = {0.75, -0.0};
  IntervalReport interval;
  interval.start = absl::Seconds(90);
  interval.overall.offered = {3, 0};
  interval.occupancy = {0.5, 0.25};
  result.intervals.push_back(interval);
  result.contacts_simulated = 12;
  return result;
}

TEST_CASE("ResultsToJson prints a fixed layout with exact numbers", "[report]") {
  const std::string expected = R"({
  "scenario": "tiny \"q\".toml",
  "seed": 18446744073709551615,
  "replications": 2,
  "queues": {
    "q": {
      "offered": {"mean": 10, "ci95": 1.5},
      "answered": {"mean": 9, "ci95": 0},
      "abandoned": {"mean": 0, "ci95": 0},
      "service_level": {"mean": 0.8, "ci95": 0.0634},
      "p_wait": {"mean": 0, "ci95": 0},
      "asa_s": {"mean": 0.1, "ci95": 1e-07},
      "abandon_rate": {"mean": 0, "ci95": 0},
      "aht_s": {"mean": 0, "ci95": 0},
      "mean_queue_length": {"mean": 0, "ci95": 0},
      "max_wait_s": {"mean": 1e+21, "ci95": 0},
      "ewt_error_s": {"mean": 0, "ci95": 0},
      "ewt_bias_s": {"mean": 0, "ci95": 0},
      "transferred": {"mean": 0, "ci95": 0},
      "callbacks": {"mean": 0, "ci95": 0},
      "callbacks_connected": {"mean": 0, "ci95": 0},
      "callbacks_failed": {"mean": 0, "ci95": 0},
      "deflected": {"mean": 0, "ci95": 0},
      "voicemail": {"mean": 0, "ci95": 0},
      "disconnected": {"mean": 0, "ci95": 0},
      "overflowed": {"mean": 0, "ci95": 0},
      "overflow_rate": {"mean": 0, "ci95": 0},
      "redials": {"mean": 0, "ci95": 0},
      "first_attempts": {"mean": 0, "ci95": 0},
      "customers_served": {"mean": 0, "ci95": 0}
    }
  },
  "overall": {
    "offered": {"mean": 10, "ci95": 1.5},
    "answered": {"mean": 9, "ci95": 0},
    "abandoned": {"mean": 0, "ci95": 0},
    "service_level": {"mean": 0.8, "ci95": 0.0634},
    "p_wait": {"mean": 0, "ci95": 0},
    "asa_s": {"mean": null, "ci95": 0},
    "abandon_rate": {"mean": 0, "ci95": 0},
    "aht_s": {"mean": 0, "ci95": 0},
    "mean_queue_length": {"mean": 0, "ci95": 0},
    "max_wait_s": {"mean": 1e+21, "ci95": 0},
    "ewt_error_s": {"mean": 0, "ci95": 0},
    "ewt_bias_s": {"mean": 0, "ci95": 0},
    "transferred": {"mean": 0, "ci95": 0},
    "callbacks": {"mean": 0, "ci95": 0},
    "callbacks_connected": {"mean": 0, "ci95": 0},
    "callbacks_failed": {"mean": 0, "ci95": 0},
    "deflected": {"mean": 0, "ci95": 0},
    "voicemail": {"mean": 0, "ci95": 0},
    "disconnected": {"mean": 0, "ci95": 0},
    "overflowed": {"mean": 0, "ci95": 0},
    "overflow_rate": {"mean": 0, "ci95": 0},
    "redials": {"mean": 0, "ci95": 0},
    "first_attempts": {"mean": 0, "ci95": 0},
    "customers_served": {"mean": 0, "ci95": 0}
  },
  "agents": {
    "occupancy": {"mean": 0.75, "ci95": 0}
  },
  "intervals": [
    {
      "start_s": 90,
      "queues": {},
      "overall": {
        "offered": {"mean": 3, "ci95": 0},
        "answered": {"mean": 0, "ci95": 0},
        "abandoned": {"mean": 0, "ci95": 0},
        "service_level": {"mean": 0, "ci95": 0},
        "p_wait": {"mean": 0, "ci95": 0},
        "asa_s": {"mean": 0, "ci95": 0},
        "abandon_rate": {"mean": 0, "ci95": 0},
        "aht_s": {"mean": 0, "ci95": 0},
        "mean_queue_length": {"mean": 0, "ci95": 0},
        "max_wait_s": {"mean": 0, "ci95": 0},
        "ewt_error_s": {"mean": 0, "ci95": 0},
        "ewt_bias_s": {"mean": 0, "ci95": 0},
        "transferred": {"mean": 0, "ci95": 0},
        "callbacks": {"mean": 0, "ci95": 0},
        "callbacks_connected": {"mean": 0, "ci95": 0},
        "callbacks_failed": {"mean": 0, "ci95": 0},
        "deflected": {"mean": 0, "ci95": 0},
        "voicemail": {"mean": 0, "ci95": 0},
        "disconnected": {"mean": 0, "ci95": 0},
        "overflowed": {"mean": 0, "ci95": 0},
        "overflow_rate": {"mean": 0, "ci95": 0},
        "redials": {"mean": 0, "ci95": 0},
        "first_attempts": {"mean": 0, "ci95": 0},
        "customers_served": {"mean": 0, "ci95": 0}
      },
      "occupancy": {"mean": 0.5, "ci95": 0.25}
    }
  ],
  "contacts_simulated": 12
}
)";
  const SimulationResult result = TinyResult();
  CHECK(ResultsToJson(result) == expected);
  // Valid JSON that reads back to the same numbers.
  const nlohmann::json json = nlohmann::json::parse(ResultsToJson(result));
  CHECK(json["seed"].get<uint64_t>() == result.seed);
  CHECK(json["queues"]["q"]["asa_s"]["ci95"].get<double>() == 1e-7);
  CHECK(json["overall"]["asa_s"]["mean"].is_null());
}

TEST_CASE("KpiNames are the keys of every KPI object of the results, in order", "[report]") {
  const std::span<const std::string_view> names = KpiNames();
  CHECK(names.size() == sizeof(Kpis) / sizeof(Metric));  // one per field of Kpis
  const std::vector<std::string> expected(names.begin(), names.end());
  const nlohmann::ordered_json json = nlohmann::ordered_json::parse(ResultsToJson(TinyResult()));
  const auto keys = [](const nlohmann::ordered_json& object) {
    std::vector<std::string> in_order;
    for (const auto& item : object.items()) in_order.push_back(item.key());
    return in_order;
  };
  CHECK(keys(json["queues"]["q"]) == expected);
  CHECK(keys(json["overall"]) == expected);
  CHECK(keys(json["intervals"][0]["overall"]) == expected);
}

TEST_CASE("ResultsToTable and IntervalsToCsv", "[report]") {
  SimulationResult result = TinyResult();
  const std::string table = ResultsToTable(result);
  CHECK(table.rfind("scenario: tiny \"q\".toml   seed: 18446744073709551615   replications: 2\n",
                    0) == 0);
  CHECK(table.find("80.0 \u00b1 6.3") != std::string::npos);  // SL in percent
  CHECK(table.find("10.0 \u00b1 1.5") != std::string::npos);
  CHECK(table.find("agent occupancy: 75.0 \u00b1 0.0 %") != std::string::npos);

  result.replications = 1;
  const std::string single = ResultsToTable(result);
  CHECK(single.find("\u00b1") == std::string::npos);

  const std::string csv = IntervalsToCsv(result);
  CHECK(csv ==
        "interval_start_s,queue,offered,offered_ci95,answered,answered_ci95,abandoned,"
        "abandoned_ci95,service_level,service_level_ci95,p_wait,p_wait_ci95,asa_s,asa_s_ci95,"
        "abandon_rate,abandon_rate_ci95,aht_s,aht_s_ci95,mean_queue_length,"
        "mean_queue_length_ci95,max_wait_s,max_wait_s_ci95,ewt_error_s,ewt_error_s_ci95,"
        "ewt_bias_s,ewt_bias_s_ci95,transferred,transferred_ci95,callbacks,callbacks_ci95,"
        "callbacks_connected,callbacks_connected_ci95,callbacks_failed,callbacks_failed_ci95,"
        "deflected,deflected_ci95,voicemail,voicemail_ci95,disconnected,disconnected_ci95,"
        "overflowed,overflowed_ci95,overflow_rate,overflow_rate_ci95,redials,redials_ci95,"
        "first_attempts,first_attempts_ci95,customers_served,customers_served_ci95,occupancy,"
        "occupancy_ci95\n"
        "90,overall,3,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,"
        "0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0.5,0.25\n");
}

}  // namespace
}  // namespace switchboard
