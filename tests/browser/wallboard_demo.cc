// A stand-in for `switchboard serve` in the wallboard's browser test, until the daemon lands: an
// engine behind a Wallboard on 127.0.0.1 (any port), driven by the daemon's request lines on
// standard input. Test-only; not the daemon's protocol, only as much of it as the test sends:
//   {"id": 1, "op": "add_queue",   "at": 1700000000, "args": {"id": "support"}}
//   {"id": 2, "op": "add_agent",   "at": 1700000000, "args": {"id": "a1", "team": "blue"}}
//   {"id": 3, "op": "login",       "at": 1700000000, "args": {"agent": "a1", "ready": true}}
//   {"id": 4, "op": "add_contact", "at": 1700000001, "args": {"id": "c1", "queue": "support"}}
// Prints "wallboard: http://127.0.0.1:PORT/" on standard error once serving, then one reply per
// line on standard output ({"id": N, "ok": true} or {"id": N, "ok": false, "error": "..."}),
// and exits when standard input ends.
#include <iostream>
#include <memory>
#include <string>

#include "absl/time/clock.h"
#include "host/wallboard.h"
#include "nlohmann/json.hpp"
#include "switchboard/shared_engine.h"
#include "switchboard/switchboard.h"

namespace {

using nlohmann::json;
using switchboard::Command;

// The command a request line names; throws json exceptions on a malformed one.
absl::StatusOr<Command> Parse(const json& request) {
  Command command;
  command.now = absl::FromUnixSeconds(request.at("at").get<int64_t>());
  const std::string op = request.at("op").get<std::string>();
  const json args = request.value("args", json::object());
  if (op == "add_queue") {
    command.body = switchboard::AddQueue{{.id = args.at("id").get<std::string>()}};
  } else if (op == "add_agent") {
    command.body = switchboard::AddAgent{{.id = args.at("id").get<std::string>(),
                                          .team = args.value("team", std::string())}};
  } else if (op == "login") {
    command.body = switchboard::Login{.agent = args.at("agent").get<std::string>(),
                                      .ready = args.value("ready", false)};
  } else if (op == "add_contact") {
    command.body = switchboard::AddContact{{.id = args.at("id").get<std::string>(),
                                            .queue = args.at("queue").get<std::string>()}};
  } else {
    return absl::InvalidArgumentError("unknown op '" + op + "'");
  }
  return command;
}

}  // namespace

int main() {
  switchboard::SharedEngine engine(switchboard::Engine(), [] { return absl::Now(); });
  absl::StatusOr<std::unique_ptr<switchboard::host::Wallboard>> board =
      switchboard::host::Wallboard::Start(engine, "127.0.0.1", 0);
  if (!board.ok()) {
    std::cerr << "wallboard_demo: " << board.status() << "\n";
    return 1;
  }
  std::cerr << "wallboard: http://127.0.0.1:" << (*board)->port() << "/" << std::endl;
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.empty()) continue;
    json reply;
    try {
      json request = json::parse(line);
      reply["id"] = request.value("id", json());
      absl::StatusOr<Command> command = Parse(request);
      absl::Status status = command.ok() ? engine.Execute(*command) : command.status();
      reply["ok"] = status.ok();
      if (!status.ok()) reply["error"] = status.ToString();
    } catch (const json::exception& e) {
      reply["ok"] = false;
      reply["error"] = e.what();
    }
    std::cout << reply.dump() << std::endl;
  }
  return 0;
}
