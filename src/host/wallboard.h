// The supervisor's live wallboard of `switchboard serve`: a read-only HTTP server with one page
// and the JSON it polls.
//
// Example:
//   absl::StatusOr<std::unique_ptr<Wallboard>> board =
//       Wallboard::Start(shared_engine, "127.0.0.1", 0);
//   if (!board.ok()) return board.status();
//   std::cerr << "wallboard: http://127.0.0.1:" << (*board)->port() << "/\n";
//
// Routes (GET and HEAD only; any other method on them: 405 with `Allow: GET, HEAD`; any other
// path: 404):
//   /            the page (wallboard_page.cc): HTML, CSS and script in one response, no external
//                resources. Its tables are rendered with the numbers of the moment; the script
//                then polls /api/stats every 500 ms and updates them in place. Every number has
//                a stable element id (WallboardElementId): "q-support-waiting",
//                "q-support-sl-now", "team-blue-available", "total-waiting", ...
//   /api/stats   WallboardStatsJson.
// Security: nothing is ever written to the engine. Whether a host may be bound (loopback only,
// unless the operator says otherwise) is the caller's decision; IsLoopback helps it decide.
#ifndef SWITCHBOARD_SRC_HOST_WALLBOARD_H_
#define SWITCHBOARD_SRC_HOST_WALLBOARD_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "switchboard/engine.h"
#include "switchboard/shared_engine.h"

namespace switchboard::host {

class Wallboard {
 public:
  // Binds host:port (port 0: any free port) and serves in a thread of its own, reading `engine`
  // (not owned; it must outlive the wallboard) through SharedEngine::Read, one Read per request.
  // Unavailable when the address cannot be bound (in use, not an address of this machine, ...);
  // InvalidArgument for a port outside 0..65535.
  static absl::StatusOr<std::unique_ptr<Wallboard>> Start(const SharedEngine& engine,
                                                           std::string host, int port);

  // The port bound (the one chosen when Start was given 0).
  int port() const { return port_; }

  // Stops listening, waits for the server's thread and the requests in progress to end. Safe to
  // call more than once; the destructor calls it.
  void Stop();

  ~Wallboard();
  Wallboard(const Wallboard&) = delete;
  Wallboard& operator=(const Wallboard&) = delete;

 private:
  struct Server;
  Wallboard(std::unique_ptr<Server> server, int port);

  std::unique_ptr<Server> server_;
  int port_;
};

// What GET /api/stats returns, as of engine.now(); one JSON object:
//   "now":       engine time, RFC 3339 in UTC ("2023-11-14T22:13:20+00:00", as FormatEvent
//                writes times); null before the first command.
//   "interval":  {"start", "end"} of the current statistics interval (RFC 3339); null when no
//                interval statistics are available (no queue and no team, or events are off).
//   "queues":    per queue, in the order added: {"id", "open", "waiting", "longest_wait"
//                (seconds), "service_level_now" (QueueStats::service_level: since the queue was
//                added, 0..1), "service_level_interval", "offered_interval",
//                "answered_interval", "abandoned_interval", "agents"}; "agents": the agents
//                serving it by state, {"logged_out", "not_ready", "available", "reserved",
//                "busy", "wrap_up"}.
//   "teams":     per team (AgentStats::team, non-empty), in the order of their first agent:
//                {"id", "agents" (by state, as above), "offered_interval", "answered_interval",
//                "service_level_interval", "aht_interval" (seconds), "occupancy_interval"
//                (0..1)}.
//   "totals":    {"waiting" (sum), "longest_wait" (max), "answered_interval",
//                "abandoned_interval" (sums), "service_level_interval" (over the queues' sums:
//                within threshold / (answered + abandoned), 1 when both are 0), "agents" (every
//                agent once, by state)}.
// Each "*_interval" value is of the current interval up to now, and null when the engine keeps
// no interval statistics (events off). Cost: O(queues x agents) (each queue's agents by state).
std::string WallboardStatsJson(const Engine& engine);

// The element id of one number on the page: "<scope>-<key>-<field>" for scope "q" (a queue) or
// "team", "total-<field>" for scope "total" (id ignored). `key` is `id` with every byte outside
// [A-Za-z0-9-] written as "_" and two lowercase hex digits ("sales eu" -> "sales_20eu"), so that
// any id gives a valid, distinct element id. Fields: "waiting", "longest-wait", "sl-now",
// "sl-interval", "offered", "answered", "abandoned", "aht", "occupancy", and the agent states
// "logged-out", "not-ready", "available", "reserved", "busy", "wrap-up".
std::string WallboardElementId(std::string_view scope, std::string_view id,
                               std::string_view field);

// Whether `host` names the loopback interface: "localhost", an IPv4 address in 127.0.0.0/8,
// "::1" (also in brackets, "[::1]"), or an IPv4-mapped loopback ("::ffff:127.0.0.1"). A name
// other than "localhost" is never resolved: it counts as not loopback.
bool IsLoopback(std::string_view host);

// The page served at "/", rendered from `stats` (WallboardStatsJson's output).
std::string WallboardPage(std::string_view stats_json);

}  // namespace switchboard::host

#endif  // SWITCHBOARD_SRC_HOST_WALLBOARD_H_
