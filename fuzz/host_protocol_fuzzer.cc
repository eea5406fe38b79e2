// Fuzzes the host protocol (host::Daemon::HandleLine): each input is request lines, sent on a
// trusted session (standard input) and, when a line starts with '>', on a socket session that
// may authenticate.
//
// The "snapshot" op keeps snapshots in memory. Checked for every line: one reply, a JSON object with a boolean "ok" (and an error code when
// false); at most one journal record, whose code is the reply's; no events without a record
// (a malformed request changes nothing). Checked at the end:
// a daemon recovered from the journal, and one recovered from the newest snapshot and the records
// after it, have the same whole state (Engine::DumpState) as the one that wrote it.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"
#include "host/daemon.h"
#include "nlohmann/json.hpp"

namespace {

using switchboard::host::AccessPolicy;
using switchboard::host::Daemon;
using switchboard::host::MemoryJournal;
using switchboard::host::Session;


[[noreturn]] void Fail(std::string_view what, std::string_view line, std::string_view detail) {
  std::fprintf(stderr, "host_protocol_fuzzer: %.*s\n  line: %.*s\n  %.*s\n",
               static_cast<int>(what.size()), what.data(), static_cast<int>(line.size()),
               line.data(), static_cast<int>(detail.size()), detail.data());
  std::abort();
}

absl::Time Clock() { return absl::FromUnixSeconds(1700000000); }

std::unique_ptr<Daemon> Start(MemoryJournal& journal,
                              const std::vector<switchboard::host::Snapshot>& snapshots = {}) {
  absl::StatusOr<AccessPolicy> policy =
      AccessPolicy::Parse("aaaaaaaaaaaaaaaa1111 agent:a1\nssssssssssssssss3333 supervisor:s teams=t\n",
                          "tokens");
  if (!policy.ok()) Fail("tokens", "", policy.status().ToString());
  absl::StatusOr<std::unique_ptr<Daemon>> daemon =
      Daemon::Recover(switchboard::EngineOptions{}, &journal, *std::move(policy), Clock, snapshots);
  if (!daemon.ok()) Fail("recovery failed", "", daemon.status().ToString());
  return *std::move(daemon);
}

std::string Dump(const Daemon& daemon) {
  return daemon.engine().Read([](const switchboard::Engine& e) { return e.DumpState(); });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 16384) return 0;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  MemoryJournal journal;
  std::unique_ptr<Daemon> daemon = Start(journal);
  std::vector<switchboard::host::Snapshot> snapshots;  // newest first, as recovery takes them
  daemon->SetSnapshotWriter([&](const switchboard::host::Snapshot& snapshot) {
    snapshots.insert(snapshots.begin(), snapshot);
    return absl::OkStatus();
  });
  Session trusted{.principal = switchboard::host::LocalAdministrator(), .trusted = true};
  Session socket;
  int lines = 0;
  while (!input.empty() && lines++ < 64) {
    const size_t newline = input.find('\n');
    std::string_view line = input.substr(0, newline);
    input.remove_prefix(newline == std::string_view::npos ? input.size() : newline + 1);
    // A line starting with '>' goes to the socket session, others to standard input's.
    Session* session = &trusted;
    if (!line.empty() && line.front() == '>') {
      session = &socket;
      line.remove_prefix(1);
    }
    const size_t journaled = journal.payloads().size();
    const switchboard::host::Output output = daemon->HandleLine(line, *session);
    nlohmann::json reply;
    try {
      reply = nlohmann::json::parse(output.reply);
    } catch (const nlohmann::json::exception& e) {
      Fail("the reply is not JSON", line, output.reply);
    }
    if (!reply.is_object() || !reply.contains("ok") || !reply["ok"].is_boolean()) {
      Fail("the reply has no boolean 'ok'", line, output.reply);
    }
    if (reply["ok"] == false &&
        (!reply.contains("error") || !reply["error"].contains("code"))) {
      Fail("a refusal without an error code", line, output.reply);
    }
    if (journal.payloads().size() > journaled + 1) Fail("two records for one line", line, "");
    if (journal.payloads().size() == journaled + 1) {
      // The record says what the reply said.
      const nlohmann::json record = nlohmann::json::parse(journal.payloads().back());
      const std::string code = reply["ok"] == true ? "OK" : reply["error"]["code"].get<std::string>();
      const std::string recorded = record.contains("refused") ? record["refused"].get<std::string>()
                                                              : record["code"].get<std::string>();
      if (code != recorded) Fail("the journal disagrees with the reply", line, record.dump());
    } else if (!output.events.empty()) {
      Fail("events from a request that was not journaled", line, output.reply);
    }
    for (const std::string& event : output.events) {
      if (!nlohmann::json::parse(event).contains("event")) Fail("an event line", line, event);
    }
  }
  MemoryJournal copy;
  copy.mutable_payloads() = journal.payloads();
  std::unique_ptr<Daemon> recovered = Start(copy);
  if (Dump(*recovered) != Dump(*daemon)) {
    Fail("recovery gave another state", "", "DumpState differs after replaying the journal");
  }
  if (!snapshots.empty()) {
    std::unique_ptr<Daemon> from_snapshot = Start(copy, snapshots);
    if (from_snapshot->recovery().snapshot_seq != snapshots.front().seq) {
      Fail("the newest snapshot was not used", "", snapshots.front().state);
    }
    if (Dump(*from_snapshot) != Dump(*daemon)) {
      Fail("recovery from a snapshot gave another state", "", snapshots.front().state);
    }
  }
  return 0;
}
