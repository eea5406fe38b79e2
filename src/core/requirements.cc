#include "switchboard/requirements.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/expression_lexer.h"
#include "core/requirement_program.h"
#include "fmt/format.h"
#include "switchboard/attributes.h"
#include "switchboard/limits.h"
#include "switchboard/skills.h"

namespace switchboard {
namespace {

using Instruction = detail::RequirementInstruction;

// Parentheses may nest this deep; deeper input is rejected so that parsing recursion and the
// evaluation stack stay bounded.
constexpr int kMaxNesting = kMaxNestingDepth;

// Evaluating a postfix program for `a || b && (...)` keeps at most two pending operands per
// nesting level (the left sides of '||' and '&&') plus the operand being computed, so this many
// slots always suffice. RequirementParser asserts the bound on every program it builds.
constexpr int kMaxStackDepth = 2 * (kMaxNesting + 1) + 1;

using detail::ExpressionColumn;
using Token = detail::ExpressionToken;
using TokenKind = detail::ExpressionTokenKind;

// 'in', '[', ']' and ',' have no meaning here: 'in' is a skill name like any other.
constexpr detail::ExpressionLexerOptions kLexerOptions = {.attribute_prefix = "agent"};

const AttributeValue* FindAttribute(const Attributes& attributes, std::string_view name) {
  auto it = attributes.find(name);
  return it == attributes.end() ? nullptr : &it->second;
}

// `lhs compare rhs`; shared by parsing (to tell which terms need the skill) and Matches.
bool Holds(double lhs, Instruction::Compare compare, double rhs) {
  switch (compare) {
    case Instruction::Compare::kGe:
      return lhs >= rhs;
    case Instruction::Compare::kGt:
      return lhs > rhs;
    case Instruction::Compare::kLe:
      return lhs <= rhs;
    case Instruction::Compare::kLt:
      return lhs < rhs;
    case Instruction::Compare::kEq:
      return lhs == rhs;
    case Instruction::Compare::kNe:
      return lhs != rhs;
  }
  return false;
}

// What the parser makes of a requirement's text; an empty program is the requirement every
// agent meets.
struct Compiled {
  std::vector<Instruction> program;
  std::vector<SkillId> required_skills;
  std::vector<SkillId> mentioned_skills;
};

// Recursive descent over the grammar in requirements.h, emitting the postfix program as it goes.
// Skill names are collected locally and interned only once the whole text has parsed.
class RequirementParser {
 public:
  explicit RequirementParser(std::string_view text) : text_(text), lexer_(text, kLexerOptions) {}

  absl::StatusOr<Compiled> Parse(SkillRegistry& skills) {
    Compiled compiled;
    Advance();
    if (token_.kind == TokenKind::kEnd) return compiled;
    if (!ParseOr(/*conjunct=*/true)) return error_;
    if (token_.kind != TokenKind::kEnd) {
      Fail(ExpectedAfterTerm("end of text"));
      return error_;
    }
    assert(max_stack_depth_ <= kMaxStackDepth);

    int new_skills = 0;
    for (const std::string& name : skill_names_) new_skills += skills.Find(name) ? 0 : 1;
    if (skills.size() + new_skills > kMaxSkills) {
      return absl::ResourceExhaustedError(fmt::format(
          "requirement '{}': its {} new skill names would exceed the limit of {} skills", text_,
          new_skills, kMaxSkills));
    }
    for (const std::string& name : skill_names_) {
      compiled.mentioned_skills.push_back(skills.Intern(name));
    }
    for (const auto& [instruction, skill] : skill_refs_) {
      program_[instruction].skill = compiled.mentioned_skills[skill];
    }
    std::vector<bool> seen(skill_names_.size());
    for (int skill : required_) {
      if (seen[skill]) continue;
      seen[skill] = true;
      compiled.required_skills.push_back(compiled.mentioned_skills[skill]);
    }
    compiled.program = std::move(program_);
    return compiled;
  }

 private:
  using Op = Instruction::Op;
  using Compare = Instruction::Compare;

  // Each Parse* function consumes its production and emits its instructions, or records the
  // error in error_ and returns false. `conjunct` is true while the production is a term of the
  // top-level conjunction, whose skill terms go to required_skills.

  bool ParseOr(bool conjunct) {
    const size_t required_before = required_.size();
    if (!ParseAnd(conjunct)) return false;
    // Terms of a disjunction are not required after all.
    if (token_.kind == TokenKind::kOr) required_.resize(required_before);
    while (token_.kind == TokenKind::kOr) {
      Advance();
      if (!ParseAnd(/*conjunct=*/false)) return false;
      Emit(Op::kOr);
    }
    return true;
  }

  bool ParseAnd(bool conjunct) {
    if (!ParseUnary(conjunct)) return false;
    while (token_.kind == TokenKind::kAnd) {
      Advance();
      if (!ParseUnary(conjunct)) return false;
      Emit(Op::kAnd);
    }
    return true;
  }

  // Iterative, so that a long run of '!' costs no recursion; "!!x" compiles to just "x".
  bool ParseUnary(bool conjunct) {
    bool negate = false;
    while (token_.kind == TokenKind::kNot) {
      negate = !negate;
      conjunct = false;
      Advance();
    }
    if (!ParsePrimary(conjunct)) return false;
    if (negate) Emit(Op::kNot);
    return true;
  }

  bool ParsePrimary(bool conjunct) {
    after_bare_name_ = false;
    switch (token_.kind) {
      case TokenKind::kLeftParen:
        if (nesting_ == kMaxNesting) {
          error_ = absl::InvalidArgumentError(fmt::format(
              "requirement '{}': column {}: parentheses nested deeper than {} levels are not "
              "supported",
              text_, ExpressionColumn(text_, token_.offset), kMaxNesting));
          return false;
        }
        ++nesting_;
        Advance();
        if (!ParseOr(conjunct)) return false;
        if (token_.kind != TokenKind::kRightParen) return Fail(ExpectedAfterTerm("')'"));
        --nesting_;
        Advance();
        after_bare_name_ = false;
        return true;
      case TokenKind::kTrue:
      case TokenKind::kFalse:
        Emit(token_.kind == TokenKind::kTrue ? Op::kTrue : Op::kFalse);
        Advance();
        return true;
      case TokenKind::kName:
        return ParseNameTerm(conjunct);
      case TokenKind::kAttribute:
        return ParseAttributeTerm();
      default:
        return Fail("expected a skill name, agent.<attribute>, 'true', 'false', '!' or '('");
    }
  }

  // NAME, NAME op NUMBER (a skill) or NAME ('==' | '!=') STRING (an attribute).
  bool ParseNameTerm(bool conjunct) {
    const std::string_view name = token_.text;
    Advance();
    if (token_.kind != TokenKind::kCompare) {
      EmitSkill(name, Compare::kGe, 1, conjunct);
      after_bare_name_ = true;
      return true;
    }
    const Compare compare = ToCompare(token_.text);
    const std::string_view op = token_.text;
    Advance();
    if (token_.kind == TokenKind::kString) return EmitAttributeString(name, compare, op);
    if (token_.kind != TokenKind::kNumber) return Fail("expected a number or a string");
    const double level = token_.number;
    if (level < 0 || level > kMaxSkillLevel || std::trunc(level) != level) {
      return Fail(fmt::format("expected a whole skill level from 0 to {}", kMaxSkillLevel));
    }
    EmitSkill(name, compare, level, conjunct);
    Advance();
    return true;
  }

  // 'agent.' NAME, optionally compared with a number or a string.
  bool ParseAttributeTerm() {
    const std::string_view name = token_.name;
    Advance();
    Instruction instruction;
    instruction.name = std::string(name);
    if (token_.kind != TokenKind::kCompare) {
      instruction.op = Op::kAttributePresent;
      Emit(std::move(instruction));
      after_bare_name_ = true;
      return true;
    }
    const Compare compare = ToCompare(token_.text);
    const std::string_view op = token_.text;
    Advance();
    if (token_.kind == TokenKind::kString) return EmitAttributeString(name, compare, op);
    if (token_.kind != TokenKind::kNumber) return Fail("expected a number or a string");
    instruction.op = Op::kAttributeNumber;
    instruction.compare = compare;
    instruction.number = token_.number;
    Emit(std::move(instruction));
    Advance();
    return true;
  }

  // Emits `name compare STRING` with the string at the current token.
  bool EmitAttributeString(std::string_view name, Compare compare, std::string_view op) {
    if (compare != Compare::kEq && compare != Compare::kNe) {
      return Fail(
          fmt::format("expected a number after '{}' (strings compare only with '==' or '!=')", op));
    }
    Instruction instruction;
    instruction.op = Op::kAttributeString;
    instruction.compare = compare;
    instruction.name = std::string(name);
    instruction.string = std::move(token_.value);
    Emit(std::move(instruction));
    Advance();
    return true;
  }

  void EmitSkill(std::string_view name, Compare compare, double level, bool conjunct) {
    auto [it, inserted] = skill_index_.try_emplace(name, static_cast<int>(skill_names_.size()));
    if (inserted) skill_names_.emplace_back(name);
    // A term false at level 0 is met only by agents holding the skill.
    if (conjunct && !Holds(0, compare, level)) required_.push_back(it->second);
    skill_refs_.emplace_back(program_.size(), it->second);
    Instruction instruction;
    instruction.op = Op::kSkillCompare;
    instruction.compare = compare;
    instruction.number = level;
    Emit(std::move(instruction));
  }

  // Appends to the program, tracking the evaluation stack depth Matches will need.
  void Emit(Op op) {
    Instruction instruction;
    instruction.op = op;
    Emit(std::move(instruction));
  }
  void Emit(Instruction instruction) {
    if (instruction.op == Op::kAnd || instruction.op == Op::kOr) {
      --stack_depth_;
    } else if (instruction.op != Op::kNot) {
      ++stack_depth_;
    }
    max_stack_depth_ = std::max(max_stack_depth_, stack_depth_);
    program_.push_back(std::move(instruction));
  }

  static Compare ToCompare(std::string_view op) {
    if (op == ">=") return Compare::kGe;
    if (op == ">") return Compare::kGt;
    if (op == "<=") return Compare::kLe;
    if (op == "<") return Compare::kLt;
    if (op == "==") return Compare::kEq;
    return Compare::kNe;
  }

  void Advance() { token_ = lexer_.Next(); }

  // What may follow a complete term, ended by `closer`.
  std::string ExpectedAfterTerm(std::string_view closer) const {
    return fmt::format("expected {}'&&', '||' or {}",
                       after_bare_name_ ? "a comparison operator, " : "", closer);
  }

  // Records the error at the current token and returns false.
  bool Fail(std::string_view expected) {
    error_ = detail::ExpressionSyntaxError("requirement", text_, token_, expected);
    return false;
  }

  std::string_view text_;
  detail::ExpressionLexer lexer_;
  Token token_;
  absl::Status error_;
  int nesting_ = 0;
  // True when the term just parsed was a NAME or agent.NAME that could have taken an operator.
  bool after_bare_name_ = false;
  std::vector<Instruction> program_;
  int stack_depth_ = 0;
  int max_stack_depth_ = 0;
  // Distinct skill names in order of first mention; the index is the local skill id.
  std::vector<std::string> skill_names_;
  absl::flat_hash_map<std::string_view, int> skill_index_;
  // (instruction, local skill id) pairs to patch with registry ids after interning.
  std::vector<std::pair<size_t, int>> skill_refs_;
  // Local skill ids of the required terms, possibly repeated.
  std::vector<int> required_;
};

}  // namespace

absl::StatusOr<Requirement> Requirement::Parse(std::string_view text, SkillRegistry& skills) {
  if (absl::Status status = CheckText("requirement", text, kMaxRequirementBytes); !status.ok()) {
    return status;
  }
  absl::StatusOr<Compiled> compiled = RequirementParser(text).Parse(skills);
  if (!compiled.ok()) return compiled.status();
  Requirement requirement;
  requirement.text_ = std::string(text);
  if (const size_t size = compiled->program.size(); size > 0) {
    // One allocation for the control block and the steps.
    std::shared_ptr<Instruction[]> program = std::make_shared<Instruction[]>(size);
    std::move(compiled->program.begin(), compiled->program.end(), program.get());
    requirement.program_end_ = program.get() + size;
    requirement.program_ = std::move(program);
  }
  requirement.required_skills_ = std::move(compiled->required_skills);
  requirement.mentioned_skills_ = std::move(compiled->mentioned_skills);
  return requirement;
}

bool Requirement::Matches(const SkillSet& skills, const Attributes& attributes) const {
  const Instruction* const begin = program_.get();
  if (begin == nullptr) return true;
  std::array<bool, kMaxStackDepth> stack;
  int size = 0;
  for (const Instruction& instruction : std::span(begin, program_end_)) {
    switch (instruction.op) {
      case Instruction::Op::kTrue:
        stack[size++] = true;
        break;
      case Instruction::Op::kFalse:
        stack[size++] = false;
        break;
      case Instruction::Op::kSkillCompare:
        stack[size++] =
            Holds(skills.Level(instruction.skill), instruction.compare, instruction.number);
        break;
      case Instruction::Op::kAttributePresent: {
        const AttributeValue* value = FindAttribute(attributes, instruction.name);
        const std::string* string = value ? std::get_if<std::string>(value) : nullptr;
        const double* number = value ? std::get_if<double>(value) : nullptr;
        stack[size++] = (string && !string->empty()) || (number && *number != 0);
        break;
      }
      case Instruction::Op::kAttributeNumber: {
        const AttributeValue* value = FindAttribute(attributes, instruction.name);
        const double* number = value ? std::get_if<double>(value) : nullptr;
        stack[size++] = instruction.compare == Instruction::Compare::kNe
                            ? !(number && *number == instruction.number)
                            : number && Holds(*number, instruction.compare, instruction.number);
        break;
      }
      case Instruction::Op::kAttributeString: {
        const AttributeValue* value = FindAttribute(attributes, instruction.name);
        const std::string* string = value ? std::get_if<std::string>(value) : nullptr;
        const bool equal = string && *string == instruction.string;
        stack[size++] = instruction.compare == Instruction::Compare::kEq ? equal : !equal;
        break;
      }
      case Instruction::Op::kNot:
        stack[size - 1] = !stack[size - 1];
        break;
      case Instruction::Op::kAnd:
        --size;
        stack[size - 1] = stack[size - 1] && stack[size];
        break;
      case Instruction::Op::kOr:
        --size;
        stack[size - 1] = stack[size - 1] || stack[size];
        break;
    }
  }
  return stack[0];
}

int Requirement::Score(const SkillSet& skills) const {
  int score = 0;
  for (SkillId skill : mentioned_skills_) score += skills.Level(skill);
  return score;
}

}  // namespace switchboard
