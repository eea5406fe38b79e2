// Snapshots of the engine's whole state in a journal directory, so that recovery loads the newest
// one and replays only the journal records after it.
//
// A snapshot is the file DIR/snapshots/snapshot-<SEQ>.sbs (SEQ zero-padded to 20 digits): a
// header line `switchboard-snapshot 1 <seq> <length> <crc32c as 8 hex>` and then the state, the
// canonical JSON of Engine::DumpState, `length` bytes with that CRC-32C. <seq> is the last
// journal record the state includes. Files are written under a temporary name, synced, renamed
// into place and the directory synced, so a crash never leaves a half-written snapshot under
// the final name.
#ifndef SWITCHBOARD_SRC_HOST_SNAPSHOT_H_
#define SWITCHBOARD_SRC_HOST_SNAPSHOT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace switchboard::host {

// The format version this build writes and reads.
inline constexpr int kSnapshotVersion = 1;

struct Snapshot {
  uint64_t seq = 0;   // the last journal record it includes
  std::string state;  // Engine::DumpState's text
};

// Writes `snapshot` into `dir`/snapshots, durably, then removes all but the newest `keep`
// snapshots (keep >= 1). I/O errors keep their errno's code.
absl::Status WriteSnapshot(const std::string& dir, const Snapshot& snapshot, int keep = 2);

// The snapshot file's bytes (header and state) and their inverse, for tests and fuzzing.
std::string EncodeSnapshot(const Snapshot& snapshot);
// DataLoss for a damaged file (bad header, length or checksum), FailedPrecondition for another
// format version; `name` prefixes messages.
absl::StatusOr<Snapshot> DecodeSnapshot(std::string_view bytes, std::string_view name);

// The snapshots found in `dir`/snapshots, newest (highest seq) first, each readable one decoded
// and each damaged one reported in `skipped` ("<file>: <why>") so the caller can fall back to an
// older snapshot or to the whole journal. None: an empty list.
struct SnapshotScan {
  std::vector<Snapshot> snapshots;
  std::vector<std::string> skipped;
};
absl::StatusOr<SnapshotScan> ReadSnapshots(const std::string& dir);

}  // namespace switchboard::host

#endif  // SWITCHBOARD_SRC_HOST_SNAPSHOT_H_
