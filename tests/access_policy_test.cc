// The access policy of the daemon: tokens, roles and who may issue which command.
#include "host/access_policy.h"

#include <catch2/catch.hpp>
#include <string>

#include "absl/time/time.h"
#include "switchboard/engine.h"

namespace switchboard::host {
namespace {

const absl::Time kT0 = absl::FromUnixSeconds(1700000000);

constexpr std::string_view kTokens = R"(# token                          actor            options
aaaaaaaaaaaaaaaa1111 agent:alice
bbbbbbbbbbbbbbbb2222 agent:mallory
ssssssssssssssss3333 supervisor:sam   teams=blue
hhhhhhhhhhhhhhhh4444 host:pbx
dddddddddddddddd5555 host:ops         role=administrator
)";

AccessPolicy Policy() {
  absl::StatusOr<AccessPolicy> policy = AccessPolicy::Parse(kTokens, "tokens.txt");
  INFO(policy.status().ToString());
  REQUIRE(policy.ok());
  return *std::move(policy);
}

// alice and mallory in team blue's and red's queues; a contact ringing at alice.
Engine Center() {
  Engine engine;
  REQUIRE(engine.AddQueue(kT0, {.id = "support"}).ok());
  REQUIRE(engine.AddAgent(kT0, {.id = "alice", .team = "blue"}).ok());
  REQUIRE(engine.AddAgent(kT0, {.id = "mallory", .team = "red"}).ok());
  REQUIRE(engine.Login(kT0, "alice", true).ok());
  REQUIRE(engine.AddContact(kT0, {.id = "c1", .queue = "support"}).ok());
  return engine;
}

Principal As(const AccessPolicy& policy, std::string_view token) {
  std::optional<Principal> principal = policy.Authenticate(token);
  REQUIRE(principal.has_value());
  return *principal;
}

}  // namespace

TEST_CASE("A token names its actor and role; a wrong or near token names nobody", "[access]") {
  const AccessPolicy policy = Policy();
  CHECK(policy.size() == 5);
  const Principal alice = As(policy, "aaaaaaaaaaaaaaaa1111");
  CHECK(ActorName(alice.actor) == "agent:alice");
  CHECK(alice.role == Role::kAgent);
  const Principal sam = As(policy, "ssssssssssssssss3333");
  CHECK(sam.role == Role::kSupervisor);
  CHECK(sam.teams == std::vector<std::string>{"blue"});
  CHECK(As(policy, "hhhhhhhhhhhhhhhh4444").role == Role::kHost);
  CHECK(As(policy, "dddddddddddddddd5555").role == Role::kAdministrator);
  CHECK_FALSE(policy.Authenticate("aaaaaaaaaaaaaaaa1112").has_value());
  CHECK_FALSE(policy.Authenticate("aaaaaaaaaaaaaaaa111").has_value());
  CHECK_FALSE(policy.Authenticate("").has_value());
}

TEST_CASE("A tokens file with a mistake is refused with its line", "[access]") {
  const auto error = [](std::string_view text) {
    absl::StatusOr<AccessPolicy> policy = AccessPolicy::Parse(text, "t.txt");
    REQUIRE_FALSE(policy.ok());
    CHECK(policy.status().code() == absl::StatusCode::kInvalidArgument);
    return std::string(policy.status().message());
  };
  CHECK(error("short agent:a") == "t.txt: line 1: a token is 16 to 256 printable bytes; this one has 5");
  CHECK(error("\naaaaaaaaaaaaaaaa1111\n") ==
        "t.txt: line 2: expected 'TOKEN ACTOR [role=...] [teams=...]'");
  CHECK(error("aaaaaaaaaaaaaaaa1111 agent:a\naaaaaaaaaaaaaaaa1111 agent:b") ==
        "t.txt: line 2: this token is given twice");
  CHECK(error("aaaaaaaaaaaaaaaa1111 robot:a") ==
        "t.txt: line 1: actor 'robot:a': expected agent:ID, supervisor:ID or host:ID");
  CHECK(error("aaaaaaaaaaaaaaaa1111 agent:a teams=x") == "t.txt: line 1: only a supervisor has teams");
  CHECK(error("aaaaaaaaaaaaaaaa1111 agent:a role=administrator") ==
        "t.txt: line 1: only a host actor takes a role");
  CHECK(error("aaaaaaaaaaaaaaaa1111 host:a role=root") ==
        "t.txt: line 1: role 'root': expected 'host' or 'administrator'");
  CHECK(error("aaaaaaaaaaaaaaaa1111 host:a colour=red") ==
        "t.txt: line 1: unknown option 'colour=red'; expected role=... or teams=...");
}

TEST_CASE("An agent acts only on itself and its own contacts", "[access]") {
  const AccessPolicy policy = Policy();
  const Engine engine = Center();
  const Principal alice = As(policy, "aaaaaaaaaaaaaaaa1111");
  const Principal mallory = As(policy, "bbbbbbbbbbbbbbbb2222");
  CHECK(Authorize(alice, SetNotReady{.agent = "alice", .reason = "lunch"}, engine).ok());
  CHECK(Authorize(alice, AcceptOffer{.agent = "alice", .contact = "c1"}, engine).ok());
  CHECK(Authorize(alice, Advance{}, engine).ok());

  const absl::Status login = Authorize(mallory, Login{.agent = "alice"}, engine);
  CHECK(login.code() == absl::StatusCode::kPermissionDenied);
  CHECK(login.message() ==
        "agent:mallory may not login for agent 'alice': an agent acts only on itself");
  CHECK(Authorize(mallory, AcceptOffer{.agent = "alice", .contact = "c1"}, engine).code() ==
        absl::StatusCode::kPermissionDenied);
  for (const CommandBody& body :
       {CommandBody(AddQueue{.config = {.id = "q2"}}), CommandBody(AddContact{.config = {.id = "c2"}}),
        CommandBody(MoveContact{.contact = "c1", .queue = "support"}),
        CommandBody(RemoveContact{.contact = "c1", .reason = "spam"}),
        CommandBody(AbandonContact{.contact = "c1"})}) {
    CHECK(Authorize(alice, body, engine).code() == absl::StatusCode::kPermissionDenied);
  }
}

TEST_CASE("A supervisor acts on agents of its teams and supervises contacts", "[access]") {
  const AccessPolicy policy = Policy();
  const Engine engine = Center();
  const Principal sam = As(policy, "ssssssssssssssss3333");
  CHECK(Authorize(sam, SetNotReady{.agent = "alice", .reason = "coaching"}, engine).ok());
  CHECK(Authorize(sam, AssignContact{.contact = "c1", .agent = "alice"}, engine).ok());
  CHECK(Authorize(sam, MoveContact{.contact = "c1", .queue = "support"}, engine).ok());
  const absl::Status other_team = Authorize(sam, Logout{.agent = "mallory"}, engine);
  CHECK(other_team.code() == absl::StatusCode::kPermissionDenied);
  CHECK(other_team.message() == "supervisor:sam may not logout for agent 'mallory': a supervisor "
                                "acts only on agents of its team(s) blue");
  CHECK(Authorize(sam, Logout{.agent = "nobody"}, engine).code() ==
        absl::StatusCode::kPermissionDenied);
  CHECK(Authorize(sam, AcceptOffer{.agent = "alice", .contact = "c1"}, engine).code() ==
        absl::StatusCode::kPermissionDenied);
  CHECK(Authorize(sam, UpdateQueue{.config = {.id = "support"}}, engine).code() ==
        absl::StatusCode::kPermissionDenied);
}

TEST_CASE("Only an administrator changes queues, agents and entry rules", "[access]") {
  const AccessPolicy policy = Policy();
  const Engine engine = Center();
  const Principal pbx = As(policy, "hhhhhhhhhhhhhhhh4444");
  const Principal ops = As(policy, "dddddddddddddddd5555");
  CHECK(Authorize(pbx, AddContact{.config = {.id = "c2"}}, engine).ok());
  CHECK(Authorize(pbx, AcceptOffer{.agent = "alice", .contact = "c1"}, engine).ok());
  const absl::Status config = Authorize(pbx, AddAgent{.config = {.id = "eve"}}, engine);
  CHECK(config.code() == absl::StatusCode::kPermissionDenied);
  CHECK(config.message() ==
        "host:pbx may not add_agent: only an administrator changes the configuration");
  CHECK(Authorize(ops, AddAgent{.config = {.id = "eve"}}, engine).ok());
  CHECK(Authorize(ops, RemoveQueue{.queue = "support"}, engine).ok());
  CHECK(Authorize(LocalAdministrator(), SetEntryRules{}, engine).ok());
}

TEST_CASE("A host names the actors it authenticated itself", "[access]") {
  const AccessPolicy policy = Policy();
  CHECK(policy.PrincipalFor(Actor::Agent("zoe")).role == Role::kAgent);
  const Principal sam = policy.PrincipalFor(Actor::Supervisor("sam"));
  CHECK(sam.role == Role::kSupervisor);
  CHECK(sam.teams == std::vector<std::string>{"blue"});
  CHECK(policy.PrincipalFor(Actor::Supervisor("unknown")).teams.empty());
  CHECK(policy.PrincipalFor(Actor{Actor::Kind::kHost, "crm"}).role == Role::kHost);
  CHECK(policy.PrincipalFor(Actor::Host()).role == Role::kAdministrator);
}

}  // namespace switchboard::host
