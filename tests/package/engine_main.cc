// A host that routes contacts: uses the installed switchboard::engine through its umbrella header
// only (one queue, one agent, one contact). Prints the events; fails unless the contact was
// offered to the agent.
#include <cstdlib>
#include <iostream>

#include "switchboard/switchboard.h"

namespace {

bool Check(const absl::Status& status) {
  if (!status.ok()) std::cerr << "error: " << status << "\n";
  return status.ok();
}

}  // namespace

int main() {
  switchboard::Engine engine;
  const absl::Time t = absl::FromUnixSeconds(1700000000);
  if (!Check(engine.AddQueue(t, {.id = "support", .requirement = "support >= 1"})) ||
      !Check(engine.AddAgent(t, {.id = "a1", .skills = {{"support", 5}}})) ||
      !Check(engine.Login(t, "a1", /*ready=*/true)) ||
      !Check(engine.AddContact(t, {.id = "c1", .queue = "support"}))) {
    return EXIT_FAILURE;
  }

  bool offered = false;
  for (const switchboard::Event& event : engine.DrainEvents()) {
    std::cout << switchboard::FormatEvent(event) << "\n";
    if (event.type == switchboard::EventType::kContactOffered && event.contact_id == "c1" &&
        event.agent_id == "a1") {
      offered = true;
    }
  }
  if (!offered) {
    std::cerr << "error: c1 was not offered to a1\n";
    return EXIT_FAILURE;
  }
  std::cout << "switchboard engine consumer: OK\n";
  return EXIT_SUCCESS;
}
