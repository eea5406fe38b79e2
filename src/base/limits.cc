// The checks behind include/switchboard/limits.h.
#include "switchboard/limits.h"

#include <cstdint>
#include <cstring>

#include "fmt/format.h"

namespace switchboard {

namespace {

// Whether every byte is below 0x80: eight at a time, then the rest.
bool IsAscii(const unsigned char* p, size_t size) {
  uint64_t bits = 0;
  size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    uint64_t word;
    std::memcpy(&word, p + i, sizeof word);
    bits |= word;
  }
  for (; i < size; ++i) bits |= p[i];
  return (bits & 0x8080808080808080u) == 0;
}

}  // namespace

bool IsValidUtf8(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  if (IsAscii(p, text.size())) return true;  // ids usually are
  const unsigned char* const end = p + text.size();
  while (p < end) {
    const unsigned char lead = *p;
    if (lead < 0x80) {
      ++p;
      continue;
    }
    // The second byte's range depends on the lead byte (Unicode, table 3-7): this refuses
    // overlong forms, UTF-16 surrogates and code points past U+10FFFF.
    int length = 0;
    unsigned char low = 0x80, high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      if (lead == 0xE0) low = 0xA0;
      if (lead == 0xED) high = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      if (lead == 0xF0) low = 0x90;
      if (lead == 0xF4) high = 0x8F;
    } else {
      return false;
    }
    if (end - p < length) return false;
    if (p[1] < low || p[1] > high) return false;
    for (int i = 2; i < length; ++i) {
      if (p[i] < 0x80 || p[i] > 0xBF) return false;
    }
    p += length;
  }
  return true;
}

absl::Status CheckText(std::string_view what, std::string_view text, size_t max_bytes) {
  if (text.size() > max_bytes) {
    return absl::InvalidArgumentError(
        fmt::format("{} is {} bytes; expected at most {}", what, text.size(), max_bytes));
  }
  if (!IsValidUtf8(text)) {
    return absl::InvalidArgumentError(fmt::format("{} is not valid UTF-8", what));
  }
  return absl::OkStatus();
}

absl::Status CheckTime(std::string_view what, absl::Time time) {
  if (time < kMinTime || time > kMaxTime) {
    return absl::InvalidArgumentError(fmt::format(
        "{} is {}; expected a time between years 0001 and 9999 UTC", what,
        time == absl::InfinitePast() || time == absl::InfiniteFuture()
            ? absl::FormatTime(time)
            : absl::FormatTime("%E4Y-%m-%dT%H:%M:%E*SZ", time, absl::UTCTimeZone())));
  }
  return absl::OkStatus();
}

}  // namespace switchboard
