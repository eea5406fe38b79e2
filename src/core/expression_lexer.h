// The lexer and the syntax-error format shared by the requirement language (requirements.cc)
// and the contact-condition language (contact_condition.cc). The languages' tokens differ only
// in the prefix of attribute names and in the list syntax, set by ExpressionLexerOptions.
#ifndef SWITCHBOARD_SRC_CORE_EXPRESSION_LEXER_H_
#define SWITCHBOARD_SRC_CORE_EXPRESSION_LEXER_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace switchboard::detail {

enum class ExpressionTokenKind {
  kName,       // a bare NAME: a skill, or an attribute where the language allows it
  kAttribute,  // prefix '.' NAME, as in 'agent.tier'
  kNumber,
  kString,
  kCompare,  // >= > <= < == !=
  kAnd,
  kOr,
  kNot,
  kIn,  // only with ExpressionLexerOptions::lists
  kTrue,
  kFalse,
  kLeftParen,
  kRightParen,
  kLeftBracket,   // only with ExpressionLexerOptions::lists
  kRightBracket,  // only with ExpressionLexerOptions::lists
  kComma,         // only with ExpressionLexerOptions::lists
  kEnd,
  kUnknown,  // a character or malformed number no rule accepts; the parser says what it wanted
  kError,    // malformed token whose lexer rule knows what was expected
};

struct ExpressionToken {
  ExpressionTokenKind kind = ExpressionTokenKind::kEnd;
  // The source text, quoted in messages; empty only at the end of the text.
  std::string_view text;
  // Byte offset into the expression where `text` starts.
  size_t offset = 0;
  std::string_view name;  // kName: the word; kAttribute: the NAME after the prefix and '.'
  double number = 0;      // kNumber
  std::string value;      // kString, unescaped
  std::string expected;   // kError
};

struct ExpressionLexerOptions {
  // The word before '.' that makes an attribute token, as in 'agent.tier'. Required.
  std::string_view attribute_prefix;
  // Another language's prefix: `foreign_prefix.NAME` is a kError token with `foreign_message`
  // as its expectation. Empty (the default) gives the word no meaning of its own.
  std::string_view foreign_prefix;
  std::string_view foreign_message;
  // Whether 'in' is a keyword and '[', ']', ',' are tokens; otherwise 'in' is a name and the
  // three characters are kUnknown. Default false.
  bool lists = false;
};

// 1-based column of the byte at `offset` in `text`, counting UTF-8 characters rather than bytes.
int ExpressionColumn(std::string_view text, size_t offset);

// The InvalidArgument error "<what> '<text>': column <column>: <expected>, found <token>" at
// `token`; a kError token's own, more precise expectation replaces `expected`.
absl::Status ExpressionSyntaxError(std::string_view what, std::string_view text,
                                   const ExpressionToken& token, std::string_view expected);

// Splits an expression into tokens on demand, so that the parser reports the first problem
// from the left whether it is lexical or grammatical. Tokens view `text`, which must outlive
// them. A kError token is meant to end the parse: what Next returns after it is unspecified.
class ExpressionLexer {
 public:
  ExpressionLexer(std::string_view text, const ExpressionLexerOptions& options)
      : text_(text), options_(options) {}

  ExpressionToken Next();

 private:
  ExpressionToken Make(ExpressionTokenKind kind, size_t start) const;
  ExpressionToken Single(ExpressionTokenKind kind, size_t start);
  ExpressionToken Error(size_t offset, size_t length, std::string expected) const;
  size_t ScanName(size_t from) const;
  ExpressionToken LexWord();
  ExpressionToken LexNumber();
  ExpressionToken LexString();

  std::string_view text_;
  ExpressionLexerOptions options_;
  size_t pos_ = 0;
};

}  // namespace switchboard::detail

#endif  // SWITCHBOARD_SRC_CORE_EXPRESSION_LEXER_H_
