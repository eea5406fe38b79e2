// Reading a state dump back (Engine::LoadState; state_load.cc, state_load_records.cc and
// IntervalStatsTracker::Load): typed access to the parsed JSON that remembers the first problem,
// with the JSON path where it was found.
//
// Contract: every accessor returns a harmless default once a problem was found (or when it finds
// one), so a loader can read on and check ok() at its checkpoints; status() then names the first
// problem, e.g. DataLoss "snapshot: $.agents[3].load[2]: expected an integer in [0, 255]".
#ifndef SWITCHBOARD_SRC_CORE_STATE_LOAD_H_
#define SWITCHBOARD_SRC_CORE_STATE_LOAD_H_

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "fmt/format.h"
#include "absl/time/time.h"
#include "base/ids.h"
#include "base/json_reader.h"
#include "index/wait_key.h"
#include "switchboard/attributes.h"

namespace switchboard::detail {

// A value in the text and its JSON path ("$.queues[2].config").
struct DumpNode {
  const JsonValue* value;
  std::string path;
};

// Its arguments' text, one after the other (absl::StrCat, taking std::string_view too).
template <typename... Args>
std::string Cat(const Args&... args) {
  std::string out;
  (fmt::format_to(std::back_inserter(out), "{}", args), ...);
  return out;
}

class DumpReader {
 public:
  using Node = DumpNode;

  bool ok() const { return status_.ok(); }
  const absl::Status& status() const { return status_; }
  // Records `problem` at `at` unless a problem was recorded before.
  void Fail(const Node& at, std::string_view problem);

  // An object's member `key` (a problem when missing); a null node after a problem.
  Node Field(const Node& object, std::string_view key);
  std::vector<Node> Items(const Node& array);
  // An object's members in order, each with its key.
  std::vector<std::pair<std::string, Node>> Members(const Node& object);
  bool IsNull(const Node& node) const {
    return node.value->type == JsonValue::Type::kNull;
  }

  int64_t Int(const Node& node, int64_t min = std::numeric_limits<int64_t>::min(),
              int64_t max = std::numeric_limits<int64_t>::max());
  uint64_t Uint(const Node& node, uint64_t max = std::numeric_limits<uint64_t>::max());
  double Double(const Node& node);
  bool Bool(const Node& node);
  std::string String(const Node& node);
  // WriteTime's text: null reads as `none` (the engine's largest Micros but for `now`).
  Micros Time(const Node& node, Micros none = std::numeric_limits<Micros>::max());
  // WriteMicrosDuration's integer nanoseconds (whole microseconds); null reads as the largest.
  Micros MicrosDuration(const Node& node);
  // WriteDuration's integer nanoseconds.
  absl::Duration Duration(const Node& node);
  // WriteIndex's value: null is kNoIndex; otherwise below `size`.
  uint32_t Index(const Node& node, uint64_t size);
  WaitKey Key(const Node& node);
  Attributes ReadAttributes(const Node& node);

 private:
  absl::Status status_;
};

// An enum of `count` values read by the names `name_of` gives them.
template <typename Enum, typename NameOf>
Enum ReadEnum(DumpReader& in, const DumpNode& node, int count, NameOf name_of) {
  const std::string name = in.String(node);
  if (!in.ok()) return static_cast<Enum>(0);
  for (int i = 0; i < count; ++i) {
    if (name_of(static_cast<Enum>(i)) == name) return static_cast<Enum>(i);
  }
  in.Fail(node, Cat("unknown name '", name, "'"));
  return static_cast<Enum>(0);
}

}  // namespace switchboard::detail

#endif  // SWITCHBOARD_SRC_CORE_STATE_LOAD_H_
