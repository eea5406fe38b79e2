#include "base/json_reader.h"

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "fmt/format.h"

namespace switchboard::detail {

namespace {

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  absl::Status Parse(JsonValue& value) {
    if (!Value(value, 0)) return Error();
    SkipSpace();
    if (pos_ != text_.size()) {
      expected_ = "the end of the text";
      return Error();
    }
    return absl::OkStatus();
  }

 private:
  absl::Status Error() const {
    return absl::DataLossError(fmt::format("JSON text at byte {}: expected {}", pos_, expected_));
  }
  void SkipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\n' ||
                                   text_[pos_] == '\r' || text_[pos_] == '\t')) {
      ++pos_;
    }
  }
  bool Fail(std::string_view expected) {
    expected_ = expected;
    return false;
  }
  bool Literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return Fail("a value");
    pos_ += word.size();
    return true;
  }

  bool Value(JsonValue& value, int depth) {
    SkipSpace();
    if (pos_ >= text_.size()) return Fail("a value");
    const char c = text_[pos_];
    switch (c) {
      case 'n':
        value.type = JsonValue::Type::kNull;
        return Literal("null");
      case 't':
        value.type = JsonValue::Type::kBool;
        value.boolean = true;
        return Literal("true");
      case 'f':
        value.type = JsonValue::Type::kBool;
        return Literal("false");
      case '"':
        value.type = JsonValue::Type::kString;
        return String(value.text);
      case '[':
      case '{':
        if (depth >= kMaxJsonDepth) return Fail("less nesting");
        return c == '[' ? Array(value, depth + 1) : Object(value, depth + 1);
      default:
        value.type = JsonValue::Type::kNumber;
        return Number(value.text);
    }
  }

  bool Number(std::string& out) {
    const size_t start = pos_;
    if (pos_ < text_.size() && text_[pos_] == '-') ++pos_;
    const size_t digits = pos_;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
    if (pos_ == digits) return Fail("a value");
    if (text_[digits] == '0' && pos_ - digits > 1) return Fail("no leading zero");
    if (pos_ < text_.size() && text_[pos_] == '.') {
      const size_t fraction = ++pos_;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
      if (pos_ == fraction) return Fail("a digit");
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      const size_t exponent = pos_;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
      if (pos_ == exponent) return Fail("a digit");
    }
    out.assign(text_.substr(start, pos_ - start));
    return true;
  }

  static int HexDigit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  bool String(std::string& out) {
    ++pos_;  // the opening quote
    while (true) {
      if (pos_ >= text_.size()) return Fail("a closing quote");
      const char c = text_[pos_++];
      if (c == '"') return true;
      if (static_cast<unsigned char>(c) < 0x20) return Fail("no control character in a string");
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      if (pos_ >= text_.size()) return Fail("an escape");
      switch (text_[pos_++]) {
        case '"': out.push_back('"'); break;
        case '\\': out.push_back('\\'); break;
        case '/': out.push_back('/'); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 't': out.push_back('\t'); break;
        case 'u': {
          if (pos_ + 4 > text_.size()) return Fail("four hex digits");
          int code = 0;
          for (int i = 0; i < 4; ++i) {
            const int digit = HexDigit(text_[pos_++]);
            if (digit < 0) return Fail("four hex digits");
            code = code * 16 + digit;
          }
          if (code > 0x7f) return Fail("an ASCII \\u escape");
          out.push_back(static_cast<char>(code));
          break;
        }
        default:
          --pos_;
          return Fail("an escape");
      }
    }
  }

  bool Array(JsonValue& value, int depth) {
    value.type = JsonValue::Type::kArray;
    ++pos_;
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == ']') {
      ++pos_;
      return true;
    }
    while (true) {
      value.items.emplace_back();
      if (!Value(value.items.back(), depth)) return false;
      SkipSpace();
      if (pos_ >= text_.size()) return Fail("',' or ']'");
      const char c = text_[pos_++];
      if (c == ']') return true;
      if (c != ',') {
        --pos_;
        return Fail("',' or ']'");
      }
    }
  }

  bool Object(JsonValue& value, int depth) {
    value.type = JsonValue::Type::kObject;
    ++pos_;
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == '}') {
      ++pos_;
      return true;
    }
    while (true) {
      SkipSpace();
      if (pos_ >= text_.size() || text_[pos_] != '"') return Fail("a key");
      value.keys.emplace_back();
      value.items.emplace_back();
      if (!String(value.keys.back())) return false;
      SkipSpace();
      if (pos_ >= text_.size() || text_[pos_] != ':') return Fail("':'");
      ++pos_;
      if (!Value(value.items.back(), depth)) return false;
      SkipSpace();
      if (pos_ >= text_.size()) return Fail("',' or '}'");
      const char c = text_[pos_++];
      if (c == '}') return true;
      if (c != ',') {
        --pos_;
        return Fail("',' or '}'");
      }
    }
  }

  std::string_view text_;
  size_t pos_ = 0;
  std::string_view expected_ = "a value";
};

}  // namespace

absl::StatusOr<JsonValue> ParseJson(std::string_view text) {
  JsonValue value;
  Parser parser(text);
  absl::Status status = parser.Parse(value);
  if (!status.ok()) return status;
  return value;
}

}  // namespace switchboard::detail
