// Contact conditions: tests on a contact's attributes (IVR choice, tier, language, CRM data),
// written as text by users, that decide where an arriving contact goes (workflow entry rules).
//
// Example:
//   absl::StatusOr<ContactCondition> c = ContactCondition::Parse(
//       R"(language == "ja" && tier in ["gold", "platinum"] && !(age < 18))");
//   if (c.ok() && c->Matches(contact_attributes)) { ... }
//
// Grammar (whitespace is free; keywords are case-sensitive). The same surface syntax as a
// requirement (requirements.h), but every NAME is an attribute of the contact; there are no
// skills.
//   expr       := or
//   or         := and (('||' | 'or') and)*
//   and        := unary (('&&' | 'and') unary)*
//   unary      := ('!' | 'not') unary | primary
//   primary    := '(' expr ')' | 'true' | 'false' | test
//   test       := attr                             present and truthy
//               | attr op NUMBER                   compared as a number
//               | attr ('==' | '!=') STRING        compared as a string
//               | attr 'in' list                   equal to an element
//               | attr 'not' 'in' list             the negation of 'in'
//   attr       := NAME | 'contact.' NAME           the two spellings are the same attribute
//   list       := '[' value (',' value)* ']'       one element at least; no trailing comma
//   value      := STRING | NUMBER
//   op         := '>=' | '>' | '<=' | '<' | '==' | '!='
//   NAME       := [A-Za-z_][A-Za-z0-9_-]*     STRING := "..." with \" and \\ escapes
//   NUMBER     := what std::from_chars reads as a double, e.g. 65, -2.5, 1e3
// The keywords and, or, not, in, true and false are not attribute names on their own; write
// contact.in (and so on) for an attribute with such a name.
//
// Meaning. An attribute is truthy when it is a non-empty string or a number other than 0.
// Compared with a number an attribute must hold a number, and with a string a string; otherwise
// (or when absent) the comparison is false. Likewise 'in' compares a string attribute with the
// list's strings and a number with its numbers: `tier in ["gold", 3]` is true for "gold" and 3.
// '!=' is the negation of '==' and 'not in' of 'in', so both are true for an absent attribute.
// Attributes are matched by exact name; `agent.NAME` is refused (a condition sees only the
// contact).
//
// Conditions are parsed when a workflow is configured and evaluated once per arriving contact.
#ifndef SWITCHBOARD_CONTACT_CONDITION_H_
#define SWITCHBOARD_CONTACT_CONDITION_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "switchboard/attributes.h"

namespace switchboard {

namespace detail {
struct ContactConditionProgram;  // the compiled form (src/core/contact_condition.cc)
}  // namespace detail

// Copyable and cheap to copy: copies share the compiled program, which never changes.
// Thread-safety: Matches may run concurrently on one condition and on its copies.
class ContactCondition {
 public:
  // The condition every contact meets (empty text).
  ContactCondition() = default;

  // Parses `text`. Empty or blank text is the condition every contact meets. On error returns
  // InvalidArgument naming the 1-based column (in characters) and the offending token, e.g.
  //   "condition 'tier in [\"gold\",]': column 17: expected a string or a number, found ']'"
  // or, for text longer than kMaxRequirementBytes or not UTF-8, the message of CheckText
  // (limits.h) about "condition". Parentheses nest at most kMaxNestingDepth deep.
  static absl::StatusOr<ContactCondition> Parse(std::string_view text);

  // True when a contact with these attributes meets the condition. Runs the compiled program:
  // each attribute test at most once, from left to right, stopping as soon as the outcome is
  // known (as && and || do). A test costs one lookup in `attributes` (O(log attributes) name
  // comparisons) plus, for 'in', a scan of the list (up to 8 elements of the attribute's type)
  // or a binary search of it. No allocation.
  bool Matches(const Attributes& attributes) const;

  // The text it was parsed from ("" for a default-constructed condition).
  const std::string& text() const { return text_; }

  // True when every contact meets the condition without its attributes being looked at: empty
  // or blank text, or an expression that true and false alone decide, such as `true` or
  // `!false || vip`. (Unlike Requirement::always_true, which is true for empty text only.)
  bool always_true() const { return program_ == nullptr; }

 private:
  // Null for a condition every contact meets (and after a move).
  std::shared_ptr<const detail::ContactConditionProgram> program_;
  std::string text_;
};

}  // namespace switchboard

#endif  // SWITCHBOARD_CONTACT_CONDITION_H_
