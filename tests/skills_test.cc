#include "switchboard/skills.h"

#include <catch2/catch.hpp>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace switchboard {
namespace {

using Entries = std::vector<std::pair<SkillId, SkillLevel>>;

TEST_CASE("Intern gives dense ids in order of first use and reuses them", "[skills]") {
  SkillRegistry skills;
  CHECK(skills.size() == 0);
  CHECK(skills.Intern("support") == 0);
  CHECK(skills.Intern("english") == 1);
  CHECK(skills.Intern("support") == 0);
  CHECK(skills.Intern("japanese") == 2);
  CHECK(skills.size() == 3);
  CHECK(skills.Name(0) == "support");
  CHECK(skills.Name(1) == "english");
  CHECK(skills.Name(2) == "japanese");
}

TEST_CASE("The same sequence of names gives the same ids in every registry", "[skills]") {
  const std::vector<std::string> names = {"b", "a", "c", "a", "d", "b"};
  SkillRegistry first;
  SkillRegistry second;
  for (const std::string& name : names) CHECK(first.Intern(name) == second.Intern(name));
  CHECK(first.size() == 4);
}

TEST_CASE("Find returns the id of an interned name without creating new ones", "[skills]") {
  SkillRegistry skills;
  skills.Intern("support");
  skills.Intern("billing");
  CHECK(skills.Find("billing") == SkillId{1});
  CHECK(skills.Find("support") == SkillId{0});
  CHECK_FALSE(skills.Find("sales").has_value());
  CHECK_FALSE(skills.Find("").has_value());
  CHECK(skills.size() == 2);
}

TEST_CASE("A registry holds kMaxSkills names with ids up to kMaxSkills - 1", "[skills]") {
  SkillRegistry skills;
  for (int i = 0; i < kMaxSkills; ++i) {
    REQUIRE(skills.Intern(absl::StrCat("s", i)) == i);
  }
  CHECK(skills.size() == kMaxSkills);
  CHECK(skills.Find("s65534") == SkillId{65534});
  CHECK(skills.Name(65534) == "s65534");
}

TEST_CASE("Skill names are a letter or '_' followed by letters, digits, '_' or '-'", "[skills]") {
  for (const char* name : {"support", "_x", "a", "L2_support", "first-line", "tier-2_", "agent"}) {
    INFO(name);
    CHECK(ValidateSkillName(name).ok());
  }
}

TEST_CASE("Invalid skill names are rejected with a message saying why", "[skills]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "invalid skill name '': must not be empty"},
      {"3d", "invalid skill name '3d': must start with a letter or '_'"},
      {"-x", "invalid skill name '-x': must start with a letter or '_'"},
      {"a b", "invalid skill name 'a b': may contain only letters, digits, '_' and '-'"},
      {"a.b", "invalid skill name 'a.b': may contain only letters, digits, '_' and '-'"},
      {"sales!", "invalid skill name 'sales!': may contain only letters, digits, '_' and '-'"},
      {"日本語", "invalid skill name '日本語': must start with a letter or '_'"},
      {"and", "invalid skill name 'and': it is a keyword of the requirement language"},
      {"or", "invalid skill name 'or': it is a keyword of the requirement language"},
      {"not", "invalid skill name 'not': it is a keyword of the requirement language"},
      {"true", "invalid skill name 'true': it is a keyword of the requirement language"},
      {"false", "invalid skill name 'false': it is a keyword of the requirement language"},
  };
  for (const auto& [name, message] : cases) {
    INFO(name);
    const absl::Status status = ValidateSkillName(name);
    CHECK(status.code() == absl::StatusCode::kInvalidArgument);
    CHECK(std::string(status.message()) == message);
  }
}

TEST_CASE("Keywords are reserved only as whole, case-sensitive names", "[skills]") {
  for (const char* name : {"And", "TRUE", "android", "order", "nothing", "false_positive"}) {
    INFO(name);
    CHECK(ValidateSkillName(name).ok());
  }
}

TEST_CASE("Skill levels run from 1 to 100", "[skills]") {
  CHECK(ValidateSkillLevel("support", 1).ok());
  CHECK(ValidateSkillLevel("support", 50).ok());
  CHECK(ValidateSkillLevel("support", 100).ok());

  const absl::Status zero = ValidateSkillLevel("support", 0);
  CHECK(zero.code() == absl::StatusCode::kInvalidArgument);
  CHECK(std::string(zero.message()) == "skill 'support' level 0 is out of range 1..100");
  CHECK(std::string(ValidateSkillLevel("billing", 101).message()) ==
        "skill 'billing' level 101 is out of range 1..100");
  CHECK(std::string(ValidateSkillLevel("billing", -3).message()) ==
        "skill 'billing' level -3 is out of range 1..100");
}

TEST_CASE("A skill set reports level 0 for skills it does not hold", "[skills]") {
  SkillSet set;
  CHECK(set.size() == 0);
  CHECK(set.Level(0) == 0);
  CHECK_FALSE(set.Has(0));
  set.Set(4, 7);
  CHECK(set.Level(3) == 0);
  CHECK(set.Level(5) == 0);
  CHECK_FALSE(set.Has(65534));
}

TEST_CASE("A skill set keeps its entries sorted by id", "[skills]") {
  SkillSet set;
  set.Set(9, 1);
  set.Set(2, 50);
  set.Set(5, 100);
  set.Set(0, 3);
  CHECK(set.entries() == Entries{{0, 3}, {2, 50}, {5, 100}, {9, 1}});
  CHECK(set.size() == 4);
  CHECK(set.Level(5) == 100);
  CHECK(set.Has(9));
}

TEST_CASE("Setting a skill the set already holds replaces its level", "[skills]") {
  SkillSet set;
  set.Set(3, 10);
  set.Set(1, 20);
  set.Set(3, 40);
  CHECK(set.Level(3) == 40);
  CHECK(set.entries() == Entries{{1, 20}, {3, 40}});
}

}  // namespace
}  // namespace switchboard
