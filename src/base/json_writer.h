// A minimal writer of compact JSON text, for the engine's state dump (Engine::DumpState): the
// caller opens and closes objects and arrays and writes keys and values in the order it wants
// them; the writer puts the commas. Strings must be valid UTF-8 (they are copied as they are,
// with quotes, backslashes and control characters escaped). Not a validator: a caller that
// writes a value where a key is due gets malformed text.
//
// Example:
//   JsonWriter out;
//   out.BeginObject();
//   out.Key("id").String("q1");
//   out.Key("waiting").BeginArray();
//   out.Int(3);
//   out.EndArray();
//   out.EndObject();
//   std::string text = std::move(out).Take();  // {"id":"q1","waiting":[3]}
#ifndef SWITCHBOARD_SRC_BASE_JSON_WRITER_H_
#define SWITCHBOARD_SRC_BASE_JSON_WRITER_H_

#include <cmath>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fmt/format.h"

namespace switchboard::detail {

class JsonWriter {
 public:
  JsonWriter& BeginObject() {
    Separate();
    out_.push_back('{');
    first_.push_back(true);
    return *this;
  }
  JsonWriter& EndObject() {
    out_.push_back('}');
    first_.pop_back();
    return *this;
  }
  JsonWriter& BeginArray() {
    Separate();
    out_.push_back('[');
    first_.push_back(true);
    return *this;
  }
  JsonWriter& EndArray() {
    out_.push_back(']');
    first_.pop_back();
    return *this;
  }
  // The next value is this member's.
  JsonWriter& Key(std::string_view key) {
    Separate();
    Quote(key);
    out_.push_back(':');
    after_key_ = true;
    return *this;
  }

  JsonWriter& String(std::string_view value) {
    Separate();
    Quote(value);
    return *this;
  }
  JsonWriter& Int(int64_t value) {
    Separate();
    fmt::format_to(std::back_inserter(out_), "{}", value);
    return *this;
  }
  // value × 1000, exactly, also beyond int64's range (JSON numbers have no bound).
  JsonWriter& IntThousandfold(int64_t value) {
    Separate();
    fmt::format_to(std::back_inserter(out_), "{}", value);
    if (value != 0) out_ += "000";
    return *this;
  }
  JsonWriter& Uint(uint64_t value) {
    Separate();
    fmt::format_to(std::back_inserter(out_), "{}", value);
    return *this;
  }
  // The shortest text that reads back as the same double; JSON has no infinities or NaN, so
  // those are written as the strings "inf", "-inf" and "nan".
  JsonWriter& Double(double value) {
    if (!std::isfinite(value)) {
      return String(std::isnan(value) ? "nan" : (value > 0 ? "inf" : "-inf"));
    }
    Separate();
    fmt::format_to(std::back_inserter(out_), "{}", value);
    return *this;
  }
  JsonWriter& Bool(bool value) {
    Separate();
    out_ += value ? "true" : "false";
    return *this;
  }
  JsonWriter& Null() {
    Separate();
    out_ += "null";
    return *this;
  }

  std::string Take() && { return std::move(out_); }

 private:
  // A comma before every value or key but the first of its object or array (a key's value
  // follows its colon directly).
  void Separate() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (first_.empty()) return;
    if (!first_.back()) out_.push_back(',');
    first_.back() = false;
  }
  void Quote(std::string_view text) {
    out_.push_back('"');
    for (const char c : text) {
      switch (c) {
        case '"':
          out_ += "\\\"";
          break;
        case '\\':
          out_ += "\\\\";
          break;
        case '\n':
          out_ += "\\n";
          break;
        case '\r':
          out_ += "\\r";
          break;
        case '\t':
          out_ += "\\t";
          break;
        case '\b':
          out_ += "\\b";
          break;
        case '\f':
          out_ += "\\f";
          break;
        default:
          if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
            fmt::format_to(std::back_inserter(out_), "\\u{:04x}", static_cast<unsigned>(c));
          } else {
            out_.push_back(c);
          }
      }
    }
    out_.push_back('"');
  }

  std::string out_;
  std::vector<bool> first_;  // per open object or array: nothing written in it yet
  bool after_key_ = false;
};

}  // namespace switchboard::detail

#endif  // SWITCHBOARD_SRC_BASE_JSON_WRITER_H_
