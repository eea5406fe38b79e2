// The daemon behind `switchboard serve`: the host protocol (JSON lines, docs/host-protocol.md)
// on top of a SharedEngine, a journal and an access policy. No I/O of its own except through
// the journal: the caller reads lines from its connections, hands each to HandleLine with the
// connection's Session, and writes back what it returns (tools/serve.cc does this for stdin and
// a Unix socket).
//
// Guarantees:
//  - Every command that reached the engine (accepted, or refused by the engine, which may still
//    have fired deadlines up to its time) is appended to the journal, with its time, actor and
//    result code, before its reply is returned; under SyncPolicy::kEveryCommand it is on disk by
//    then. A command the access policy refuses is journaled as a refusal and never executed.
//  - Recovery replays the journal's commands into a fresh engine with the same options; the
//    engine is deterministic, so the state equals the state after the last journaled command
//    (Engine::DumpState compares them whole). A replayed command whose result code differs from
//    the journaled one stops recovery with DataLoss: the journal is not this engine's.
//  - A line that is not a well-formed request gets an error reply naming what was wrong and
//    changes nothing; nothing is journaled for it.
// Thread-safety: HandleLine and Recover from one thread; engine() may be read from others
// (SharedEngine::Read), e.g. by the wallboard.
#ifndef SWITCHBOARD_SRC_HOST_DAEMON_H_
#define SWITCHBOARD_SRC_HOST_DAEMON_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "nlohmann/json.hpp"
#include "host/access_policy.h"
#include "host/journal.h"
#include "host/snapshot.h"
#include "switchboard/engine.h"
#include "switchboard/shared_engine.h"

namespace switchboard::host {

// One connection's identity.
struct Session {
  // Set by a successful "auth" (or from the start for a trusted session); nullopt before.
  std::optional<Principal> principal;
  // The daemon's own standard input: the local administrator, which may also name the actor of
  // a command (a host that authenticated its users itself).
  bool trusted = false;
  // Receives every event, not only those of its own commands ("subscribe").
  bool subscribed = false;
};

// What one request line produced: the reply line and the events the request caused (each one
// JSON object without newline), in order. The reply goes to the requesting connection, the
// events to it and to every subscribed connection.
struct Output {
  std::string reply;
  std::vector<std::string> events;
};

// How the daemon recovered.
struct RecoveryReport {
  int64_t commands_replayed = 0;
  int64_t refusals = 0;  // journaled refusals (not executed)
  uint64_t snapshot_seq = 0;  // the journal record of the snapshot it started from; 0: none
  // Snapshots newer than the one used that could not be used, and why.
  std::vector<std::string> skipped_snapshots;
};

class Daemon {
 public:
  // A daemon over `journal` (not owned; it outlives the daemon), its engine rebuilt from the
  // newest of `snapshots` (newest first) that Engine::LoadState accepts and is not ahead of the
  // journal, then the journal records after it; with none, from `options` and every record the
  // journal holds (JournalStorage::ReadAll). Snapshots passed over are listed in the report.
  // `clock` gives the time of a request that carries no "at" (the host's time is the rule; the
  // clock is a convenience for people typing). Errors: the journal's, and DataLoss for a record
  // that does not decode or does not replay as written.
  static absl::StatusOr<std::unique_ptr<Daemon>> Recover(
      EngineOptions options, JournalStorage* journal, AccessPolicy policy,
      std::function<absl::Time()> clock, const std::vector<Snapshot>& snapshots = {});

  // The state now, as of the journal's last record, checked to load back (Engine::LoadState);
  // LoadState's error if it does not.
  absl::StatusOr<Snapshot> TakeSnapshot() const;
  // Where the "snapshot" op writes (e.g. WriteSnapshot into the journal's directory); without
  // one the op is refused.
  void SetSnapshotWriter(std::function<absl::Status(const Snapshot&)> writer) {
    snapshot_writer_ = std::move(writer);
  }

  // Handles one request line (without its newline).
  Output HandleLine(std::string_view line, Session& session);

  const SharedEngine& engine() const { return *engine_; }
  const RecoveryReport& recovery() const { return recovery_; }

  ~Daemon();

 private:
  Daemon(std::unique_ptr<SharedEngine> engine, JournalStorage* journal, AccessPolicy policy,
         std::function<absl::Time()> clock);

  // A query's result (nullopt: `op` is not a query).
  std::optional<absl::StatusOr<nlohmann::json>> Query(const std::string& op,
                                                      const nlohmann::json& args,
                                                      const Principal& principal);

  std::unique_ptr<SharedEngine> engine_;
  JournalStorage* journal_;
  AccessPolicy policy_;
  std::function<absl::Time()> clock_;
  RecoveryReport recovery_;
  // Not OK once the journal failed to take a command the engine applied: from then on every
  // command is refused with it (the state is ahead of the journal).
  absl::Status broken_;
  std::function<absl::Status(const Snapshot&)> snapshot_writer_;
  int subscription_ = -1;
  std::vector<Event> pending_events_;  // filled by the engine's subscription during a command
};

// What an audit export keeps: records and events that match every filter given.
struct AuditFilter {
  std::string actor;    // ActorName ("agent:alice", "supervisor:sam", "host:pbx")
  std::string agent;    // the agent a command or event concerns
  std::string contact;  // the contact a command or event concerns
  std::optional<absl::Time> since;  // at or after
  std::optional<absl::Time> until;  // before
  bool events = true;   // also the events, rebuilt by replaying the journal
};

// Writes the audit trail of a journal's `records` to `out`, one JSON object per line: each
// journaled command or refusal ({"record": {...}}) and, with filter.events, each event it
// caused ({"event": {...}}), in order, keeping those that match `filter`. Errors as Recover's.
absl::Status ExportAudit(EngineOptions options, const std::vector<std::string>& records,
                         const AuditFilter& filter, std::ostream& out);

}  // namespace switchboard::host

#endif  // SWITCHBOARD_SRC_HOST_DAEMON_H_
