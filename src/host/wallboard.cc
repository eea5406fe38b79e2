#include "host/wallboard.h"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <httplib.h>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/time/time.h"
#include "fmt/format.h"
#include "host/wallboard_page.h"
#include "nlohmann/json.hpp"
#include "switchboard/agent.h"
#include "switchboard/interval_stats.h"
#include "switchboard/stats.h"

namespace switchboard::host {
namespace {

using Json = nlohmann::ordered_json;

Json TimeJson(absl::Time t) {
  return absl::FormatTime(absl::RFC3339_full, t, absl::UTCTimeZone());
}

double Seconds(absl::Duration d) { return absl::ToDoubleSeconds(d); }

// {"logged_out": n, "not_ready": n, ...} in AgentState order.
Json AgentsJson(const std::array<int, kAgentStateCount>& by_state) {
  Json agents = Json::object();
  for (int i = 0; i < kAgentStateCount; ++i) {
    agents[std::string(AgentStateName(static_cast<AgentState>(i)))] = by_state[i];
  }
  return agents;
}

// The current interval's statistics of `id`, or nullopt when the engine keeps none.
std::optional<IntervalStats> CurrentInterval(const Engine& engine, StatsScope scope,
                                             const std::string& id) {
  absl::StatusOr<IntervalStats> stats = engine.GetIntervalStats(scope, id);
  if (!stats.ok()) return std::nullopt;
  return *std::move(stats);
}

double ServiceLevel(int64_t within, int64_t answered, int64_t abandoned) {
  int64_t decided = answered + abandoned;
  return decided == 0 ? 1.0 : static_cast<double>(within) / static_cast<double>(decided);
}

Json StatsObject(const Engine& engine) {
  Json out = Json::object();
  out["now"] = engine.now() == absl::InfinitePast() ? Json(nullptr) : TimeJson(engine.now());
  Json interval = nullptr;
  auto note_interval = [&interval](const IntervalStats& s) {
    if (interval.is_null()) {
      interval = Json{{"start", TimeJson(s.current.start)}, {"end", TimeJson(s.current.end)}};
    }
  };

  Json queues = Json::array();
  int64_t total_waiting = 0;
  absl::Duration total_longest;
  int64_t total_answered = 0, total_within = 0, total_abandoned = 0;
  bool have_intervals = true;
  for (const std::string& id : engine.ListQueues()) {
    absl::StatusOr<QueueStats> live = engine.GetQueueStats(id);
    if (!live.ok()) continue;  // cannot happen for a listed queue; nothing to show if it did
    std::optional<IntervalStats> interval_stats = CurrentInterval(engine, StatsScope::kQueue, id);
    Json q = Json::object();
    q["id"] = id;
    q["open"] = live->open;
    q["waiting"] = live->waiting;
    q["longest_wait"] = Seconds(live->longest_wait);
    q["service_level_now"] = live->service_level;
    total_waiting += live->waiting;
    total_longest = std::max(total_longest, live->longest_wait);
    if (interval_stats) {
      note_interval(*interval_stats);
      const IntervalKpis& k = interval_stats->current;
      q["service_level_interval"] = k.service_level;
      q["offered_interval"] = k.offered;
      q["answered_interval"] = k.answered;
      q["abandoned_interval"] = k.abandoned;
      q["agents"] = AgentsJson(interval_stats->now.agents_by_state);
      total_answered += k.answered;
      total_within += k.answered_within_threshold;
      total_abandoned += k.abandoned;
    } else {
      have_intervals = false;
      for (const char* key : {"service_level_interval", "offered_interval", "answered_interval",
                              "abandoned_interval", "agents"}) {
        q[key] = nullptr;
      }
    }
    queues.push_back(std::move(q));
  }

  // Teams in the order of their first agent; every agent once in the totals.
  std::vector<std::string> team_ids;
  std::vector<std::array<int, kAgentStateCount>> team_agents;
  std::array<int, kAgentStateCount> all_agents{};
  for (const std::string& id : engine.ListAgents()) {
    absl::StatusOr<AgentStats> agent = engine.GetAgentStats(id);
    if (!agent.ok()) continue;  // cannot happen for a listed agent
    int state = static_cast<int>(agent->state);
    ++all_agents[state];
    if (agent->team.empty()) continue;
    size_t t = 0;
    while (t < team_ids.size() && team_ids[t] != agent->team) ++t;
    if (t == team_ids.size()) {
      team_ids.push_back(agent->team);
      team_agents.emplace_back();
    }
    ++team_agents[t][state];
  }
  Json teams = Json::array();
  for (size_t t = 0; t < team_ids.size(); ++t) {
    Json team = Json::object();
    team["id"] = team_ids[t];
    team["agents"] = AgentsJson(team_agents[t]);
    std::optional<IntervalStats> interval_stats =
        CurrentInterval(engine, StatsScope::kTeam, team_ids[t]);
    if (interval_stats) {
      note_interval(*interval_stats);
      const IntervalKpis& k = interval_stats->current;
      team["offered_interval"] = k.offered;
      team["answered_interval"] = k.answered;
      team["service_level_interval"] = k.service_level;
      team["aht_interval"] = Seconds(k.aht);
      team["occupancy_interval"] = k.occupancy;
    } else {
      for (const char* key : {"offered_interval", "answered_interval", "service_level_interval",
                              "aht_interval", "occupancy_interval"}) {
        team[key] = nullptr;
      }
    }
    teams.push_back(std::move(team));
  }

  Json totals = Json::object();
  totals["waiting"] = total_waiting;
  totals["longest_wait"] = Seconds(total_longest);
  if (have_intervals) {
    totals["answered_interval"] = total_answered;
    totals["abandoned_interval"] = total_abandoned;
    totals["service_level_interval"] =
        ServiceLevel(total_within, total_answered, total_abandoned);
  } else {
    totals["answered_interval"] = nullptr;
    totals["abandoned_interval"] = nullptr;
    totals["service_level_interval"] = nullptr;
  }
  totals["agents"] = AgentsJson(all_agents);

  out["interval"] = std::move(interval);
  out["queues"] = std::move(queues);
  out["teams"] = std::move(teams);
  out["totals"] = std::move(totals);
  return out;
}

// --- The page ---------------------------------------------------------------------------------

std::string EscapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

// One number cell: `field` names it in the element id, `key` is its path in the JSON object,
// `format` as data-fmt ("n", "s", "pct").
struct Column {
  const char* field;
  const char* key;
  const char* format;
};

constexpr Column kAgentColumns[] = {
    {"logged-out", "agents.logged_out", "n"}, {"not-ready", "agents.not_ready", "n"},
    {"available", "agents.available", "n"},   {"reserved", "agents.reserved", "n"},
    {"busy", "agents.busy", "n"},             {"wrap-up", "agents.wrap_up", "n"},
};
constexpr Column kQueueColumns[] = {
    {"waiting", "waiting", "n"},
    {"longest-wait", "longest_wait", "s"},
    {"sl-now", "service_level_now", "pct"},
    {"sl-interval", "service_level_interval", "pct"},
    {"offered", "offered_interval", "n"},
    {"answered", "answered_interval", "n"},
    {"abandoned", "abandoned_interval", "n"},
};
constexpr Column kTeamColumns[] = {
    {"offered", "offered_interval", "n"},
    {"answered", "answered_interval", "n"},
    {"sl-interval", "service_level_interval", "pct"},
    {"aht", "aht_interval", "s"},
    {"occupancy", "occupancy_interval", "pct"},
};
// The totals sit under the queue table's columns; those without a total stay empty.
constexpr Column kTotalColumns[] = {
    {"waiting", "waiting", "n"},
    {"longest-wait", "longest_wait", "s"},
    {nullptr, nullptr, nullptr},  // service level now: per queue only
    {"sl-interval", "service_level_interval", "pct"},
    {nullptr, nullptr, nullptr},  // offered: a contact transferred counts in two queues
    {"answered", "answered_interval", "n"},
    {"abandoned", "abandoned_interval", "n"},
};

// What the page's script shows for the same value (FORMATS there).
std::string FormatCell(const Json& object, std::string_view key, std::string_view format) {
  const Json* value = &object;
  for (std::string_view rest = key; value != nullptr;) {
    size_t dot = rest.find('.');
    std::string part(rest.substr(0, dot));
    value = value->is_object() && value->contains(part) ? &(*value)[part] : nullptr;
    if (dot == std::string_view::npos) break;
    rest.remove_prefix(dot + 1);
  }
  if (value == nullptr || value->is_null()) return "\u2013";
  if (format == "s") return fmt::format("{}", static_cast<int64_t>(std::floor(value->get<double>())));
  if (format == "pct") return fmt::format("{:.1f}%", value->get<double>() * 100);
  return value->dump();
}

void AppendCells(std::string& out, std::string_view scope, std::string_view id,
                 const Json& object, const Column* begin, const Column* end) {
  for (const Column* c = begin; c != end; ++c) {
    if (c->field == nullptr) {
      out += "<td></td>";
      continue;
    }
    out += fmt::format(R"(<td id="{}" data-key="{}" data-fmt="{}">{}</td>)",
                       WallboardElementId(scope, id, c->field), c->key, c->format,
                       FormatCell(object, c->key, c->format));
  }
}

std::string RowStart(const std::string& id) {
  std::string escaped = EscapeHtml(id);
  return fmt::format(R"(<tr data-id="{}"><th scope="row">{}</th>)", escaped, escaped);
}

// --- The server -------------------------------------------------------------------------------

constexpr std::string_view kStatsPath = "/api/stats";

bool KnownPath(const std::string& path) { return path == "/" || path == kStatsPath; }

// The host part of a Host header: "127.0.0.1:8080" -> "127.0.0.1", "[::1]:80" -> "[::1]".
std::string_view HostOfHeader(std::string_view header) {
  if (!header.empty() && header.front() == '[') {
    size_t close = header.find(']');
    return close == std::string_view::npos ? header : header.substr(0, close + 1);
  }
  return header.substr(0, header.find(':'));
}

}  // namespace

std::string WallboardStatsJson(const Engine& engine) { return StatsObject(engine).dump(); }

std::string WallboardElementId(std::string_view scope, std::string_view id,
                               std::string_view field) {
  if (scope == "total") return fmt::format("total-{}", field);
  std::string key;
  for (char c : id) {
    if (absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-') {
      key += c;
    } else {
      key += fmt::format("_{:02x}", static_cast<unsigned char>(c));
    }
  }
  return fmt::format("{}-{}-{}", scope, key, field);
}

bool IsLoopback(std::string_view host) {
  if (host.size() == 9) {
    std::string lower(host);
    for (char& c : lower) c = absl::ascii_tolower(static_cast<unsigned char>(c));
    if (lower == "localhost") return true;
  }
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  std::string text(host);
  in_addr v4;
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6;
  if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) {
    static constexpr unsigned char kLoopback[16] = {0, 0, 0, 0, 0, 0, 0, 0,
                                                    0, 0, 0, 0, 0, 0, 0, 1};
    static constexpr unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::equal(v6.s6_addr, v6.s6_addr + 16, kLoopback)) return true;
    return std::equal(v6.s6_addr, v6.s6_addr + 12, kMapped) && v6.s6_addr[12] == 127;
  }
  return false;
}

std::string WallboardPage(std::string_view stats_json) {
  Json stats = Json::parse(stats_json, /*cb=*/nullptr, /*allow_exceptions=*/false);
  if (!stats.is_object()) stats = Json::object();
  std::string queue_rows;
  const Json empty = Json::object();
  const Json& queues = stats.contains("queues") ? stats["queues"] : empty;
  for (const Json& q : queues) {
    std::string id = q.value("id", "");
    queue_rows += RowStart(id);
    AppendCells(queue_rows, "q", id, q, std::begin(kQueueColumns), std::end(kQueueColumns));
    AppendCells(queue_rows, "q", id, q, std::begin(kAgentColumns), std::end(kAgentColumns));
    queue_rows += "</tr>\n";
  }
  if (queue_rows.empty()) queue_rows = R"(<tr><td class="empty" colspan="14">No queues.</td></tr>)";
  std::string team_rows;
  const Json& teams = stats.contains("teams") ? stats["teams"] : empty;
  for (const Json& t : teams) {
    std::string id = t.value("id", "");
    team_rows += RowStart(id);
    AppendCells(team_rows, "team", id, t, std::begin(kAgentColumns), std::end(kAgentColumns));
    AppendCells(team_rows, "team", id, t, std::begin(kTeamColumns), std::end(kTeamColumns));
    team_rows += "</tr>\n";
  }
  if (team_rows.empty()) team_rows = R"(<tr><td class="empty" colspan="12">No teams.</td></tr>)";
  const Json& totals = stats.contains("totals") ? stats["totals"] : empty;
  std::string total_row = R"(<tr><th scope="row">All</th>)";
  AppendCells(total_row, "total", "", totals, std::begin(kTotalColumns), std::end(kTotalColumns));
  AppendCells(total_row, "total", "", totals, std::begin(kAgentColumns), std::end(kAgentColumns));
  total_row += "</tr>";

  std::string now = "none yet";
  if (stats.contains("now") && stats["now"].is_string()) now = stats["now"].get<std::string>();
  std::string interval = "\u2013";
  if (stats.contains("interval") && stats["interval"].is_object()) {
    interval = stats["interval"].value("start", interval);
  }
  std::string page(WallboardPageTemplate());
  const std::pair<std::string_view, std::string> fills[] = {
      {"@@QUEUE_ROWS@@", queue_rows},    {"@@TEAM_ROWS@@", team_rows},
      {"@@TOTAL_ROW@@", total_row},      {"@@NOW@@", EscapeHtml(now)},
      {"@@INTERVAL@@", EscapeHtml(interval)},
  };
  for (const auto& [placeholder, text] : fills) {
    size_t at = page.find(placeholder);  // each is in the template once
    if (at != std::string::npos) page.replace(at, placeholder.size(), text);
  }
  return page;
}

struct Wallboard::Server {
  httplib::Server http;
  std::thread thread;
  std::atomic<bool> listen_returned{false};
};

Wallboard::Wallboard(std::unique_ptr<Server> server, int port)
    : server_(std::move(server)), port_(port) {}

Wallboard::~Wallboard() { Stop(); }

void Wallboard::Stop() {
  if (server_ == nullptr || !server_->thread.joinable()) return;
  server_->http.stop();
  server_->thread.join();
}

absl::StatusOr<std::unique_ptr<Wallboard>> Wallboard::Start(const SharedEngine& engine,
                                                            std::string host, int port) {
  if (port < 0 || port > 65535) {
    return absl::InvalidArgumentError(
        fmt::format("wallboard port {} is out of range; expected 0..65535 (0: any free port)",
                    port));
  }
  // "[::1]" as in a URL: the socket wants the bare address.
  std::string bind_host = host;
  if (bind_host.size() >= 2 && bind_host.front() == '[' && bind_host.back() == ']') {
    bind_host = bind_host.substr(1, bind_host.size() - 2);
  }
  const bool loopback = IsLoopback(host);

  auto server = std::make_unique<Server>();
  httplib::Server& http = server->http;
  // SO_REUSEADDR only: httplib's default also sets SO_REUSEPORT, with which a second server on
  // the same port binds too and the kernel splits the connections between them.
  http.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  http.set_default_headers({
      {"Cache-Control", "no-store"},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "no-referrer"},
      {"Content-Security-Policy",
       "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
       "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"},
  });
  http.set_pre_routing_handler([loopback](const httplib::Request& req, httplib::Response& res) {
    // Bound to loopback, answer only requests addressed to loopback: a web page elsewhere
    // cannot read the board through a name it rebinds to 127.0.0.1 (DNS rebinding).
    if (loopback && req.has_header("Host") && !IsLoopback(HostOfHeader(req.get_header_value("Host")))) {
      res.status = 403;
      res.set_content("403 Forbidden: not a loopback Host\n", "text/plain");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (req.method == "GET" || req.method == "HEAD") {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    if (KnownPath(req.path)) {
      res.status = 405;
      res.set_header("Allow", "GET, HEAD");
      res.set_content("405 Method Not Allowed: the wallboard is read-only\n", "text/plain");
    } else {
      res.status = 404;
      res.set_content("404 Not Found\n", "text/plain");
    }
    return httplib::Server::HandlerResponse::Handled;
  });
  http.Get("/", [&engine](const httplib::Request&, httplib::Response& res) {
    std::string stats = engine.Read([](const Engine& e) { return WallboardStatsJson(e); });
    res.set_content(WallboardPage(stats), "text/html; charset=utf-8");
  });
  http.Get(std::string(kStatsPath), [&engine](const httplib::Request&, httplib::Response& res) {
    res.set_content(engine.Read([](const Engine& e) { return WallboardStatsJson(e); }),
                    "application/json");
  });
  http.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.body.empty()) {
      res.set_content(fmt::format("{} {}\n", res.status,
                                  res.status == 404 ? "Not Found" : "Error"),
                      "text/plain");
    }
  });

  int bound = port == 0 ? http.bind_to_any_port(bind_host)
                        : (http.bind_to_port(bind_host, port) ? port : -1);
  if (bound < 0) {
    return absl::UnavailableError(fmt::format(
        "cannot bind the wallboard to {}:{}: the port is in use, or the host is not an address "
        "of this machine",
        host, port));
  }
  Server* s = server.get();
  s->thread = std::thread([s] {
    s->http.listen_after_bind();
    s->listen_returned = true;
  });
  // Stop() must find the server running, or stop() would miss it and join() wait forever.
  while (!s->http.is_running() && !s->listen_returned) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (s->listen_returned) {
    s->thread.join();
    return absl::UnavailableError(fmt::format("the wallboard on {}:{} stopped at once", host, bound));
  }
  return std::unique_ptr<Wallboard>(new Wallboard(std::move(server), bound));
}

}  // namespace switchboard::host
