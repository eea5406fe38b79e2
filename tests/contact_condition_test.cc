#include "switchboard/contact_condition.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "switchboard/attributes.h"

namespace switchboard {
namespace {

constexpr std::string_view kExample =
    R"(language == "ja" && tier in ["gold", "platinum"] && !(age < 18))";

// Parses `text`, failing the test with the error when it does not parse.
ContactCondition MustParse(std::string_view text) {
  absl::StatusOr<ContactCondition> condition = ContactCondition::Parse(text);
  INFO(std::string(text) << " -> " << condition.status().ToString());
  REQUIRE(condition.ok());
  return *std::move(condition);
}

// Whether a contact with `attributes` meets `text`.
bool Matches(std::string_view text, const Attributes& attributes = {}) {
  return MustParse(text).Matches(attributes);
}

// The message of the error parsing `text`, which must fail with InvalidArgument.
std::string ParseError(std::string_view text) {
  const absl::Status status = ContactCondition::Parse(text).status();
  INFO(std::string(text));
  CHECK(status.code() == absl::StatusCode::kInvalidArgument);
  return std::string(status.message());
}

AttributeValue Str(std::string_view s) { return std::string(s); }

TEST_CASE("The documented example admits only contacts meeting every clause",
          "[contact_condition]") {
  const ContactCondition condition = MustParse(kExample);
  const Attributes gold = {{"language", Str("ja")}, {"tier", Str("gold")}, {"age", 40.0}};
  CHECK(condition.Matches(gold));
  Attributes platinum = gold;
  platinum["tier"] = Str("platinum");
  CHECK(condition.Matches(platinum));
  Attributes no_age = gold;
  no_age.erase("age");
  CHECK(condition.Matches(no_age));  // age < 18 is false when absent

  Attributes silver = gold;
  silver["tier"] = Str("silver");
  CHECK_FALSE(condition.Matches(silver));
  Attributes english = gold;
  english["language"] = Str("en");
  CHECK_FALSE(condition.Matches(english));
  Attributes minor = gold;
  minor["age"] = 17.0;
  CHECK_FALSE(condition.Matches(minor));
  CHECK_FALSE(condition.Matches({}));
}

TEST_CASE("The brief's examples mean what they say", "[contact_condition]") {
  CHECK(Matches("vip", {{"vip", 1.0}}));
  CHECK_FALSE(Matches("vip", {}));
  CHECK(Matches("age >= 65 || !known", {{"age", 70.0}, {"known", 1.0}}));
  CHECK(Matches("age >= 65 || !known", {}));
  CHECK_FALSE(Matches("age >= 65 || !known", {{"age", 30.0}, {"known", Str("yes")}}));
  CHECK(Matches(R"(ivr_choice != "billing")", {{"ivr_choice", Str("sales")}}));
  CHECK(Matches(R"(ivr_choice != "billing")", {}));
  CHECK_FALSE(Matches(R"(ivr_choice != "billing")", {{"ivr_choice", Str("billing")}}));
}

TEST_CASE("Every comparison operator compares a number", "[contact_condition][compare]") {
  struct Case {
    const char* text;
    double age;
    bool matches;
  };
  const Case cases[] = {
      {"age >= 65", 64, false},    {"age >= 65", 65, true},     {"age >= 65", 66, true},
      {"age > 65", 65, false},     {"age > 65", 65.5, true},    {"age <= 65", 65, true},
      {"age <= 65", 65.01, false}, {"age < 65", 64.9, true},    {"age < 65", 65, false},
      {"age == 65", 65, true},     {"age == 65", 64, false},    {"age != 65", 65, false},
      {"age != 65", 1, true},      {"age > -1.5", -1, true},    {"age > -1.5", -1.5, false},
      {"age == 1e3", 1000, true},  {"age < 2.5e-1", 0.2, true}, {"age == 0", -0.0, true},
      {"age == -0", 0, true},      {"age >= 65.0", 65, true},
  };
  for (const Case& c : cases) {
    INFO(c.text << " with age " << c.age);
    CHECK(Matches(c.text, {{"age", c.age}}) == c.matches);
  }
}

TEST_CASE("== and != compare a string exactly", "[contact_condition][compare]") {
  const Attributes ja = {{"language", Str("ja")}};
  CHECK(Matches(R"(language == "ja")", ja));
  CHECK_FALSE(Matches(R"(language == "en")", ja));
  CHECK_FALSE(Matches(R"(language == "JA")", ja));
  CHECK_FALSE(Matches(R"(language == "ja ")", ja));
  CHECK_FALSE(Matches(R"(language == "")", ja));
  CHECK(Matches(R"(language != "en")", ja));
  CHECK_FALSE(Matches(R"(language != "ja")", ja));
  CHECK(Matches(R"(language == "")", {{"language", Str("")}}));
}

TEST_CASE("A comparison with an absent attribute is false, and != is its negation",
          "[contact_condition][absent]") {
  const Attributes other = {{"other", 5.0}};
  for (const char* text : {"age >= 0", "age > -1", "age <= 0", "age < 1", "age == 0",
                           R"(age == "")", "age in [0, \"\"]", "age"}) {
    INFO(text);
    CHECK_FALSE(Matches(text, other));
  }
  for (const char* text : {"age != 0", R"(age != "")", "age not in [0, \"\"]", "!age"}) {
    INFO(text);
    CHECK(Matches(text, other));
  }
}

TEST_CASE("A string compared with a number, or a number with a string, is false",
          "[contact_condition][types]") {
  const Attributes attributes = {{"code", Str("7")}, {"floor", 3.0}};
  struct Case {
    const char* text;
    bool matches;
  };
  const Case cases[] = {
      {"code == 7", false},
      {"code != 7", true},
      {"code >= 0", false},
      {"code < 100", false},
      {"code in [7]", false},
      {"code not in [7]", true},
      {R"(code == "7")", true},
      {R"(floor == "3")", false},
      {R"(floor != "3")", true},
      {R"(floor in ["3"])", false},
      {R"(floor not in ["3"])", true},
      {"floor == 3", true},
      {R"(code in ["7", 7])", true},
      {R"(floor in ["7", 3])", true},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    CHECK(Matches(c.text, attributes) == c.matches);
  }
}

TEST_CASE("An attribute alone is true when present and truthy", "[contact_condition][truthy]") {
  const Attributes attributes = {
      {"empty", Str("")},      {"word", Str("no")}, {"zero_text", Str("0")}, {"zero", 0.0},
      {"negative_zero", -0.0}, {"one", 1.0},        {"negative", -2.5},      {"tiny", 1e-300}};
  CHECK_FALSE(Matches("empty", attributes));
  CHECK(Matches("word", attributes));
  CHECK(Matches("zero_text", attributes));  // a non-empty string, whatever it says
  CHECK_FALSE(Matches("zero", attributes));
  CHECK_FALSE(Matches("negative_zero", attributes));
  CHECK(Matches("one", attributes));
  CHECK(Matches("negative", attributes));
  CHECK(Matches("tiny", attributes));
  CHECK_FALSE(Matches("absent", attributes));
  CHECK(Matches("!absent", attributes));
  CHECK(Matches("!empty && !zero", attributes));
}

TEST_CASE("in is true when the attribute equals an element of the list",
          "[contact_condition][in]") {
  const char* const text = R"(tier in ["gold", "platinum"])";
  CHECK(Matches(text, {{"tier", Str("gold")}}));
  CHECK(Matches(text, {{"tier", Str("platinum")}}));
  CHECK_FALSE(Matches(text, {{"tier", Str("silver")}}));
  CHECK_FALSE(Matches(text, {{"tier", Str("Gold")}}));
  CHECK_FALSE(Matches(text, {{"tier", 1.0}}));
  CHECK_FALSE(Matches(text, {}));
  // One element, duplicates, and whitespace inside the brackets.
  CHECK(Matches(R"(tier in ["gold"])", {{"tier", Str("gold")}}));
  CHECK(Matches(R"(tier in [ "gold" ,"gold",  "gold" ])", {{"tier", Str("gold")}}));
  CHECK(Matches(R"(tier in [""])", {{"tier", Str("")}}));
}

TEST_CASE("in compares numbers as numbers", "[contact_condition][in]") {
  const char* const text = "queue_choice in [1, 2, 3.5, -4, 1e2]";
  for (double value : {1.0, 2.0, 3.5, -4.0, 100.0}) {
    INFO(value);
    CHECK(Matches(text, {{"queue_choice", value}}));
  }
  for (double value : {0.0, 3.0, 4.0, 99.999}) {
    INFO(value);
    CHECK_FALSE(Matches(text, {{"queue_choice", value}}));
  }
  CHECK_FALSE(Matches(text, {{"queue_choice", Str("1")}}));
  CHECK(Matches("x in [0]", {{"x", -0.0}}));
  CHECK(Matches("x in [-0]", {{"x", 0.0}}));
}

TEST_CASE("A list may mix strings and numbers", "[contact_condition][in]") {
  const char* const text = R"(ivr in ["billing", 3, "sales", 9])";
  CHECK(Matches(text, {{"ivr", Str("billing")}}));
  CHECK(Matches(text, {{"ivr", Str("sales")}}));
  CHECK(Matches(text, {{"ivr", 3.0}}));
  CHECK(Matches(text, {{"ivr", 9.0}}));
  CHECK_FALSE(Matches(text, {{"ivr", Str("3")}}));
  CHECK_FALSE(Matches(text, {{"ivr", 4.0}}));
}

TEST_CASE("not in is the negation of in", "[contact_condition][in]") {
  const char* const text = R"(tier not in ["gold", 2])";
  CHECK_FALSE(Matches(text, {{"tier", Str("gold")}}));
  CHECK_FALSE(Matches(text, {{"tier", 2.0}}));
  CHECK(Matches(text, {{"tier", Str("silver")}}));
  CHECK(Matches(text, {{"tier", Str("2")}}));
  CHECK(Matches(text, {{"tier", 3.0}}));
  CHECK(Matches(text, {}));
  // Binds as one test: !(tier not in [...]) is tier in [...].
  CHECK(Matches(R"(!tier not in ["gold"])", {{"tier", Str("gold")}}));
  CHECK(Matches(R"(not tier not in ["gold"])", {{"tier", Str("gold")}}));
}

TEST_CASE("Long lists are searched as short ones are scanned", "[contact_condition][in]") {
  std::string numbers = "n in [";
  std::string strings = "s in [";
  // Unsorted on purpose, with duplicates.
  for (int i = 0; i < 100; ++i) {
    const int value = (i * 37) % 50 * 2;  // even numbers 0..98, each twice
    absl::StrAppend(&numbers, i ? ", " : "", value);
    absl::StrAppend(&strings, i ? ", " : "", "\"v", value, "\"");
  }
  numbers += "]";
  strings += "]";
  const ContactCondition n = MustParse(numbers);
  const ContactCondition s = MustParse(strings);
  for (int value = -2; value <= 101; ++value) {
    INFO(value);
    const bool listed = value >= 0 && value <= 98 && value % 2 == 0;
    CHECK(n.Matches({{"n", static_cast<double>(value)}}) == listed);
    CHECK(s.Matches({{"s", Str(absl::StrCat("v", value))}}) == listed);
    CHECK_FALSE(n.Matches({{"n", Str(absl::StrCat(value))}}));
  }
  CHECK_FALSE(s.Matches({{"s", Str("v")}}));
  CHECK_FALSE(s.Matches({{"s", Str("v988")}}));
}

TEST_CASE("A NaN attribute equals nothing", "[contact_condition][in]") {
  const Attributes nan = {{"x", std::numeric_limits<double>::quiet_NaN()}};
  CHECK_FALSE(Matches("x in [1, 2]", nan));
  CHECK_FALSE(Matches("x in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]", nan));
  CHECK(Matches("x not in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]", nan));
  CHECK_FALSE(Matches("x == 0", nan));
  CHECK_FALSE(Matches("x >= 0 || x < 0", nan));
}

TEST_CASE("&& binds tighter than ||", "[contact_condition][precedence]") {
  const Attributes a = {{"a", 1.0}};
  const Attributes b = {{"b", 1.0}};
  const Attributes bc = {{"b", 1.0}, {"c", 1.0}};
  const Attributes c = {{"c", 1.0}};
  // a || (b && c)
  CHECK(Matches("a || b && c", a));
  CHECK_FALSE(Matches("a || b && c", b));
  CHECK(Matches("a || b && c", bc));
  // (a && b) || c
  CHECK(Matches("a && b || c", c));
  CHECK_FALSE(Matches("a && b || c", a));
  CHECK(Matches("a and b or c", c));
}

TEST_CASE("Negation binds tighter than && and ||, and looser than a test",
          "[contact_condition][precedence]") {
  CHECK(Matches("!a && b", {{"b", 1.0}}));
  CHECK_FALSE(Matches("!a && b", {{"a", 1.0}, {"b", 1.0}}));
  CHECK(Matches("!a || b", {}));
  CHECK_FALSE(Matches("!a || b", {{"a", 1.0}}));
  // !(age >= 65), not (!age) >= 65
  CHECK(Matches("!age >= 65", {{"age", 30.0}}));
  CHECK_FALSE(Matches("!age >= 65", {{"age", 70.0}}));
  CHECK(Matches(R"(not tier in ["gold"])", {{"tier", Str("silver")}}));
}

TEST_CASE("Parentheses group before precedence applies", "[contact_condition][precedence]") {
  CHECK_FALSE(Matches("(a || b) && c", {{"a", 1.0}}));
  CHECK(Matches("(a || b) && c", {{"b", 1.0}, {"c", 1.0}}));
  CHECK(Matches("!(a && b)", {{"a", 1.0}}));
  CHECK_FALSE(Matches("!(a && b)", {{"a", 1.0}, {"b", 1.0}}));
  CHECK(Matches("((((a))))", {{"a", 1.0}}));
  CHECK(Matches("(a || (b && (c || d)))", {{"b", 1.0}, {"d", 1.0}}));
  CHECK_FALSE(Matches("(a || (b && (c || d)))", {{"b", 1.0}}));
}

TEST_CASE("Repeated negation cancels out", "[contact_condition]") {
  CHECK(Matches("!!a", {{"a", 1.0}}));
  CHECK_FALSE(Matches("!!!a", {{"a", 1.0}}));
  CHECK(Matches("not !not a", {}));
  const std::string many = std::string(1001, '!') + "a";
  CHECK(Matches(many, {}));
  CHECK_FALSE(Matches(many, {{"a", 1.0}}));
}

TEST_CASE("true and false are constants", "[contact_condition]") {
  CHECK(Matches("true"));
  CHECK_FALSE(Matches("false"));
  CHECK(Matches("!false"));
  CHECK_FALSE(Matches("true && false"));
  CHECK(Matches("false || a", {{"a", 1.0}}));
  CHECK_FALSE(Matches("false || a", {}));
  CHECK_FALSE(Matches("a && false", {{"a", 1.0}}));
  CHECK(Matches("a || true", {}));
}

TEST_CASE("contact.NAME is the attribute NAME, and may be a keyword",
          "[contact_condition][names]") {
  const Attributes attributes = {{"tier", Str("gold")}, {"in", 1.0},      {"not", Str("x")},
                                 {"true", 0.0},         {"contact", 2.0}, {"and", Str("y")}};
  CHECK(Matches(R"(contact.tier == "gold")", attributes));
  CHECK(Matches(R"(contact.tier in ["gold"] && tier == "gold")", attributes));
  CHECK(Matches("contact.in", attributes));
  CHECK(Matches(R"(contact.not == "x")", attributes));
  CHECK_FALSE(Matches("contact.true", attributes));
  CHECK(Matches(R"(contact.and not in ["x"])", attributes));
  // 'contact' without a dot is an ordinary name.
  CHECK(Matches("contact == 2 && contact.contact >= 2", attributes));
}

TEST_CASE("Names may use '_', '-' and digits", "[contact_condition][names]") {
  CHECK(Matches(R"(first-name == "Ann" && _x2 && crm_tier-2 in [1])",
                {{"first-name", Str("Ann")}, {"_x2", 1.0}, {"crm_tier-2", 1.0}}));
  // A '-' inside a name is part of it, not a minus.
  CHECK_FALSE(Matches("a-1", {{"a", 1.0}}));
  CHECK(Matches("a-1", {{"a-1", 1.0}}));
}

TEST_CASE("Strings accept escaped quotes and backslashes and any UTF-8",
          "[contact_condition][strings]") {
  const Attributes attributes = {
      {"motto", Str(R"(say "hi" \ bye)")}, {"tier", Str("ゴールド")}, {"path", Str(R"(a\)")}};
  CHECK(Matches(R"(motto == "say \"hi\" \\ bye")", attributes));
  CHECK(Matches(R"(motto in ["x", "say \"hi\" \\ bye"])", attributes));
  CHECK(Matches(R"(tier == "ゴールド")", attributes));
  CHECK(Matches(R"(path == "a\\")", attributes));
  CHECK(Matches(R"(path != "a")", attributes));
  // Operators inside a string are text.
  CHECK(Matches(R"(x == "a && b || (c")", {{"x", Str("a && b || (c")}}));
}

TEST_CASE("Whitespace between tokens is free", "[contact_condition]") {
  const ContactCondition compact =
      MustParse(R"(language=="ja"&&tier in["gold","platinum"]&&!(age<18)||vip!=0)");
  const ContactCondition spread = MustParse(
      " language ==\t\"ja\" &&\ntier in [ \"gold\" , \"platinum\" ]\r\n&& ! ( age < 18 ) || "
      "vip != 0 ");
  const Attributes contacts[] = {
      {{"language", Str("ja")}, {"tier", Str("gold")}, {"age", 40.0}},
      {{"language", Str("ja")}, {"tier", Str("gold")}, {"age", 10.0}, {"vip", 0.0}},
      {{"vip", 1.0}},
      {{"vip", 0.0}},
  };
  for (const Attributes& attributes : contacts) {
    CHECK(compact.Matches(attributes) == spread.Matches(attributes));
  }
  CHECK(compact.Matches(contacts[0]));
  CHECK_FALSE(compact.Matches(contacts[1]));
}

TEST_CASE("Empty or blank text is met by every contact", "[contact_condition]") {
  for (const char* text : {"", "   ", " \t\r\n "}) {
    INFO('"' << text << '"');
    const ContactCondition condition = MustParse(text);
    CHECK(condition.always_true());
    CHECK(condition.text() == text);
    CHECK(condition.Matches({}));
    CHECK(condition.Matches({{"a", 1.0}}));
  }
  const ContactCondition default_constructed;
  CHECK(default_constructed.always_true());
  CHECK(default_constructed.text().empty());
  CHECK(default_constructed.Matches({}));
}

TEST_CASE("always_true holds when the constants alone decide the outcome", "[contact_condition]") {
  for (const char* text : {"true", "!false", "true || vip", "!false || vip", "vip || true",
                           "(false && vip) || true", "not (vip && false)"}) {
    INFO(text);
    const ContactCondition condition = MustParse(text);
    CHECK(condition.always_true());
    CHECK(condition.text() == text);
    CHECK(condition.Matches({}));
  }
  for (const char* text : {"false", "vip && false", "vip", "vip || !vip", "!true || vip"}) {
    INFO(text);
    CHECK_FALSE(MustParse(text).always_true());
  }
  CHECK_FALSE(Matches("vip && false", {{"vip", 1.0}}));
  CHECK_FALSE(Matches("false && vip", {{"vip", 1.0}}));
}

TEST_CASE("A parsed condition keeps its text", "[contact_condition]") {
  const ContactCondition condition = MustParse(kExample);
  CHECK(condition.text() == kExample);
  CHECK_FALSE(condition.always_true());
}

TEST_CASE("A copy matches as the original does, and outlives it", "[contact_condition]") {
  const Attributes gold = {{"language", Str("ja")}, {"tier", Str("gold")}};
  const Attributes silver = {{"language", Str("ja")}, {"tier", Str("silver")}};
  std::vector<ContactCondition> copies;
  {
    ContactCondition original = MustParse(kExample);
    copies.push_back(original);
    ContactCondition assigned;
    assigned = original;
    copies.push_back(assigned);
    copies.push_back(std::move(original));
  }  // the original and `assigned` are gone; the copies still hold the program
  for (const ContactCondition& copy : copies) {
    CHECK(copy.text() == kExample);
    CHECK_FALSE(copy.always_true());
    CHECK(copy.Matches(gold));
    CHECK_FALSE(copy.Matches(silver));
  }
  ContactCondition replaced = MustParse("vip");
  replaced = copies.front();
  CHECK(replaced.Matches(gold));
  replaced = ContactCondition();
  CHECK(replaced.always_true());
  CHECK(replaced.Matches(silver));
}

TEST_CASE("Parse errors name the column and the offending token", "[contact_condition][errors]") {
  struct Case {
    std::string text;
    std::string error;  // the message after "condition '<text>': "
  };
  const std::string primary = "expected an attribute name, 'true', 'false', '!' or '('";
  const std::string after_name = "expected a comparison operator, 'in', 'not in', '&&', '||' or ";
  const Case cases[] = {
      // The brief's example: the ']' after the trailing comma.
      {R"(tier in ["gold",])", "column 17: expected a string or a number, found ']'"},
      {"tier in []", "column 10: expected a string or a number, found ']'"},
      {"tier in [vip]", "column 10: expected a string or a number, found 'vip'"},
      {"tier in [,1]", "column 10: expected a string or a number, found ','"},
      {"tier in [1,,2]", "column 12: expected a string or a number, found ','"},
      {"tier in [", "column 10: expected a string or a number, found end of text"},
      {"tier in [1", "column 11: expected ',' or ']', found end of text"},
      {R"(tier in ["a" "b"])", "column 14: expected ',' or ']', found '\"b\"'"},
      {"tier in [1 2]", "column 12: expected ',' or ']', found '2'"},
      {"tier in [1; 2]", "column 11: expected ',' or ']', found ';'"},
      {"tier in [3d]", "column 10: expected a string or a number, found '3d'"},
      {R"(tier in "gold")", "column 9: expected '[', found '\"gold\"'"},
      {"tier in", "column 8: expected '[', found end of text"},
      {"tier in (1)", "column 9: expected '[', found '('"},
      {"tier not [1]", "column 10: expected 'in' after 'not', found '['"},
      {"tier not", "column 9: expected 'in' after 'not', found end of text"},
      {"tier not vip", "column 10: expected 'in' after 'not', found 'vip'"},
      {"tier ! in [1]", "column 6: " + after_name + "end of text, found '!'"},
      {"tier == [1]", "column 9: expected a number or a string, found '['"},
      {"age >= ", "column 8: expected a number or a string, found end of text"},
      {"age >=", "column 7: expected a number or a string, found end of text"},
      {"a >= b", "column 6: expected a number or a string, found 'b'"},
      {"a >= >= 1", "column 6: expected a number or a string, found '>='"},
      {"a >= 3d", "column 6: expected a number or a string, found '3d'"},
      {"a >= 1.2.3", "column 6: expected a number or a string, found '1.2.3'"},
      {"a >= 1e999", "column 6: expected a number or a string, found '1e999'"},
      {"a >= .5", "column 6: expected a number or a string, found '.'"},
      {"a == true", "column 6: expected a number or a string, found 'true'"},
      {R"(tier > "gold")",
       R"(column 8: expected a number after '>' (strings compare only with '==' or '!='), )"
       R"(found '"gold"')"},
      {R"(tier <= "gold")",
       R"(column 9: expected a number after '<=' (strings compare only with '==' or '!='), )"
       R"(found '"gold"')"},
      {"&& a", "column 1: " + primary + ", found '&&'"},
      {"a &&", "column 5: " + primary + ", found end of text"},
      {"a || || b", "column 6: " + primary + ", found '||'"},
      {"()", "column 2: " + primary + ", found ')'"},
      {"!", "column 2: " + primary + ", found end of text"},
      {"not", "column 4: " + primary + ", found end of text"},
      {"@", "column 1: " + primary + ", found '@'"},
      {"5", "column 1: " + primary + ", found '5'"},
      {R"("gold" == tier)", "column 1: " + primary + ", found '\"gold\"'"},
      {"in [1]", "column 1: " + primary + ", found 'in'"},
      {"[1]", "column 1: " + primary + ", found '['"},
      {"a && and", "column 6: " + primary + ", found 'and'"},
      {"a & b", "column 3: expected '&&', found '&'"},
      {"a | b", "column 3: expected '||', found '|'"},
      {"a = 3", "column 3: expected '==', found '='"},
      {"a == =", "column 6: expected '==', found '='"},
      {"a b", "column 3: " + after_name + "end of text, found 'b'"},
      {"a -", "column 3: " + after_name + "end of text, found '-'"},
      {"a)", "column 2: " + after_name + "end of text, found ')'"},
      {"a]", "column 2: " + after_name + "end of text, found ']'"},
      {"a, b", "column 2: " + after_name + "end of text, found ','"},
      {"contact.x 3", "column 11: " + after_name + "end of text, found '3'"},
      {"a >= 1 b", "column 8: expected '&&', '||' or end of text, found 'b'"},
      {"a in [1] [2]", "column 10: expected '&&', '||' or end of text, found '['"},
      {"(a) b", "column 5: expected '&&', '||' or end of text, found 'b'"},
      {"true >= 1", "column 6: expected '&&', '||' or end of text, found '>='"},
      {"true in [1]", "column 6: expected '&&', '||' or end of text, found 'in'"},
      {"(a >= 1 || b >= 2", "column 18: expected '&&', '||' or ')', found end of text"},
      {"(a || b", "column 8: " + after_name + "')', found end of text"},
      {"((a) c)", "column 6: expected '&&', '||' or ')', found 'c'"},
      {R"(tier == "gold)",
       R"(column 14: expected '"' to close the string that starts at column 9, found end of text)"},
      {R"(tier in ["a", "b)",
       R"(column 17: expected '"' to close the string that starts at column 15, found end of )"
       R"(text)"},
      {R"(x == "a\)",
       R"(column 9: expected '"' to close the string that starts at column 6, found end of text)"},
      {R"(x == "a\nb")", R"(column 9: expected '"' or '\' after '\' in a string, found 'n')"},
      {R"(x in ["\t"])", R"(column 9: expected '"' or '\' after '\' in a string, found 't')"},
      {"contact.", "column 9: expected an attribute name after 'contact.', found end of text"},
      {"contact.3x", "column 9: expected an attribute name after 'contact.', found '3x'"},
      {"contact.-", "column 9: expected an attribute name after 'contact.', found '-'"},
      {"contact. x", "column 9: expected an attribute name after 'contact.', found ' '"},
      {"agent.tier",
       "column 1: expected a contact attribute (a condition cannot read agent attributes), "
       "found 'agent.tier'"},
      {R"(vip && agent.tier == "gold")",
       "column 8: expected a contact attribute (a condition cannot read agent attributes), "
       "found 'agent.tier'"},
      {"contact.x >= y", "column 14: expected a number or a string, found 'y'"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    CHECK(ParseError(c.text) == "condition '" + c.text + "': " + c.error);
  }
}

TEST_CASE("The first error from the left is reported", "[contact_condition][errors]") {
  CHECK(ParseError("a b && @") ==
        "condition 'a b && @': column 3: expected a comparison operator, 'in', 'not in', '&&', "
        "'||' or end of text, found 'b'");
  CHECK(ParseError("x in [] && \"open") ==
        "condition 'x in [] && \"open': column 7: expected a string or a number, found ']'");
}

TEST_CASE("Error columns count characters, not bytes", "[contact_condition][errors]") {
  const std::string text = R"(tier == "ゴールド" && @)";
  CHECK(ParseError(text) == "condition '" + text +
                                "': column 19: expected an attribute name, 'true', 'false', "
                                "'!' or '(', found '@'");
  const std::string list = R"(tier in ["ゴールド",])";
  CHECK(ParseError(list) ==
        "condition '" + list + "': column 17: expected a string or a number, found ']'");
  const std::string unknown = "a && ＠";
  CHECK(ParseError(unknown) == "condition '" + unknown +
                                   "': column 6: expected an attribute name, 'true', 'false', "
                                   "'!' or '(', found '＠'");
}

TEST_CASE("Text that is too long or not UTF-8 is refused before parsing",
          "[contact_condition][errors]") {
  CHECK(ParseError("tier == \"\xff\"") == "condition is not valid UTF-8");
  const std::string long_text = "a || " + std::string(70000, ' ') + "b";
  CHECK(ParseError(long_text) == "condition is 70006 bytes; expected at most 65536");
}

// "(((...(a)...)))" with `depth` pairs of parentheses.
std::string Nested(int depth) { return std::string(depth, '(') + "a" + std::string(depth, ')'); }

TEST_CASE("Parentheses nest up to 64 deep", "[contact_condition][nesting]") {
  CHECK(Matches(Nested(64), {{"a", 1.0}}));
  CHECK_FALSE(Matches(Nested(64), {}));
  const std::string too_deep = Nested(65);
  CHECK(ParseError(too_deep) ==
        "condition '" + too_deep +
            "': column 65: parentheses nested deeper than 64 levels are not supported");
  CHECK_FALSE(ContactCondition::Parse(std::string(60000, '(')).ok());
}

TEST_CASE("The deepest allowed nesting evaluates correctly", "[contact_condition][nesting]") {
  std::string text = "a || b && !c";
  for (int depth = 0; depth < 64; ++depth) text = "a || b && !(" + text + ")";
  const ContactCondition condition = MustParse(text);
  CHECK(condition.Matches({{"a", 1.0}}));
  // 64 negations around "a || b && !c": with a false, b true, it is !c negated 64 times.
  CHECK(condition.Matches({{"b", 1.0}}));
  CHECK_FALSE(condition.Matches({{"b", 1.0}, {"c", 1.0}}));
  CHECK_FALSE(condition.Matches({}));
}

TEST_CASE("Long flat expressions need no nesting", "[contact_condition][nesting]") {
  std::string text = "s0";
  for (int i = 1; i < 5000; ++i) absl::StrAppend(&text, i % 2 ? " && s" : " || s", i);
  const ContactCondition condition = MustParse(text);
  // (s0 && s1) || (s2 && s3) || ... || (s4998 && s4999)
  CHECK(condition.Matches({{"s4998", 1.0}, {"s4999", 1.0}}));
  CHECK_FALSE(condition.Matches({{"s4997", 1.0}, {"s4998", 1.0}}));
  CHECK_FALSE(condition.Matches({}));
}

// ---------------------------------------------------------------------------------------------
// Randomized cross-check against a reference evaluator over the expression tree.

struct Literal {
  std::string text;      // as written in a condition
  AttributeValue value;  // what it means
};

// Literals to compare with, as written and as meant; several spellings of one number.
const std::vector<Literal>& Literals() {
  static const auto* const literals = new std::vector<Literal>{{"0", 0.0},
                                                               {"-0", -0.0},
                                                               {"1", 1.0},
                                                               {"1.0", 1.0},
                                                               {"1e0", 1.0},
                                                               {"-1", -1.0},
                                                               {"2.5", 2.5},
                                                               {"65", 65.0},
                                                               {"6.5e1", 65.0},
                                                               {"7", 7.0},
                                                               {R"("")", Str("")},
                                                               {R"("x")", Str("x")},
                                                               {R"("gold")", Str("gold")},
                                                               {R"("q\"t")", Str("q\"t")},
                                                               {R"("b\\s")", Str("b\\s")},
                                                               {R"("ゴ")", Str("ゴ")},
                                                               {R"("1")", Str("1")}};
  return *literals;
}

// Values a random contact's attributes take.
const std::vector<AttributeValue>& Values() {
  static const auto* const values = new std::vector<AttributeValue>{
      0.0,     -0.0,     1.0,         -1.0,        2.5,         65.0,      64.0,     66.0,    7.0,
      Str(""), Str("x"), Str("gold"), Str("q\"t"), Str("b\\s"), Str("ゴ"), Str("1"), Str("y")};
  return *values;
}

// Attribute names, with the spellings a condition may use for each.
struct Name {
  std::string attribute;
  std::vector<std::string> spellings;
};
const std::vector<Name>& Names() {
  static const auto* const names = new std::vector<Name>{
      {"a", {"a", "contact.a"}},
      {"tier", {"tier", "contact.tier"}},
      {"age-2", {"age-2"}},
      {"in", {"contact.in"}},
  };
  return *names;
}

struct Expr {
  enum class Kind { kTrue, kFalse, kTest, kNot, kAnd, kOr };
  enum class Op { kTruthy, kGe, kGt, kLe, kLt, kEq, kNe, kIn, kNotIn };
  Kind kind = Kind::kTrue;
  Op op = Op::kTruthy;
  int name = 0;
  std::vector<int> literals;  // one for a comparison, one or more for kIn and kNotIn
  std::vector<Expr> operands;
};

// The meaning spelled out in contact_condition.h, written without regard to speed.
bool Reference(const Expr& e, const Attributes& attributes) {
  switch (e.kind) {
    case Expr::Kind::kTrue:
      return true;
    case Expr::Kind::kFalse:
      return false;
    case Expr::Kind::kNot:
      return !Reference(e.operands[0], attributes);
    case Expr::Kind::kAnd:
      return std::all_of(e.operands.begin(), e.operands.end(),
                         [&](const Expr& o) { return Reference(o, attributes); });
    case Expr::Kind::kOr:
      return std::any_of(e.operands.begin(), e.operands.end(),
                         [&](const Expr& o) { return Reference(o, attributes); });
    case Expr::Kind::kTest:
      break;
  }
  const auto it = attributes.find(Names()[e.name].attribute);
  const AttributeValue* value = it == attributes.end() ? nullptr : &it->second;
  // Same type and equal (0 == -0 as numbers).
  auto equals = [&](int literal) { return value && *value == Literals()[literal].value; };
  auto compare = [&](auto holds) {
    const AttributeValue& literal = Literals()[e.literals[0]].value;
    return value && std::holds_alternative<double>(*value) &&
           std::holds_alternative<double>(literal) &&
           holds(std::get<double>(*value), std::get<double>(literal));
  };
  const bool in = std::any_of(e.literals.begin(), e.literals.end(), equals);
  switch (e.op) {
    case Expr::Op::kTruthy:
      if (value == nullptr) return false;
      if (const auto* s = std::get_if<std::string>(value)) return !s->empty();
      return std::get<double>(*value) != 0;
    case Expr::Op::kGe:
      return compare([](double x, double y) { return x >= y; });
    case Expr::Op::kGt:
      return compare([](double x, double y) { return x > y; });
    case Expr::Op::kLe:
      return compare([](double x, double y) { return x <= y; });
    case Expr::Op::kLt:
      return compare([](double x, double y) { return x < y; });
    case Expr::Op::kEq:
    case Expr::Op::kIn:
      return in;
    case Expr::Op::kNe:
    case Expr::Op::kNotIn:
      return !in;
  }
  return false;
}

class Generator {
 public:
  explicit Generator(uint32_t seed) : random_(seed) {}

  int Uniform(int n) { return std::uniform_int_distribution<int>(0, n - 1)(random_); }
  bool Chance(int percent) { return Uniform(100) < percent; }

  Expr RandomExpr(int depth) {
    Expr e;
    const int choice = depth == 0 ? 5 + Uniform(5) : Uniform(10);
    if (choice < 2) {
      e.kind = choice == 0 ? Expr::Kind::kAnd : Expr::Kind::kOr;
      const int count = 2 + Uniform(3);
      for (int i = 0; i < count; ++i) e.operands.push_back(RandomExpr(depth - 1));
    } else if (choice < 3) {
      e.kind = Expr::Kind::kNot;
      e.operands.push_back(RandomExpr(depth - 1));
    } else if (choice < 4) {
      e.kind = Chance(50) ? Expr::Kind::kTrue : Expr::Kind::kFalse;
    } else {
      e.kind = Expr::Kind::kTest;
      e.name = Uniform(static_cast<int>(Names().size()));
      e.op = static_cast<Expr::Op>(Uniform(9));
      const int count = e.op == Expr::Op::kIn || e.op == Expr::Op::kNotIn ? 1 + Uniform(12)
                        : e.op == Expr::Op::kTruthy                       ? 0
                                                                          : 1;
      for (int i = 0; i < count; ++i) {
        int literal = Uniform(static_cast<int>(Literals().size()));
        // Only == and != take strings.
        while (count == 1 && e.op != Expr::Op::kEq && e.op != Expr::Op::kNe &&
               e.op != Expr::Op::kIn && e.op != Expr::Op::kNotIn &&
               std::holds_alternative<std::string>(Literals()[literal].value)) {
          literal = Uniform(static_cast<int>(Literals().size()));
        }
        e.literals.push_back(literal);
      }
    }
    return e;
  }

  // `e` as text, with random spellings and spacing, in parentheses where precedence needs them
  // and sometimes where it does not. `context` is the binding strength the position needs:
  // 0 anywhere, 1 an operand of ||, 2 of &&, 3 of a negation.
  std::string Print(const Expr& e, int context) {
    std::string text;
    int strength = 4;
    switch (e.kind) {
      case Expr::Kind::kTrue:
        text = "true";
        break;
      case Expr::Kind::kFalse:
        text = "false";
        break;
      case Expr::Kind::kTest:
        text = PrintTest(e);
        break;
      case Expr::Kind::kNot:
        text = (Chance(50) ? "!" : "not ") + Space() + Print(e.operands[0], 3);
        strength = 3;
        break;
      case Expr::Kind::kAnd:
      case Expr::Kind::kOr: {
        const bool is_and = e.kind == Expr::Kind::kAnd;
        strength = is_and ? 2 : 1;
        for (size_t i = 0; i < e.operands.size(); ++i) {
          if (i > 0) {
            const char* op = is_and ? (Chance(50) ? "&&" : "and") : (Chance(50) ? "||" : "or");
            text += " " + Space() + op + " " + Space();
          }
          // A chain's operands must bind tighter than the chain itself, or it would merge
          // with them.
          text += Print(e.operands[i], strength + 1);
        }
        break;
      }
    }
    if (strength < context || Chance(10)) text = "(" + Space() + text + Space() + ")";
    return text;
  }

 private:
  std::string Space() {
    const int choice = Uniform(8);
    return choice < 5 ? "" : choice < 7 ? " " : "\t\n";
  }

  std::string PrintTest(const Expr& e) {
    const std::vector<std::string>& spellings = Names()[e.name].spellings;
    std::string text = spellings[Uniform(static_cast<int>(spellings.size()))];
    static const char* const kOps[] = {"", ">=", ">", "<=", "<", "==", "!=", "in", "not in"};
    if (e.op == Expr::Op::kTruthy) return text;
    text += " " + Space() + kOps[static_cast<int>(e.op)] + " " + Space();
    if (e.op != Expr::Op::kIn && e.op != Expr::Op::kNotIn) {
      return text + Literals()[e.literals[0]].text;
    }
    text += "[" + Space();
    for (size_t i = 0; i < e.literals.size(); ++i) {
      if (i > 0) text += Space() + "," + Space();
      text += Literals()[e.literals[i]].text;
    }
    return text + Space() + "]";
  }

  std::mt19937 random_;
};

TEST_CASE("Matches agrees with a reference evaluator on random conditions",
          "[contact_condition][random]") {
  Generator generator(20240611);
  // Contacts: every name absent or holding a random value.
  std::vector<Attributes> contacts;
  for (int i = 0; i < 64; ++i) {
    Attributes attributes;
    for (const Name& name : Names()) {
      if (generator.Chance(25)) continue;
      attributes[name.attribute] = Values()[generator.Uniform(static_cast<int>(Values().size()))];
    }
    if (generator.Chance(20)) attributes["unrelated"] = 1.0;
    contacts.push_back(std::move(attributes));
  }
  int matched = 0;
  int checked = 0;
  for (int round = 0; round < 3000; ++round) {
    const Expr expr = generator.RandomExpr(generator.Uniform(5));
    const std::string text = generator.Print(expr, 0);
    INFO(text);
    const ContactCondition condition = MustParse(text);
    bool always = true;
    for (const Attributes& attributes : contacts) {
      const bool expected = Reference(expr, attributes);
      always = always && expected;
      matched += expected ? 1 : 0;
      ++checked;
      if (condition.Matches(attributes) != expected) {
        // Report the first disagreement of this condition and move on.
        std::string shown;
        for (const auto& [key, value] : attributes) {
          absl::StrAppend(&shown, key, "=",
                          std::holds_alternative<double>(value)
                              ? absl::StrCat(std::get<double>(value))
                              : "\"" + std::get<std::string>(value) + "\"",
                          " ");
        }
        INFO("contact: " << shown << " expected " << expected);
        CHECK(condition.Matches(attributes) == expected);
        break;
      }
    }
    // always_true promises truth for every contact.
    if (condition.always_true()) CHECK(always);
  }
  // The sample exercises both outcomes.
  CHECK(matched > checked / 5);
  CHECK(matched < checked * 4 / 5);
}

TEST_CASE("Random token soup is refused or accepted, never mishandled",
          "[contact_condition][random]") {
  static const char* const kTokens[] = {
      "a",     "tier",   "contact.", "contact.a", "agent.x", "&&", "||", "&",    "|",
      "!",     "not",    "and",      "or",        "in",      "(",  ")",  "[",    "]",
      ",",     "==",     "!=",       ">=",        "<",       "=",  "1",  "-2.5", "3d",
      "\"s\"", "\"\\\"", "\"",       "true",      "@",       " ",  "ゴ"};
  std::mt19937 random(7);
  int accepted = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    const int length = std::uniform_int_distribution<int>(1, 10)(random);
    for (int i = 0; i < length; ++i) {
      text += kTokens[std::uniform_int_distribution<size_t>(0, std::size(kTokens) - 1)(random)];
      if (random() % 2) text += " ";
    }
    INFO(text);
    const absl::StatusOr<ContactCondition> condition = ContactCondition::Parse(text);
    if (condition.ok()) {
      ++accepted;
      CHECK(condition->text() == text);
      condition->Matches({{"a", 1.0}, {"tier", Str("s")}});
      continue;
    }
    CHECK(condition.status().code() == absl::StatusCode::kInvalidArgument);
    const std::string message(condition.status().message());
    const std::string prefix = "condition '" + text + "': column ";
    REQUIRE(message.substr(0, prefix.size()) == prefix);
    const int column = std::stoi(message.substr(prefix.size()));
    CHECK(column >= 1);
    CHECK(column <= static_cast<int>(text.size()) + 1);
    CHECK(message.find(", found ") != std::string::npos);
  }
  CHECK(accepted > 0);
}

}  // namespace
}  // namespace switchboard
