#include "switchboard/requirements.h"

#include <catch2/catch.hpp>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "switchboard/attributes.h"
#include "switchboard/skills.h"

namespace switchboard {
namespace {

constexpr std::string_view kExample =
    R"(support >= 3 && (english || japanese >= 2) && !trainee && tier == "gold")";

using Levels = std::initializer_list<std::pair<std::string_view, int>>;
using Ids = std::vector<SkillId>;

// Parses `text`, failing the test with the error when it does not parse.
Requirement MustParse(std::string_view text, SkillRegistry& skills) {
  absl::StatusOr<Requirement> requirement = Requirement::Parse(text, skills);
  INFO(std::string(text) << " -> " << requirement.status().ToString());
  REQUIRE(requirement.ok());
  return *std::move(requirement);
}

// The status of parsing `text` into a fresh registry.
absl::Status ParseStatus(std::string_view text) {
  SkillRegistry skills;
  return Requirement::Parse(text, skills).status();
}

SkillSet MakeSkills(SkillRegistry& skills, Levels levels) {
  SkillSet set;
  for (const auto& [name, level] : levels) set.Set(skills.Intern(name), level);
  return set;
}

// Whether an agent with `levels` and `attributes` meets `text`.
bool Matches(std::string_view text, Levels levels, const Attributes& attributes = {}) {
  SkillRegistry skills;
  const Requirement requirement = MustParse(text, skills);
  return requirement.Matches(MakeSkills(skills, levels), attributes);
}

// The ids `names` have in `skills`, which must know them all.
Ids IdsOf(const SkillRegistry& skills, std::initializer_list<std::string_view> names) {
  Ids ids;
  for (std::string_view name : names) {
    const std::optional<SkillId> id = skills.Find(name);
    REQUIRE(id.has_value());
    ids.push_back(*id);
  }
  return ids;
}

TEST_CASE("The documented example admits only agents meeting every clause", "[requirements]") {
  SkillRegistry skills;
  const Requirement requirement = MustParse(kExample, skills);
  const Attributes gold = {{"tier", std::string("gold")}};
  auto matches = [&](Levels levels, const Attributes& attributes) {
    return requirement.Matches(MakeSkills(skills, levels), attributes);
  };

  CHECK(matches({{"support", 3}, {"english", 1}}, gold));
  CHECK(matches({{"support", 9}, {"japanese", 2}}, gold));
  CHECK(matches({{"support", 3}, {"english", 4}, {"japanese", 1}}, gold));
  CHECK_FALSE(matches({{"support", 2}, {"english", 1}}, gold));
  CHECK_FALSE(matches({{"english", 1}}, gold));
  CHECK_FALSE(matches({{"support", 5}, {"japanese", 1}}, gold));
  CHECK_FALSE(matches({{"support", 5}}, gold));
  CHECK_FALSE(matches({{"support", 5}, {"english", 1}, {"trainee", 1}}, gold));
  CHECK_FALSE(matches({{"support", 5}, {"english", 1}}, {{"tier", std::string("silver")}}));
  CHECK_FALSE(matches({{"support", 5}, {"english", 1}}, {{"tier", 1.0}}));
  CHECK_FALSE(matches({{"support", 5}, {"english", 1}}, {}));
}

TEST_CASE("&& binds tighter than ||", "[requirements][precedence]") {
  // a || (b && c)
  CHECK(Matches("a || b && c", {{"a", 1}}));
  CHECK_FALSE(Matches("a || b && c", {{"b", 1}}));
  CHECK(Matches("a || b && c", {{"b", 1}, {"c", 1}}));
  // (a && b) || c
  CHECK(Matches("a && b || c", {{"c", 1}}));
  CHECK_FALSE(Matches("a && b || c", {{"a", 1}}));
  CHECK(Matches("a && b || c", {{"a", 1}, {"b", 1}}));
}

TEST_CASE("Negation binds tighter than && and ||", "[requirements][precedence]") {
  // (!a) && b
  CHECK(Matches("!a && b", {{"b", 1}}));
  CHECK_FALSE(Matches("!a && b", {{"a", 1}, {"b", 1}}));
  CHECK_FALSE(Matches("!a && b", {}));
  // (!a) || b
  CHECK(Matches("!a || b", {}));
  CHECK(Matches("!a || b", {{"a", 1}, {"b", 1}}));
  CHECK_FALSE(Matches("!a || b", {{"a", 1}}));
  // !(a >= 2), not (!a) >= 2
  CHECK(Matches("!a >= 2", {{"a", 1}}));
  CHECK_FALSE(Matches("!a >= 2", {{"a", 2}}));
}

TEST_CASE("Parentheses group before precedence applies", "[requirements][precedence]") {
  CHECK_FALSE(Matches("(a || b) && c", {{"a", 1}}));
  CHECK(Matches("(a || b) && c", {{"b", 1}, {"c", 1}}));
  CHECK(Matches("!(a && b)", {{"a", 1}}));
  CHECK_FALSE(Matches("!(a && b)", {{"a", 1}, {"b", 1}}));
  CHECK(Matches("((((a))))", {{"a", 1}}));
  CHECK(Matches("(a || (b && (c || d)))", {{"b", 1}, {"d", 1}}));
  CHECK_FALSE(Matches("(a || (b && (c || d)))", {{"b", 1}}));
}

TEST_CASE("Keywords and, or, not mean &&, || and !", "[requirements]") {
  CHECK(Matches("a and not b or c", {{"a", 1}}));
  CHECK_FALSE(Matches("a and not b or c", {{"a", 1}, {"b", 1}}));
  CHECK(Matches("a and not b or c", {{"a", 1}, {"b", 1}, {"c", 1}}));
  CHECK(Matches("not (a or b)", {}));
  CHECK(Matches("a && b and c", {{"a", 1}, {"b", 1}, {"c", 1}}));
}

TEST_CASE("Repeated negation cancels out", "[requirements]") {
  CHECK(Matches("!!a", {{"a", 1}}));
  CHECK_FALSE(Matches("!!!a", {{"a", 1}}));
  CHECK(Matches("not !not a", {}));
  // A long run of '!' is not nesting.
  const std::string many = std::string(1001, '!') + "a";
  CHECK(Matches(many, {}));
  CHECK_FALSE(Matches(many, {{"a", 1}}));
}

TEST_CASE("true and false are constants", "[requirements]") {
  CHECK(Matches("true", {}));
  CHECK_FALSE(Matches("false", {}));
  CHECK(Matches("!false", {}));
  CHECK_FALSE(Matches("true && false", {}));
  CHECK(Matches("false || a", {{"a", 1}}));
}

TEST_CASE("Every comparison operator compares the skill level", "[requirements][compare]") {
  struct Case {
    const char* text;
    int level;
    bool matches;
  };
  const Case cases[] = {
      {"a >= 3", 2, false}, {"a >= 3", 3, true},   {"a >= 3", 4, true},     {"a > 3", 3, false},
      {"a > 3", 4, true},   {"a <= 3", 3, true},   {"a <= 3", 4, false},    {"a <= 3", 0, true},
      {"a < 3", 2, true},   {"a < 3", 3, false},   {"a == 3", 3, true},     {"a == 3", 4, false},
      {"a != 3", 3, false}, {"a != 3", 100, true}, {"a == 100", 100, true}, {"a", 1, true},
      {"a", 0, false},      {"a >= 3.0", 3, true},
  };
  for (const Case& c : cases) {
    INFO(c.text << " at level " << c.level);
    CHECK(Matches(c.text, {{"a", c.level}}) == c.matches);
  }
}

TEST_CASE("A skill the agent does not hold counts as level 0", "[requirements][compare]") {
  for (const char* text : {"x == 0", "x < 1", "x <= 0", "x >= 0", "x != 5", "!x"}) {
    INFO(text);
    CHECK(Matches(text, {{"other", 9}}));
  }
  for (const char* text : {"x", "x >= 1", "x > 0", "x != 0", "x == 3"}) {
    INFO(text);
    CHECK_FALSE(Matches(text, {{"other", 9}}));
  }
}

TEST_CASE("A bare name compared with a string reads an agent attribute",
          "[requirements][attributes]") {
  SkillRegistry skills;
  const Requirement equal = MustParse(R"(tier == "gold")", skills);
  const Requirement not_equal = MustParse(R"(tier != "gold")", skills);
  CHECK(skills.size() == 0);
  CHECK(equal.mentioned_skills().empty());

  const SkillSet none;
  const Attributes gold = {{"tier", std::string("gold")}};
  const Attributes silver = {{"tier", std::string("silver")}};
  const Attributes number = {{"tier", 1.0}};
  CHECK(equal.Matches(none, gold));
  CHECK_FALSE(equal.Matches(none, silver));
  CHECK_FALSE(equal.Matches(none, number));
  CHECK_FALSE(equal.Matches(none, {}));
  CHECK_FALSE(not_equal.Matches(none, gold));
  CHECK(not_equal.Matches(none, silver));
  CHECK(not_equal.Matches(none, number));
  CHECK(not_equal.Matches(none, {}));
  // Case matters.
  CHECK_FALSE(equal.Matches(none, {{"tier", std::string("Gold")}}));
}

TEST_CASE("agent.NAME compares a numeric attribute with any operator",
          "[requirements][attributes]") {
  const Attributes attributes = {{"tenure", 2.5}, {"team", std::string("7")}};
  struct Case {
    const char* text;
    bool matches;
  };
  const Case cases[] = {
      {"agent.tenure >= 2.5", true},
      {"agent.tenure > 2.5", false},
      {"agent.tenure <= 2", false},
      {"agent.tenure < 3", true},
      {"agent.tenure == 2.5", true},
      {"agent.tenure != 2.5", false},
      {"agent.tenure > -1", true},
      {"agent.tenure < 1000", true},
      // A string attribute compared with a number: false, and != is its negation.
      {"agent.team == 7", false},
      {"agent.team >= 0", false},
      {"agent.team != 7", true},
      // An absent attribute likewise.
      {"agent.missing < 1", false},
      {"agent.missing == 0", false},
      {"agent.missing != 0", true},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    CHECK(Matches(c.text, {}, attributes) == c.matches);
  }
}

TEST_CASE("agent.NAME compares a string attribute with == and !=", "[requirements][attributes]") {
  const Attributes attributes = {{"language", std::string("ja")}, {"floor", 3.0}};
  CHECK(Matches(R"(agent.language == "ja")", {}, attributes));
  CHECK_FALSE(Matches(R"(agent.language == "en")", {}, attributes));
  CHECK(Matches(R"(agent.language != "en")", {}, attributes));
  CHECK_FALSE(Matches(R"(agent.floor == "3")", {}, attributes));
  CHECK(Matches(R"(agent.floor != "3")", {}, attributes));
  CHECK_FALSE(Matches(R"(agent.site == "tokyo")", {}, attributes));
  CHECK(Matches(R"(agent.site != "tokyo")", {}, attributes));
}

TEST_CASE("agent.NAME alone is true when the attribute is present and truthy",
          "[requirements][attributes]") {
  const Attributes attributes = {{"empty", std::string()},
                                 {"word", std::string("no")},
                                 {"zero", 0.0},
                                 {"one", 1.0},
                                 {"negative", -2.5}};
  CHECK_FALSE(Matches("agent.empty", {}, attributes));
  CHECK(Matches("agent.word", {}, attributes));
  CHECK_FALSE(Matches("agent.zero", {}, attributes));
  CHECK(Matches("agent.one", {}, attributes));
  CHECK(Matches("agent.negative", {}, attributes));
  CHECK_FALSE(Matches("agent.absent", {}, attributes));
  CHECK(Matches("!agent.absent", {}, attributes));
}

TEST_CASE("Strings accept escaped quotes and backslashes and any UTF-8",
          "[requirements][attributes]") {
  const Attributes attributes = {{"motto", std::string(R"(say "hi" \ bye)")},
                                 {"tier", std::string("ゴールド")}};
  CHECK(Matches(R"(agent.motto == "say \"hi\" \\ bye")", {}, attributes));
  CHECK(Matches(R"(tier == "ゴールド")", {}, attributes));
  CHECK(Matches(R"(tier != "")", {}, attributes));
}

TEST_CASE("Skill and attribute names may use '_', '-', digits and the word agent",
          "[requirements]") {
  CHECK(Matches("first-line_support2 >= 2 && _x", {{"first-line_support2", 2}, {"_x", 1}}));
  CHECK(Matches("agent >= 2", {{"agent", 2}}));
  CHECK(Matches("agent.first-name == \"Ann\"", {}, {{"first-name", std::string("Ann")}}));
  CHECK(Matches("agent.not", {}, {{"not", 1.0}}));
}

TEST_CASE("Whitespace between tokens is free", "[requirements]") {
  SkillRegistry skills;
  const Requirement compact =
      MustParse(R"(support>=3&&(english||japanese>=2)&&!trainee&&tier=="gold")", skills);
  const Requirement spread = MustParse(
      "  support   >=\t3 &&\n( english ||  japanese>= 2 )\r\n&& ! trainee && tier ==\"gold\"  ",
      skills);
  const Attributes gold = {{"tier", std::string("gold")}};
  for (const SkillSet& agent :
       {MakeSkills(skills, {{"support", 3}, {"japanese", 2}}),
        MakeSkills(skills, {{"support", 3}, {"japanese", 1}}),
        MakeSkills(skills, {{"support", 3}, {"english", 1}, {"trainee", 1}})}) {
    CHECK(compact.Matches(agent, gold) == spread.Matches(agent, gold));
  }
  CHECK(compact.required_skills() == spread.required_skills());
  CHECK(compact.mentioned_skills() == spread.mentioned_skills());
}

TEST_CASE("Empty or blank text is met by every agent", "[requirements]") {
  SkillRegistry skills;
  const SkillSet agent = MakeSkills(skills, {{"support", 5}});
  for (const char* text : {"", "   ", " \t\r\n "}) {
    INFO('"' << text << '"');
    const Requirement requirement = MustParse(text, skills);
    CHECK(requirement.always_true());
    CHECK(requirement.text() == text);
    CHECK(requirement.Matches(agent, {}));
    CHECK(requirement.Matches(SkillSet(), {}));
    CHECK(requirement.required_skills().empty());
    CHECK(requirement.mentioned_skills().empty());
    CHECK(requirement.Score(agent) == 0);
  }
  const Requirement default_constructed;
  CHECK(default_constructed.always_true());
  CHECK(default_constructed.Matches(agent, {}));
  CHECK(skills.size() == 1);
}

TEST_CASE("A parsed requirement keeps its text and is not always true", "[requirements]") {
  SkillRegistry skills;
  const Requirement requirement = MustParse(kExample, skills);
  CHECK(requirement.text() == kExample);
  CHECK_FALSE(requirement.always_true());
  CHECK_FALSE(MustParse("true", skills).always_true());
}

TEST_CASE("A copy matches as the original does, and outlives it", "[requirements]") {
  SkillRegistry skills;
  const SkillSet senior = MakeSkills(skills, {{"support", 5}, {"english", 1}});
  const SkillSet trainee = MakeSkills(skills, {{"support", 5}, {"english", 1}, {"trainee", 1}});
  const Attributes gold = {{"tier", std::string("gold")}};
  std::vector<Requirement> copies;
  {
    Requirement original = MustParse(kExample, skills);
    copies.push_back(original);
    Requirement assigned;
    assigned = original;
    copies.push_back(assigned);
    copies.push_back(std::move(original));
  }  // the original and `assigned` are gone; the copies still hold the program
  for (const Requirement& copy : copies) {
    CHECK(copy.text() == kExample);
    CHECK_FALSE(copy.always_true());
    CHECK(copy.Matches(senior, gold));
    CHECK_FALSE(copy.Matches(trainee, gold));
    CHECK_FALSE(copy.Matches(senior, {}));
    CHECK(copy.Score(senior) == 6);
    CHECK(copy.mentioned_skills() == copies.front().mentioned_skills());
  }
  // Assigning over a requirement replaces its program.
  Requirement replaced = MustParse("trainee", skills);
  replaced = copies.front();
  CHECK_FALSE(replaced.Matches(trainee, gold));
  replaced = Requirement();
  CHECK(replaced.always_true());
  CHECK(replaced.Matches(trainee, {}));
}

TEST_CASE("required_skills lists the skills of the top-level conjunction", "[requirements]") {
  struct Case {
    const char* text;
    std::initializer_list<std::string_view> required;
  };
  const Case cases[] = {
      {"a", {"a"}},
      {"a && b >= 2 && c > 0", {"a", "b", "c"}},
      {"a and (b && (c && d == 4))", {"a", "b", "c", "d"}},
      {"a && a >= 5 && b && a", {"a", "b"}},
      {"z >= 1 && (x && y)", {"z", "x", "y"}},
      {"true && a", {"a"}},
      // Not under ||.
      {"a || b", {}},
      {"(a || b) && c", {"c"}},
      {"a && b || c", {}},
      {"(a && b) || (a && c)", {}},
      // Not negated.
      {"!a && b", {"b"}},
      {"not a && b", {"b"}},
      {"!(a && b) && c", {"c"}},
      {"!!a", {}},
      // Not comparisons that an agent without the skill meets.
      {"a < 3 && b <= 2 && c >= 0 && d == 0 && e != 4", {}},
      {"a > 0 && b == 3 && c >= 1 && d != 0 && e == 100", {"a", "b", "c", "d", "e"}},
      // Attributes are not skills.
      {R"(tier == "gold" && agent.vip && agent.tenure > 2)", {}},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    SkillRegistry skills;
    const Requirement requirement = MustParse(c.text, skills);
    CHECK(requirement.required_skills() == IdsOf(skills, c.required));
  }
}

TEST_CASE("required_skills of the example is support alone", "[requirements]") {
  SkillRegistry skills;
  const Requirement requirement = MustParse(kExample, skills);
  CHECK(requirement.required_skills() == IdsOf(skills, {"support"}));
}

TEST_CASE("Every agent that matches holds the required skills", "[requirements]") {
  SkillRegistry skills;
  const Requirement requirement = MustParse("a >= 2 && (b || c) && !d && e != 0 && f < 3", skills);
  CHECK(requirement.required_skills() == IdsOf(skills, {"a", "e"}));
  // Every combination of levels 0..2 over the six skills.
  int matching = 0;
  for (int code = 0; code < 729; ++code) {
    SkillSet agent;
    for (int skill = 0, rest = code; skill < 6; ++skill, rest /= 3) {
      if (rest % 3 != 0) agent.Set(*skills.Find(std::string(1, 'a' + skill)), rest % 3);
    }
    if (!requirement.Matches(agent, {})) continue;
    ++matching;
    for (SkillId skill : requirement.required_skills()) CHECK(agent.Has(skill));
  }
  CHECK(matching > 0);
}

TEST_CASE("mentioned_skills lists distinct skills in order of first mention", "[requirements]") {
  SkillRegistry skills;
  skills.Intern("b");
  const Requirement requirement =
      MustParse(R"(c && (a || !b) && c >= 2 && a < 3 && tier == "x" && agent.y && d == 0)", skills);
  CHECK(requirement.mentioned_skills() == IdsOf(skills, {"c", "a", "b", "d"}));
  // New names are interned in order of first mention after the existing ones.
  CHECK(skills.size() == 4);
  CHECK(skills.Name(0) == "b");
  CHECK(skills.Name(1) == "c");
  CHECK(skills.Name(2) == "a");
  CHECK(skills.Name(3) == "d");
  CHECK_FALSE(skills.Find("tier").has_value());
  CHECK_FALSE(skills.Find("y").has_value());
}

TEST_CASE("Parsing reuses the ids of skills the registry already knows", "[requirements]") {
  SkillRegistry skills;
  const SkillId english = skills.Intern("english");
  const Requirement first = MustParse("english && japanese", skills);
  const Requirement second = MustParse("japanese >= 2 || english", skills);
  CHECK(first.mentioned_skills() == Ids{english, 1});
  CHECK(second.mentioned_skills() == Ids{1, english});
  CHECK(skills.size() == 2);
}

TEST_CASE("Score sums the agent's levels on the distinct mentioned skills", "[requirements]") {
  SkillRegistry skills;
  const Requirement requirement = MustParse(kExample, skills);
  CHECK(requirement.Score(MakeSkills(skills, {{"support", 4}, {"english", 2}})) == 6);
  CHECK(requirement.Score(MakeSkills(
            skills, {{"support", 4}, {"japanese", 3}, {"trainee", 1}, {"billing", 50}})) == 8);
  CHECK(requirement.Score(SkillSet()) == 0);
  // Mentioned twice, counted once.
  CHECK(MustParse("a && a >= 3 || !a", skills).Score(MakeSkills(skills, {{"a", 7}})) == 7);
  // Attributes do not score.
  CHECK(MustParse(R"(tier == "gold")", skills).Score(MakeSkills(skills, {{"tier", 9}})) == 0);
}

TEST_CASE("Skill levels in a requirement are whole numbers from 0 to 100", "[requirements]") {
  CHECK(ParseStatus("a >= 0").ok());
  CHECK(ParseStatus("a <= 100").ok());
  CHECK(ParseStatus("a == 4.0").ok());
  for (const char* number : {"101", "-1", "2.5", "1e3", "100.01"}) {
    const std::string text = std::string("support >= ") + number;
    INFO(text);
    const absl::Status status = ParseStatus(text);
    CHECK(status.code() == absl::StatusCode::kInvalidArgument);
    CHECK(std::string(status.message()) ==
          "requirement '" + text +
              "': column 12: expected a whole skill level from 0 to 100, found '" + number + "'");
  }
  // Attributes take any number.
  CHECK(ParseStatus("agent.balance >= -1e3 && agent.ratio < 100.5").ok());
}

TEST_CASE("Parse errors name the column and the offending token", "[requirements][errors]") {
  struct Case {
    std::string text;
    std::string error;  // the message after "requirement '<text>': "
  };
  const std::string primary =
      "expected a skill name, agent.<attribute>, 'true', 'false', '!' or '('";
  const Case cases[] = {
      {"support >= ", "column 12: expected a number or a string, found end of text"},
      {"support >=", "column 11: expected a number or a string, found end of text"},
      {"a >= b", "column 6: expected a number or a string, found 'b'"},
      {"a >= >= 1", "column 6: expected a number or a string, found '>='"},
      {"a >= 3d", "column 6: expected a number or a string, found '3d'"},
      {"a >= 1.2.3", "column 6: expected a number or a string, found '1.2.3'"},
      {"&& a", "column 1: " + primary + ", found '&&'"},
      {"a &&", "column 5: " + primary + ", found end of text"},
      {"a || || b", "column 6: " + primary + ", found '||'"},
      {"()", "column 2: " + primary + ", found ')'"},
      {"!", "column 2: " + primary + ", found end of text"},
      {"not", "column 4: " + primary + ", found end of text"},
      {"@", "column 1: " + primary + ", found '@'"},
      {"a && and", "column 6: " + primary + ", found 'and'"},
      {"or >= 2", "column 1: " + primary + ", found 'or'"},
      {"a & b", "column 3: expected '&&', found '&'"},
      {"a | b", "column 3: expected '||', found '|'"},
      {"a = 3", "column 3: expected '==', found '='"},
      {"a == =", "column 6: expected '==', found '='"},
      {"a b", "column 3: expected a comparison operator, '&&', '||' or end of text, found 'b'"},
      {"a @ b", "column 3: expected a comparison operator, '&&', '||' or end of text, found '@'"},
      {"a -", "column 3: expected a comparison operator, '&&', '||' or end of text, found '-'"},
      {"a)", "column 2: expected a comparison operator, '&&', '||' or end of text, found ')'"},
      {"agent.x 3",
       "column 9: expected a comparison operator, '&&', '||' or end of text, "
       "found '3'"},
      {"a >= 1 b", "column 8: expected '&&', '||' or end of text, found 'b'"},
      {"(a) b", "column 5: expected '&&', '||' or end of text, found 'b'"},
      {"true >= 1", "column 6: expected '&&', '||' or end of text, found '>='"},
      {"(a >= 1 || b >= 2", "column 18: expected '&&', '||' or ')', found end of text"},
      {"(a || b", "column 8: expected a comparison operator, '&&', '||' or ')', found end of text"},
      {"((a) c)", "column 6: expected '&&', '||' or ')', found 'c'"},
      {R"(tier > "gold")",
       R"(column 8: expected a number after '>' (strings compare only with '==' or '!='), )"
       R"(found '"gold"')"},
      {R"(agent.tier <= "gold")",
       R"(column 15: expected a number after '<=' (strings compare only with '==' or '!='), )"
       R"(found '"gold"')"},
      {R"(tier == "gold)",
       R"(column 14: expected '"' to close the string that starts at column 9, found end of text)"},
      {R"(x == "a\)",
       R"(column 9: expected '"' to close the string that starts at column 6, found end of text)"},
      {R"(x == "a\nb")", R"(column 9: expected '"' or '\' after '\' in a string, found 'n')"},
      {"agent.", "column 7: expected an attribute name after 'agent.', found end of text"},
      {"agent.3x", "column 7: expected an attribute name after 'agent.', found '3x'"},
      {"agent.-", "column 7: expected an attribute name after 'agent.', found '-'"},
      {"agent. x", "column 7: expected an attribute name after 'agent.', found ' '"},
      {"agent.x >= y", "column 12: expected a number or a string, found 'y'"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    const absl::Status status = ParseStatus(c.text);
    CHECK(status.code() == absl::StatusCode::kInvalidArgument);
    CHECK(std::string(status.message()) == "requirement '" + c.text + "': " + c.error);
  }
}

TEST_CASE("The first error from the left is reported", "[requirements][errors]") {
  CHECK(std::string(ParseStatus("a b && @").message()) ==
        "requirement 'a b && @': column 3: expected a comparison operator, '&&', '||' or end of "
        "text, found 'b'");
  CHECK(std::string(ParseStatus("a >= 200 && \"open").message()) ==
        "requirement 'a >= 200 && \"open': column 6: expected a whole skill level from 0 to 100, "
        "found '200'");
}

TEST_CASE("Error columns count characters, not bytes", "[requirements][errors]") {
  const std::string text = R"(tier == "ゴールド" && @)";
  CHECK(std::string(ParseStatus(text).message()) ==
        "requirement '" + text +
            "': column 19: expected a skill name, agent.<attribute>, 'true', 'false', '!' or "
            "'(', found '@'");
  const std::string unknown = "a && ＠";
  CHECK(std::string(ParseStatus(unknown).message()) ==
        "requirement '" + unknown +
            "': column 6: expected a skill name, agent.<attribute>, 'true', 'false', '!' or "
            "'(', found '＠'");
}

TEST_CASE("A failed parse leaves the registry unchanged", "[requirements][errors]") {
  SkillRegistry skills;
  skills.Intern("support");
  for (const char* text : {"alpha && beta >= 200", "alpha && (beta || gamma", "alpha beta",
                           "support && alpha && \"x"}) {
    INFO(text);
    CHECK_FALSE(Requirement::Parse(text, skills).ok());
    CHECK(skills.size() == 1);
    CHECK_FALSE(skills.Find("alpha").has_value());
    CHECK_FALSE(skills.Find("beta").has_value());
  }
}

// "(((...(a)...)))" with `depth` pairs of parentheses.
std::string Nested(int depth) { return std::string(depth, '(') + "a" + std::string(depth, ')'); }

TEST_CASE("Parentheses nest up to 64 deep", "[requirements][nesting]") {
  CHECK(Matches(Nested(64), {{"a", 1}}));
  const std::string too_deep = Nested(65);
  const absl::Status status = ParseStatus(too_deep);
  CHECK(status.code() == absl::StatusCode::kInvalidArgument);
  CHECK(std::string(status.message()) ==
        "requirement '" + too_deep +
            "': column 65: parentheses nested deeper than 64 levels are not supported");
  CHECK_FALSE(ParseStatus(std::string(100000, '(')).ok());
}

TEST_CASE("The deepest allowed nesting evaluates correctly", "[requirements][nesting]") {
  // E(0) = a || b && c and E(k) = a || b && (E(k - 1)): each level leaves two operands pending,
  // so this needs the deepest evaluation stack any accepted requirement can.
  std::string text = "a || b && c";
  for (int depth = 0; depth < 64; ++depth) text = "a || b && (" + text + ")";
  CHECK(Matches(text, {{"a", 1}}));
  CHECK(Matches(text, {{"b", 1}, {"c", 1}}));
  CHECK_FALSE(Matches(text, {{"b", 1}}));
  CHECK_FALSE(Matches(text, {{"c", 1}}));
  CHECK_FALSE(ParseStatus("a || b && (" + text + ")").ok());
}

TEST_CASE("Long flat expressions need no nesting", "[requirements][nesting]") {
  std::string text = "s0";
  for (int i = 1; i < 2000; ++i) absl::StrAppend(&text, i % 2 ? " && s" : " || s", i);
  SkillRegistry skills;
  const Requirement requirement = MustParse(text, skills);
  CHECK(requirement.mentioned_skills().size() == 2000);
  SkillSet agent;
  agent.Set(*skills.Find("s1998"), 1);
  agent.Set(*skills.Find("s1999"), 1);
  CHECK(requirement.Matches(agent, {}));
}

TEST_CASE("A requirement that would overflow the registry is ResourceExhausted",
          "[requirements][errors]") {
  SkillRegistry skills;
  for (int i = 0; i < kMaxSkills - 1; ++i) skills.Intern(absl::StrCat("s", i));
  const absl::Status status = Requirement::Parse("s0 && x && y", skills).status();
  CHECK(status.code() == absl::StatusCode::kResourceExhausted);
  CHECK(std::string(status.message()) ==
        "requirement 's0 && x && y': its 2 new skill names would exceed the limit of 65535 "
        "skills");
  CHECK(skills.size() == kMaxSkills - 1);
  CHECK(MustParse("s0 && x", skills).mentioned_skills() == Ids{0, kMaxSkills - 1});
  CHECK(skills.size() == kMaxSkills);
  CHECK(MustParse("x || s7", skills).mentioned_skills() == Ids{kMaxSkills - 1, 7});
}

}  // namespace
}  // namespace switchboard
