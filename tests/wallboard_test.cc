// The supervisor's wallboard (host/wallboard.h): the numbers of /api/stats on a small engine,
// and the HTTP server answering a real client.
#include "host/wallboard.h"

#include <httplib.h>

#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <utility>

#include "fmt/format.h"
#include "nlohmann/json.hpp"
#include "switchboard/shared_engine.h"
#include "switchboard/switchboard.h"

namespace switchboard::host {
namespace {

using nlohmann::json;

// 2026-01-05 00:00:00 UTC: the start of a 15-minute interval.
constexpr int64_t kDayStart = 1767571200;

absl::Time At(double seconds) { return absl::FromUnixSeconds(kDayStart) + absl::Seconds(seconds); }

void Ok(const absl::Status& status) {
  INFO(std::string(status.ToString()));
  REQUIRE(status.ok());
}

// Queue "support" (service level 20 s). Team blue: a1 busy with c1 (answered after 5 s), a2 not
// ready; team red: a3 logged out; a4 in no team, logged out. c2 waits since 20 s, c3 abandoned
// at 50 s. The engine's time: 50 s.
Engine SmallEngine() {
  Engine engine;
  Ok(engine.AddQueue(At(0), {.id = "support"}));
  Ok(engine.AddAgent(At(0), {.id = "a1", .team = "blue"}));
  Ok(engine.AddAgent(At(0), {.id = "a2", .team = "blue"}));
  Ok(engine.AddAgent(At(0), {.id = "a3", .team = "red"}));
  Ok(engine.AddAgent(At(0), {.id = "a4"}));
  Ok(engine.Login(At(0), "a1", /*ready=*/true));
  Ok(engine.Login(At(0), "a2", /*ready=*/false));
  Ok(engine.AddContact(At(10), {.id = "c1", .queue = "support"}));  // offered to a1
  Ok(engine.Accept(At(15), "a1", "c1"));
  Ok(engine.AddContact(At(20), {.id = "c2", .queue = "support"}));
  Ok(engine.AddContact(At(30), {.id = "c3", .queue = "support"}));
  Ok(engine.Abandon(At(50), "c3"));
  engine.DrainEvents();
  return engine;
}

json Agents(int logged_out, int not_ready, int available, int reserved, int busy, int wrap_up) {
  return {{"logged_out", logged_out}, {"not_ready", not_ready}, {"available", available},
          {"reserved", reserved},     {"busy", busy},           {"wrap_up", wrap_up}};
}

TEST_CASE("Stats JSON counts a queue's waiting contacts, service levels and agents by state",
          "[wallboard]") {
  Engine engine = SmallEngine();
  json stats = json::parse(WallboardStatsJson(engine));

  CHECK(stats["now"] == "2026-01-05T00:00:50+00:00");
  CHECK(stats["interval"] ==
        json({{"start", "2026-01-05T00:00:00+00:00"}, {"end", "2026-01-05T00:15:00+00:00"}}));
  REQUIRE(stats["queues"].size() == 1);
  const json& q = stats["queues"][0];
  CHECK(q["id"] == "support");
  CHECK(q["open"] == true);
  CHECK(q["waiting"] == 1);
  CHECK(q["longest_wait"].get<double>() == Approx(30));
  CHECK(q["service_level_now"].get<double>() == Approx(0.5));       // 1 within 20 s, 1 abandoned
  CHECK(q["service_level_interval"].get<double>() == Approx(0.5));
  CHECK(q["offered_interval"] == 3);
  CHECK(q["answered_interval"] == 1);
  CHECK(q["abandoned_interval"] == 1);
  CHECK(q["agents"] == Agents(2, 1, 0, 0, 1, 0));
}

TEST_CASE("Stats JSON groups agents by team in the order of their first agent", "[wallboard]") {
  Engine engine = SmallEngine();
  json stats = json::parse(WallboardStatsJson(engine));

  REQUIRE(stats["teams"].size() == 2);  // a4 has no team: in the totals only
  const json& blue = stats["teams"][0];
  CHECK(blue["id"] == "blue");
  CHECK(blue["agents"] == Agents(0, 1, 0, 0, 1, 0));
  CHECK(blue["offered_interval"] == 1);
  CHECK(blue["answered_interval"] == 1);
  CHECK(blue["service_level_interval"].get<double>() == Approx(1.0));
  const json& red = stats["teams"][1];
  CHECK(red["id"] == "red");
  CHECK(red["agents"] == Agents(1, 0, 0, 0, 0, 0));
  CHECK(red["answered_interval"] == 0);

  const json& totals = stats["totals"];
  CHECK(totals["waiting"] == 1);
  CHECK(totals["longest_wait"].get<double>() == Approx(30));
  CHECK(totals["answered_interval"] == 1);
  CHECK(totals["abandoned_interval"] == 1);
  CHECK(totals["service_level_interval"].get<double>() == Approx(0.5));
  CHECK(totals["agents"] == Agents(2, 1, 0, 0, 1, 0));
}

TEST_CASE("Stats JSON of an engine without commands has a null time and no rows",
          "[wallboard]") {
  Engine engine;
  json stats = json::parse(WallboardStatsJson(engine));
  CHECK(stats["now"].is_null());
  CHECK(stats["interval"].is_null());
  CHECK(stats["queues"].empty());
  CHECK(stats["teams"].empty());
  CHECK(stats["totals"]["agents"] == Agents(0, 0, 0, 0, 0, 0));
  CHECK(stats["totals"]["service_level_interval"].get<double>() == Approx(1.0));
}

TEST_CASE("Stats JSON gives null interval values when the engine keeps no events",
          "[wallboard]") {
  absl::StatusOr<Engine> engine = Engine::Create({.record_events = false});
  REQUIRE(engine.ok());
  Ok(engine->AddQueue(At(0), {.id = "support"}));
  Ok(engine->AddContact(At(5), {.id = "c1", .queue = "support"}));
  json stats = json::parse(WallboardStatsJson(*engine));
  const json& q = stats["queues"][0];
  CHECK(q["waiting"] == 1);
  CHECK(q["service_level_interval"].is_null());
  CHECK(q["agents"].is_null());
  CHECK(stats["totals"]["answered_interval"].is_null());
}

TEST_CASE("Element ids are stable and escape what an HTML id cannot hold", "[wallboard]") {
  CHECK(WallboardElementId("q", "support", "waiting") == "q-support-waiting");
  CHECK(WallboardElementId("team", "blue", "available") == "team-blue-available");
  CHECK(WallboardElementId("q", "sales eu", "sl-now") == "q-sales_20eu-sl-now");
  CHECK(WallboardElementId("q", "a_b", "waiting") == "q-a_5fb-waiting");
  CHECK(WallboardElementId("total", "", "busy") == "total-busy");
}

TEST_CASE("IsLoopback accepts loopback addresses only", "[wallboard]") {
  for (const char* host : {"127.0.0.1", "127.1.2.3", "localhost", "LocalHost", "::1", "[::1]",
                           "::ffff:127.0.0.1"}) {
    INFO(host);
    CHECK(IsLoopback(host));
  }
  for (const char* host : {"0.0.0.0", "::", "192.168.1.10", "128.0.0.1", "example.com",
                           "localhost.example.com", "", "[::2]"}) {
    INFO(host);
    CHECK_FALSE(IsLoopback(host));
  }
}

TEST_CASE("The page shows the numbers under their element ids and escapes names",
          "[wallboard]") {
  Engine engine;
  Ok(engine.AddQueue(At(0), {.id = "<b>&q"}));
  std::string page = WallboardPage(WallboardStatsJson(engine));
  CHECK(page.find("data-id=\"&lt;b&gt;&amp;q\"") != std::string::npos);
  CHECK(page.find("<b>&q") == std::string::npos);
  CHECK(page.find(R"(id="q-_3cb_3e_26q-waiting" data-key="waiting" data-fmt="n">0<)") !=
        std::string::npos);
}

// A Wallboard on 127.0.0.1, any port, over a SharedEngine holding SmallEngine.
struct Served {
  Served() : shared(SmallEngine(), [] { return At(50); }) {
    absl::StatusOr<std::unique_ptr<Wallboard>> started = Wallboard::Start(shared, "127.0.0.1", 0);
    INFO(std::string(started.status().ToString()));
    REQUIRE(started.ok());
    board = *std::move(started);
    REQUIRE(board->port() > 0);
  }
  std::string Json() const {
    return shared.Read([](const Engine& e) { return WallboardStatsJson(e); });
  }
  SharedEngine shared;
  std::unique_ptr<Wallboard> board;
};

TEST_CASE("A started wallboard serves the stats JSON and the page", "[wallboard][http]") {
  Served served;
  httplib::Client client("127.0.0.1", served.board->port());

  httplib::Result stats = client.Get("/api/stats");
  REQUIRE(stats);
  CHECK(stats->status == 200);
  CHECK(stats->get_header_value("Content-Type") == "application/json");
  CHECK(stats->body == served.Json());

  httplib::Result page = client.Get("/");
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK(page->get_header_value("Content-Type") == "text/html; charset=utf-8");
  for (const char* id : {"q-support-waiting", "q-support-sl-now", "q-support-sl-interval",
                         "q-support-longest-wait", "team-blue-available", "team-red-logged-out",
                         "total-waiting", "updated"}) {
    INFO(id);
    CHECK(page->body.find(fmt::format("id=\"{}\"", id)) != std::string::npos);
  }
  CHECK(page->body.find(R"(id="q-support-waiting" data-key="waiting" data-fmt="n">1<)") !=
        std::string::npos);
  CHECK(page->body.find(R"(id="q-support-sl-now" data-key="service_level_now" data-fmt="pct">50.0%<)") !=
        std::string::npos);
  CHECK(page->body.find("fetch(\"/api/stats\"") != std::string::npos);
}

TEST_CASE("The wallboard is read-only: other methods get 405, other paths 404",
          "[wallboard][http]") {
  Served served;
  httplib::Client client("127.0.0.1", served.board->port());
  std::string before = served.Json();

  httplib::Result post = client.Post("/api/stats", "{}", "application/json");
  REQUIRE(post);
  CHECK(post->status == 405);
  CHECK(post->get_header_value("Allow") == "GET, HEAD");
  httplib::Result put = client.Put("/", "x", "text/plain");
  REQUIRE(put);
  CHECK(put->status == 405);
  httplib::Result del = client.Delete("/api/stats");
  REQUIRE(del);
  CHECK(del->status == 405);
  httplib::Result nope = client.Get("/nope");
  REQUIRE(nope);
  CHECK(nope->status == 404);
  httplib::Result post_nope = client.Post("/nope", "", "text/plain");
  REQUIRE(post_nope);
  CHECK(post_nope->status == 404);
  CHECK(served.Json() == before);
}

TEST_CASE("The wallboard refuses a Host that is not loopback when bound to loopback",
          "[wallboard][http]") {
  Served served;
  httplib::Client client("127.0.0.1", served.board->port());
  httplib::Result rebound = client.Get("/api/stats", {{"Host", "evil.example:80"}});
  REQUIRE(rebound);
  CHECK(rebound->status == 403);
  httplib::Result local = client.Get("/api/stats", {{"Host", "localhost"}});
  REQUIRE(local);
  CHECK(local->status == 200);
}

TEST_CASE("The stats served change after a command is executed", "[wallboard][http]") {
  Served served;
  httplib::Client client("127.0.0.1", served.board->port());
  httplib::Result before = client.Get("/api/stats");
  REQUIRE(before);
  CHECK(json::parse(before->body)["queues"][0]["waiting"] == 1);

  Command command;
  command.now = At(60);
  command.body = AddContact{{.id = "c4", .queue = "support"}};
  Ok(served.shared.Execute(command));

  httplib::Result after = client.Get("/api/stats");
  REQUIRE(after);
  json stats = json::parse(after->body);
  CHECK(stats["now"] == "2026-01-05T00:01:00+00:00");
  CHECK(stats["queues"][0]["waiting"] == 2);
  CHECK(stats["queues"][0]["longest_wait"].get<double>() == Approx(40));
  CHECK(stats["queues"][0]["offered_interval"] == 4);
}

TEST_CASE("Start refuses a port out of range and one already bound", "[wallboard][http]") {
  Served served;
  absl::StatusOr<std::unique_ptr<Wallboard>> bad = Wallboard::Start(served.shared, "127.0.0.1", 70000);
  CHECK(bad.status().code() == absl::StatusCode::kInvalidArgument);
  absl::StatusOr<std::unique_ptr<Wallboard>> taken =
      Wallboard::Start(served.shared, "127.0.0.1", served.board->port());
  CHECK(taken.status().code() == absl::StatusCode::kUnavailable);
}

TEST_CASE("Stop ends serving and may be called twice", "[wallboard][http]") {
  Served served;
  int port = served.board->port();
  served.board->Stop();
  served.board->Stop();
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(1);
  CHECK_FALSE(client.Get("/api/stats"));
}

}  // namespace
}  // namespace switchboard::host
