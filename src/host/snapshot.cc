#include "host/snapshot.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <utility>

#include "fmt/format.h"
#include "host/journal.h"

namespace switchboard::host {
namespace {

constexpr std::string_view kPrefix = "snapshot-";
constexpr std::string_view kSuffix = ".sbs";

std::string SnapshotDir(const std::string& dir) { return dir + "/snapshots"; }

std::string FileName(uint64_t seq) { return fmt::format("{}{:020}{}", kPrefix, seq, kSuffix); }

absl::Status Errno(int error, std::string_view what, const std::string& path) {
  return absl::ErrnoToStatus(error, fmt::format("{}: {}", path, what));
}

absl::Status WriteAll(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Errno(errno, "write", path);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

absl::Status SyncDirectory(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Errno(errno, "open directory", path);
  const int synced = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  if (synced != 0) return Errno(error, "fsync directory", path);
  return absl::OkStatus();
}

// The seq of a snapshot file's name, or nullopt for other files.
std::optional<uint64_t> SeqOf(std::string_view name) {
  if (name.size() != kPrefix.size() + 20 + kSuffix.size() || name.substr(0, kPrefix.size()) != kPrefix ||
      name.substr(name.size() - kSuffix.size()) != kSuffix) {
    return std::nullopt;
  }
  uint64_t seq = 0;
  const char* begin = name.data() + kPrefix.size();
  auto [ptr, error] = std::from_chars(begin, begin + 20, seq);
  if (error != std::errc() || ptr != begin + 20) return std::nullopt;
  return seq;
}

absl::StatusOr<std::vector<std::pair<uint64_t, std::string>>> ListSnapshots(
    const std::string& dir) {
  std::vector<std::pair<uint64_t, std::string>> files;
  DIR* listing = ::opendir(dir.c_str());
  if (listing == nullptr) {
    if (errno == ENOENT) return files;
    return Errno(errno, "open directory", dir);
  }
  while (const dirent* entry = ::readdir(listing)) {
    if (std::optional<uint64_t> seq = SeqOf(entry->d_name); seq.has_value()) {
      files.emplace_back(*seq, entry->d_name);
    }
  }
  ::closedir(listing);
  std::sort(files.begin(), files.end(), std::greater<>());
  return files;
}

}  // namespace

std::string EncodeSnapshot(const Snapshot& snapshot) {
  return fmt::format("switchboard-snapshot {} {} {} {:08x}\n{}", kSnapshotVersion, snapshot.seq,
                     snapshot.state.size(), Crc32c(snapshot.state), snapshot.state);
}

absl::StatusOr<Snapshot> DecodeSnapshot(std::string_view bytes, std::string_view name) {
  const auto damaged = [&](std::string_view what) {
    return absl::DataLossError(fmt::format("{}: {}", name, what));
  };
  const size_t newline = bytes.find('\n');
  if (newline == std::string_view::npos || newline > 200) return damaged("no header line");
  std::string_view header = bytes.substr(0, newline);
  std::string_view body = bytes.substr(newline + 1);
  constexpr std::string_view kMagic = "switchboard-snapshot ";
  if (header.substr(0, kMagic.size()) != kMagic) return damaged("not a snapshot");
  header.remove_prefix(kMagic.size());
  uint64_t fields[3] = {0, 0, 0};
  for (int i = 0; i < 3; ++i) {
    auto [ptr, error] = std::from_chars(header.data(), header.data() + header.size(), fields[i]);
    if (error != std::errc() || ptr == header.data() || ptr == header.data() + header.size() ||
        *ptr != ' ') {
      return damaged("malformed header");
    }
    header.remove_prefix(static_cast<size_t>(ptr - header.data()) + 1);
  }
  if (fields[0] != static_cast<uint64_t>(kSnapshotVersion)) {
    return absl::FailedPreconditionError(fmt::format(
        "{}: snapshot format version {}; this build reads version {}", name, fields[0],
        kSnapshotVersion));
  }
  uint32_t crc = 0;
  auto [ptr, error] = std::from_chars(header.data(), header.data() + header.size(), crc, 16);
  if (error != std::errc() || ptr != header.data() + header.size() || header.size() != 8) {
    return damaged("malformed checksum");
  }
  if (body.size() != fields[2]) {
    return damaged(fmt::format("{} bytes of state where the header says {}", body.size(),
                               fields[2]));
  }
  if (Crc32c(body) != crc) return damaged("checksum mismatch");
  return Snapshot{.seq = fields[1], .state = std::string(body)};
}

absl::Status WriteSnapshot(const std::string& dir, const Snapshot& snapshot, int keep) {
  const std::string snapshots = SnapshotDir(dir);
  if (::mkdir(snapshots.c_str(), 0700) != 0 && errno != EEXIST) {
    return Errno(errno, "create directory", snapshots);
  }
  const std::string path = snapshots + "/" + FileName(snapshot.seq);
  const std::string temporary = path + ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Errno(errno, "create", temporary);
  absl::Status status = WriteAll(fd, EncodeSnapshot(snapshot), temporary);
  if (status.ok() && ::fdatasync(fd) != 0) status = Errno(errno, "fdatasync", temporary);
  ::close(fd);
  if (status.ok() && ::rename(temporary.c_str(), path.c_str()) != 0) {
    status = Errno(errno, "rename", temporary);
  }
  if (!status.ok()) {
    ::unlink(temporary.c_str());
    return status;
  }
  if (absl::Status synced = SyncDirectory(snapshots); !synced.ok()) return synced;
  absl::StatusOr<std::vector<std::pair<uint64_t, std::string>>> files = ListSnapshots(snapshots);
  if (!files.ok()) return files.status();
  for (size_t i = static_cast<size_t>(std::max(keep, 1)); i < files->size(); ++i) {
    ::unlink((snapshots + "/" + (*files)[i].second).c_str());
  }
  return absl::OkStatus();
}

absl::StatusOr<SnapshotScan> ReadSnapshots(const std::string& dir) {
  const std::string snapshots = SnapshotDir(dir);
  absl::StatusOr<std::vector<std::pair<uint64_t, std::string>>> files = ListSnapshots(snapshots);
  if (!files.ok()) return files.status();
  SnapshotScan scan;
  for (const auto& [seq, name] : *files) {
    const std::string path = snapshots + "/" + name;
    std::ifstream file(path, std::ios::binary);
    if (!file) {
      scan.skipped.push_back(fmt::format("{}: cannot be read", path));
      continue;
    }
    std::ostringstream bytes;
    bytes << file.rdbuf();
    absl::StatusOr<Snapshot> snapshot = DecodeSnapshot(bytes.str(), path);
    if (!snapshot.ok()) {
      scan.skipped.emplace_back(snapshot.status().message());
    } else if (snapshot->seq != seq) {
      scan.skipped.push_back(
          fmt::format("{}: holds record {}, not the one its name says", path, snapshot->seq));
    } else {
      scan.snapshots.push_back(*std::move(snapshot));
    }
  }
  return scan;
}

}  // namespace switchboard::host
