#include "host/journal.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <filesystem>
#include <string>
#include <system_error>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "base/status_macros.h"
#include "fmt/format.h"

namespace switchboard::host {
namespace {

using detail::AbslView;
using detail::StdView;

constexpr std::string_view kJournalFile = "journal.log";
constexpr std::string_view kLockFile = "LOCK";
constexpr std::string_view kHeaderPrefix = "switchboard-journal ";
constexpr std::string_view kVersion = "1";
// Digits of the largest uint64 (18446744073709551615) and of kMaxJournalPayloadBytes (16777216).
constexpr size_t kMaxSeqDigits = 20;
constexpr size_t kMaxLengthDigits = 8;

// ---- CRC-32C --------------------------------------------------------------------------------

constexpr std::array<uint32_t, 256> MakeCrc32cTable() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t crc = i;
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ ((crc & 1) ? 0x82F63B78u : 0u);
    table[i] = crc;
  }
  return table;
}
constexpr std::array<uint32_t, 256> kCrc32cTable = MakeCrc32cTable();

// ---- Parsing --------------------------------------------------------------------------------

std::string ShowByte(char c) {
  auto byte = static_cast<unsigned char>(c);
  if (byte >= 0x21 && byte < 0x7f) return fmt::format("'{}'", c);
  return fmt::format("byte 0x{:02x}", byte);
}

// Reads the decimal field `name` at `*pos` of `line` and the space after it. Returns what is
// wrong, or "" with `*value` set and `*pos` past the space.
std::string ReadNumber(std::string_view line, size_t* pos, std::string_view name, size_t max_digits,
                       uint64_t* value) {
  const size_t start = *pos;
  size_t i = start;
  uint64_t result = 0;
  while (i < line.size() && line[i] >= '0' && line[i] <= '9') {
    if (i - start == max_digits)
      return fmt::format("the {} has more than {} digits", name, max_digits);
    const uint64_t digit = static_cast<uint64_t>(line[i] - '0');
    if (result > (UINT64_MAX - digit) / 10) return fmt::format("the {} overflows 64 bits", name);
    result = result * 10 + digit;
    ++i;
  }
  if (i == line.size()) return fmt::format("the line ends in the {}", name);
  if (line[i] != ' ') {
    return fmt::format("{} in the {} where a digit or ' ' belongs", ShowByte(line[i]), name);
  }
  if (i == start) return fmt::format("the {} is empty", name);
  if (line[start] == '0' && i - start > 1) return fmt::format("the {} has a leading zero", name);
  *value = result;
  *pos = i + 1;
  return "";
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Parses one record line (without its newline): fields, length and checksum, but not the
// sequence order. Returns what is wrong, or "" with `*seq` and `*payload` set.
std::string ParseRecordLine(std::string_view line, uint64_t* seq, std::string_view* payload) {
  size_t pos = 0;
  uint64_t length = 0;
  std::string error = ReadNumber(line, &pos, "sequence number", kMaxSeqDigits, seq);
  if (!error.empty()) return error;
  if (*seq == 0) return "the sequence number is 0";
  error = ReadNumber(line, &pos, "length", kMaxLengthDigits, &length);
  if (!error.empty()) return error;
  if (length > kMaxJournalPayloadBytes) {
    return fmt::format("the length {} exceeds the limit of {} bytes", length,
                       kMaxJournalPayloadBytes);
  }
  uint32_t stored = 0;
  for (int k = 0; k < 8; ++k, ++pos) {
    if (pos == line.size()) return "the line ends in the checksum";
    const int digit = HexDigit(line[pos]);
    if (digit < 0) {
      return fmt::format("{} in the checksum where a lowercase hex digit belongs",
                         ShowByte(line[pos]));
    }
    stored = (stored << 4) | static_cast<uint32_t>(digit);
  }
  if (pos == line.size()) return "the line ends after the checksum";
  if (line[pos] != ' ')
    return fmt::format("{} after the checksum where ' ' belongs", ShowByte(line[pos]));
  ++pos;
  const size_t available = line.size() - pos;
  if (available < length) {
    return fmt::format("the line ends inside the payload ({} of {} bytes)", available, length);
  }
  if (available > length) {
    return fmt::format("{} bytes after the {}-byte payload where the newline belongs",
                       available - length, length);
  }
  *payload = line.substr(pos);
  // The checksummed bytes: "<seq> <length> " (everything before the checksum) and the payload.
  const uint32_t computed = Crc32c(*payload, Crc32c(line.substr(0, pos - 9)));
  if (computed != stored) {
    return fmt::format("checksum mismatch (stored {:08x}, computed {:08x})", stored, computed);
  }
  return "";
}

absl::Status HeaderError(std::string_view bytes, std::string_view file_name) {
  const size_t newline = bytes.find('\n');
  const std::string_view line = bytes.substr(0, newline);
  if (line.substr(0, kHeaderPrefix.size()) == kHeaderPrefix) {
    const std::string_view version = line.substr(kHeaderPrefix.size());
    if (!version.empty() && version != kVersion &&
        version.find_first_not_of("0123456789") == std::string_view::npos) {
      return absl::FailedPreconditionError(
          fmt::format("{}: byte 0: journal format version {}; this build reads version {} only",
                      file_name, version, kVersion));
    }
    if (version == kVersion && newline == std::string_view::npos) {
      return absl::DataLossError(
          fmt::format("{}: byte 0: the header has no newline (the file ends after it)", file_name));
    }
  }
  if (bytes.empty()) {
    return absl::DataLossError(fmt::format(
        "{}: byte 0: empty file; a journal starts with the header '{}'", file_name,
        StdView(absl::CHexEscape(AbslView(kJournalHeader.substr(0, kJournalHeader.size() - 1))))));
  }
  return absl::DataLossError(fmt::format("{}: byte 0: missing header: expected '{}', found '{}'",
                                         file_name,
                                         kJournalHeader.substr(0, kJournalHeader.size() - 1),
                                         StdView(absl::CHexEscape(AbslView(line.substr(0, 40))))));
}

// ---- Files ----------------------------------------------------------------------------------

// Owns a file descriptor; closes it when destroyed.
class UniqueFd {
 public:
  explicit UniqueFd(int fd = -1) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) {
      if (fd_ >= 0) ::close(fd_);
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  ~UniqueFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

absl::Status ErrnoError(int error, std::string_view what, std::string_view path) {
  return absl::ErrnoToStatus(error, fmt::format("{} {}", what, path));
}

// Opens `path`, retrying on EINTR; -1 with errno on failure.
int OpenRetrying(const std::string& path, int flags, mode_t mode = 0) {
  int fd;
  do {
    fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
  } while (fd < 0 && errno == EINTR);
  return fd;
}

// Writes all of `data` at `offset`, through short writes and EINTR.
absl::Status PwriteAll(int fd, std::string_view data, uint64_t offset, const std::string& path) {
  while (!data.empty()) {
    const ssize_t n = ::pwrite(fd, data.data(), data.size(), static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoError(errno, "write", path);
    }
    if (n == 0) return absl::UnknownError(fmt::format("write {}: wrote nothing", path));
    data.remove_prefix(static_cast<size_t>(n));
    offset += static_cast<uint64_t>(n);
  }
  return absl::OkStatus();
}

// Reads the first `size` bytes of `fd`; fewer if the file is shorter.
absl::StatusOr<std::string> PreadAll(int fd, uint64_t size, const std::string& path) {
  std::string bytes(size, '\0');
  uint64_t done = 0;
  while (done < size) {
    const ssize_t n = ::pread(fd, bytes.data() + done, size - done, static_cast<off_t>(done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoError(errno, "read", path);
    }
    if (n == 0) break;
    done += static_cast<uint64_t>(n);
  }
  bytes.resize(done);
  return bytes;
}

absl::StatusOr<std::string> ReadWholeFile(int fd, const std::string& path) {
  struct stat st;
  if (::fstat(fd, &st) != 0) return ErrnoError(errno, "stat", path);
  return PreadAll(fd, static_cast<uint64_t>(st.st_size), path);
}

absl::Status DataSync(int fd, const std::string& path) {
  int result;
  do {
    result = ::fdatasync(fd);
  } while (result != 0 && errno == EINTR);
  if (result != 0) return ErrnoError(errno, "fdatasync", path);
  return absl::OkStatus();
}

absl::Status SyncDirectory(const std::string& dir) {
  UniqueFd fd(OpenRetrying(dir, O_RDONLY | O_DIRECTORY));
  if (fd.get() < 0) return ErrnoError(errno, "open directory", dir);
  if (::fsync(fd.get()) != 0) return ErrnoError(errno, "fsync directory", dir);
  return absl::OkStatus();
}

absl::Status MakeDirectory(const std::string& dir) {
  struct stat st;
  if (::stat(dir.c_str(), &st) == 0) {
    if (!S_ISDIR(st.st_mode)) {
      return absl::FailedPreconditionError(fmt::format("journal {} is not a directory", dir));
    }
    return absl::OkStatus();
  }
  if (errno != ENOENT) return ErrnoError(errno, "stat", dir);
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) return ErrnoError(error.value(), "create directory", dir);
  if (::chmod(dir.c_str(), 0700) != 0) return ErrnoError(errno, "chmod", dir);
  return absl::OkStatus();
}

// Creates `dir`/journal.log holding only the header, atomically: written and synced under a
// temporary name, renamed, and the directory synced, so that no crash leaves a partial header.
absl::Status CreateEmptyJournal(const std::string& dir, const std::string& path) {
  const std::string temporary = path + ".tmp";
  {
    UniqueFd fd(OpenRetrying(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0600));
    if (fd.get() < 0) return ErrnoError(errno, "create", temporary);
    SWITCHBOARD_RETURN_IF_ERROR(PwriteAll(fd.get(), kJournalHeader, 0, temporary));
    SWITCHBOARD_RETURN_IF_ERROR(DataSync(fd.get(), temporary));
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) return ErrnoError(errno, "rename", temporary);
  return SyncDirectory(dir);
}

std::string JoinPath(const std::string& dir, std::string_view name) {
  if (!dir.empty() && dir.back() == '/') return fmt::format("{}{}", dir, name);
  return fmt::format("{}/{}", dir, name);
}

}  // namespace

uint32_t Crc32c(std::string_view data, uint32_t crc) {
  crc = ~crc;
  for (const char c : data) {
    crc = kCrc32cTable[(crc ^ static_cast<unsigned char>(c)) & 0xffu] ^ (crc >> 8);
  }
  return ~crc;
}

std::string EncodeJournalRecord(uint64_t seq, std::string_view payload) {
  const std::string fields = fmt::format("{} {} ", seq, payload.size());
  const uint32_t crc = Crc32c(payload, Crc32c(fields));
  std::string line;
  line.reserve(fields.size() + 9 + payload.size() + 1);
  line.append(fields);
  line.append(fmt::format("{:08x} ", crc));
  line.append(payload);
  line.push_back('\n');
  return line;
}

std::string TornTail::Describe() const {
  return fmt::format("torn last record #{} at byte {} ({} bytes): {}; discarded", record, offset,
                     length, reason);
}

absl::StatusOr<JournalContents> ParseJournal(std::string_view bytes, std::string_view file_name) {
  if (bytes.substr(0, kJournalHeader.size()) != kJournalHeader) {
    return HeaderError(bytes, file_name);
  }
  JournalContents contents;
  size_t pos = kJournalHeader.size();
  while (pos < bytes.size()) {
    const uint64_t record = contents.records.size() + 1;
    const size_t newline = bytes.find('\n', pos);
    const bool terminated = newline != std::string_view::npos;
    const std::string_view line = bytes.substr(pos, (terminated ? newline : bytes.size()) - pos);
    uint64_t seq = 0;
    std::string_view payload;
    const std::string error = ParseRecordLine(line, &seq, &payload);
    const bool last_line = !terminated || newline + 1 == bytes.size();
    if (!terminated || (!error.empty() && last_line)) {
      std::string reason = error.empty()  // then it is only the newline that is missing
                               ? std::string("the file ends where the record's newline belongs")
                               : (terminated ? error : fmt::format("no newline; {}", error));
      contents.torn_tail = TornTail{.offset = pos,
                                    .length = bytes.size() - pos,
                                    .record = record,
                                    .reason = std::move(reason)};
      break;
    }
    if (!error.empty()) {
      return absl::DataLossError(
          fmt::format("{}: byte {}: record #{}: {}", file_name, pos, record, error));
    }
    if (seq != record) {
      return absl::DataLossError(
          fmt::format("{}: byte {}: record #{}: sequence number {}, expected {}", file_name, pos,
                      record, seq, record));
    }
    contents.records.push_back(JournalRecord{.seq = seq, .payload = std::string(payload)});
    pos = newline + 1;
  }
  contents.valid_length = pos;
  return contents;
}

absl::StatusOr<JournalContents> ReadJournal(const std::string& dir) {
  const std::string path = JoinPath(dir, kJournalFile);
  UniqueFd fd(OpenRetrying(path, O_RDONLY));
  if (fd.get() < 0) {
    if (errno == ENOENT) return JournalContents{};
    return ErrnoError(errno, "open", path);
  }
  absl::StatusOr<std::string> bytes = ReadWholeFile(fd.get(), path);
  if (!bytes.ok()) return bytes.status();
  return ParseJournal(*bytes, path);
}

// ---- FileJournal ----------------------------------------------------------------------------

FileJournal::FileJournal(std::string dir, JournalOptions options, int lock_fd, int fd)
    : dir_(std::move(dir)),
      path_(JoinPath(dir_, kJournalFile)),
      options_(options),
      lock_fd_(lock_fd),
      fd_(fd),
      last_sync_(absl::Now()) {}

absl::StatusOr<std::unique_ptr<FileJournal>> FileJournal::Open(std::string dir,
                                                               JournalOptions options) {
  if (dir.empty()) return absl::InvalidArgumentError("journal directory is empty");
  if (options.sync_interval < absl::ZeroDuration() ||
      options.sync_interval == absl::InfiniteDuration()) {
    return absl::InvalidArgumentError(
        fmt::format("journal sync_interval must be finite and >= 0; got {}",
                    StdView(absl::FormatDuration(options.sync_interval))));
  }
  SWITCHBOARD_RETURN_IF_ERROR(MakeDirectory(dir));

  const std::string lock_path = JoinPath(dir, kLockFile);
  UniqueFd lock_fd(OpenRetrying(lock_path, O_RDWR | O_CREAT, 0600));
  if (lock_fd.get() < 0) return ErrnoError(errno, "open", lock_path);
  int locked;
  do {
    locked = ::flock(lock_fd.get(), LOCK_EX | LOCK_NB);
  } while (locked != 0 && errno == EINTR);
  if (locked != 0) {
    if (errno == EWOULDBLOCK) {
      return absl::FailedPreconditionError(
          fmt::format("journal {} is in use by another process", dir));
    }
    return ErrnoError(errno, "flock", lock_path);
  }

  const std::string path = JoinPath(dir, kJournalFile);
  UniqueFd fd(OpenRetrying(path, O_RDWR));
  if (fd.get() < 0 && errno == ENOENT) {
    SWITCHBOARD_RETURN_IF_ERROR(CreateEmptyJournal(dir, path));
    fd = UniqueFd(OpenRetrying(path, O_RDWR));
  }
  if (fd.get() < 0) return ErrnoError(errno, "open", path);

  absl::StatusOr<std::string> bytes = ReadWholeFile(fd.get(), path);
  if (!bytes.ok()) return bytes.status();
  absl::StatusOr<JournalContents> contents = ParseJournal(*bytes, path);
  if (!contents.ok()) return contents.status();
  if (contents->torn_tail) {
    int truncated;
    do {
      truncated = ::ftruncate(fd.get(), static_cast<off_t>(contents->valid_length));
    } while (truncated != 0 && errno == EINTR);
    if (truncated != 0) return ErrnoError(errno, "truncate", path);
    SWITCHBOARD_RETURN_IF_ERROR(DataSync(fd.get(), path));
  }

  std::unique_ptr<FileJournal> journal(
      new FileJournal(std::move(dir), options, lock_fd.release(), fd.release()));
  journal->end_offset_ = contents->valid_length;
  journal->last_seq_ = contents->records.size();
  journal->torn_tail_ = std::move(contents->torn_tail);
  return journal;
}

FileJournal::~FileJournal() {
  if (options_.sync != SyncPolicy::kNone && unsynced_ && broken_.ok()) ::fdatasync(fd_);
  ::close(fd_);
  ::close(lock_fd_);  // releases the flock
}

absl::Status FileJournal::SyncNow() {
  absl::Status status = DataSync(fd_, path_);
  if (!status.ok()) {
    // After a failed fdatasync the kernel may have dropped the dirty pages: what is on disk is
    // unknown, and a later fdatasync could wrongly succeed. Only a fresh Open may go on.
    broken_ = status;
    return status;
  }
  ++sync_count_;
  unsynced_ = false;
  last_sync_ = absl::Now();
  return absl::OkStatus();
}

absl::Status FileJournal::Append(std::string_view payload) {
  if (!broken_.ok()) return broken_;
  if (payload.size() > kMaxJournalPayloadBytes) {
    return absl::InvalidArgumentError(
        fmt::format("journal payload of {} bytes exceeds the limit of {} bytes", payload.size(),
                    kMaxJournalPayloadBytes));
  }
  if (const size_t newline = payload.find('\n'); newline != std::string_view::npos) {
    return absl::InvalidArgumentError(fmt::format(
        "journal payload has a newline at byte {}; a record is one line (encode the JSON "
        "without newlines)",
        newline));
  }
  const std::string line = EncodeJournalRecord(last_seq_ + 1, payload);
  if (absl::Status written = PwriteAll(fd_, line, end_offset_, path_); !written.ok()) {
    // Take back whatever part of the line reached the file, so the file still ends with a whole
    // record; the journal stays refused either way.
    if (::ftruncate(fd_, static_cast<off_t>(end_offset_)) != 0) {
      written = absl::Status(
          written.code(),
          fmt::format("{}; truncating back to byte {} failed too: {}", detail::Message(written),
                      end_offset_, std::error_code(errno, std::generic_category()).message()));
    }
    broken_ = written;
    return written;
  }
  end_offset_ += line.size();
  ++last_seq_;
  unsynced_ = true;
  switch (options_.sync) {
    case SyncPolicy::kEveryCommand:
      return SyncNow();
    case SyncPolicy::kInterval:
      return MaybeSync();
    case SyncPolicy::kNone:
      break;
  }
  return absl::OkStatus();
}

absl::Status FileJournal::Sync() {
  if (!broken_.ok()) return broken_;
  if (!unsynced_) return absl::OkStatus();
  return SyncNow();
}

absl::Status FileJournal::MaybeSync() {
  if (!broken_.ok()) return broken_;
  if (options_.sync != SyncPolicy::kInterval || !unsynced_) return absl::OkStatus();
  if (absl::Now() - last_sync_ < options_.sync_interval) return absl::OkStatus();
  return SyncNow();
}

absl::StatusOr<JournalContents> FileJournal::ReadAll() const {
  absl::StatusOr<std::string> bytes = PreadAll(fd_, end_offset_, path_);
  if (!bytes.ok()) return bytes.status();
  absl::StatusOr<JournalContents> contents = ParseJournal(*bytes, path_);
  if (!contents.ok()) return contents.status();
  if (contents->torn_tail || contents->valid_length != end_offset_ ||
      contents->records.size() != last_seq_) {
    return absl::DataLossError(fmt::format(
        "{}: the file changed under the journal: {} records and {} bytes expected, {} records "
        "and {} valid bytes read",
        path_, last_seq_, end_offset_, contents->records.size(), contents->valid_length));
  }
  return contents;
}

absl::Status MemoryJournal::Append(std::string_view payload) {
  if (failing_) return absl::UnavailableError("disk full");
  if (payload.find('\n') != std::string_view::npos || payload.size() > kMaxJournalPayloadBytes) {
    return absl::InvalidArgumentError("a journal payload is one line of at most 16 MiB");
  }
  payloads_.emplace_back(payload);
  return absl::OkStatus();
}

absl::StatusOr<JournalContents> MemoryJournal::ReadAll() const {
  JournalContents contents;
  for (const std::string& payload : payloads_) {
    contents.records.push_back({.seq = contents.records.size() + 1, .payload = payload});
  }
  return contents;
}

}  // namespace switchboard::host
