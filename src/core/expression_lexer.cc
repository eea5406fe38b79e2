#include "core/expression_lexer.h"

#include <charconv>
#include <cstddef>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "fmt/format.h"

namespace switchboard::detail {
namespace {

using Kind = ExpressionTokenKind;

bool IsNameStart(char c) { return absl::ascii_isalpha(c) || c == '_'; }
bool IsNameChar(char c) { return absl::ascii_isalnum(c) || c == '_' || c == '-'; }
bool IsUtf8Continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

int ExpressionColumn(std::string_view text, size_t offset) {
  int column = 1;
  for (size_t i = 0; i < offset; ++i) column += IsUtf8Continuation(text[i]) ? 0 : 1;
  return column;
}

absl::Status ExpressionSyntaxError(std::string_view what, std::string_view text,
                                   const ExpressionToken& token, std::string_view expected) {
  if (token.kind == Kind::kError) expected = token.expected;
  const std::string found = token.text.empty() ? "end of text" : fmt::format("'{}'", token.text);
  return absl::InvalidArgumentError(fmt::format("{} '{}': column {}: {}, found {}", what, text,
                                                ExpressionColumn(text, token.offset), expected,
                                                found));
}

ExpressionToken ExpressionLexer::Next() {
  while (pos_ < text_.size() && absl::ascii_isspace(text_[pos_])) ++pos_;
  const size_t start = pos_;
  if (start == text_.size()) return Make(Kind::kEnd, start);
  const char c = text_[start];
  const char next = start + 1 < text_.size() ? text_[start + 1] : '\0';
  if (IsNameStart(c)) return LexWord();
  if (absl::ascii_isdigit(c) || (c == '-' && absl::ascii_isdigit(next))) return LexNumber();
  switch (c) {
    case '"':
      return LexString();
    case '(':
      return Single(Kind::kLeftParen, start);
    case ')':
      return Single(Kind::kRightParen, start);
    case '[':
      if (options_.lists) return Single(Kind::kLeftBracket, start);
      break;
    case ']':
      if (options_.lists) return Single(Kind::kRightBracket, start);
      break;
    case ',':
      if (options_.lists) return Single(Kind::kComma, start);
      break;
    case '&':
    case '|':
      if (next == c) {
        pos_ = start + 2;
        return Make(c == '&' ? Kind::kAnd : Kind::kOr, start);
      }
      return Error(start, 1, c == '&' ? "expected '&&'" : "expected '||'");
    case '>':
    case '<':
      pos_ = start + (next == '=' ? 2 : 1);
      return Make(Kind::kCompare, start);
    case '=':
      if (next != '=') return Error(start, 1, "expected '=='");
      pos_ = start + 2;
      return Make(Kind::kCompare, start);
    case '!':
      pos_ = start + (next == '=' ? 2 : 1);
      return Make(next == '=' ? Kind::kCompare : Kind::kNot, start);
    default:
      break;
  }
  // One whole UTF-8 character, so that the message quotes it intact.
  pos_ = start + 1;
  while (pos_ < text_.size() && IsUtf8Continuation(text_[pos_])) ++pos_;
  return Make(Kind::kUnknown, start);
}

// A token spanning text_[start, pos_).
ExpressionToken ExpressionLexer::Make(Kind kind, size_t start) const {
  ExpressionToken token;
  token.kind = kind;
  token.text = text_.substr(start, pos_ - start);
  token.offset = start;
  return token;
}

ExpressionToken ExpressionLexer::Single(Kind kind, size_t start) {
  pos_ = start + 1;
  return Make(kind, start);
}

// A kError token for the `length` bytes at `offset`.
ExpressionToken ExpressionLexer::Error(size_t offset, size_t length, std::string expected) const {
  ExpressionToken token;
  token.kind = Kind::kError;
  token.text = text_.substr(offset, length);
  token.offset = offset;
  token.expected = std::move(expected);
  return token;
}

size_t ExpressionLexer::ScanName(size_t from) const {
  while (from < text_.size() && IsNameChar(text_[from])) ++from;
  return from;
}

ExpressionToken ExpressionLexer::LexWord() {
  const size_t start = pos_;
  pos_ = ScanName(start + 1);
  const std::string_view word = text_.substr(start, pos_ - start);
  const bool dotted = pos_ < text_.size() && text_[pos_] == '.';
  if (dotted && word == options_.attribute_prefix) {
    const size_t name_start = pos_ + 1;
    if (name_start == text_.size() || !IsNameStart(text_[name_start])) {
      size_t name_end = ScanName(name_start);
      if (name_end == name_start && name_start < text_.size()) name_end = name_start + 1;
      return Error(name_start, name_end - name_start,
                   fmt::format("expected an attribute name after '{}.'", word));
    }
    pos_ = ScanName(name_start + 1);
    ExpressionToken token = Make(Kind::kAttribute, start);
    token.name = text_.substr(name_start, pos_ - name_start);
    return token;
  }
  if (dotted && !options_.foreign_prefix.empty() && word == options_.foreign_prefix) {
    return Error(start, ScanName(pos_ + 1) - start, std::string(options_.foreign_message));
  }
  if (word == "and") return Make(Kind::kAnd, start);
  if (word == "or") return Make(Kind::kOr, start);
  if (word == "not") return Make(Kind::kNot, start);
  if (options_.lists && word == "in") return Make(Kind::kIn, start);
  if (word == "true") return Make(Kind::kTrue, start);
  if (word == "false") return Make(Kind::kFalse, start);
  ExpressionToken token = Make(Kind::kName, start);
  token.name = word;
  return token;
}

// Takes the whole run of name characters and dots, so that "3d" or "1.2.3" is reported as one
// malformed token rather than as a number followed by something else.
ExpressionToken ExpressionLexer::LexNumber() {
  const size_t start = pos_;
  pos_ = start + 1;
  while (pos_ < text_.size() && (IsNameChar(text_[pos_]) || text_[pos_] == '.')) ++pos_;
  ExpressionToken token = Make(Kind::kNumber, start);
  const char* const end = token.text.data() + token.text.size();
  const auto [parsed_end, error] = std::from_chars(token.text.data(), end, token.number);
  if (error != std::errc() || parsed_end != end) token.kind = Kind::kUnknown;
  return token;
}

ExpressionToken ExpressionLexer::LexString() {
  const size_t start = pos_;
  std::string value;
  for (size_t i = start + 1; i < text_.size(); ++i) {
    if (text_[i] == '"') {
      pos_ = i + 1;
      ExpressionToken token = Make(Kind::kString, start);
      token.value = std::move(value);
      return token;
    }
    if (text_[i] == '\\') {
      ++i;
      if (i == text_.size()) break;
      if (text_[i] != '"' && text_[i] != '\\') {
        size_t end = i + 1;
        while (end < text_.size() && IsUtf8Continuation(text_[end])) ++end;
        return Error(i, end - i, R"(expected '"' or '\' after '\' in a string)");
      }
    }
    value.push_back(text_[i]);
  }
  return Error(text_.size(), 0,
               fmt::format("expected '\"' to close the string that starts at column {}",
                           ExpressionColumn(text_, start)));
}

}  // namespace switchboard::detail
