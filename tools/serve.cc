#include "serve.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstring>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/clock.h"
#include "base/status_macros.h"
#include "fmt/format.h"
#include "host/center_config.h"
#include "host/command_json.h"
#include "host/daemon.h"
#include "host/journal.h"
#include "host/snapshot.h"
#include "host/wallboard.h"

namespace switchboard {
namespace {

using host::Daemon;
using host::Session;

// A request line may be this long; a longer one is answered with an error and skipped.
constexpr size_t kMaxLine = (1 << 20) + 1024;
// A socket connection whose unread replies pass this is closed (it stopped reading).
constexpr size_t kMaxBacklog = 64 << 20;

volatile std::sig_atomic_t stop_requested = 0;
extern "C" void RequestStop(int) { stop_requested = 1; }

struct Connection {
  int in = -1;
  int out = -1;
  bool is_stdin = false;
  Session session;
  std::string input;
  std::string output;  // not yet written (sockets only; standard output is written at once)
  bool skipping = false;  // inside an over-long line, dropping bytes until its newline
  bool input_closed = false;
};

bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

void Send(Connection& connection, const std::string& line) {
  if (connection.is_stdin) {
    WriteAll(connection.out, line + "\n");
  } else {
    connection.output += line;
    connection.output += '\n';
  }
}

// Flushes what a non-blocking socket takes now; false when the connection is gone.
bool Flush(Connection& connection) {
  while (!connection.output.empty()) {
    const ssize_t n = ::send(connection.out, connection.output.data(), connection.output.size(),
                             MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno == EAGAIN || errno == EWOULDBLOCK;
    }
    connection.output.erase(0, static_cast<size_t>(n));
  }
  return true;
}

absl::StatusOr<int> Listen(const std::string& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path.size() >= sizeof(address.sun_path)) {
    return absl::InvalidArgumentError(
        fmt::format("--socket {}: a socket path is at most {} bytes", path,
                    sizeof(address.sun_path) - 1));
  }
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return absl::ErrnoToStatus(errno, "socket");
  ::unlink(path.c_str());  // a socket left by a previous run; the journal lock rules out a live one
  const mode_t old_mask = ::umask(0077);  // only the daemon's user may connect
  const int bound = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  ::umask(old_mask);
  if (bound != 0 || ::listen(fd, 64) != 0) {
    const int error = errno;
    ::close(fd);
    return absl::ErrnoToStatus(error, fmt::format("--socket {}", path));
  }
  return fd;
}

// The events of a request go to the connection that sent it and to every subscriber.
void Deliver(host::Output output, Connection& from, std::list<Connection>& connections) {
  Send(from, output.reply);
  for (const std::string& event : output.events) {
    for (Connection& connection : connections) {
      if (&connection == &from || connection.session.subscribed) Send(connection, event);
    }
  }
}

void HandleInput(Connection& connection, Daemon& daemon, std::list<Connection>& connections) {
  size_t start = 0;
  for (;;) {
    const size_t newline = connection.input.find('\n', start);
    if (newline == std::string::npos) break;
    std::string_view line(connection.input.data() + start, newline - start);
    start = newline + 1;
    if (connection.skipping) {
      connection.skipping = false;
      continue;
    }
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    Deliver(daemon.HandleLine(line, connection.session), connection, connections);
  }
  connection.input.erase(0, start);
  if (connection.input.size() > kMaxLine) {
    connection.input.clear();
    if (!connection.skipping) {
      Send(connection, fmt::format(R"({{"ok":false,"error":{{"code":"INVALID_ARGUMENT",)"
                                   R"("message":"request line longer than {} bytes"}}}})",
                                   kMaxLine));
    }
    connection.skipping = true;
  }
}

absl::StatusOr<host::JournalOptions> ParseSync(const ServeArgs& args) {
  host::JournalOptions options;
  if (args.sync == "command") {
    options.sync = host::SyncPolicy::kEveryCommand;
  } else if (args.sync == "interval") {
    options.sync = host::SyncPolicy::kInterval;
  } else if (args.sync == "none") {
    options.sync = host::SyncPolicy::kNone;
  } else {
    return absl::InvalidArgumentError(
        fmt::format("--sync {}: expected command, interval or none", args.sync));
  }
  options.sync_interval = absl::Milliseconds(args.sync_interval_ms);
  return options;
}

absl::StatusOr<std::pair<std::string, int>> ParseHostPort(const ServeArgs& args) {
  const size_t colon = args.http.rfind(':');
  int port = -1;
  if (colon != std::string::npos) {
    const char* begin = args.http.data() + colon + 1;
    const char* end = args.http.data() + args.http.size();
    auto [ptr, error] = std::from_chars(begin, end, port);
    if (error != std::errc() || ptr != end) port = -1;
  }
  if (colon == std::string::npos || colon == 0 || port < 0 || port > 65535) {
    return absl::InvalidArgumentError(
        fmt::format("--http {}: expected HOST:PORT, e.g. 127.0.0.1:8080 (port 0: any)",
                    args.http));
  }
  std::string host_name = args.http.substr(0, colon);
  if (!args.http_public && !host::IsLoopback(host_name)) {
    return absl::InvalidArgumentError(fmt::format(
        "--http {}: not a loopback address; the wallboard shows live figures to anyone who "
        "can reach it: add --http-public to serve it there",
        args.http));
  }
  return std::make_pair(std::move(host_name), port);
}

int Serve(const ServeArgs& args, std::ostream& err) {
  absl::StatusOr<host::JournalOptions> journal_options = ParseSync(args);
  if (!journal_options.ok()) {
    err << "switchboard: " << journal_options.status().message() << "\n";
    return 2;
  }
  std::optional<std::pair<std::string, int>> http;
  if (!args.http.empty()) {
    absl::StatusOr<std::pair<std::string, int>> parsed = ParseHostPort(args);
    if (!parsed.ok()) {
      err << "switchboard: " << parsed.status().message() << "\n";
      return 2;
    }
    http = *std::move(parsed);
  }
  host::AccessPolicy policy;
  if (!args.tokens_file.empty()) {
    absl::StatusOr<host::AccessPolicy> loaded = host::AccessPolicy::Load(args.tokens_file);
    if (!loaded.ok()) {
      err << "switchboard: " << loaded.status().message() << "\n";
      return 2;
    }
    policy = *std::move(loaded);
  } else if (!args.socket_path.empty()) {
    err << "switchboard: --socket needs --tokens: a connection authenticates with a token\n";
    return 2;
  }

  absl::StatusOr<std::unique_ptr<host::FileJournal>> journal =
      host::FileJournal::Open(args.journal_dir, *journal_options);
  if (!journal.ok()) {
    err << "switchboard: " << journal.status().message() << "\n";
    return 1;
  }
  if (const std::optional<host::TornTail>& torn = (*journal)->torn_tail(); torn.has_value()) {
    err << "switchboard: journal: " << torn->Describe() << "\n";
  }
  absl::StatusOr<host::SnapshotScan> snapshots = host::ReadSnapshots(args.journal_dir);
  if (!snapshots.ok()) {
    err << "switchboard: " << snapshots.status().message() << "\n";
    return 1;
  }
  for (const std::string& skipped : snapshots->skipped) {
    err << "switchboard: snapshot skipped: " << skipped << "\n";
  }
  absl::StatusOr<std::unique_ptr<Daemon>> daemon = Daemon::Recover(
      EngineOptions{}, journal->get(), std::move(policy), absl::Now, snapshots->snapshots);
  if (!daemon.ok()) {
    err << "switchboard: recovery failed: " << daemon.status().message() << "\n";
    return 1;
  }
  const host::RecoveryReport& recovery = (*daemon)->recovery();
  for (const std::string& skipped : recovery.skipped_snapshots) {
    err << "switchboard: snapshot skipped: " << skipped << "\n";
  }
  err << fmt::format(
      "switchboard: recovered {} command(s) and {} refusal(s) from {}{}\n",
      recovery.commands_replayed, recovery.refusals, args.journal_dir,
      recovery.snapshot_seq > 0
          ? fmt::format(" after the snapshot at record {}", recovery.snapshot_seq)
          : std::string());
  const std::string journal_dir = args.journal_dir;
  (*daemon)->SetSnapshotWriter([journal_dir](const host::Snapshot& snapshot) {
    return host::WriteSnapshot(journal_dir, snapshot);
  });
  uint64_t last_snapshot = recovery.snapshot_seq;

  if (!args.config_file.empty()) {
    if ((*journal)->last_seq() > 0) {
      err << "switchboard: --config " << args.config_file
          << " not applied: the journal already holds the center's configuration\n";
    } else {
      absl::StatusOr<std::vector<nlohmann::json>> requests =
          host::LoadCenterConfig(args.config_file);
      if (!requests.ok()) {
        err << "switchboard: " << requests.status().message() << "\n";
        return 2;
      }
      Session administrator{.principal = host::LocalAdministrator(), .trusted = true};
      for (const nlohmann::json& request : *requests) {
        const nlohmann::json reply =
            nlohmann::json::parse((*daemon)->HandleLine(request.dump(), administrator).reply);
        if (reply["ok"] != true) {
          err << fmt::format("switchboard: {}: {} {}: {}\n", args.config_file,
                             request["op"].get<std::string>(),
                             request["args"].value("id", std::string()),
                             reply["error"]["message"].get<std::string>());
          return 2;
        }
      }
      err << fmt::format("switchboard: applied {} ({} request(s))\n", args.config_file,
                         requests->size());
    }
  }

  std::unique_ptr<host::Wallboard> wallboard;
  if (http.has_value()) {
    absl::StatusOr<std::unique_ptr<host::Wallboard>> started =
        host::Wallboard::Start((*daemon)->engine(), http->first, http->second);
    if (!started.ok()) {
      err << "switchboard: --http " << args.http << ": " << started.status().message() << "\n";
      return 1;
    }
    wallboard = *std::move(started);
    err << fmt::format("wallboard: http://{}:{}/\n", http->first, wallboard->port());
  }

  int listener = -1;
  if (!args.socket_path.empty()) {
    absl::StatusOr<int> fd = Listen(args.socket_path);
    if (!fd.ok()) {
      err << "switchboard: " << fd.status().message() << "\n";
      return 1;
    }
    listener = *fd;
    err << "switchboard: listening on " << args.socket_path << "\n";
  }
  err.flush();

  struct sigaction action{};
  action.sa_handler = RequestStop;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  std::list<Connection> connections;
  Connection& input = connections.emplace_back();
  input.in = STDIN_FILENO;
  input.out = STDOUT_FILENO;
  input.is_stdin = true;
  input.session = {.principal = host::LocalAdministrator(), .trusted = true};

  int status = 0;
  std::vector<pollfd> fds;
  std::vector<Connection*> polled;
  while (stop_requested == 0) {
    if (input.input_closed && listener < 0) break;
    fds.clear();
    polled.clear();
    if (listener >= 0) fds.push_back({listener, POLLIN, 0});
    for (Connection& connection : connections) {
      short events = 0;
      if (!connection.input_closed) events |= POLLIN;
      if (!connection.output.empty()) events |= POLLOUT;
      if (events == 0) continue;
      fds.push_back({connection.in, events, 0});
      polled.push_back(&connection);
    }
    const int ready = ::poll(fds.data(), fds.size(), 200);
    if (ready < 0) {
      if (errno == EINTR) continue;
      err << "switchboard: poll: " << std::strerror(errno) << "\n";
      status = 1;
      break;
    }
    if (const absl::Status synced = (*journal)->MaybeSync(); !synced.ok()) {
      err << "switchboard: journal: " << synced.message() << "\n";
      status = 1;
      break;
    }
    size_t index = 0;
    if (listener >= 0) {
      if (fds[0].revents & POLLIN) {
        const int fd = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (fd >= 0) {
          Connection& connection = connections.emplace_back();
          connection.in = connection.out = fd;
        }
      }
      index = 1;
    }
    for (Connection* connection : polled) {
      const pollfd& fd = fds[index++];
      if (fd.revents & POLLOUT) {
        if (!Flush(*connection)) connection->input_closed = true, connection->output.clear();
      }
      if (fd.revents & (POLLIN | POLLHUP | POLLERR)) {
        char buffer[65536];
        const ssize_t n = ::read(connection->in, buffer, sizeof(buffer));
        if (n > 0) {
          connection->input.append(buffer, static_cast<size_t>(n));
          HandleInput(*connection, **daemon, connections);
        } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
          connection->input_closed = true;
        }
      }
    }
    if (args.snapshot_every > 0 &&
        (*journal)->last_seq() >= last_snapshot + static_cast<uint64_t>(args.snapshot_every)) {
      last_snapshot = (*journal)->last_seq();  // a failure is not retried before the next N
      absl::StatusOr<host::Snapshot> snapshot = (*daemon)->TakeSnapshot();
      absl::Status written =
          snapshot.ok() ? host::WriteSnapshot(args.journal_dir, *snapshot) : snapshot.status();
      if (!written.ok()) err << "switchboard: no snapshot: " << written.message() << "\n";
    }
    // Drop socket connections that hung up (once their replies are out) or stopped reading.
    for (auto it = connections.begin(); it != connections.end();) {
      Connection& connection = *it;
      if (!connection.is_stdin && !Flush(connection)) connection.output.clear(),
                                                      connection.input_closed = true;
      const bool done = connection.input_closed && connection.output.empty();
      if (!connection.is_stdin && (done || connection.output.size() > kMaxBacklog)) {
        ::close(connection.in);
        it = connections.erase(it);
      } else {
        ++it;
      }
    }
  }
  if (const absl::Status synced = (*journal)->Sync(); !synced.ok()) {
    err << "switchboard: journal: " << synced.message() << "\n";
    status = 1;
  }
  if (wallboard != nullptr) wallboard->Stop();
  for (Connection& connection : connections) {
    if (!connection.is_stdin) ::close(connection.in);
  }
  if (listener >= 0) {
    ::close(listener);
    ::unlink(args.socket_path.c_str());
  }
  return status;
}

}  // namespace

int RunServe(const ServeArgs& args, std::ostream& err) { return Serve(args, err); }

int RunAudit(const AuditArgs& args, std::ostream& out, std::ostream& err) {
  host::AuditFilter filter{.actor = args.actor, .agent = args.agent, .contact = args.contact,
                           .events = args.events};
  for (auto [text, bound, flag] : {std::tuple(&args.since, &filter.since, "--since"),
                                   std::tuple(&args.until, &filter.until, "--until")}) {
    if (text->empty()) continue;
    nlohmann::json value;
    double seconds = 0;
    auto [ptr, error] = std::from_chars(text->data(), text->data() + text->size(), seconds);
    if (error == std::errc() && ptr == text->data() + text->size()) {
      value = seconds;
    } else {
      value = *text;
    }
    absl::StatusOr<absl::Time> t = host::DecodeTime(value);
    if (!t.ok()) {
      err << "switchboard: " << flag << " " << *text << ": " << t.status().message() << "\n";
      return 2;
    }
    *bound = *t;
  }
  absl::StatusOr<host::JournalContents> contents = host::ReadJournal(args.journal_dir);
  if (!contents.ok()) {
    err << "switchboard: " << contents.status().message() << "\n";
    return 1;
  }
  std::vector<std::string> records;
  for (const host::JournalRecord& record : contents->records) records.push_back(record.payload);
  const absl::Status status = host::ExportAudit(EngineOptions{}, records, filter, out);
  if (!status.ok()) {
    err << "switchboard: " << status.message() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace switchboard
