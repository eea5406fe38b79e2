// Requirement expressions: which agents may serve a queue, written as text by users.
//
// Example:
//   SkillRegistry skills;
//   absl::StatusOr<Requirement> r = Requirement::Parse(
//       R"(support >= 3 && (english || japanese >= 2) && !trainee && tier == "gold")", skills);
//   if (r.ok() && r->Matches(agent_skills, agent_attributes)) { ... }
//
// Grammar (whitespace is free; keywords are case-sensitive):
//   expr       := or
//   or         := and (('||' | 'or') and)*
//   and        := unary (('&&' | 'and') unary)*
//   unary      := ('!' | 'not') unary | primary
//   primary    := '(' expr ')' | 'true' | 'false' | comparison
//   comparison := NAME                       skill held at level >= 1
//               | NAME op NUMBER             skill level compared (0 when not held); 0..100
//               | NAME ('==' | '!=') STRING  agent attribute compared as a string
//               | 'agent.' NAME              agent attribute present and truthy
//               | 'agent.' NAME op (NUMBER | STRING)   agent attribute compared
//   op         := '>=' | '>' | '<=' | '<' | '==' | '!='
//   NAME       := [A-Za-z_][A-Za-z0-9_-]*     STRING := "..." with \" and \\ escapes
// An attribute compared with a number must hold a number, and with a string a string;
// otherwise (or when absent) the comparison is false. '!=' is the negation of '=='.
//
// Requirements are evaluated when an agent or queue is configured, not per routing decision:
// the engine keeps, per queue, the agents that match (see docs/architecture.md).
#ifndef SWITCHBOARD_REQUIREMENTS_H_
#define SWITCHBOARD_REQUIREMENTS_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "switchboard/attributes.h"
#include "switchboard/skills.h"

namespace switchboard {

namespace detail {
struct RequirementInstruction;  // a step of the compiled program (src/core/requirement_program.h)
}  // namespace detail

// Copyable and cheap to copy: copies share the compiled program, which never changes.
class Requirement {
 public:
  // The requirement every agent meets (empty text).
  Requirement() = default;

  // Parses `text`, interning the skill names it mentions into `skills`. Empty or blank text is
  // the requirement every agent meets. On error returns InvalidArgument naming the 1-based
  // column and the offending token, e.g.
  //   "requirement 'support >= ': column 12: expected a number or a string, found end of text"
  // and leaves `skills` unchanged.
  static absl::StatusOr<Requirement> Parse(std::string_view text, SkillRegistry& skills);

  // True when an agent with these skills and attributes meets the requirement.
  // O(size of the expression × log(skills held)).
  bool Matches(const SkillSet& skills, const Attributes& attributes) const;

  // Sum of the agent's levels on the distinct skills the expression mentions: the measure the
  // most_skilled strategy ranks by.
  int Score(const SkillSet& skills) const;

  // Skills that every matching agent holds at level >= 1 (the skill terms of the top-level
  // conjunction that are not negated and not compared with < or <=). Used to narrow the agents
  // to check when a queue is added.
  const std::vector<SkillId>& required_skills() const { return required_skills_; }

  // Distinct skills the expression mentions, in order of first mention.
  const std::vector<SkillId>& mentioned_skills() const { return mentioned_skills_; }

  // The text it was parsed from.
  const std::string& text() const { return text_; }

  // True for the requirement every agent meets.
  bool always_true() const { return program_ == nullptr; }

 private:
  // The steps of the postfix program Matches runs, [program_.get(), program_end_); null for the
  // requirement every agent meets (and after a move). Begin and end are held here, as a
  // std::vector member would hold them, so that Matches reaches the steps with no more loads
  // or arithmetic than from a vector; program_end_ means something only while program_ is set.
  std::shared_ptr<const detail::RequirementInstruction[]> program_;
  const detail::RequirementInstruction* program_end_ = nullptr;
  std::string text_;
  std::vector<SkillId> required_skills_;
  std::vector<SkillId> mentioned_skills_;
};

}  // namespace switchboard

#endif  // SWITCHBOARD_REQUIREMENTS_H_
