// Writers shared by the state dump's files (state_dump.cc, state_dump_records.cc,
// interval_stats.cc): how Engine::DumpState writes times, durations, keys and attributes.
#ifndef SWITCHBOARD_SRC_CORE_STATE_DUMP_H_
#define SWITCHBOARD_SRC_CORE_STATE_DUMP_H_

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <variant>

#include "absl/time/time.h"
#include "base/ids.h"
#include "base/json_writer.h"
#include "index/wait_key.h"
#include "switchboard/attributes.h"

namespace switchboard::detail {

// A time in microseconds since the Unix epoch as RFC 3339 in UTC, to the microsecond; the
// engine's "none" values (the largest and smallest Micros) as null.
inline void WriteTime(JsonWriter& out, Micros time) {
  if (time == std::numeric_limits<Micros>::max() || time == std::numeric_limits<Micros>::min()) {
    out.Null();
    return;
  }
  out.String(absl::FormatTime(absl::RFC3339_full, absl::FromUnixMicros(time), absl::UTCTimeZone()));
}

// A duration in microseconds as integer nanoseconds; the largest Micros (none) as null. Spans
// between two times of the engine may pass int64 nanoseconds (years 1..9999), so the number is
// written out rather than multiplied.
inline void WriteMicrosDuration(JsonWriter& out, Micros duration) {
  if (duration == std::numeric_limits<Micros>::max()) {
    out.Null();
    return;
  }
  out.IntThousandfold(duration);
}

// A configured duration as integer nanoseconds (saturated, as absl does, for infinite ones).
inline void WriteDuration(JsonWriter& out, absl::Duration duration) {
  out.Int(absl::ToInt64Nanoseconds(duration));
}

// An index of a queue, agent or contact slot; kNoIndex (none) as null.
inline void WriteIndex(JsonWriter& out, uint32_t index) {
  if (index == kNoIndex) {
    out.Null();
  } else {
    out.Uint(index);
  }
}

// A waiting contact's key, every field of it (its order and the flag routing reads).
inline void WriteWaitKey(JsonWriter& out, const WaitKey& key) {
  out.BeginObject();
  out.Key("slot").Uint(key.slot);
  out.Key("class").Int(255 - key.inverted_class);
  out.Key("virtual_arrival");
  WriteTime(out, key.virtual_arrival);
  out.Key("sequence").Uint(key.sequence);
  out.Key("may_cool_down").Bool(key.may_cool_down);
  out.EndObject();
}

// Attributes by name (the map's order), each a string or a number.
inline void WriteAttributes(JsonWriter& out, const Attributes& attributes) {
  out.BeginObject();
  for (const auto& [name, value] : attributes) {
    out.Key(name);
    if (const auto* text = std::get_if<std::string>(&value)) {
      out.String(*text);
    } else {
      out.Double(std::get<double>(value));
    }
  }
  out.EndObject();
}

}  // namespace switchboard::detail

#endif  // SWITCHBOARD_SRC_CORE_STATE_DUMP_H_
