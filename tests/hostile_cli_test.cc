// Hostile input to the `switchboard` command line: every probe that once crashed a process, took
// the machine's memory or slipped past a limit stays here as a regression case. Each must end
// with exit status 2 (bad input: nothing ran) or 1 (the run failed), a one-line message, and
// never a signal. The same probes through Python are in bindings/tests/test_hostile.py.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli_run.h"

namespace switchboard {
namespace {

namespace fs = std::filesystem;

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif
#else
constexpr bool kAddressSanitizer = false;
#endif

// A scenario file in the system's temporary directory, removed at the end of the test.
class ScenarioFile {
 public:
  ScenarioFile(const std::string& name, const std::string& text)
      : path_(fs::temp_directory_path() /
              ("switchboard_hostile_cli_" + std::to_string(::getpid()) + "_" + name)) {
    std::ofstream(path_, std::ios::binary) << text;
  }
  ~ScenarioFile() {
    std::error_code ignored;
    fs::remove(path_, ignored);
  }
  std::string path() const { return path_.string(); }

 private:
  fs::path path_;
};

// One queue, 100 contacts an hour for an hour, `agents` agents.
std::string Tiny(const std::string& simulation_extra = "", const std::string& rate = "100",
                 const std::string& agents = "5") {
  return "[simulation]\nseed = 3\nduration = \"1h\"\n" + simulation_extra +
         "\n[[queue]]\nname = \"support\"\n"
         "\n[[traffic]]\nqueue = \"support\"\narrivals = { rate = " +
         rate +
         ", per = \"1h\" }\nhandle = { dist = \"exponential\", mean = \"3m\" }\n"
         "\n[[agents]]\ncount = " +
         agents + "\nskills = { support = 1 }\n";
}

// Checks a refusal: `status`, one line on stderr containing `expected`, nothing on stdout.
void Refused(const Run& run, int status, const std::string& expected) {
  INFO(run.err);
  CHECK(run.status == status);
  CHECK(run.err.find(expected) != std::string::npos);
  CHECK(std::count(run.err.begin(), run.err.end(), '\n') == 1);
  CHECK(run.out.empty());
}

TEST_CASE("An arrival rate of 1e12 an hour is refused before it takes the memory",
          "[cli][hostile]") {
  const ScenarioFile file("flood.toml", Tiny("", "1e12"));
  Refused(RunArgs({"simulate", file.path()}), 2,
          "traffic #1 ('support'): arrivals: the arrival rates give 1e+12 expected contacts");
}

TEST_CASE("Replications given on the command line obey the same limit as the file", "[cli][hostile]") {
  const ScenarioFile file("tiny.toml", Tiny());
  Refused(RunArgs({"simulate", file.path(), "--replications", "200000"}), 2,
          "replications is 200000; the limit is 100000");
  const ScenarioFile many("many.toml", Tiny("replications = 200000\n"));
  Refused(RunArgs({"simulate", many.path()}), 2, "replications is 200000; the limit is 100000");
}

TEST_CASE("Agents are limited over all groups", "[cli][hostile]") {
  const ScenarioFile file("crowd.toml", Tiny("", "100", "2000000000"));
  Refused(RunArgs({"simulate", file.path()}), 2,
          "2000000000 agents in all groups; the limit is 100000");
}

TEST_CASE("The limits are raised or lowered on the command line", "[cli][hostile]") {
  const ScenarioFile file("tiny.toml", Tiny());
  Refused(RunArgs({"simulate", file.path(), "--max-contacts-per-replication", "50"}), 2,
          "the limit is 50 (raise max_contacts_per_replication");
  Refused(RunArgs({"simulate", file.path(), "--replications", "3", "--max-contacts", "250"}), 2,
          "3 replications of 100 expected contacts make 300; the limit is 250");
  Refused(RunArgs({"simulate", file.path(), "--replications", "3", "--max-replications", "2"}), 2,
          "replications is 3; the limit is 2");
  Refused(RunArgs({"simulate", file.path(), "--max-agents", "4"}), 2,
          "5 agents in all groups; the limit is 4");
  CHECK(RunArgs(
            {"simulate", file.path(), "--format", "json", "--max-contacts-per-replication", "200"})
            .status == 0);
  Refused(RunArgs({"simulate", file.path(), "--max-contacts", "-1"}), 2, "--max-contacts");
}

TEST_CASE("Threads beyond the limit are a command-line error", "[cli][hostile]") {
  const ScenarioFile file("tiny.toml", Tiny());
  Refused(RunArgs({"simulate", file.path(), "--threads", "2000"}), 2, "--threads");
  CHECK(RunArgs({"simulate", file.path(), "--threads", "200", "--format", "json"}).status == 0);
}

TEST_CASE("Threads the system cannot create end the run with status 1, not an abort",
          "[cli][hostile]") {
  if (kAddressSanitizer) {
    WARN("skipped under AddressSanitizer, which reserves terabytes of address space");
    return;
  }
  const ScenarioFile file("threads.toml", Tiny("replications = 200\n"));
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    // The probe: a process whose address space has room for a few thread stacks only.
    long pages = 0;
    if (std::FILE* statm = std::fopen("/proc/self/statm", "r")) {
      if (std::fscanf(statm, "%ld", &pages) != 1) pages = 0;
      std::fclose(statm);
    }
    const rlim_t limit = static_cast<rlim_t>(pages) * ::sysconf(_SC_PAGESIZE) + (48 << 20);
    const rlimit cap{limit, limit};
    if (pages == 0 || ::setrlimit(RLIMIT_AS, &cap) != 0) ::_exit(99);
    const Run run = RunArgs({"simulate", file.path(), "--threads", "200", "--format", "json"});
    std::fputs(run.err.c_str(), stderr);
    ::_exit(run.status);
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  INFO("wait status " << status);
  REQUIRE(WIFEXITED(status));  // not killed by a signal (std::terminate aborts)
  CHECK(WEXITSTATUS(status) == 1);
}

TEST_CASE("The 3-byte file cf bf 77 is a syntax error", "[cli][hostile]") {
  const ScenarioFile file("cfbf77.toml", "\xcf\xbf\x77");
  Refused(RunArgs({"simulate", file.path()}), 2, "line 1, column 1");
}

TEST_CASE("Deeply nested and binary files are refused with one line", "[cli][hostile]") {
  const ScenarioFile arrays("arrays.toml",
                            "x = " + std::string(20'000, '[') + std::string(20'000, ']') + "\n");
  Refused(RunArgs({"simulate", arrays.path()}), 2, arrays.path());
  std::string tables = "x = ";
  for (int i = 0; i < 20'000; ++i) tables += "{a = ";
  tables += "1" + std::string(20'000, '}') + "\n";
  const ScenarioFile inline_tables("tables.toml", tables);
  Refused(RunArgs({"simulate", inline_tables.path()}), 2, inline_tables.path());
  std::string header = "[a";
  for (int i = 0; i < 20'000; ++i) header += ".a";
  const ScenarioFile dotted("dotted.toml", header + "]\n");
  Refused(RunArgs({"simulate", dotted.path()}), 2, dotted.path());
  const ScenarioFile binary("binary.toml", std::string("\x00\xff\xfe\x01\x80", 5));
  Refused(RunArgs({"simulate", binary.path()}), 2, binary.path());
}

}  // namespace
}  // namespace switchboard
