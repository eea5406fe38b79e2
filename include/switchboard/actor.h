// Who issued a command: recorded on every event it causes, for audit.
#ifndef SWITCHBOARD_ACTOR_H_
#define SWITCHBOARD_ACTOR_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace switchboard {

struct Actor {
  enum class Kind : uint8_t { kSystem, kAgent, kSupervisor, kHost };
  Kind kind = Kind::kHost;
  // The agent's or supervisor's id; empty for the system and the host.
  std::string id;

  static Actor System() { return {Kind::kSystem, ""}; }
  static Actor Host() { return {Kind::kHost, ""}; }
  static Actor Agent(std::string id) { return {Kind::kAgent, std::move(id)}; }
  static Actor Supervisor(std::string id) { return {Kind::kSupervisor, std::move(id)}; }
};

// "system", "host", "agent:a17", "supervisor:s1".
std::string ActorName(const Actor& actor);

}  // namespace switchboard

#endif  // SWITCHBOARD_ACTOR_H_
