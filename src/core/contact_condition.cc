// Contact conditions (include/switchboard/contact_condition.h): a recursive-descent parser that
// builds a syntax tree, and a compiler that turns the tree into a branching program.
//
// The branching program holds one step per attribute test. Each step names the step to go to
// when its test is true and when it is false, or the outcome (kTrue, kFalse). '&&' and '||'
// become wiring between steps and '!' swaps a step's two exits, so Matches keeps no stack,
// short-circuits as the operators do, and runs each test at most once. Steps are stored in the
// order the text mentions them, and every exit points to a later step, so Matches always
// terminates after at most one pass over the steps.
//
// The lexer (expression_lexer.h) is shared with Requirement; here it also takes 'in', lists and
// 'contact.' attributes, and refuses 'agent.' ones.
#include "switchboard/contact_condition.h"

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/expression_lexer.h"
#include "fmt/format.h"
#include "switchboard/attributes.h"
#include "switchboard/limits.h"

namespace switchboard {
namespace detail {

// One attribute test of the branching program, and where to go next.
struct ContactConditionStep {
  enum class Test : uint8_t {
    kTruthy,  // present and truthy
    kNumber,  // a number, `compare` number
    kOneOf,   // a string in `strings`, or a number in `numbers`
  };
  enum class Compare : uint8_t { kGe, kGt, kLe, kLt };

  Test test = Test::kTruthy;
  Compare compare = Compare::kGe;
  // The index of the next step, or kTrue / kFalse (negative): the outcome.
  int32_t on_true = 0;
  int32_t on_false = 0;
  double number = 0;
  std::string name;  // the attribute
  // Sorted and distinct.
  std::vector<std::string> strings;
  std::vector<double> numbers;
};

struct ContactConditionProgram {
  // Where Matches starts: 0, or kFalse for a condition no contact meets (no steps).
  int32_t entry = 0;
  std::vector<ContactConditionStep> steps;
};

}  // namespace detail

namespace {

using Step = detail::ContactConditionStep;
using Program = detail::ContactConditionProgram;

// Outcomes, as step exits.
constexpr int32_t kTrue = -1;
constexpr int32_t kFalse = -2;

// Parentheses may nest this deep; deeper input is rejected so that the parser's and the
// compiler's recursion stays bounded.
constexpr int kMaxNesting = kMaxNestingDepth;

// Lists this short are scanned; longer ones are searched.
constexpr size_t kMaxScannedList = 8;

using detail::ExpressionColumn;
using Token = detail::ExpressionToken;
using TokenKind = detail::ExpressionTokenKind;

constexpr detail::ExpressionLexerOptions kLexerOptions = {
    .attribute_prefix = "contact",
    .foreign_prefix = "agent",
    .foreign_message = "expected a contact attribute (a condition cannot read agent attributes)",
    .lists = true,
};

// ---------------------------------------------------------------------------------------------
// Syntax tree and parser

// A node of the syntax tree. '&&' and '||' chains are one node with all their operands, so
// that only parentheses deepen the tree.
struct Node {
  enum class Kind : uint8_t { kTrue, kFalse, kTest, kNot, kAnd, kOr };
  Kind kind = Kind::kTrue;
  Step test;                   // kTest; its exits are set when compiled
  std::vector<Node> operands;  // kNot (one), kAnd, kOr
};

Node Negated(Node node) {
  Node negation;
  negation.kind = Node::Kind::kNot;
  negation.operands.push_back(std::move(node));
  return negation;
}

// Sorts and removes duplicates; -0 and 0 are one number.
template <typename T>
void SortDistinct(std::vector<T>& values) {
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
}

// Recursive descent over the grammar in contact_condition.h.
class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text), lexer_(text, kLexerOptions) {}

  // Parses the whole text into `root`, which stays `true` for blank text.
  absl::Status Parse(Node& root) {
    Advance();
    if (token_.kind == TokenKind::kEnd) return absl::OkStatus();
    if (!ParseOr(root)) return error_;
    if (token_.kind != TokenKind::kEnd) {
      Fail(ExpectedAfterTerm("end of text"));
      return error_;
    }
    return absl::OkStatus();
  }

 private:
  using Compare = Step::Compare;

  // Each Parse* function consumes its production into `out`, or records the error in error_ and
  // returns false.

  bool ParseOr(Node& out) {
    return ParseChain(out, TokenKind::kOr, Node::Kind::kOr, &Parser::ParseAnd);
  }

  bool ParseAnd(Node& out) {
    return ParseChain(out, TokenKind::kAnd, Node::Kind::kAnd, &Parser::ParseUnary);
  }

  // operand (separator operand)*, as one `kind` node when there are two operands or more.
  bool ParseChain(Node& out, TokenKind separator, Node::Kind kind, bool (Parser::*operand)(Node&)) {
    Node first;
    if (!(this->*operand)(first)) return false;
    if (token_.kind != separator) {
      out = std::move(first);
      return true;
    }
    out = Node();
    out.kind = kind;
    out.operands.push_back(std::move(first));
    while (token_.kind == separator) {
      Advance();
      Node next;
      if (!(this->*operand)(next)) return false;
      out.operands.push_back(std::move(next));
    }
    return true;
  }

  // Iterative, so that a long run of '!' costs no recursion; "!!x" is just "x".
  bool ParseUnary(Node& out) {
    bool negate = false;
    while (token_.kind == TokenKind::kNot) {
      negate = !negate;
      Advance();
    }
    if (!ParsePrimary(out)) return false;
    if (negate) out = Negated(std::move(out));
    return true;
  }

  bool ParsePrimary(Node& out) {
    after_bare_name_ = false;
    switch (token_.kind) {
      case TokenKind::kLeftParen:
        if (nesting_ == kMaxNesting) {
          error_ = absl::InvalidArgumentError(fmt::format(
              "condition '{}': column {}: parentheses nested deeper than {} levels are not "
              "supported",
              text_, ExpressionColumn(text_, token_.offset), kMaxNesting));
          return false;
        }
        ++nesting_;
        Advance();
        if (!ParseOr(out)) return false;
        if (token_.kind != TokenKind::kRightParen) return Fail(ExpectedAfterTerm("')'"));
        --nesting_;
        Advance();
        after_bare_name_ = false;
        return true;
      case TokenKind::kTrue:
      case TokenKind::kFalse:
        out = Node();
        out.kind = token_.kind == TokenKind::kTrue ? Node::Kind::kTrue : Node::Kind::kFalse;
        Advance();
        return true;
      case TokenKind::kName:  // a bare NAME is a contact attribute too
      case TokenKind::kAttribute:
        return ParseTest(out);
      default:
        return Fail("expected an attribute name, 'true', 'false', '!' or '('");
    }
  }

  // attr, attr op value, attr 'in' list or attr 'not' 'in' list.
  bool ParseTest(Node& out) {
    out = Node();
    out.kind = Node::Kind::kTest;
    Step& test = out.test;
    test.name = std::string(token_.name);
    Advance();
    bool negate = false;
    if (token_.kind == TokenKind::kCompare) {
      if (!ParseComparison(test, negate)) return false;
    } else if (token_.kind == TokenKind::kIn ||
               (token_.kind == TokenKind::kNot && token_.text == "not")) {
      if (token_.kind != TokenKind::kIn) {
        negate = true;
        Advance();
        if (token_.kind != TokenKind::kIn) return Fail("expected 'in' after 'not'");
      }
      Advance();
      if (!ParseList(test)) return false;
    } else {
      test.test = Step::Test::kTruthy;
      after_bare_name_ = true;
      return true;
    }
    if (negate) out = Negated(std::move(out));
    return true;
  }

  // op (NUMBER | STRING), with the operator at the current token. '==' becomes a one-element
  // kOneOf and '!=' its negation.
  bool ParseComparison(Step& test, bool& negate) {
    const std::string_view op = token_.text;
    const bool equality = op == "==" || op == "!=";
    negate = op == "!=";
    Advance();
    if (token_.kind == TokenKind::kString) {
      if (!equality) {
        return Fail(fmt::format(
            "expected a number after '{}' (strings compare only with '==' or '!=')", op));
      }
      test.test = Step::Test::kOneOf;
      test.strings.push_back(std::move(token_.value));
    } else if (token_.kind == TokenKind::kNumber) {
      if (equality) {
        test.test = Step::Test::kOneOf;
        test.numbers.push_back(token_.number);
      } else {
        test.test = Step::Test::kNumber;
        test.compare = ToCompare(op);
        test.number = token_.number;
      }
    } else {
      return Fail("expected a number or a string");
    }
    Advance();
    return true;
  }

  // '[' value (',' value)* ']', with '[' at the current token.
  bool ParseList(Step& test) {
    if (token_.kind != TokenKind::kLeftBracket) return Fail("expected '['");
    test.test = Step::Test::kOneOf;
    while (true) {
      Advance();
      if (token_.kind == TokenKind::kString) {
        test.strings.push_back(std::move(token_.value));
      } else if (token_.kind == TokenKind::kNumber) {
        test.numbers.push_back(token_.number);
      } else {
        return Fail("expected a string or a number");
      }
      Advance();
      if (token_.kind == TokenKind::kRightBracket) break;
      if (token_.kind != TokenKind::kComma) return Fail("expected ',' or ']'");
    }
    Advance();
    SortDistinct(test.strings);
    SortDistinct(test.numbers);
    return true;
  }

  static Compare ToCompare(std::string_view op) {
    if (op == ">=") return Compare::kGe;
    if (op == ">") return Compare::kGt;
    if (op == "<=") return Compare::kLe;
    return Compare::kLt;
  }

  void Advance() { token_ = lexer_.Next(); }

  // What may follow a complete term, ended by `closer`.
  std::string ExpectedAfterTerm(std::string_view closer) const {
    return fmt::format("expected {}'&&', '||' or {}",
                       after_bare_name_ ? "a comparison operator, 'in', 'not in', " : "", closer);
  }

  // Records the error at the current token and returns false.
  bool Fail(std::string_view expected) {
    error_ = detail::ExpressionSyntaxError("condition", text_, token_, expected);
    return false;
  }

  std::string_view text_;
  detail::ExpressionLexer lexer_;
  Token token_;
  absl::Status error_;
  int nesting_ = 0;
  // True when the term just parsed was an attribute alone, which could have taken an operator.
  bool after_bare_name_ = false;
};

// ---------------------------------------------------------------------------------------------
// Compiler

// Appends the steps of `node` (moving its tests out) so that reaching the returned exit leads
// to `on_true` when the node holds and to `on_false` otherwise. Operands are compiled right to
// left, so every exit points to a step appended earlier. Recursion follows parentheses only.
int32_t Compile(Node& node, int32_t on_true, int32_t on_false, std::vector<Step>& steps) {
  switch (node.kind) {
    case Node::Kind::kTrue:
      return on_true;
    case Node::Kind::kFalse:
      return on_false;
    case Node::Kind::kNot:
      return Compile(node.operands.front(), on_false, on_true, steps);
    case Node::Kind::kAnd: {
      int32_t next = on_true;
      for (auto it = node.operands.rbegin(); it != node.operands.rend(); ++it) {
        next = Compile(*it, next, on_false, steps);
      }
      return next;
    }
    case Node::Kind::kOr: {
      int32_t next = on_false;
      for (auto it = node.operands.rbegin(); it != node.operands.rend(); ++it) {
        next = Compile(*it, on_true, next, steps);
      }
      return next;
    }
    case Node::Kind::kTest:
      // A test whose outcome does not matter (as in `vip && false`) is left out.
      if (on_true == on_false) return on_true;
      node.test.on_true = on_true;
      node.test.on_false = on_false;
      steps.push_back(std::move(node.test));
      return static_cast<int32_t>(steps.size() - 1);
  }
  return on_false;
}

// The program for `root`: its steps in the order the text mentions them, without those the
// constants made unreachable (`true || vip`); null when every contact meets it.
std::shared_ptr<const Program> Build(Node& root) {
  std::vector<Step> appended;
  const int32_t entry = Compile(root, kTrue, kFalse, appended);
  if (entry == kTrue) return nullptr;
  auto program = std::make_shared<Program>();
  if (entry == kFalse) {
    program->entry = kFalse;
    return program;
  }
  // Exits point to earlier appended steps, so one backward sweep from the entry (the last
  // reachable one) finds the reachable steps, and reversing them puts exits forward.
  const int32_t count = static_cast<int32_t>(appended.size());
  std::vector<int32_t> index(count, -1);
  std::vector<bool> reachable(count, false);
  reachable[entry] = true;
  int32_t kept = 0;
  for (int32_t i = entry; i >= 0; --i) {
    if (!reachable[i]) continue;
    index[i] = kept++;
    for (int32_t exit : {appended[i].on_true, appended[i].on_false}) {
      assert(exit < i);
      if (exit >= 0) reachable[exit] = true;
    }
  }
  program->steps.reserve(kept);
  for (int32_t i = entry; i >= 0; --i) {
    if (!reachable[i]) continue;
    Step& step = appended[i];
    if (step.on_true >= 0) step.on_true = index[step.on_true];
    if (step.on_false >= 0) step.on_false = index[step.on_false];
    program->steps.push_back(std::move(step));
  }
  return program;
}

// ---------------------------------------------------------------------------------------------
// Evaluation

bool Holds(double lhs, Step::Compare compare, double rhs) {
  switch (compare) {
    case Step::Compare::kGe:
      return lhs >= rhs;
    case Step::Compare::kGt:
      return lhs > rhs;
    case Step::Compare::kLe:
      return lhs <= rhs;
    case Step::Compare::kLt:
      return lhs < rhs;
  }
  return false;
}

// Whether sorted, distinct `values` hold `value` (never a NaN).
template <typename T>
bool Contains(const std::vector<T>& values, const T& value) {
  if (values.size() <= kMaxScannedList) {
    return std::find(values.begin(), values.end(), value) != values.end();
  }
  const auto it = std::lower_bound(values.begin(), values.end(), value);
  return it != values.end() && *it == value;
}

bool Test(const Step& step, const Attributes& attributes) {
  const auto it = attributes.find(step.name);
  if (it == attributes.end()) return false;
  const AttributeValue& value = it->second;
  const std::string* string = std::get_if<std::string>(&value);
  switch (step.test) {
    case Step::Test::kTruthy:
      return string ? !string->empty() : std::get<double>(value) != 0;
    case Step::Test::kNumber:
      return string == nullptr && Holds(std::get<double>(value), step.compare, step.number);
    case Step::Test::kOneOf:
      return string ? Contains(step.strings, *string)
                    : Contains(step.numbers, std::get<double>(value));
  }
  return false;
}

}  // namespace

absl::StatusOr<ContactCondition> ContactCondition::Parse(std::string_view text) {
  if (absl::Status status = CheckText("condition", text, kMaxRequirementBytes); !status.ok()) {
    return status;
  }
  Node root;  // true
  if (absl::Status status = Parser(text).Parse(root); !status.ok()) return status;
  ContactCondition condition;
  condition.text_ = std::string(text);
  condition.program_ = Build(root);
  return condition;
}

bool ContactCondition::Matches(const Attributes& attributes) const {
  if (program_ == nullptr) return true;
  const Step* const steps = program_->steps.data();
  int32_t at = program_->entry;
  while (at >= 0) {
    const Step& step = steps[at];
    at = Test(step, attributes) ? step.on_true : step.on_false;
  }
  return at == kTrue;
}

}  // namespace switchboard
