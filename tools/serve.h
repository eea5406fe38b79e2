// `switchboard serve` and `switchboard audit`: the daemon's process (its connections, signals
// and wallboard) and the export of a journal's audit trail. The protocol itself is
// host::Daemon (src/host/daemon.h); docs/host-protocol.md documents both.
#ifndef SWITCHBOARD_TOOLS_SERVE_H_
#define SWITCHBOARD_TOOLS_SERVE_H_

#include <cstdint>
#include <ostream>
#include <string>

namespace switchboard {

struct ServeArgs {
  std::string journal_dir;  // required: recovered from on start, appended to
  std::string config_file;  // a center file (host/center_config.h) applied to an empty journal
  std::string tokens_file;  // the access policy (host/access_policy.h); empty: no socket logins
  std::string socket_path;  // a Unix socket to listen on too; empty: standard input only
  std::string http;         // HOST:PORT of the wallboard; empty: none
  bool http_public = false;  // allow a non-loopback HOST
  std::string sync = "command";  // command | interval | none (JournalOptions)
  int sync_interval_ms = 100;
  // Write a snapshot (host/snapshot.h) after this many journal records since the last; 0: only
  // on request ("snapshot" op).
  int64_t snapshot_every = 10000;
};

// Serves requests from standard input (the local administrator) and, with a socket, from every
// connection to it (authenticated by a token) until standard input ends (without a socket) or
// SIGINT/SIGTERM. Replies to standard input go to standard output; messages to `err`.
// Returns 0 after a clean stop, 1 when recovery or the journal fails, 2 for bad arguments.
int RunServe(const ServeArgs& args, std::ostream& err);

struct AuditArgs {
  std::string journal_dir;
  std::string actor;
  std::string agent;
  std::string contact;
  std::string since;  // RFC 3339 or Unix seconds; empty: no bound
  std::string until;
  bool events = true;
};

// Writes the journal's audit trail, filtered, as JSON lines to `out` (host::ExportAudit).
// Returns 0, 1 when the journal cannot be read, 2 for bad arguments.
int RunAudit(const AuditArgs& args, std::ostream& out, std::ostream& err);

}  // namespace switchboard

#endif  // SWITCHBOARD_TOOLS_SERVE_H_
