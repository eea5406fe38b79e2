// Fuzzes the host journal's reader, ParseJournal (src/host/journal.h), on arbitrary bytes.
//
// Besides the sanitizers, checks what journal.h promises:
//  - an error is DataLoss or FailedPrecondition (another version), its message naming the file
//    and a byte offset;
//  - accepted contents have sequence numbers 1, 2, 3, ..., payloads without '\n' and within
//    kMaxJournalPayloadBytes; the header and the records re-encoded (EncodeJournalRecord) are
//    exactly the first valid_length bytes of the input;
//  - a torn tail is the rest of the input after valid_length; without one, valid_length is the
//    whole input;
//  - recovery converges: the input cut to valid_length parses to the same records with no torn
//    tail, and a record appended there is read back as the next one.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "host/journal.h"

namespace switchboard::host {
namespace {

void Require(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "journal_reader_fuzzer: violated: %s\n", what);
    std::abort();
  }
}

constexpr std::string_view kFile = "fuzz.log";

void Check(std::string_view bytes) {
  absl::StatusOr<JournalContents> contents = ParseJournal(bytes, kFile);
  if (!contents.ok()) {
    const absl::StatusCode code = contents.status().code();
    Require(code == absl::StatusCode::kDataLoss || code == absl::StatusCode::kFailedPrecondition,
            "an error is DataLoss or FailedPrecondition");
    const std::string message(contents.status().message());
    Require(message.rfind(std::string(kFile) + ": byte ", 0) == 0,
            "an error names the file and the byte offset");
    return;
  }
  Require(contents->valid_length <= bytes.size(), "valid_length is within the input");
  std::string encoded(kJournalHeader);
  for (size_t i = 0; i < contents->records.size(); ++i) {
    const JournalRecord& record = contents->records[i];
    Require(record.seq == i + 1, "sequence numbers are 1, 2, 3, ...");
    Require(record.payload.find('\n') == std::string::npos, "a payload has no newline");
    Require(record.payload.size() <= kMaxJournalPayloadBytes, "a payload is within the limit");
    encoded += EncodeJournalRecord(record.seq, record.payload);
  }
  Require(encoded == bytes.substr(0, contents->valid_length),
          "re-encoding the records gives the input's valid prefix");
  if (contents->torn_tail) {
    const TornTail& torn = *contents->torn_tail;
    Require(torn.offset == contents->valid_length, "a torn tail starts at valid_length");
    Require(torn.offset + torn.length == bytes.size(), "a torn tail runs to the end");
    Require(torn.length > 0, "a torn tail is not empty");
    Require(torn.record == contents->records.size() + 1, "a torn tail is the next record");
    Require(!torn.reason.empty(), "a torn tail says why");
    Require(bytes.substr(torn.offset, torn.length).find('\n') == std::string_view::npos ||
                bytes.find('\n', torn.offset) == bytes.size() - 1,
            "a torn tail is the last line only");
  } else {
    Require(contents->valid_length == bytes.size(), "without a torn tail everything is valid");
  }

  // What FileJournal::Open does: truncate to valid_length, then append.
  encoded += EncodeJournalRecord(contents->records.size() + 1, "{\"fuzz\":true}");
  absl::StatusOr<JournalContents> again = ParseJournal(encoded, kFile);
  Require(again.ok() && !again->torn_tail, "the recovered journal with one more record parses");
  Require(
      again->records.size() == contents->records.size() + 1 &&
          std::equal(contents->records.begin(), contents->records.end(), again->records.begin()) &&
          again->records.back().payload == "{\"fuzz\":true}",
      "the recovered journal keeps its records and reads the appended one");
}

}  // namespace
}  // namespace switchboard::host

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  switchboard::host::Check(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
