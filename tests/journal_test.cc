// The host's command journal (src/host/journal.h): its file format, recovery from a torn last
// record, refusal of damage before it, the directory lock and the sync policies.
#include "host/journal.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace switchboard::host {
namespace {

namespace fs = std::filesystem;

// A fresh directory under /tmp, removed with everything in it at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string pattern = "/tmp/switchboard-journal-test-XXXXXX";
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }
  // A journal directory inside it (not created).
  std::string Sub(std::string_view name) const { return path_ + "/" + std::string(name); }

 private:
  std::string path_;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void WriteFile(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::unique_ptr<FileJournal> OpenOk(const std::string& dir, JournalOptions options = {}) {
  absl::StatusOr<std::unique_ptr<FileJournal>> journal = FileJournal::Open(dir, options);
  INFO(journal.status().ToString());
  REQUIRE(journal.ok());
  return std::move(*journal);
}

std::vector<std::string> Payloads(const JournalContents& contents) {
  std::vector<std::string> payloads;
  for (const JournalRecord& record : contents.records) payloads.push_back(record.payload);
  return payloads;
}

// A payload of `size` random bytes, any byte but '\n' (NUL, CR, high bytes and all).
std::string RandomPayload(std::mt19937_64& rng, size_t size) {
  std::string payload(size, '\0');
  for (char& c : payload) {
    do {
      c = static_cast<char>(rng() & 0xff);
    } while (c == '\n');
  }
  return payload;
}

std::string MessageOf(const absl::Status& status) { return std::string(status.message()); }

TEST_CASE("CRC-32C matches the standard check value", "[journal]") {
  CHECK(Crc32c("123456789") == 0xE3069283u);
  CHECK(Crc32c("") == 0u);
  CHECK(Crc32c("6789", Crc32c("12345")) == 0xE3069283u);
}

TEST_CASE("A record is one line: seq, length, crc of seq, length and payload, payload",
          "[journal]") {
  const std::string line = EncodeJournalRecord(7, "{\"op\":\"x\"}");
  char crc[9];
  std::snprintf(crc, sizeof crc, "%08x", Crc32c("7 10 {\"op\":\"x\"}"));
  CHECK(line == "7 10 " + std::string(crc) + " {\"op\":\"x\"}\n");
}

TEST_CASE("Many records with any bytes but newline read back as appended", "[journal]") {
  TempDir tmp;
  const std::string dir = tmp.Sub("j");
  std::mt19937_64 rng(42);
  std::vector<std::string> appended;
  {
    std::unique_ptr<FileJournal> journal = OpenOk(dir, {.sync = SyncPolicy::kNone});
    CHECK(journal->last_seq() == 0);
    for (int i = 0; i < 500; ++i) {
      const size_t size = i % 50 == 0 ? 0 : rng() % (i % 7 == 0 ? 5000 : 80);
      appended.push_back(RandomPayload(rng, size));
      REQUIRE(journal->Append(appended.back()).ok());
      CHECK(journal->last_seq() == static_cast<uint64_t>(i + 1));
    }
    absl::StatusOr<JournalContents> all = journal->ReadAll();
    REQUIRE(all.ok());
    CHECK(Payloads(*all) == appended);
  }
  absl::StatusOr<JournalContents> contents = ReadJournal(dir);
  REQUIRE(contents.ok());
  CHECK_FALSE(contents->torn_tail);
  REQUIRE(contents->records.size() == appended.size());
  for (size_t i = 0; i < appended.size(); ++i) CHECK(contents->records[i].seq == i + 1);
  CHECK(Payloads(*contents) == appended);
  CHECK(contents->valid_length == fs::file_size(dir + "/journal.log"));
  CHECK((fs::status(dir + "/journal.log").permissions() & fs::perms::all) ==
        (fs::perms::owner_read | fs::perms::owner_write));
}

TEST_CASE("Reopening continues the sequence after the last record", "[journal]") {
  TempDir tmp;
  const std::string dir = tmp.Sub("j");
  {
    std::unique_ptr<FileJournal> journal = OpenOk(dir);
    REQUIRE(journal->Append("{\"n\":1}").ok());
    REQUIRE(journal->Append("{\"n\":2}").ok());
  }
  {
    std::unique_ptr<FileJournal> journal = OpenOk(dir);
    CHECK_FALSE(journal->torn_tail());
    CHECK(journal->last_seq() == 2);
    REQUIRE(journal->Append("{\"n\":3}").ok());
    absl::StatusOr<JournalContents> all = journal->ReadAll();
    REQUIRE(all.ok());
    CHECK(all->records ==
          std::vector<JournalRecord>{{1, "{\"n\":1}"}, {2, "{\"n\":2}"}, {3, "{\"n\":3}"}});
  }
}

TEST_CASE("An empty or missing directory is an empty journal", "[journal]") {
  TempDir tmp;
  absl::StatusOr<JournalContents> missing = ReadJournal(tmp.Sub("nothing-here"));
  REQUIRE(missing.ok());
  CHECK(missing->records.empty());
  CHECK_FALSE(missing->torn_tail);

  const std::string dir = tmp.Sub("a/b/c");  // parents are created too
  {
    std::unique_ptr<FileJournal> journal = OpenOk(dir);
    CHECK(journal->last_seq() == 0);
    absl::StatusOr<JournalContents> all = journal->ReadAll();
    REQUIRE(all.ok());
    CHECK(all->records.empty());
  }
  CHECK(ReadFile(dir + "/journal.log") == kJournalHeader);
  CHECK((fs::status(dir).permissions() & fs::perms::all) == fs::perms::owner_all);
  std::unique_ptr<FileJournal> again = OpenOk(dir);
  CHECK(again->last_seq() == 0);
  CHECK_FALSE(again->torn_tail());
}

TEST_CASE("A torn last record is cut off at every length, reported, and appending goes on",
          "[journal]") {
  TempDir tmp;
  const std::string dir = tmp.Sub("j");
  const std::vector<std::string> payloads = {"{\"a\":1}", "{\"b\":\"two\"}", "{\"c\":[3,3,3]}"};
  {
    std::unique_ptr<FileJournal> journal = OpenOk(dir);
    for (const std::string& payload : payloads) REQUIRE(journal->Append(payload).ok());
  }
  const std::string whole = ReadFile(dir + "/journal.log");
  const size_t last_start = whole.size() - EncodeJournalRecord(3, payloads[2]).size();
  // Every cut strictly inside the last record, and the record whole but without its newline.
  for (size_t length = last_start + 1; length < whole.size(); ++length) {
    INFO("file cut to " << length << " of " << whole.size() << " bytes");
    WriteFile(dir + "/journal.log", whole.substr(0, length));

    absl::StatusOr<JournalContents> read = ReadJournal(dir);
    REQUIRE(read.ok());
    CHECK(Payloads(*read) == std::vector<std::string>(payloads.begin(), payloads.begin() + 2));
    REQUIRE(read->torn_tail);
    CHECK(read->torn_tail->offset == last_start);
    CHECK(read->torn_tail->length == length - last_start);
    CHECK(read->torn_tail->record == 3);
    CHECK(read->valid_length == last_start);
    CHECK_FALSE(read->torn_tail->reason.empty());
    CHECK(fs::file_size(dir + "/journal.log") == length);  // reading changes nothing

    {
      std::unique_ptr<FileJournal> journal = OpenOk(dir);
      REQUIRE(journal->torn_tail());
      CHECK(journal->torn_tail()->offset == last_start);
      CHECK(journal->torn_tail()->Describe().find("torn last record #3 at byte") == 0);
      CHECK(journal->last_seq() == 2);
      CHECK(fs::file_size(dir + "/journal.log") == last_start);
      REQUIRE(journal->Append(payloads[2]).ok());
    }
    CHECK(ReadFile(dir + "/journal.log") == whole);
  }
}

TEST_CASE("A damaged last line (bad checksum, zeros) is a torn tail too", "[journal]") {
  const std::string good =
      std::string(kJournalHeader) + EncodeJournalRecord(1, "{}") + EncodeJournalRecord(2, "{}");
  SECTION("flipped payload byte in the last record") {
    std::string bytes = good;
    bytes[bytes.size() - 2] = ']';
    absl::StatusOr<JournalContents> contents = ParseJournal(bytes);
    REQUIRE(contents.ok());
    CHECK(contents->records.size() == 1);
    REQUIRE(contents->torn_tail);
    CHECK(contents->torn_tail->reason.find("checksum mismatch") != std::string::npos);
  }
  SECTION("the file's size reached the disk before its data: zeros at the end") {
    const std::string bytes = good + std::string(100, '\0');
    absl::StatusOr<JournalContents> contents = ParseJournal(bytes);
    REQUIRE(contents.ok());
    CHECK(contents->records.size() == 2);
    REQUIRE(contents->torn_tail);
    CHECK(contents->torn_tail->offset == good.size());
    CHECK(contents->valid_length == good.size());
  }
}

TEST_CASE("Damage before the last record is DataLoss naming file, byte and record", "[journal]") {
  TempDir tmp;
  const std::string dir = tmp.Sub("j");
  {
    std::unique_ptr<FileJournal> journal = OpenOk(dir);
    for (int i = 1; i <= 5; ++i) REQUIRE(journal->Append("{\"n\":" + std::to_string(i) + "}").ok());
  }
  const std::string path = dir + "/journal.log";
  const std::string whole = ReadFile(path);
  const size_t third = kJournalHeader.size() + 2 * EncodeJournalRecord(1, "{\"n\":1}").size();

  SECTION("a flipped byte in a middle record's payload") {
    std::string bytes = whole;
    bytes[third + EncodeJournalRecord(3, "{\"n\":3}").size() - 3] ^= 0x01;
    WriteFile(path, bytes);
    absl::StatusOr<std::unique_ptr<FileJournal>> journal = FileJournal::Open(dir, {});
    REQUIRE(journal.status().code() == absl::StatusCode::kDataLoss);
    CHECK(MessageOf(journal.status())
              .starts_with(path + ": byte " + std::to_string(third) +
                           ": record #3: checksum mismatch (stored "));
    CHECK(ReadFile(path) == bytes);  // nothing truncated
    CHECK(ReadJournal(dir).status() == journal.status());
  }
  SECTION("a flipped bit in a middle record's sequence number") {
    std::string bytes = whole;
    bytes[third] = '7';
    WriteFile(path, bytes);
    absl::Status status = ReadJournal(dir).status();
    CHECK(status.code() == absl::StatusCode::kDataLoss);
    CHECK(MessageOf(status).find("byte " + std::to_string(third) + ": record #3: checksum") !=
          std::string::npos);
  }
  SECTION("a record out of sequence, with a valid checksum") {
    std::string bytes = whole.substr(0, third) + EncodeJournalRecord(4, "{}") +
                        whole.substr(third + EncodeJournalRecord(3, "{\"n\":3}").size());
    WriteFile(path, bytes);
    absl::Status status = ReadJournal(dir).status();
    CHECK(status.code() == absl::StatusCode::kDataLoss);
    CHECK(MessageOf(status) ==
          path + ": byte " + std::to_string(third) + ": record #3: sequence number 4, expected 3");
  }
  SECTION("a duplicated last record is out of sequence, not torn") {
    WriteFile(path, whole + EncodeJournalRecord(5, "{\"n\":5}"));
    CHECK(ReadJournal(dir).status().code() == absl::StatusCode::kDataLoss);
  }
  SECTION("garbage lines in the middle") {
    WriteFile(path, whole.substr(0, third) + "hello world\n" + whole.substr(third));
    absl::Status status = ReadJournal(dir).status();
    CHECK(status.code() == absl::StatusCode::kDataLoss);
    CHECK(MessageOf(status).find("record #3: 'h' in the sequence number") != std::string::npos);
  }
  SECTION("an over-long length field is refused before anything is allocated") {
    WriteFile(path, std::string(kJournalHeader) + "1 99999999 00000000 x\n" +
                        EncodeJournalRecord(2, "{}"));
    absl::Status status = ReadJournal(dir).status();
    CHECK(status.code() == absl::StatusCode::kDataLoss);
    CHECK(MessageOf(status).find("record #1: the length 99999999 exceeds the limit") !=
          std::string::npos);
  }
}

TEST_CASE("A wrong or missing header is refused with a clear error", "[journal]") {
  TempDir tmp;
  const std::string dir = tmp.Sub("j");
  fs::create_directories(dir);
  const std::string path = dir + "/journal.log";
  const std::string record = EncodeJournalRecord(1, "{}");

  WriteFile(path, "switchboard-journal 2\n" + record);
  absl::Status version = FileJournal::Open(dir, {}).status();
  CHECK(version.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(MessageOf(version) ==
        path + ": byte 0: journal format version 2; this build reads version 1 only");

  WriteFile(path, record);
  absl::Status missing = FileJournal::Open(dir, {}).status();
  CHECK(missing.code() == absl::StatusCode::kDataLoss);
  CHECK(MessageOf(missing).find(path + ": byte 0: missing header: expected "
                                       "'switchboard-journal 1', found '1 2 ") == 0);

  WriteFile(path, "");
  CHECK(FileJournal::Open(dir, {}).status().code() == absl::StatusCode::kDataLoss);
  WriteFile(path, "switchboard-journal 1");
  CHECK(FileJournal::Open(dir, {}).status().code() == absl::StatusCode::kDataLoss);
  WriteFile(path, "switchboard-journal 1 \n");
  CHECK(FileJournal::Open(dir, {}).status().code() == absl::StatusCode::kDataLoss);
  CHECK(ReadFile(path) == "switchboard-journal 1 \n");  // refused files are left alone
}

TEST_CASE("A second Open of a directory in use fails until the first closes", "[journal]") {
  TempDir tmp;
  const std::string dir = tmp.Sub("j");
  {
    std::unique_ptr<FileJournal> first = OpenOk(dir);
    absl::Status second = FileJournal::Open(dir, {}).status();
    CHECK(second.code() == absl::StatusCode::kFailedPrecondition);
    CHECK(MessageOf(second) == "journal " + dir + " is in use by another process");
    REQUIRE(first->Append("{}").ok());
  }
  std::unique_ptr<FileJournal> after = OpenOk(dir);
  CHECK(after->last_seq() == 1);
}

TEST_CASE("Append refuses payloads with a newline or over the limit, storing nothing",
          "[journal]") {
  TempDir tmp;
  std::unique_ptr<FileJournal> journal = OpenOk(tmp.Sub("j"));
  absl::Status newline = journal->Append("{\"a\":\n1}");
  CHECK(newline.code() == absl::StatusCode::kInvalidArgument);
  CHECK(MessageOf(newline).find("newline at byte 5") != std::string::npos);
  CHECK(journal->Append(std::string(kMaxJournalPayloadBytes + 1, 'x')).code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(journal->last_seq() == 0);
  REQUIRE(journal->Append("{}").ok());  // not sticky: the journal goes on
  CHECK(journal->last_seq() == 1);
}

TEST_CASE("A failed write leaves the file ending with a whole record and refuses later appends",
          "[journal]") {
  TempDir tmp;
  const std::string dir = tmp.Sub("j");
  std::unique_ptr<FileJournal> journal = OpenOk(dir);
  REQUIRE(journal->Append("{\"n\":1}").ok());
  const uintmax_t size = fs::file_size(dir + "/journal.log");

  // The file may grow by 10 more bytes: the next record's write is cut short, then fails (EFBIG).
  struct rlimit saved;
  REQUIRE(::getrlimit(RLIMIT_FSIZE, &saved) == 0);
  void (*saved_handler)(int) = std::signal(SIGXFSZ, SIG_IGN);
  struct rlimit limited = saved;
  limited.rlim_cur = static_cast<rlim_t>(size + 10);
  REQUIRE(::setrlimit(RLIMIT_FSIZE, &limited) == 0);
  const absl::Status failed = journal->Append(std::string(100, 'x'));
  const absl::Status later = journal->Append("{}");
  REQUIRE(::setrlimit(RLIMIT_FSIZE, &saved) == 0);
  std::signal(SIGXFSZ, saved_handler);

  CHECK_FALSE(failed.ok());
  CHECK(MessageOf(failed).find("write " + dir + "/journal.log") == 0);
  CHECK(later == failed);  // sticky
  CHECK(journal->Sync() == failed);
  CHECK(journal->last_seq() == 1);
  CHECK(fs::file_size(dir + "/journal.log") == size);  // the partial line was taken back
  journal.reset();
  std::unique_ptr<FileJournal> reopened = OpenOk(dir);
  CHECK_FALSE(reopened->torn_tail());
  CHECK(reopened->last_seq() == 1);
}

TEST_CASE("Each sync policy appends correctly and syncs as it says", "[journal]") {
  TempDir tmp;
  struct Case {
    const char* name;
    JournalOptions options;
    uint64_t syncs_after_three_appends;
  };
  const Case cases[] = {
      {"every command", {.sync = SyncPolicy::kEveryCommand}, 3},
      {"interval 0", {.sync = SyncPolicy::kInterval, .sync_interval = absl::ZeroDuration()}, 3},
      {"interval 1 h", {.sync = SyncPolicy::kInterval, .sync_interval = absl::Hours(1)}, 0},
      {"none", {.sync = SyncPolicy::kNone}, 0},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    const std::string dir = tmp.Sub(c.name);
    {
      std::unique_ptr<FileJournal> journal = OpenOk(dir, c.options);
      for (int i = 0; i < 3; ++i)
        REQUIRE(journal->Append("{\"i\":" + std::to_string(i) + "}").ok());
      CHECK(journal->sync_count() == c.syncs_after_three_appends);
      REQUIRE(journal->MaybeSync().ok());
      CHECK(journal->sync_count() == c.syncs_after_three_appends);
      REQUIRE(journal->Sync().ok());
      CHECK(journal->sync_count() == (c.syncs_after_three_appends == 3 ? 3 : 1));
    }
    absl::StatusOr<JournalContents> contents = ReadJournal(dir);
    REQUIRE(contents.ok());
    CHECK(Payloads(*contents) == std::vector<std::string>{"{\"i\":0}", "{\"i\":1}", "{\"i\":2}"});
  }
}

TEST_CASE("Interval sync happens on MaybeSync once the interval has passed", "[journal]") {
  TempDir tmp;
  std::unique_ptr<FileJournal> journal = OpenOk(
      tmp.Sub("j"), {.sync = SyncPolicy::kInterval, .sync_interval = absl::Milliseconds(20)});
  REQUIRE(journal->Append("{}").ok());
  const uint64_t before = journal->sync_count();
  ::usleep(30'000);
  REQUIRE(journal->MaybeSync().ok());
  CHECK(journal->sync_count() == before + (before == 0 ? 1 : 0));
  REQUIRE(journal->MaybeSync().ok());  // nothing unsynced: no call
  CHECK(journal->sync_count() == 1);
}

TEST_CASE("Bad options are refused", "[journal]") {
  TempDir tmp;
  CHECK(FileJournal::Open(tmp.Sub("j"),
                          {.sync = SyncPolicy::kInterval, .sync_interval = absl::Milliseconds(-1)})
            .status()
            .code() == absl::StatusCode::kInvalidArgument);
  CHECK(FileJournal::Open("", {}).status().code() == absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace switchboard::host
