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

bool Logged(const Center& c, const std::string& text) {
  return std::any_of(c.log.begin(), c.log.end(), [&](const std::string& line) {
    return line.find(text) != std::string::npos;
  });
}

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

}  // namespace
}  // namespace switchboard
