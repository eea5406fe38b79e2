// The name of an actor (actor.h).
#include "switchboard/actor.h"

#include <string>

namespace switchboard {

std::string ActorName(const Actor& actor) {
  switch (actor.kind) {
    case Actor::Kind::kSystem:
      return "system";
    case Actor::Kind::kHost:
      return actor.id.empty() ? "host" : "host:" + actor.id;
    case Actor::Kind::kAgent:
      return "agent:" + actor.id;
    case Actor::Kind::kSupervisor:
      return "supervisor:" + actor.id;
  }
  return "?";
}

}  // namespace switchboard
