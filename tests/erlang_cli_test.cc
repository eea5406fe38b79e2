// `switchboard erlang` and `switchboard staff` (tools/erlang_command.h), run in-process.
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli_run.h"
#include "switchboard/erlang.h"
#include "switchboard/staffing.h"

namespace switchboard {
namespace {

namespace fs = std::filesystem;

const std::string kIntraday =
    std::string(SWITCHBOARD_SOURCE_DIR) + "/examples/planning/intraday.csv";

size_t Lines(const std::string& text) {
  return static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
}

fs::path TempDir(const std::string& name) {
  const fs::path path = fs::temp_directory_path() /
                        ("switchboard_erlang_cli_" + std::to_string(::getpid()) + "_" + name);
  fs::remove_all(path);
  fs::create_directories(path);
  return path;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

TEST_CASE("erlang c prints the calculator's KPIs as JSON", "[cli][erlang]") {
  const Run run = RunArgs({"erlang", "c", "--arrivals", "720/h", "--aht", "240s", "--agents", "55",
                           "--threshold", "15s", "--format", "json"});
  INFO(run.err);
  REQUIRE(run.status == 0);
  const nlohmann::json json = nlohmann::json::parse(run.out);
  absl::StatusOr<ErlangCResult> c = ErlangC(0.2, 240, 55, 15);
  REQUIRE(c.ok());
  CHECK(json["model"] == "c");
  CHECK(json["load_erlangs"].get<double>() == Approx(48));
  CHECK(json["p_wait"].get<double>() == Approx(c->p_wait));
  CHECK(json["asa_s"].get<double>() == Approx(c->asa_s));
  CHECK(json["service_level"].get<double>() == Approx(c->service_level));
  CHECK(json["occupancy"].get<double>() == Approx(c->occupancy));
  CHECK_FALSE(json.contains("abandon_rate"));
}

TEST_CASE("erlang b and a print their own keys, and rates per minute and second agree",
          "[cli][erlang]") {
  const Run b = RunArgs(
      {"erlang", "b", "--arrivals", "12/m", "--aht", "4m", "--agents", "55", "--format", "json"});
  REQUIRE(b.status == 0);
  const nlohmann::json jb = nlohmann::json::parse(b.out);
  CHECK(jb["blocking"].get<double>() == Approx(ErlangB(55, 48)));
  CHECK_FALSE(jb.contains("p_wait"));

  const Run a = RunArgs({"erlang", "a", "--arrivals", "0.2/s", "--aht", "240", "--agents", "50",
                         "--patience", "5m", "--format", "json"});
  REQUIRE(a.status == 0);
  const nlohmann::json ja = nlohmann::json::parse(a.out);
  absl::StatusOr<ErlangAResult> expected = ErlangA(0.2, 240, 300, 50, 20);
  REQUIRE(expected.ok());
  CHECK(ja["abandon_rate"].get<double>() == Approx(expected->abandon_rate));
  CHECK(ja["service_level"].get<double>() == Approx(expected->service_level));
  CHECK(ja["threshold_s"].get<double>() == 20);  // the default

  const Run table = RunArgs({"erlang", "a", "--arrivals", "720/h", "--aht", "240s", "--agents",
                             "50", "--patience", "300s", "--format", "table"});
  REQUIRE(table.status == 0);
  CHECK(table.out.find("abandon_rate") != std::string::npos);
}

TEST_CASE("an unstable Erlang C queue prints an infinite ASA", "[cli][erlang]") {
  const Run run = RunArgs({"erlang", "c", "--arrivals", "720/h", "--aht", "240s", "--agents", "40",
                           "--format", "json"});
  REQUIRE(run.status == 0);
  const nlohmann::json json = nlohmann::json::parse(run.out);
  CHECK(json["asa_s"] == "inf");
  CHECK(json["p_wait"].get<double>() == 1);
}

TEST_CASE("erlang and staff refuse bad values with exit 2 and one line naming the option",
          "[cli][erlang][errors]") {
  struct Case {
    std::vector<std::string> args;
    std::string needle;
  };
  const std::vector<Case> cases = {
      {{"erlang", "c", "--arrivals", "720", "--aht", "240s", "--agents", "55"}, "--arrivals:"},
      {{"erlang", "c", "--arrivals", "720/d", "--aht", "240s", "--agents", "55"}, "--arrivals:"},
      {{"erlang", "c", "--arrivals", "720/h", "--aht", "4x", "--agents", "55"}, "--aht:"},
      {{"erlang", "c", "--arrivals", "720/h", "--aht", "240s", "--agents", "-3"}, "--agents"},
      {{"erlang", "c", "--arrivals", "720/h", "--aht", "240s", "--agents", "55", "--threshold",
        "soon"},
       "--threshold:"},
      {{"erlang", "a", "--arrivals", "720/h", "--aht", "240s", "--agents", "55"}, "--patience:"},
      {{"erlang", "c", "--arrivals", "720/h", "--aht", "240s", "--agents", "55", "--patience",
        "60s"},
       "--patience:"},
      {{"erlang", "x", "--arrivals", "720/h", "--aht", "240s", "--agents", "55"}, "model"},
      {{"erlang", "c", "--arrivals", "720/h", "--aht", "0", "--agents", "55"},
       "average handle time must be > 0"},
      {{"staff", "--arrivals", "720/h", "--aht", "240s", "--target", "1.5"}, "--target:"},
      {{"staff", "--arrivals", "720/h", "--aht", "240s", "--shrinkage", "1"}, "--shrinkage:"},
      {{"staff", "--arrivals", "720/h", "--aht", "240s", "--max-occupancy", "0"},
       "--max-occupancy:"},
      {{"staff", "--arrivals", "720/h", "--aht", "240s", "--max-abandon", "0.05"},
       "--max-abandon:"},
      {{"staff", "--arrivals", "720/h", "--aht", "240s", "--model", "a"}, "--patience:"},
      {{"staff", "--arrivals", "720/h"}, "--aht:"},
      {{"staff", "--arrivals", "720/h", "--aht", "240s", "--verify"}, "--verify:"},
      {{"staff", "--intraday", kIntraday, "--arrivals", "720/h"}, "--arrivals:"},
      {{"staff", "--intraday", kIntraday, "--verify", "--replications", "1"}, "--replications"},
      {{"staff", "--intraday", "/nonexistent/day.csv"}, "/nonexistent/day.csv"},
      {{"erlang", "c", "--arrivals", "720/h", "--aht", "240s", "--agents", "2000000"}, "--agents"},
      {{"staff", "--arrivals", "720/h", "--aht", "1e10"}, "needs more than 1000000 agents"},
      {{"erlang", "c", "--arrivals", "720/h", "--aht", "240s", "--agents", "0"}, "--agents:"},
      {{"erlang", "a", "--arrivals", "720/h", "--aht", "240s", "--agents", "0", "--patience",
        "60s"},
       "--agents:"},
      {{"erlang", "b", "--arrivals", "720/h", "--aht", "240s", "--agents", "50", "--threshold",
        "15s"},
       "--threshold:"},
      {{"erlang", "b", "--arrivals", "720/h", "--aht", "240s", "--agents", "50", "--patience",
        "60s"},
       "--patience:"},
      {{"erlang", "a", "--arrivals", "720/h", "--aht", "240s", "--agents", "55", "--patience",
        "0"},
       "--patience:"},
      {{"staff", "--arrivals", "720/h", "--aht", "240s", "--shrinkage", "0.9999999999"},
       "shrinkage 0.9999999999"},
      {{"staff", "--arrivals", "720/h", "--aht", "240s", "--replications", "5"},
       "--replications: needs --verify"},
      {{"staff", "--arrivals", "720/h", "--aht", "240s", "--seed", "3"}, "--seed: needs --verify"},
      {{"staff", "--arrivals", "720/h", "--aht", "240s", "--threads", "2"},
       "--threads: needs --verify"},
      {{"staff", "--arrivals", "720/h", "--aht", "240s", "--tolerance", "0.1"},
       "--tolerance: needs --verify"},
      {{"staff", "--intraday", kIntraday, "--seed", "3"}, "--seed: needs --verify"},
  };
  for (const Case& c : cases) {
    std::string joined;
    for (const std::string& arg : c.args) joined += arg + " ";
    INFO(joined);
    const Run run = RunArgs(c.args);
    INFO(run.err);
    CHECK(run.status == 2);
    CHECK(Lines(run.err) == 1);
    CHECK(run.err.find(c.needle) != std::string::npos);
    CHECK(run.out.empty());
  }
}

TEST_CASE("staff prints the smallest agent count and the scheduled head count", "[cli][staff]") {
  const Run run = RunArgs({"staff", "--arrivals", "720/h", "--aht", "240s", "--threshold", "20s",
                           "--target", "0.8", "--shrinkage", "0.3", "--format", "json"});
  INFO(run.err);
  REQUIRE(run.status == 0);
  const nlohmann::json json = nlohmann::json::parse(run.out);
  CHECK(json["agents"] == 54);
  CHECK(json["scheduled"] == 78);  // ceil(54 / 0.7)
  CHECK(json["service_level"].get<double>() >= 0.8);
  for (const char* key : {"p_wait", "asa_s", "occupancy", "load_erlangs"}) {
    CHECK(json.contains(key));
  }

  const Run a = RunArgs({"staff", "--arrivals", "720/h", "--aht", "240s", "--model", "a",
                         "--patience", "300s", "--max-abandon", "0.005", "--format", "json"});
  REQUIRE(a.status == 0);
  const nlohmann::json ja = nlohmann::json::parse(a.out);
  CHECK(ja["abandon_rate"].get<double>() <= 0.005);
  CHECK(ja["model"] == "a");
}

TEST_CASE("staff with model a at 9,000 Erlangs gives the smallest count", "[cli][staff]") {
  const Run run = RunArgs({"staff", "--arrivals", "135000/h", "--aht", "240s", "--model", "a",
                           "--patience", "180s", "--format", "json"});
  INFO(run.err);
  REQUIRE(run.status == 0);
  const nlohmann::json json = nlohmann::json::parse(run.out);
  CHECK(json["agents"] == 8176);
  CHECK(json["occupancy"].get<double>() <= 1);
  CHECK(json["service_level"].get<double>() >= 0.8);

  // Counts Erlang A cannot evaluate (too long a queue) are passed over, not an error.
  const Run patient = RunArgs({"staff", "--arrivals", "9000/s", "--aht", "1s", "--model", "a",
                               "--patience", "100000", "--format", "json"});
  INFO(patient.err);
  REQUIRE(patient.status == 0);
  CHECK(nlohmann::json::parse(patient.out)["agents"].get<int>() > 8900);
}

TEST_CASE("erlang prints the same numbers as a table and as JSON", "[cli][erlang]") {
  for (const std::string model : {"b", "c", "a"}) {
    INFO(model);
    std::vector<std::string> args = {"erlang", model, "--arrivals", "720/h", "--aht", "240s",
                                     "--agents", "55"};
    if (model == "a") {
      args.push_back("--patience");
      args.push_back("300s");
    }
    std::vector<std::string> json_args = args;
    json_args.push_back("--format");
    json_args.push_back("json");
    args.push_back("--format");
    args.push_back("table");
    const Run json_run = RunArgs(json_args);
    const Run table = RunArgs(args);
    REQUIRE(json_run.status == 0);
    REQUIRE(table.status == 0);
    const nlohmann::json json = nlohmann::json::parse(json_run.out);
    const auto percent = [&](const char* key) {
      char text[32];
      std::snprintf(text, sizeof text, "%.1f%%", json[key].get<double>() * 100);
      return std::string(text);
    };
    if (model == "b") {
      CHECK(table.out.find("blocking       " + percent("blocking")) != std::string::npos);
      continue;
    }
    for (const char* key : {"p_wait", "service_level", "occupancy"}) {
      INFO(key);
      CHECK(table.out.find(percent(key)) != std::string::npos);
    }
    if (model == "a") CHECK(table.out.find(percent("abandon_rate")) != std::string::npos);
  }
}

TEST_CASE("staff --intraday gives the requirement per interval", "[cli][staff][intraday]") {
  const Run run = RunArgs({"staff", "--intraday", kIntraday, "--format", "json"});
  INFO(run.err);
  REQUIRE(run.status == 0);
  const nlohmann::json json = nlohmann::json::parse(run.out);
  CHECK(json["interval_s"] == 1800);
  REQUIRE(json["intervals"].size() == 24);
  CHECK(json["intervals"][0]["start"] == "08:00");
  CHECK_FALSE(json.contains("verify"));
  CHECK_FALSE(json["intervals"][0].contains("simulated"));
  for (const auto& row : json["intervals"]) {
    absl::StatusOr<StaffingResult> direct =
        Staff(row["arrivals"].get<double>() / 1800, row["aht_s"].get<double>(), {});
    REQUIRE(direct.ok());
    CHECK(row["agents"] == direct->agents);
  }

  const Run table = RunArgs({"staff", "--intraday", kIntraday, "--format", "table"});
  REQUIRE(table.status == 0);
  CHECK(Lines(table.out) == 26);  // header, 24 intervals, totals
}

TEST_CASE("a malformed intraday row exits 2 naming the file, line and column",
          "[cli][staff][intraday][errors]") {
  const fs::path dir = TempDir("bad_row");
  const std::string file = (dir / "day.csv").string();
  std::ofstream(file) << "start,arrivals,aht_s\n08:00,10,240\n08:30,ten,240\n";
  const Run run = RunArgs({"staff", "--intraday", file});
  CHECK(run.status == 2);
  CHECK(run.err == "switchboard: " + file +
                       ": line 3, column 2 (arrivals): expected a number >= 0, got 'ten'\n");
  fs::remove_all(dir);
}

TEST_CASE("staff --verify --out writes the JSON, the CSV and maybe the plot",
          "[cli][staff][intraday][simulation]") {
  const fs::path dir = TempDir("verify");
  const Run run = RunArgs({"staff", "--intraday", kIntraday, "--verify", "--replications", "5",
                           "--seed", "3", "--out", dir.string(), "--format", "json"});
  INFO(run.err);
  REQUIRE(run.status == 0);
  const nlohmann::json json = nlohmann::json::parse(run.out);
  CHECK(json["verify"]["replications"] == 5);
  CHECK(json["verify"]["seed"] == 3);
  const auto& first = json["intervals"][0];
  CHECK(first["simulated"]["service_level"]["mean"].get<double>() > 0.5);
  CHECK(first["simulated"]["service_level"]["ci95"].get<double>() > 0);
  CHECK(first.contains("disagrees"));
  CHECK(nlohmann::json::parse(ReadFile(dir / "staffing.json")) == json);
  const std::string csv = ReadFile(dir / "staffing.csv");
  CHECK(csv.rfind("start,arrivals,aht_s,load_erlangs,agents,scheduled,", 0) == 0);
  CHECK(csv.find("sim_service_level_ci95") != std::string::npos);
  CHECK(Lines(csv) == 25);
  CHECK(run.err.find("wrote") != std::string::npos);
  // The plot is drawn when Python and matplotlib are there, else skipped (not a failure).
  CHECK((fs::exists(dir / "staffing.png") || run.err.find("plot skipped") != std::string::npos));

  // Same seed, same numbers.
  const Run again = RunArgs({"staff", "--intraday", kIntraday, "--verify", "--replications", "5",
                             "--seed", "3", "--format", "json"});
  CHECK(again.out == run.out);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace switchboard
