// Hostile scenario text: every probe that once reached undefined behaviour in the TOML parser,
// recursed without bound, or described more work than a machine has stays here as a regression
// case. Each is refused with InvalidArgument and one line that starts with the file's name; a
// file that parses but describes too much work is refused by ValidateSimulation, naming the key.
// (The sanitizer run of scripts/test.sh runs this file under ASan and UBSan, where reaching
// toml++'s "unreachable" is an error.)
#include <catch2/catch.hpp>
#include <string>

#include "switchboard/limits.h"
#include "switchboard/scenario.h"
#include "switchboard/sim.h"

namespace switchboard {
namespace {

std::string MessageOf(const absl::Status& status) { return std::string(status.message()); }

// A valid scenario with `queue_name` and `rate` arrivals an hour, plus `extra` lines.
std::string Scenario(const std::string& extra = "", const std::string& rate = "100",
                     const std::string& queue_name = "support") {
  return "[simulation]\nduration = \"1h\"\n" + extra + "\n[[queue]]\nname = \"" + queue_name +
         "\"\n\n[[traffic]]\nqueue = \"" + queue_name + "\"\narrivals = { rate = " + rate +
         ", per = \"1h\" }\nhandle = { dist = \"exponential\", mean = \"3m\" }\n\n[[agents]]\n"
         "count = 5\nskills = { support = 1 }\n";
}

// Refused at parse time with one line starting "hostile.toml: " and containing `expected`.
void RefusedText(const std::string& text, const std::string& expected = "") {
  const absl::StatusOr<SimulationConfig> config = ParseScenario(text, "hostile.toml");
  REQUIRE_FALSE(config.ok());
  const std::string message = MessageOf(config.status());
  INFO(message.substr(0, 300));
  CHECK(config.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(message.rfind("hostile.toml: ", 0) == 0);
  CHECK(message.find(expected) != std::string::npos);
}

// Parses, but ValidateSimulation refuses it with a message containing `expected`.
void RefusedWork(const std::string& text, const std::string& expected) {
  const absl::StatusOr<SimulationConfig> config = ParseScenario(text, "hostile.toml");
  REQUIRE(config.ok());
  const absl::Status status = ValidateSimulation(*config);
  INFO(status);
  CHECK(status.code() == absl::StatusCode::kInvalidArgument);
  CHECK(MessageOf(status).find(expected) != std::string::npos);
}

TEST_CASE("The 3-byte file cf bf 77 is a syntax error, not toml++'s unreachable",
          "[scenario][hostile]") {
  RefusedText("\xcf\xbf\x77", "line 1, column 1");
  // Other code points in blocks with no whitespace or key characters, outside strings.
  RefusedText("\xcd\xb8 = 1");
  RefusedText("a = 1\n\xe2\xbf\xbf\n");
  RefusedText("[\xcf\xbf]\n");
}

TEST_CASE("Nesting of any depth is refused without recursing that deep", "[scenario][hostile]") {
  for (const int depth : {300, 10'000, 20'000}) {
    INFO("depth " << depth);
    RefusedText("x = " + std::string(depth, '[') + std::string(depth, ']'));
    std::string tables = "x = ";
    for (int i = 0; i < depth; ++i) tables += "{a = ";
    RefusedText(tables + "1" + std::string(depth, '}'));
    std::string dotted = "[a";
    for (int i = 0; i < depth; ++i) dotted += ".a";
    RefusedText(dotted + "]\n");
  }
}

TEST_CASE("Bytes that are not UTF-8 are refused wherever they appear", "[scenario][hostile]") {
  RefusedText(Scenario("", "100", "sup\xffport"));
  RefusedText("# comment \xc0\xaf\n" + Scenario());
  RefusedText(std::string("\x00\xff\xfe\x01", 4));
  RefusedText(Scenario() + "\n\xed\xa0\x80 = 1\n");
}

TEST_CASE("Text beyond its limit is refused, naming it", "[scenario][hostile]") {
  RefusedText(Scenario("", "100", std::string(300, 'q')), "key 'name': the name is 300 bytes");
  std::string group = Scenario();
  group.replace(group.find("count = 5"), 9, "count = 5\nname = \"" + std::string(201, 'g') + "\"");
  RefusedText(group, "key 'name': the name is 201 bytes; expected at most 200");
}

TEST_CASE("A scenario that describes too much work is refused before it runs",
          "[scenario][hostile]") {
  // The probe: 1e12 contacts an hour took 20 GB within a minute.
  RefusedWork(Scenario("", "1e12"), "traffic #1 ('support'): arrivals: the arrival rates give");
  RefusedWork(Scenario("replications = 200000\n"), "replications is 200000; the limit is 100000");
  RefusedWork(Scenario("replications = 100000\n", "10000"),
              "100000 replications of 1e+04 expected contacts make 1e+09");
  std::string crowd = Scenario();
  crowd.replace(crowd.find("count = 5"), 9, "count = 150000");
  RefusedWork(crowd, "150000 agents in all groups; the limit is 100000");
  RefusedText(Scenario("", "nan"), "arrivals");
  RefusedText(Scenario("", "inf"), "arrivals");
  RefusedText(Scenario("", "-1"), "arrivals");
}

TEST_CASE("Odd numbers are refused with their key", "[scenario][hostile]") {
  RefusedText(Scenario("seed = 99999999999999999999\n"), "line 3");
  RefusedText(Scenario("replications = 9999999999\n"), "key 'replications'");
  std::string long_run = Scenario();
  long_run.replace(long_run.find("\"1h\""), 4, "\"99999999999999999h\"");
  RefusedText(long_run, "key 'duration'");
  RefusedText(Scenario("warmup = 1e308\n"), "warmup");
}

}  // namespace
}  // namespace switchboard
