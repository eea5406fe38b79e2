// The host protocol (host::Daemon): requests and replies, authentication and authorization,
// journaling, exact recovery and the audit trail.
#include "host/daemon.h"

#include <catch2/catch.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "nlohmann/json.hpp"

namespace switchboard::host {
namespace {

using nlohmann::json;


constexpr std::string_view kTokens = R"(
aaaaaaaaaaaaaaaa1111 agent:alice
bbbbbbbbbbbbbbbb2222 agent:mallory
ssssssssssssssss3333 supervisor:sam teams=blue
hhhhhhhhhhhhhhhh4444 host:pbx
)";

absl::Time Clock() { return absl::FromUnixSeconds(1800000000); }

std::unique_ptr<Daemon> Start(MemoryJournal& journal) {
  absl::StatusOr<AccessPolicy> policy = AccessPolicy::Parse(kTokens, "tokens");
  REQUIRE(policy.ok());
  absl::StatusOr<std::unique_ptr<Daemon>> daemon =
      Daemon::Recover(EngineOptions{}, &journal, *std::move(policy), Clock);
  INFO(daemon.status().ToString());
  REQUIRE(daemon.ok());
  return *std::move(daemon);
}

Session Trusted() { return {.principal = LocalAdministrator(), .trusted = true}; }

json Reply(const Output& output) { return json::parse(output.reply); }

std::string Dump(const Daemon& daemon) {
  return daemon.engine().Read([](const Engine& e) { return e.DumpState(); });
}

// The commands of a small day: a queue, two agents in two teams, contacts offered, answered,
// completed and waiting.
const std::vector<std::string> kDay = {
    R"({"id":1,"op":"add_queue","at":1700000000,"args":{"id":"support","service_level_threshold":20}})",
    R"({"id":2,"op":"add_agent","at":1700000000,"args":{"id":"alice","team":"blue"}})",
    R"({"id":3,"op":"add_agent","at":1700000000,"args":{"id":"bob","team":"red"}})",
    R"({"id":4,"op":"login","at":1700000001,"args":{"agent":"alice","ready":true}})",
    R"({"id":5,"op":"add_contact","at":1700000002,"args":{"id":"c1","queue":"support"}})",
    R"({"id":6,"op":"accept_offer","at":"2023-11-14T22:13:25.5Z","args":{"agent":"alice","contact":"c1"}})",
    R"({"id":7,"op":"add_contact","at":1700000010,"args":{"id":"c2","queue":"support"}})",
    R"({"id":8,"op":"login","at":1700000011,"args":{"agent":"bob"}})",
    R"({"id":9,"op":"complete_contact","at":1700000040,"args":{"agent":"alice","contact":"c1"}})",
    R"({"id":10,"op":"add_contact","at":1700000041,"args":{"id":"c3","queue":"support","priority":2}})",
};

}  // namespace

TEST_CASE("Each request gets one reply; a command's events follow it", "[daemon]") {
  MemoryJournal journal;
  std::unique_ptr<Daemon> daemon = Start(journal);
  Session session = Trusted();
  for (const std::string& line : kDay) {
    const Output output = daemon->HandleLine(line, session);
    INFO(line << " -> " << output.reply);
    const json reply = Reply(output);
    CHECK(reply["ok"] == true);
    CHECK(reply["id"] == json::parse(line)["id"]);
  }
  CHECK(journal.payloads().size() == kDay.size());
  const Output offered = daemon->HandleLine(
      R"({"id":"x","op":"add_contact","at":1700000050,"args":{"id":"c4","queue":"support"}})",
      session);
  REQUIRE_FALSE(offered.events.empty());
  CHECK(json::parse(offered.events.front()).contains("event"));

  const json stats = Reply(daemon->HandleLine(
      R"({"id":11,"op":"queue_stats","args":{"queue":"support"}})", session));
  CHECK(stats["ok"] == true);
  CHECK(stats["result"]["waiting"] == 2);  // c3 and c4: alice took c2 when c1 ended
  const json agents = Reply(daemon->HandleLine(R"({"op":"list_agents"})", session));
  CHECK(agents["result"] == json({"alice", "bob"}));
  CHECK(journal.payloads().size() == kDay.size() + 1);  // queries are not journaled
}

TEST_CASE("A malformed request is answered with what was wrong and changes nothing", "[daemon]") {
  MemoryJournal journal;
  std::unique_ptr<Daemon> daemon = Start(journal);
  Session session = Trusted();
  for (size_t i = 0; i < 5; ++i) REQUIRE(Reply(daemon->HandleLine(kDay[i], session))["ok"] == true);
  const std::string before = Dump(*daemon);
  const size_t journaled = journal.payloads().size();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"not json", "not JSON: "},
      {"[1, 2]", "a request is a JSON object"},
      {R"({"id":1})", "missing 'op'"},
      {R"({"op":5})", "'op' must be a string"},
      {R"({"op":"fly"})", "unknown op 'fly'"},
      {R"({"op":"login","args":{"agent":5}})", "args.agent"},
      {R"({"op":"login","args":[]})", "'args' must be an object"},
      {R"({"op":"login","colour":"red","args":{"agent":"alice"}})", "unknown key 'colour'"},
      {R"({"op":"login","at":"yesterday","args":{"agent":"bob"}})", ""},
      {std::string(100, '[') + std::string(100, ']'), "nested deeper than 64"},
      {R"({"op":"queue_stats","args":{}})", "'queue_stats' needs 'queue'"},
  };
  for (const auto& [line, message] : cases) {
    const Output output = daemon->HandleLine(line, session);
    INFO(line << " -> " << output.reply);
    const json reply = Reply(output);
    CHECK(reply["ok"] == false);
    CHECK(reply["error"]["code"] == "INVALID_ARGUMENT");
    CHECK(reply["error"]["message"].get<std::string>().find(message) != std::string::npos);
    CHECK(output.events.empty());
  }
  CHECK(journal.payloads().size() == journaled);
  CHECK(Dump(*daemon) == before);
}

TEST_CASE("A connection authenticates with a token and acts only as its actor", "[daemon]") {
  MemoryJournal journal;
  std::unique_ptr<Daemon> daemon = Start(journal);
  Session admin = Trusted();
  for (const std::string& line : kDay) REQUIRE(Reply(daemon->HandleLine(line, admin))["ok"] == true);
  const size_t journaled = journal.payloads().size();

  Session socket;
  json reply = Reply(daemon->HandleLine(R"({"op":"logout","args":{"agent":"alice"}})", socket));
  CHECK(reply["error"]["code"] == "UNAUTHENTICATED");
  reply = Reply(daemon->HandleLine(R"({"op":"auth","token":"wrong-token-000000"})", socket));
  CHECK(reply["error"]["code"] == "UNAUTHENTICATED");
  reply = Reply(daemon->HandleLine(R"({"op":"auth","token":"bbbbbbbbbbbbbbbb2222"})", socket));
  CHECK(reply["ok"] == true);
  CHECK(reply["result"]["actor"] == "agent:mallory");
  CHECK(journal.payloads().size() == journaled);

  const std::string before = Dump(*daemon);
  SECTION("a command on another agent is refused, journaled as a refusal and not executed") {
    const Output output = daemon->HandleLine(
        R"({"id":20,"op":"set_not_ready","at":1700000100,"args":{"agent":"alice","reason":"x"}})",
        socket);
    reply = Reply(output);
    CHECK(reply["error"]["code"] == "PERMISSION_DENIED");
    CHECK(output.events.empty());
    REQUIRE(journal.payloads().size() == journaled + 1);
    const json record = json::parse(journal.payloads().back());
    CHECK(record["refused"] == "PERMISSION_DENIED");
    CHECK(record["actor"] == "agent:mallory");
    CHECK(Dump(*daemon) == before);
  }
  SECTION("claiming another actor is refused, and journaled as a refusal") {
    reply = Reply(daemon->HandleLine(
        R"({"op":"set_ready","actor":"agent:alice","args":{"agent":"alice"}})", socket));
    CHECK(reply["error"]["code"] == "PERMISSION_DENIED");
    CHECK(reply["error"]["message"] ==
          "agent:mallory may not act as agent:alice: only the host names another actor");
    CHECK(Dump(*daemon) == before);
    REQUIRE(journal.payloads().size() == journaled + 1);
    CHECK(json::parse(journal.payloads().back())["actor"] == "agent:mallory");
  }
  SECTION("a host's integration names agents, never the administrator") {
    Session pbx;
    REQUIRE(Reply(daemon->HandleLine(R"({"op":"auth","token":"hhhhhhhhhhhhhhhh4444"})", pbx))["ok"] == true);
    reply = Reply(daemon->HandleLine(
        R"({"op":"set_not_ready","at":1700000100,"actor":"agent:bob","args":{"agent":"bob","reason":"x"}})",
        pbx));
    CHECK(reply["ok"] == true);
    for (const char* line : {R"({"op":"add_queue","actor":"host","args":{"id":"q9"}})",
                             R"({"op":"add_queue","actor":"system","args":{"id":"q9"}})"}) {
      reply = Reply(daemon->HandleLine(line, pbx));
      CHECK(reply["error"]["code"] == "PERMISSION_DENIED");
      CHECK(reply["error"]["message"].get<std::string>().find("not with more rights than its own") !=
            std::string::npos);
    }
  }
  SECTION("a dump is the host's") {
    reply = Reply(daemon->HandleLine(R"({"op":"dump"})", socket));
    CHECK(reply["error"]["code"] == "PERMISSION_DENIED");
  }
  SECTION("the trusted host names the actor it authenticated; the policy applies to it") {
    reply = Reply(daemon->HandleLine(
        R"({"op":"set_not_ready","at":1700000100,"actor":"agent:bob","args":{"agent":"alice","reason":"x"}})",
        admin));
    CHECK(reply["error"]["code"] == "PERMISSION_DENIED");
    reply = Reply(daemon->HandleLine(
        R"({"op":"set_not_ready","at":1700000100,"actor":"agent:bob","args":{"agent":"bob","reason":"x"}})",
        admin));
    CHECK(reply["ok"] == true);
    CHECK(json::parse(journal.payloads().back())["actor"] == "agent:bob");
  }
}

TEST_CASE("Recovery replays the journal into the same whole state", "[daemon][recovery]") {
  MemoryJournal journal;
  std::unique_ptr<Daemon> daemon = Start(journal);
  Session session = Trusted();
  Session mallory;
  REQUIRE(Reply(daemon->HandleLine(R"({"op":"auth","token":"bbbbbbbbbbbbbbbb2222"})", mallory))["ok"] == true);
  for (const std::string& line : kDay) daemon->HandleLine(line, session);
  // A refusal by the engine (unknown agent) still moves time; one by the policy does not.
  CHECK(Reply(daemon->HandleLine(R"({"op":"login","at":1700000060,"args":{"agent":"zed"}})",
                                 session))["error"]["code"] == "NOT_FOUND");
  CHECK(Reply(daemon->HandleLine(R"({"op":"logout","at":1700000070,"args":{"agent":"alice"}})",
                                 mallory))["error"]["code"] == "PERMISSION_DENIED");
  const std::string before = Dump(*daemon);

  MemoryJournal copy;
  copy.mutable_payloads() = journal.payloads();
  std::unique_ptr<Daemon> recovered = Start(copy);
  CHECK(recovered->recovery().commands_replayed == static_cast<int64_t>(kDay.size()) + 1);
  CHECK(recovered->recovery().refusals == 1);
  CHECK(Dump(*recovered) == before);

  // Both go on alike: the same reply and the same events for the same next command.
  const std::string next =
      R"({"id":30,"op":"advance","at":1700000200})";
  Session other = Trusted();
  const Output a = daemon->HandleLine(next, session);
  const Output b = recovered->HandleLine(next, other);
  CHECK(a.reply == b.reply);
  CHECK(a.events == b.events);
  CHECK(Dump(*daemon) == Dump(*recovered));
}

TEST_CASE("Recovery starts from the newest snapshot that loads and replays the rest",
          "[daemon][recovery][snapshot]") {
  MemoryJournal journal;
  std::unique_ptr<Daemon> daemon = Start(journal);
  Session session = Trusted();
  for (size_t i = 0; i < 6; ++i) daemon->HandleLine(kDay[i], session);
  absl::StatusOr<Snapshot> early = daemon->TakeSnapshot();
  REQUIRE(early.ok());
  CHECK(early->seq == 6);
  for (size_t i = 6; i < kDay.size(); ++i) daemon->HandleLine(kDay[i], session);
  const std::string before = Dump(*daemon);
  absl::StatusOr<AccessPolicy> policy = AccessPolicy::Parse("", "none");
  REQUIRE(policy.ok());

  SECTION("from the snapshot, then the records after it") {
    absl::StatusOr<std::unique_ptr<Daemon>> recovered =
        Daemon::Recover(EngineOptions{}, &journal, *policy, Clock, {*early});
    REQUIRE(recovered.ok());
    CHECK((*recovered)->recovery().snapshot_seq == 6);
    CHECK((*recovered)->recovery().commands_replayed == static_cast<int64_t>(kDay.size()) - 6);
    CHECK(Dump(**recovered) == before);
  }
  SECTION("a snapshot ahead of the journal or one that does not load is passed over") {
    Snapshot ahead{.seq = 99, .state = early->state};
    Snapshot damaged{.seq = 7, .state = early->state.substr(0, early->state.size() / 2)};
    absl::StatusOr<std::unique_ptr<Daemon>> recovered =
        Daemon::Recover(EngineOptions{}, &journal, *policy, Clock, {ahead, damaged, *early});
    REQUIRE(recovered.ok());
    CHECK((*recovered)->recovery().skipped_snapshots.size() == 2);
    CHECK((*recovered)->recovery().snapshot_seq == 6);
    CHECK(Dump(**recovered) == before);
    recovered = Daemon::Recover(EngineOptions{}, &journal, *policy, Clock, {damaged});
    REQUIRE(recovered.ok());
    CHECK((*recovered)->recovery().snapshot_seq == 0);  // the whole journal instead
    CHECK(Dump(**recovered) == before);
  }
  SECTION("the snapshot op writes through the host's writer") {
    std::vector<Snapshot> written;
    daemon->SetSnapshotWriter([&](const Snapshot& snapshot) {
      written.push_back(snapshot);
      return absl::OkStatus();
    });
    const json reply = Reply(daemon->HandleLine(R"({"op":"snapshot"})", session));
    CHECK(reply["ok"] == true);
    CHECK(reply["result"]["seq"] == kDay.size());
    REQUIRE(written.size() == 1);
    CHECK(written[0].state == before);
  }
}

TEST_CASE("A journal that does not replay as written stops recovery", "[daemon][recovery]") {
  MemoryJournal journal;
  std::unique_ptr<Daemon> daemon = Start(journal);
  Session session = Trusted();
  for (const std::string& line : kDay) daemon->HandleLine(line, session);
  MemoryJournal tampered;
  tampered.mutable_payloads() = journal.payloads();
  json record = json::parse(tampered.mutable_payloads()[3]);
  record["code"] = "NOT_FOUND";
  tampered.mutable_payloads()[3] = record.dump();
  absl::StatusOr<AccessPolicy> policy = AccessPolicy::Parse("", "none");
  absl::StatusOr<std::unique_ptr<Daemon>> recovered =
      Daemon::Recover(EngineOptions{}, &tampered, *policy, Clock);
  REQUIRE_FALSE(recovered.ok());
  CHECK(recovered.status().code() == absl::StatusCode::kDataLoss);
  CHECK(recovered.status().message().find("journal record #4 (login)") != absl::string_view::npos);

  tampered.mutable_payloads() = journal.payloads();
  tampered.mutable_payloads()[5] = "{\"at\": 1";
  recovered = Daemon::Recover(EngineOptions{}, &tampered, *policy, Clock);
  REQUIRE_FALSE(recovered.ok());
  CHECK(recovered.status().code() == absl::StatusCode::kDataLoss);
}

TEST_CASE("A command the journal cannot take stops the daemon taking commands", "[daemon]") {
  MemoryJournal journal;
  std::unique_ptr<Daemon> daemon = Start(journal);
  Session session = Trusted();
  CHECK(Reply(daemon->HandleLine(kDay[0], session))["ok"] == true);
  journal.FailAppends();
  json reply = Reply(daemon->HandleLine(kDay[1], session));
  CHECK(reply["error"]["code"] == "DATA_LOSS");
  reply = Reply(daemon->HandleLine(kDay[2], session));
  CHECK(reply["error"]["code"] == "DATA_LOSS");
  // Queries still answer.
  CHECK(Reply(daemon->HandleLine(R"({"op":"list_queues"})", session))["ok"] == true);
}

TEST_CASE("The audit trail lists commands, refusals and events, filtered", "[daemon][audit]") {
  MemoryJournal journal;
  std::unique_ptr<Daemon> daemon = Start(journal);
  Session session = Trusted();
  Session mallory;
  daemon->HandleLine(R"({"op":"auth","token":"bbbbbbbbbbbbbbbb2222"})", mallory);
  for (const std::string& line : kDay) daemon->HandleLine(line, session);
  daemon->HandleLine(R"({"op":"logout","at":1700000070,"args":{"agent":"alice"}})", mallory);

  const auto audit = [&](AuditFilter filter) {
    std::ostringstream out;
    REQUIRE(ExportAudit(EngineOptions{}, journal.payloads(), filter, out).ok());
    std::vector<json> lines;
    std::istringstream in(out.str());
    for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
    return lines;
  };
  const std::vector<json> by_mallory = audit({.actor = "agent:mallory"});
  REQUIRE(by_mallory.size() == 1);
  CHECK(by_mallory[0]["record"]["refused"] == "PERMISSION_DENIED");
  CHECK(by_mallory[0]["record"]["seq"] == kDay.size() + 1);

  const std::vector<json> c1 = audit({.contact = "c1"});
  int records = 0;
  for (const json& line : c1) {
    if (line.contains("record")) {
      ++records;
    } else {
      CHECK(line["event"]["contact"] == "c1");
    }
  }
  CHECK(records == 3);  // add_contact, accept_offer, complete_contact
  CHECK(c1.size() > 3);

  const std::vector<json> window = audit({.since = absl::FromUnixSeconds(1700000040),
                                          .until = absl::FromUnixSeconds(1700000041),
                                          .events = false});
  REQUIRE(window.size() == 1);
  CHECK(window[0]["record"]["op"] == "complete_contact");
}

}  // namespace switchboard::host
