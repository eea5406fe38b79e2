// Snapshot files in a journal directory: their format, durable writing, and reading back the
// newest first with damaged ones reported.
#include "host/snapshot.h"

#include <stdlib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "fmt/format.h"
#include "host/journal.h"

namespace switchboard::host {
namespace {

// A fresh directory under /tmp, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    char pattern[] = "/tmp/snapshot_test.XXXXXX";
    REQUIRE(::mkdtemp(pattern) != nullptr);
    path_ = pattern;
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace

TEST_CASE("A snapshot file reads back as written; damage is named", "[snapshot]") {
  const Snapshot snapshot{.seq = 42, .state = R"({"format":"switchboard.state.v1"})"};
  const std::string bytes = EncodeSnapshot(snapshot);
  CHECK(bytes.substr(0, bytes.find('\n')) == "switchboard-snapshot 1 42 33 " +
                                                 fmt::format("{:08x}", Crc32c(snapshot.state)));
  absl::StatusOr<Snapshot> read = DecodeSnapshot(bytes, "s");
  REQUIRE(read.ok());
  CHECK(read->seq == 42);
  CHECK(read->state == snapshot.state);

  const auto error = [](std::string_view text) {
    absl::StatusOr<Snapshot> decoded = DecodeSnapshot(text, "s");
    REQUIRE_FALSE(decoded.ok());
    return std::string(decoded.status().ToString());
  };
  std::string flipped = bytes;
  flipped.back() = '!';
  CHECK(error(flipped) == "DATA_LOSS: s: checksum mismatch");
  CHECK(error(bytes.substr(0, bytes.size() - 1)) ==
        "DATA_LOSS: s: 32 bytes of state where the header says 33");
  CHECK(error("switchboard-snapshot 2 1 0 00000000\n") ==
        "FAILED_PRECONDITION: s: snapshot format version 2; this build reads version 1");
  CHECK(error("hello\n") == "DATA_LOSS: s: not a snapshot");
  CHECK(error("") == "DATA_LOSS: s: no header line");
  CHECK(error("switchboard-snapshot 1 x 0 00000000\n") == "DATA_LOSS: s: malformed header");
}

TEST_CASE("Snapshots are listed newest first; old ones are removed; damaged ones reported",
          "[snapshot]") {
  TempDir dir;
  absl::StatusOr<SnapshotScan> scan = ReadSnapshots(dir.path());
  REQUIRE(scan.ok());
  CHECK(scan->snapshots.empty());
  for (uint64_t seq : {10, 20, 30}) {
    REQUIRE(WriteSnapshot(dir.path(), {.seq = seq, .state = fmt::format("{{\"at\":{}}}", seq)}).ok());
  }
  scan = ReadSnapshots(dir.path());
  REQUIRE(scan.ok());
  REQUIRE(scan->snapshots.size() == 2);  // keep = 2
  CHECK(scan->snapshots[0].seq == 30);
  CHECK(scan->snapshots[1].seq == 20);

  // Damage the newest: it is reported, the older one still offered.
  const std::string newest = dir.path() + "/snapshots/snapshot-00000000000000000030.sbs";
  std::ofstream(newest, std::ios::binary | std::ios::app) << "garbage";
  scan = ReadSnapshots(dir.path());
  REQUIRE(scan.ok());
  REQUIRE(scan->snapshots.size() == 1);
  CHECK(scan->snapshots[0].seq == 20);
  REQUIRE(scan->skipped.size() == 1);
  CHECK(scan->skipped[0].find("snapshot-00000000000000000030.sbs") != std::string::npos);
}

}  // namespace switchboard::host
