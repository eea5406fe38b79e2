// A small JSON reader for the engine's own canonical text (Engine::LoadState reads what
// Engine::DumpState wrote; json_writer.h). Not a general parser: no exceptions, nesting bounded
// by kMaxJsonDepth (deeper text is refused, so recursion stays shallow), numbers kept as their
// text (the caller converts them exactly), \u escapes of the ASCII range only (the writer emits
// no others; UTF-8 passes through as bytes).
#ifndef SWITCHBOARD_SRC_BASE_JSON_READER_H_
#define SWITCHBOARD_SRC_BASE_JSON_READER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace switchboard::detail {

inline constexpr int kMaxJsonDepth = 32;

struct JsonValue {
  enum class Type : uint8_t { kNull, kBool, kNumber, kString, kArray, kObject };
  Type type = Type::kNull;
  bool boolean = false;
  std::string text;  // kString: the unescaped string; kNumber: the number as written
  // kArray: the items; kObject: the members' values, each with its key in `keys` (in the
  // text's order). Two lists, as a list of pairs would need this type complete.
  std::vector<JsonValue> items;
  std::vector<std::string> keys;
};

// The value `text` holds (one value, surrounded by white space at most), or DataLoss naming the
// byte offset and what was expected there. O(text).
absl::StatusOr<JsonValue> ParseJson(std::string_view text);

}  // namespace switchboard::detail

#endif  // SWITCHBOARD_SRC_BASE_JSON_READER_H_
