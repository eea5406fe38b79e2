// Entry rules: contacts that name no queue are placed by the first rule their attributes meet,
// which may set their priority and class or deflect them at once.
#include <algorithm>
#include <catch2/catch.hpp>
#include <string>

#include "center.h"
#include "switchboard/limits.h"
#include "switchboard/switchboard.h"

namespace switchboard {
namespace {

using testing::Center;
using testing::Logged;
using testing::Skilled;

void Bilingual(Center& c) {
  c.Queue({.id = "japanese"});
  c.Queue({.id = "english"});
  REQUIRE(c.engine
              .SetEntryRules(c.now, {{.when = R"(language == "ja" && tier in ["gold", "platinum"])",
                                      .queue = "japanese",
                                      .priority = 2,
                                      .priority_class = 1},
                                     {.when = R"(language == "ja")", .queue = "japanese"},
                                     {.when = R"(ivr == "balance")", .queue = "english",
                                      .deflect = "web"},
                                     {.queue = "english"}})
              .ok());
}

TEST_CASE("The first rule a contact's attributes meet places it", "[entry_rules]") {
  Center c;
  Bilingual(c);
  c.Contact({.id = "gold", .attributes = {{"language", "ja"}, {"tier", "gold"}}});
  c.Contact({.id = "plain", .priority = 5, .attributes = {{"language", "ja"}}});
  c.Contact({.id = "other", .attributes = {{"language", "fr"}}});
  absl::StatusOr<ContactInfo> gold = c.engine.GetContact("gold");
  REQUIRE(gold.ok());
  CHECK(gold->queue == "japanese");
  CHECK(gold->priority == 2);
  CHECK(gold->priority_class == 1);
  CHECK(c.engine.GetContact("plain")->queue == "japanese");
  CHECK(c.engine.GetContact("plain")->priority == 5);  // the rule leaves it
  CHECK(c.engine.GetContact("other")->queue == "english");
  c.Drain();
  CHECK(Logged(c, "entry_rule_matched actor=host cause=command contact=gold queue=japanese "
                  "reason=rules[0]: language == \"ja\" && tier in [\"gold\", \"platinum\"]"));
  CHECK(Logged(c, "entry_rule_matched actor=host cause=command contact=other queue=english "
                  "reason=rules[3]: default"));
}

TEST_CASE("A contact that names its queue skips the rules", "[entry_rules]") {
  Center c;
  Bilingual(c);
  c.Contact({.id = "c1", .queue = "english", .attributes = {{"language", "ja"}}});
  CHECK(c.engine.GetContact("c1")->queue == "english");
}

TEST_CASE("A rule may deflect a contact at once", "[entry_rules]") {
  Center c;
  Bilingual(c);
  c.Contact({.id = "c1", .attributes = {{"ivr", "balance"}}});
  CHECK(absl::IsNotFound(c.engine.GetContact("c1").status()));
  c.Drain();
  CHECK(Logged(c, "contact_deflected actor=host cause=command contact=c1 queue=english "
                  "reason=entry_rule target=web outcome=deflected"));
  const QueueStats stats = *c.engine.GetQueueStats("english");
  CHECK(stats.offered == 1);
  CHECK(stats.deflected == 1);
  CHECK(stats.waiting == 0);
}

TEST_CASE("No matching rule and no queue is refused, and changes nothing", "[entry_rules]") {
  Center c;
  c.Queue({.id = "q"});
  REQUIRE(c.engine.SetEntryRules(c.now, {{.when = "vip", .queue = "q"}}).ok());
  absl::Status status = c.engine.AddContact(c.now, {.id = "c1"});
  CHECK(absl::IsFailedPrecondition(status));
  CHECK(std::string(status.message()) ==
        "contact 'c1' names no queue and no entry rule matches its attributes");
  CHECK(c.engine.GetQueueStats("q")->offered == 0);
}

TEST_CASE("Bad entry rules are refused and the old ones stay", "[entry_rules]") {
  Center c;
  c.Queue({.id = "q"});
  REQUIRE(c.engine.SetEntryRules(c.now, {{.queue = "q"}}).ok());
  auto refused = [&](EntryRule rule, std::string_view message) {
    absl::Status status = c.engine.SetEntryRules(c.now, {{.when = "vip", .queue = "q"}, rule});
    CHECK_FALSE(status.ok());
    CHECK(std::string(status.message()) == message);
  };
  refused({.when = R"(tier in ["gold",])", .queue = "q"},
          "rules[1]: condition 'tier in [\"gold\",]': column 17: expected a string or a "
          "number, found ']'");
  refused({.when = "vip"}, "rules[1]: names neither a queue nor a deflection target");
  refused({.queue = "nowhere"}, "rules[1]: unknown queue 'nowhere'");
  refused({.queue = "q", .priority = kMaxPriority + 1},
          "rules[1].priority is 1001; expected -1000..1000");
  refused({.queue = "q", .priority_class = -1},
          "rules[1].priority_class is -1; expected 0..255");
  refused({.queue = "q", .priority = 1, .deflect = "web"},
          "rules[1]: priority and priority_class do not apply to a deflection");
  // The rules in force are still the old ones: every contact goes to "q".
  c.Contact({.id = "c1"});
  CHECK(c.engine.GetContact("c1")->queue == "q");
}

// ---- A rule's requirement of its own for the contact.

// "general" takes anyone trained in support; platinum customers go to the VIP desk's agents.
void VipDesk(Center& c) {
  c.Queue({.id = "general", .requirement = "support >= 1"});
  REQUIRE(c.engine
              .SetEntryRules(c.now, {{.when = R"(tier == "platinum")",
                                      .queue = "general",
                                      .requirement = "vip >= 1"},
                                     {.queue = "general"}})
              .ok());
}

TEST_CASE("A rule's own requirement lets only agents meeting it and the queue's take the contact",
          "[entry_rules]") {
  Center c;
  VipDesk(c);
  c.Agent(Skilled("plain", {{"support", 3}}));  // idle longest: first for any other contact
  c.Advance(1);
  c.Agent(Skilled("vip_untrained", {{"vip", 1}}));  // meets the rule's, not the queue's
  c.Advance(1);
  c.Agent(Skilled("desk", {{"support", 1}, {"vip", 1}}));
  c.Contact({.id = "p1", .attributes = {{"tier", "platinum"}}});
  c.Contact({.id = "o1", .attributes = {{"tier", "gold"}}});
  c.Drain();
  CHECK(c.OfferedTo("desk") == "p1");
  CHECK(c.OfferedTo("plain") == "o1");
  CHECK(c.OfferedTo("vip_untrained").empty());
  CHECK(c.engine.GetContact("p1")->queue == "general");
  const QueueStats stats = *c.engine.GetQueueStats("general");
  CHECK(stats.offered == 2);  // counted in the queue, whatever chain the contact entered
}

TEST_CASE("A contact with its own requirement waits for an agent meeting it, counted in its "
          "queue", "[entry_rules]") {
  Center c;
  c.Queue({.id = "general", .requirement = "support >= 1"});
  // Agents known before the rule, one with explicit membership: both serve the new chain.
  c.Agent(Skilled("plain", {{"support", 3}}));
  AgentConfig member = Skilled("desk", {{"support", 1}, {"vip", 2}});
  member.auto_membership = false;
  member.queues = {{.queue = "general"}};
  c.Agent(member, /*login=*/false);
  REQUIRE(c.engine
              .SetEntryRules(c.now, {{.when = R"(tier == "platinum")",
                                      .queue = "general",
                                      .requirement = "vip >= 2"},
                                     {.queue = "general"}})
              .ok());
  c.Contact({.id = "p1", .attributes = {{"tier", "platinum"}}});
  c.Drain();
  CHECK(c.OfferedTo("plain").empty());  // free, but not a VIP agent
  CHECK(c.engine.GetQueueStats("general")->waiting == 1);
  CHECK(c.engine.GetContact("p1")->estimated_wait > absl::ZeroDuration());
  c.Contact({.id = "o1"});  // any support agent: plain takes it at once
  c.Drain();
  CHECK(c.OfferedTo("plain") == "o1");
  c.Advance(5);
  REQUIRE(c.engine.Login(c.now, "desk", /*ready=*/true).ok());
  c.Drain();
  CHECK(c.OfferedTo("desk") == "p1");
  CHECK(c.engine.GetQueueStats("general")->waiting == 0);
  CHECK(c.engine.GetAgentQueues("desk").value() == std::vector<std::string>{"general"});
}

TEST_CASE("A contact's own requirement holds in each requirement step of its queue",
          "[entry_rules]") {
  Center c;
  c.Queue({.id = "support",
           .requirement = "support >= 5",
           .steps = {{.after = absl::Seconds(30), .requirement = "support >= 1"}}});
  REQUIRE(c.engine
              .SetEntryRules(c.now, {{.when = R"(language == "ja")",
                                      .queue = "support",
                                      .requirement = "japanese >= 1"},
                                     {.queue = "support"}})
              .ok());
  c.Agent(Skilled("junior", {{"support", 2}}));
  c.Agent(Skilled("junior_ja", {{"support", 2}, {"japanese", 1}}), /*login=*/false);
  c.Contact({.id = "ja", .attributes = {{"language", "ja"}}});
  c.Contact({.id = "en", .attributes = {{"language", "en"}}});
  REQUIRE(c.engine.Login(c.now, "junior_ja", /*ready=*/false).ok());
  c.Advance(30);  // both reach the step: junior may take "en", and only junior_ja "ja"
  c.Drain();
  CHECK(Logged(c, "contact_requirement_changed actor=system cause=requirement_step contact=ja "
                  "queue=support reason=(support >= 1) && (japanese >= 1)"));
  CHECK(c.OfferedTo("junior") == "en");
  REQUIRE(c.engine.SetReady(c.now, "junior_ja").ok());
  c.Drain();
  CHECK(c.OfferedTo("junior_ja") == "ja");
}

TEST_CASE("Rules with the same requirement for a queue share its chain", "[entry_rules]") {
  Center c;
  VipDesk(c);
  c.Agent(Skilled("desk", {{"support", 1}, {"vip", 1}}), /*login=*/false);
  c.Contact({.id = "p1", .attributes = {{"tier", "platinum"}}});
  // The same rule set again, and one more rule with that requirement: p1 still waits where
  // new platinum and diamond customers do, in arrival order.
  REQUIRE(c.engine
              .SetEntryRules(c.now, {{.when = R"(tier == "diamond")",
                                      .queue = "general",
                                      .requirement = "vip >= 1"},
                                     {.when = R"(tier == "platinum")",
                                      .queue = "general",
                                      .requirement = "vip >= 1"},
                                     {.queue = "general"}})
              .ok());
  c.Advance(1);
  c.Contact({.id = "d1", .attributes = {{"tier", "diamond"}}});
  REQUIRE(c.engine.Login(c.now, "desk", /*ready=*/true).ok());
  CHECK(c.Serve("desk") == "p1");
  CHECK(c.Serve("desk") == "d1");
}

TEST_CASE("A bad own requirement is refused, naming the rule", "[entry_rules]") {
  Center c;
  c.Queue({.id = "q"});
  absl::Status status =
      c.engine.SetEntryRules(c.now, {{.queue = "q"}, {.queue = "q", .requirement = "vip >="}});
  CHECK(absl::IsInvalidArgument(status));
  CHECK(std::string(status.message()).rfind("rules[1].requirement: ", 0) == 0);
  status = c.engine.SetEntryRules(
      c.now, {{.when = "x", .queue = "q", .requirement = "vip >= 1", .deflect = "web"}});
  CHECK(std::string(status.message()) == "rules[0]: a requirement does not apply to a deflection");
  // Nested as deep as one expression may be, it parses alone but not inside the queue's.
  c.Queue({.id = "deep", .requirement = "support >= 1"});
  const std::string nested = std::string(kMaxNestingDepth, '(') + "vip" +
                             std::string(kMaxNestingDepth, ')');
  status = c.engine.SetEntryRules(c.now, {{.queue = "deep", .requirement = nested}});
  CHECK(absl::IsInvalidArgument(status));
  CHECK(std::string(status.message()).rfind("rules[0].requirement: with the queue's: ", 0) == 0);
  c.Contact({.id = "c1", .queue = "q"});  // the engine still works, with no rules in force
  CHECK(absl::IsFailedPrecondition(c.engine.AddContact(c.now, {.id = "c2"})));
}

TEST_CASE("A queue's listing shows contacts of its entry-rule chains in order", "[entry_rules]") {
  Center c;
  VipDesk(c);
  c.Contact({.id = "o1", .attributes = {{"tier", "gold"}}});
  c.Advance(1);
  c.Contact({.id = "p1", .attributes = {{"tier", "platinum"}}});
  c.Advance(1);
  c.Contact({.id = "o2"});
  const std::vector<ContactInfo> waiting = *c.engine.GetQueueContacts("general");
  std::vector<std::string> ids;
  for (const ContactInfo& info : waiting) ids.push_back(info.id);
  CHECK(ids == std::vector<std::string>{"o1", "p1", "o2"});
  CHECK(c.engine.GetContact("o2")->position == 3);
}

}  // namespace
}  // namespace switchboard
