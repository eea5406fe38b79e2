// A test center: an engine with helpers that fail the test on any unexpected error, and the
// offers and events it produced. Shared by the routing tests.
#ifndef SWITCHBOARD_TESTS_CENTER_H_
#define SWITCHBOARD_TESTS_CENTER_H_

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "engine_with.h"
#include "switchboard/switchboard.h"

namespace switchboard::testing {

inline const absl::Time kStart = absl::FromUnixSeconds(1700000000);
inline absl::Time At(double seconds) { return kStart + absl::Seconds(seconds); }

// An engine with helpers that fail the test on any unexpected error.
struct Center {
  explicit Center(EngineOptions options = {}) : engine(EngineWith(options)) {}

  void Queue(QueueConfig config) { REQUIRE(engine.AddQueue(now, std::move(config)).ok()); }
  void Agent(AgentConfig config, bool login = true) {
    const std::string id = config.id;
    const absl::Status added = engine.AddAgent(now, std::move(config));
    INFO(added.message());
    REQUIRE(added.ok());
    if (login) REQUIRE(engine.Login(now, id, /*ready=*/true).ok());
  }
  void Contact(ContactConfig config) { REQUIRE(engine.AddContact(now, std::move(config)).ok()); }
  void Advance(double seconds) {
    now += absl::Seconds(seconds);
    REQUIRE(engine.AdvanceTo(now).ok());
  }
  // The contact offered to `agent` now, or "".
  std::string OfferedTo(const std::string& agent) {
    for (const auto& [contact, holder] : offers) {
      if (holder == agent) return contact;
    }
    return "";
  }
  // Drains events into `offers` (contact -> agent) and `log`.
  void Drain() {
    for (const Event& event : engine.DrainEvents()) {
      log.push_back(FormatEvent(event));
      if (event.type == EventType::kContactOffered) offers[event.contact_id] = event.agent_id;
      if (event.type == EventType::kOfferAccepted || event.type == EventType::kOfferRejected ||
          event.type == EventType::kOfferTimedOut || event.type == EventType::kOfferWithdrawn) {
        offers.erase(event.contact_id);
      }
    }
  }
  std::string AgentOf(const std::string& contact) {
    absl::StatusOr<ContactInfo> info = engine.GetContact(contact);
    REQUIRE(info.ok());
    return info->agent;
  }
  // Accepts and completes the contact offered to `agent`; returns its id.
  std::string Serve(const std::string& agent) {
    Drain();
    const std::string contact = OfferedTo(agent);
    REQUIRE(!contact.empty());
    REQUIRE(engine.Accept(now, agent, contact).ok());
    REQUIRE(engine.Complete(now, agent, contact).ok());
    Drain();
    return contact;
  }

  Engine engine;
  absl::Time now = kStart;
  std::map<std::string, std::string> offers;
  std::vector<std::string> log;
};

// Whether a line of the drained events contains `text`.
inline bool Logged(const Center& c, const std::string& text) {
  return std::any_of(c.log.begin(), c.log.end(), [&](const std::string& line) {
    return line.find(text) != std::string::npos;
  });
}

inline AgentConfig Skilled(std::string id, std::map<std::string, int, std::less<>> skills) {
  AgentConfig config;
  config.id = std::move(id);
  config.skills = std::move(skills);
  return config;
}

}  // namespace switchboard::testing

#endif  // SWITCHBOARD_TESTS_CENTER_H_
