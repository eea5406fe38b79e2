// The host's command journal: every command the host accepts is appended here before it is
// acknowledged, so that after a crash the engine's state is rebuilt exactly by replaying the
// records, in order, into a fresh (deterministic) engine.
//
// Example:
//   absl::StatusOr<std::unique_ptr<FileJournal>> journal =
//       FileJournal::Open("/var/lib/switchboard/journal", {.sync = SyncPolicy::kEveryCommand});
//   if (!journal.ok()) return journal.status();   // damaged, in use, or unreadable: stop
//   if ((*journal)->torn_tail()) LogWarning((*journal)->torn_tail()->Describe());
//   absl::StatusOr<JournalContents> contents = (*journal)->ReadAll();
//   for (const JournalRecord& record : contents->records) Replay(record.payload);
//   ...
//   SWITCHBOARD_RETURN_IF_ERROR((*journal)->Append(command_json));   // then acknowledge
//
// File format (version 1). A journal directory holds `journal.log` and the lock file `LOCK`.
// `journal.log` is the header line, then one line per record:
//
//   switchboard-journal 1\n
//   <seq> <length> <crc> <payload>\n
//   ...
//
//  - <seq>: the record's sequence number in decimal without leading zeros; the first record is 1
//    and each next one is one more.
//  - <length>: the payload's size in bytes, decimal without leading zeros ("0" for empty), at most
//    kMaxJournalPayloadBytes.
//  - <crc>: the CRC-32C (Castagnoli) of the bytes "<seq> <length> <payload>" (the line without
//    the checksum field, its space and the newline), as 8 lowercase hex digits.
//  - <payload>: exactly <length> opaque bytes chosen by the caller (a JSON object's text), any
//    bytes except '\n'; so every record is exactly one line.
// Encoding is canonical: EncodeJournalRecord gives the only text a record can have.
//
// Recovery. A record is written with one write(2) of its whole line. A crash can leave the last
// line incomplete, without its newline, or (after a power loss, when the file's size reached the
// disk before its data) with bytes that fail the checksum. Damage in the LAST line of the file is
// such a torn write: reading reports it as `torn_tail` and the records before it; FileJournal::Open
// truncates the file to `valid_length`, so appending continues after the last whole record.
// Damage anywhere else (a bad checksum, fields that do not parse, a missing header) cannot come
// from a torn write, nor can a whole line with a valid checksum but a sequence number out of
// order, even the last: reading refuses the whole journal with absl::DataLossError naming the
// file, the byte offset, the record and what is wrong, and nothing is truncated; a header of
// another format version is absl::FailedPreconditionError. Records are never skipped silently:
// the host either replays all of them or stops. (A last record that was written whole and later
// rotted on disk cannot be told from a torn one: it too is reported as torn_tail and cut off.)
#ifndef SWITCHBOARD_SRC_HOST_JOURNAL_H_
#define SWITCHBOARD_SRC_HOST_JOURNAL_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace switchboard::host {

// The first line of a journal file, version 1, with its newline.
inline constexpr std::string_view kJournalHeader = "switchboard-journal 1\n";
// The largest payload a record may carry (16 MiB). A bigger one is refused by Append, and a
// length field above it is damage when reading, found before anything is allocated for it.
inline constexpr size_t kMaxJournalPayloadBytes = size_t{16} << 20;

// One record: its sequence number (1, 2, ...) and the caller's payload.
struct JournalRecord {
  uint64_t seq = 0;
  std::string payload;

  friend bool operator==(const JournalRecord&, const JournalRecord&) = default;
};

// An incomplete or damaged last line: what a write cut short by a crash leaves.
struct TornTail {
  uint64_t offset = 0;  // byte offset of the line's start in the file (== valid_length)
  uint64_t length = 0;  // bytes from there to the end of the file, all of them discarded
  uint64_t record = 0;  // the record number the line would have had (== its expected seq)
  std::string reason;   // what is wrong, e.g. "cut off inside the payload (10 of 52 bytes)"

  // "torn last record #7 at byte 1234 (40 bytes): <reason>; discarded".
  std::string Describe() const;
};

// What a journal holds.
struct JournalContents {
  std::vector<JournalRecord> records;  // in file order; seq == index + 1
  // Bytes of the header and of the whole records: the length the file is truncated to when it
  // has a torn tail, else the file's size.
  uint64_t valid_length = 0;
  std::optional<TornTail> torn_tail;  // set when the last line is torn (see Recovery above)
};

// Parses the bytes of a journal file. Pure and total: any input gives contents or an error,
// never a crash. Errors: FailedPrecondition for a header of another version; DataLoss for any
// other damage before the last line, each as "<file_name>: byte <offset>: record #<n>: <what>"
// ("<file_name>: byte 0: ..." for the header). `file_name` only appears in messages.
absl::StatusOr<JournalContents> ParseJournal(std::string_view bytes,
                                             std::string_view file_name = "journal.log");

// Reads `dir`/journal.log without changing anything (no lock taken, nothing truncated): what
// ParseJournal says of its bytes, with the file's path in messages. A missing file or directory
// is an empty journal. I/O errors keep their errno's code (absl::ErrnoToStatus). Reads the whole
// file into memory.
absl::StatusOr<JournalContents> ReadJournal(const std::string& dir);

// The line for one record, newline included; `payload` must contain no '\n'.
std::string EncodeJournalRecord(uint64_t seq, std::string_view payload);

// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) of `data`, continuing from `crc` (the
// CRC of the bytes before; 0 to start). Crc32c("123456789") == 0xE3069283.
uint32_t Crc32c(std::string_view data, uint32_t crc = 0);

// Where a host keeps its journal. Records get sequence numbers 1, 2, ... in Append order.
// Implementations need not be thread-safe: the host appends from one thread.
class JournalStorage {
 public:
  virtual ~JournalStorage() = default;

  // Appends `payload` as record last_seq() + 1. OK means the record is stored as durably as the
  // implementation's policy promises (for FileJournal, see SyncPolicy). InvalidArgument (and
  // nothing stored) for a payload with a '\n' or over kMaxJournalPayloadBytes. After any other
  // error the record may or may not be stored, and the storage refuses every later Append and
  // Sync with that error: the host must stop and recover from what a fresh Open reads.
  virtual absl::Status Append(std::string_view payload) = 0;

  // Makes every appended record durable (survives a power loss) before returning OK. Errors are
  // as for Append, and as sticky.
  virtual absl::Status Sync() = 0;

  // Every record stored so far, those of earlier runs included, in order, read back from the
  // storage (for FileJournal, from the file, checksums verified).
  virtual absl::StatusOr<JournalContents> ReadAll() const = 0;

  // The sequence number of the last record (0 for an empty journal).
  virtual uint64_t last_seq() const = 0;
};

// A journal in memory: for tests, and for a host that keeps its records elsewhere and hands them
// over itself. Never fails unless told to (FailAppends), which tests use for a full disk.
class MemoryJournal final : public JournalStorage {
 public:
  MemoryJournal() = default;
  explicit MemoryJournal(std::vector<std::string> payloads) : payloads_(std::move(payloads)) {}

  absl::Status Append(std::string_view payload) override;
  absl::Status Sync() override { return absl::OkStatus(); }
  absl::StatusOr<JournalContents> ReadAll() const override;
  uint64_t last_seq() const override { return payloads_.size(); }

  // Every later Append fails with Unavailable("disk full").
  void FailAppends() { failing_ = true; }
  const std::vector<std::string>& payloads() const { return payloads_; }
  std::vector<std::string>& mutable_payloads() { return payloads_; }

 private:
  std::vector<std::string> payloads_;
  bool failing_ = false;
};

// When FileJournal calls fdatasync(2). Under every policy, Append returns only after the whole
// record is written to the file (write(2)), so a crash of the PROCESS (kill -9, abort, a bug)
// loses nothing Append accepted: the kernel holds the data. What a crash of the MACHINE (power
// loss, kernel panic) keeps differs:
enum class SyncPolicy {
  // fdatasync before each Append returns: every accepted record survives a power loss.
  kEveryCommand,
  // fdatasync in Append, and in MaybeSync, when at least `sync_interval` has passed since the
  // last sync (real clock). A power loss keeps every record up to the last sync; it loses at
  // most the records appended since, i.e. those of the last `sync_interval` plus the time until
  // the next Append or MaybeSync: the host should call MaybeSync at least every sync_interval.
  kInterval,
  // Never fdatasync except on an explicit Sync(): the OS writes back when it likes (Linux:
  // typically within 30 s). A power loss may lose any records not yet written back.
  kNone,
};

struct JournalOptions {
  // When appended records are forced to disk; see SyncPolicy. Default: before every Append
  // returns.
  SyncPolicy sync = SyncPolicy::kEveryCommand;
  // For SyncPolicy::kInterval: the longest time records stay unsynced while Append or MaybeSync
  // is called. Must be finite and >= 0 (0: sync on every Append). Default 100 ms.
  absl::Duration sync_interval = absl::Milliseconds(100);
};

// A journal in a directory of the local file system: `dir`/journal.log (mode 0600) and
// `dir`/LOCK, on which an open FileJournal holds an exclusive flock(2), so one process (one
// FileJournal) writes a directory at a time. Not thread-safe.
class FileJournal final : public JournalStorage {
 public:
  // Opens the journal in `dir`, creating the directory (mode 0700) and an empty journal when
  // missing, reads and checks the whole file (see ParseJournal), truncates a torn tail (reported
  // by torn_tail()), and positions for appending record last_seq() + 1. Errors:
  //  - FailedPrecondition "journal DIR is in use by another process" when another FileJournal,
  //    in this process or another, has the directory open;
  //  - DataLoss / FailedPrecondition as ParseJournal, naming DIR/journal.log; nothing changed;
  //  - InvalidArgument for bad options; I/O errors with their errno's code.
  static absl::StatusOr<std::unique_ptr<FileJournal>> Open(std::string dir,
                                                           JournalOptions options = {});

  // Syncs what is unsynced unless the policy is kNone (errors ignored: call Sync first to see
  // them), closes the file and releases the directory.
  ~FileJournal() override;

  FileJournal(const FileJournal&) = delete;
  FileJournal& operator=(const FileJournal&) = delete;

  // See JournalStorage. One write(2) (repeated on EINTR and short writes) of the record's line,
  // then fdatasync as the policy says. If the write fails, the file is truncated back to the
  // previous record's end before the error is returned (and kept for later calls).
  absl::Status Append(std::string_view payload) override;
  absl::Status Sync() override;
  absl::StatusOr<JournalContents> ReadAll() const override;
  uint64_t last_seq() const override { return last_seq_; }

  // For SyncPolicy::kInterval: syncs if records are unsynced and at least sync_interval has
  // passed since the last sync. Does nothing under the other policies. Cheap when nothing is due.
  absl::Status MaybeSync();

  // The torn tail Open found and truncated, if any, for the host to report.
  const std::optional<TornTail>& torn_tail() const { return torn_tail_; }
  // The directory and the journal file's path.
  const std::string& dir() const { return dir_; }
  const std::string& path() const { return path_; }
  // How many fdatasync calls this FileJournal has made since Open (for tests and metrics).
  uint64_t sync_count() const { return sync_count_; }

 private:
  FileJournal(std::string dir, JournalOptions options, int lock_fd, int fd);

  absl::Status SyncNow();

  std::string dir_;
  std::string path_;
  JournalOptions options_;
  int lock_fd_;
  int fd_;
  uint64_t end_offset_ = 0;  // where the next record goes: the end of the last whole record
  uint64_t last_seq_ = 0;
  bool unsynced_ = false;  // records written since the last fdatasync
  absl::Time last_sync_;
  uint64_t sync_count_ = 0;
  absl::Status broken_;  // the sticky error after a failed write or sync
  std::optional<TornTail> torn_tail_;
};

}  // namespace switchboard::host

#endif  // SWITCHBOARD_SRC_HOST_JOURNAL_H_
