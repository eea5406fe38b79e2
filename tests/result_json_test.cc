// The host's JSON of query results and events (src/host/result_json.h): the Python bindings'
// keys for every field, RFC 3339 times, durations in seconds, enums by name, null where Python
// gives None.
#include "host/result_json.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine_with.h"
#include "switchboard/switchboard.h"

namespace switchboard::host {
namespace field_count {

// The number of fields of an aggregate: how many initializers it takes (boost.pfr's way). A
// field added to a struct changes it, and the static_asserts below send whoever adds it here.
// Outside the unnamed namespace: its conversion is declared only (requires-expressions never
// call it), which an internal-linkage function may not be (clang's -Wundefined-internal).
struct AnyField {
  template <typename T>
  operator T() const;
};

template <typename T, typename... Fields>
constexpr size_t FieldCount() {
  if constexpr (requires { T{Fields{}..., AnyField{}}; }) {
    return FieldCount<T, Fields..., AnyField>();
  } else {
    return sizeof...(Fields);
  }
}

}  // namespace field_count

namespace {

using nlohmann::json;
using Keys = std::set<std::string>;

const absl::Time kStart = absl::FromUnixSeconds(1700000000);  // 2023-11-14T22:13:20+00:00
absl::Time At(double seconds) { return kStart + absl::Seconds(seconds); }

// The Python bindings' keys for each object (bindings/src/records.cc, events.cc,
// live_bindings.cc; bindings/switchboard/_core.pyi). The JSON must have exactly these.
const Keys kEventKeys = {"sequence", "time",     "type",    "actor",      "cause",    "contact",
                         "agent",    "queue",    "channel", "from_state", "to_state", "reason",
                         "target",   "outcome",  "deadline", "wait_s",    "ewt_s"};
const Keys kQueueStatsKeys = {
    "queue",         "open",          "waiting",      "longest_wait_s", "offered",
    "rejected",      "answered",      "answered_within_threshold",      "abandoned",
    "removed",       "completed",     "offers",       "offers_missed",  "overflowed",
    "transferred",   "callbacks",     "callbacks_connected",            "callbacks_failed",
    "deflected",     "voicemail",     "disconnected", "service_level",  "asa_s",
    "ewt_error_s",   "ewt_bias_s",    "dispositions", "reserve_active", "reserve_service_level"};
const Keys kAgentStatsKeys = {"agent",           "team",            "state",           "not_ready_reason",
                              "time_in_state_s", "contacts_handled", "contacts_handled_total",
                              "active_contacts", "time_by_state_s", "occupancy",
                              "routable",        "dispositions",    "not_routable_reason",
                              "transfers",       "consults"};
const Keys kContactKeys = {"id",       "queue",          "channel",        "state",    "agent",
                           "arrival",  "priority",       "priority_class", "attributes",
                           "estimated_wait_s", "position", "step",         "held_for"};
const Keys kVerdictKeys = {"agent", "reason", "until"};
const Keys kExplanationKeys = {"contact",     "virtual_arrival", "requirement", "agents",
                               "next_change", "text"};
const Keys kOfferExplanationKeys = {"contact",   "agent",     "queue",         "strategy",
                                    "agent_key", "runner_up", "runner_up_key", "text"};
const Keys kIntervalStatsKeys = {"scope", "id", "as_of", "now", "current", "previous"};
const Keys kLiveValuesKeys = {"agents_by_state", "waiting", "longest_wait_s"};
const Keys kKpisKeys = {"start",         "end",          "offered", "answered",
                        "answered_within_threshold",     "abandoned", "handled",
                        "service_level", "abandon_rate", "asa_s",   "max_wait_s",
                        "aht_s",         "time_by_state_s",         "occupancy"};
const Keys kStateKeys = {"logged_out", "not_ready", "available", "reserved", "busy", "wrap_up"};

// Each struct has one key per field: a new field needs its key in result_json.cc (named as the
// Python bindings name it) and in the key set above.
static_assert(field_count::FieldCount<Event>() == 17);
static_assert(field_count::FieldCount<QueueStats>() == 28);
static_assert(field_count::FieldCount<AgentStats>() == 15);
static_assert(field_count::FieldCount<ContactInfo>() == 13);
static_assert(field_count::FieldCount<Explanation::Agent>() == 3);
static_assert(field_count::FieldCount<Explanation>() == 6);
static_assert(field_count::FieldCount<OfferExplanation>() == 8);
static_assert(field_count::FieldCount<IntervalStats>() == 6);
static_assert(field_count::FieldCount<LiveValues>() == 3);
static_assert(field_count::FieldCount<IntervalKpis>() == 14);

Keys KeysOf(const json& object) {
  REQUIRE(object.is_object());
  Keys keys;
  for (const auto& [key, value] : object.items()) keys.insert(key);
  return keys;
}

std::string Rfc3339(absl::Time t) {
  return absl::FormatTime(absl::RFC3339_full, t, absl::UTCTimeZone());
}

// A center at kStart+75 s: queue "support" (timed wrap-up of 30 s); a1 served c1 (accepted at
// +5 s, completed at +65 s with disposition "resolved", now in wrap-up); c2 rings at a2 since
// +71 s; c3 waits since +72 s; a3 is not ready ("lunch"). `events` holds every event so far.
struct Scenario {
  Scenario() : engine(EngineWith({})) {
    REQUIRE(engine
                .AddQueue(kStart, {.id = "support",
                                   .requirement = "support >= 1",
                                   .wrap_up = {.mode = WrapUpPolicy::Mode::kTimed,
                                               .duration = absl::Seconds(30)}})
                .ok());
    for (const char* id : {"a1", "a2", "a3"}) {
      AgentConfig agent;
      agent.id = id;
      agent.skills = {{"support", 3}};
      REQUIRE(engine.AddAgent(kStart, agent).ok());
    }
    REQUIRE(engine.Login(kStart, "a1", /*ready=*/true, Actor::Agent("a1")).ok());
    REQUIRE(engine.Login(kStart, "a3").ok());
    REQUIRE(engine.SetNotReady(kStart, "a3", "lunch").ok());
    REQUIRE(engine
                .AddContact(At(2.25), {.id = "c1",
                                       .queue = "support",
                                       .priority = 2,
                                       .attributes = {{"tier", "gold"}, {"value", 12.5}}})
                .ok());
    REQUIRE(engine.Accept(At(5), "a1", "c1", Actor::Agent("a1")).ok());
    REQUIRE(engine.Execute({.now = At(65),
                            .actor = Actor::Agent("a1"),
                            .body = CompleteContact{.agent = "a1",
                                                       .contact = "c1",
                                                       .disposition = "resolved"}})
                .ok());
    REQUIRE(engine.Login(At(70), "a2", /*ready=*/true).ok());
    REQUIRE(engine.AddContact(At(71), {.id = "c2", .queue = "support"}).ok());
    REQUIRE(engine
                .AddContact(At(72), {.id = "c3",
                                     .channel = Channel::kChat,
                                     .queue = "support",
                                     .attributes = {{"lang", "de"}}})
                .ok());
    REQUIRE(engine.AdvanceTo(At(75)).ok());
    events = engine.DrainEvents();
  }

  // The first event of `type` about `contact` (any contact when empty); fails the test if none.
  const Event& First(EventType type, const std::string& contact = "") const {
    const auto it = std::find_if(events.begin(), events.end(), [&](const Event& e) {
      return e.type == type && (contact.empty() || e.contact_id == contact);
    });
    INFO(EventTypeName(type));
    REQUIRE(it != events.end());
    return *it;
  }

  Engine engine;
  std::vector<Event> events;
};

TEST_CASE("Every event has the Python binding's keys", "[result_json]") {
  const Scenario s;
  REQUIRE(!s.events.empty());
  for (const Event& event : s.events) {
    const json j = EventToJson(event);
    INFO(j.dump());
    CHECK(KeysOf(j) == kEventKeys);
    CHECK(j["sequence"].is_number_unsigned());
    CHECK(j["sequence"] == event.sequence);
    CHECK(j["time"] == Rfc3339(event.time));
    CHECK(j["type"] == std::string(EventTypeName(event.type)));
    CHECK(j["actor"] == ActorName(event.actor));
    CHECK(j["cause"] == std::string(CauseName(event.cause)));
  }
}

TEST_CASE("Events of the common kinds", "[result_json]") {
  const Scenario s;

  SECTION("queue_added: no contact, agent, channel, states, outcome, deadline or wait") {
    const json j = EventToJson(s.First(EventType::kQueueAdded));
    CHECK(j["time"] == "2023-11-14T22:13:20+00:00");
    CHECK(j["actor"] == "host");
    CHECK(j["cause"] == "command");
    CHECK(j["queue"] == "support");
    for (const char* key : {"contact", "agent", "channel", "from_state", "to_state", "reason",
                            "target", "outcome", "deadline", "wait_s", "ewt_s"}) {
      INFO(key);
      CHECK(j[key].is_null());
    }
  }

  SECTION("agent_state_changed: the states by name, the actor by ActorName") {
    const Event& login = s.First(EventType::kAgentStateChanged);
    const json j = EventToJson(login);
    CHECK(j["agent"] == "a1");
    CHECK(j["actor"] == "agent:a1");
    CHECK(j["from_state"] == "logged_out");
    CHECK(j["to_state"] == "available");
    CHECK(j["contact"].is_null());
    CHECK(j["channel"].is_null());
    const auto lunch = std::find_if(s.events.begin(), s.events.end(), [](const Event& e) {
      return e.type == EventType::kAgentStateChanged && e.reason == "lunch";
    });
    REQUIRE(lunch != s.events.end());
    const json not_ready = EventToJson(*lunch);
    CHECK(not_ready["agent"] == "a3");
    CHECK(not_ready["to_state"] == "not_ready");
    CHECK(not_ready["reason"] == "lunch");
  }

  SECTION("contact_queued: the channel and the estimated wait in seconds") {
    const json j = EventToJson(s.First(EventType::kContactQueued, "c3"));
    CHECK(j["time"] == "2023-11-14T22:14:32+00:00");
    CHECK(j["channel"] == "chat");
    CHECK(j["queue"] == "support");
    REQUIRE(j["ewt_s"].is_number_float());
    CHECK(j["ewt_s"].get<double>() >= 0);
    CHECK(j["outcome"].is_null());
    CHECK(j["from_state"].is_null());
  }

  SECTION("contact_offered: the offer's deadline as RFC 3339 with its fraction, the wait") {
    const Event& offered = s.First(EventType::kContactOffered, "c1");
    const json j = EventToJson(offered);
    CHECK(j["time"] == "2023-11-14T22:13:22.25+00:00");
    CHECK(j["agent"] == "a1");
    CHECK(j["channel"] == "voice");
    CHECK(j["cause"] == "routing");
    CHECK(j["deadline"] == "2023-11-14T22:13:37.25+00:00");  // + the 15 s offer timeout
    REQUIRE(j["wait_s"].is_number_float());
    CHECK(j["wait_s"].get<double>() == 0.0);
    CHECK(j["ewt_s"].is_null());
  }

  SECTION("offer_accepted: the wait in seconds") {
    const json j = EventToJson(s.First(EventType::kOfferAccepted, "c1"));
    CHECK(j["actor"] == "agent:a1");
    CHECK(j["wait_s"].get<double>() == Approx(2.75));
    CHECK(j["deadline"].is_null());
    CHECK(j["channel"].is_null());
  }

  SECTION("contact_completed: the outcome by name, the disposition as reason") {
    const json j = EventToJson(s.First(EventType::kContactCompleted, "c1"));
    CHECK(j["outcome"] == "completed");
    CHECK(j["reason"] == "resolved");
    CHECK(j["agent"] == "a1");
    CHECK(j["wait_s"].is_number_float());
  }

  SECTION("wrap_up_started: its end as deadline") {
    const json j = EventToJson(s.First(EventType::kWrapUpStarted, "c1"));
    CHECK(j["deadline"] == "2023-11-14T22:14:55+00:00");  // +65 s + 30 s
    CHECK(j["outcome"].is_null());
  }

  SECTION("An untimed deadline (InfiniteFuture) and an unknown outcome's absence are null") {
    Event event;
    event.type = EventType::kWrapUpStarted;
    event.time = kStart;
    event.actor = Actor::Supervisor("s1");
    const json j = EventToJson(event);
    CHECK(j["deadline"].is_null());
    CHECK(j["actor"] == "supervisor:s1");
    CHECK(j["wait_s"].is_null());
  }

  SECTION("contact_transferred: the target") {
    Event event;
    event.type = EventType::kContactTransferred;
    event.time = kStart;
    event.contact_id = "c9";
    event.queue_id = "support";
    event.target = "billing";
    const json j = EventToJson(event);
    CHECK(j["target"] == "billing");
    CHECK(j["queue"] == "support");
  }
}

TEST_CASE("Queue statistics: every key, counts as integers, durations in seconds",
          "[result_json]") {
  const Scenario s;
  const QueueStats stats = *s.engine.GetQueueStats("support");
  const json j = QueueStatsToJson(stats);
  INFO(j.dump());
  CHECK(KeysOf(j) == kQueueStatsKeys);
  CHECK(j["queue"] == "support");
  CHECK(j["open"] == true);
  // Every count, as an integer: c1 answered and completed, c2 ringing, c3 waiting.
  const std::map<std::string, int> counts = {
      {"waiting", 1},         {"offered", 3},           {"rejected", 0},
      {"answered", 1},        {"answered_within_threshold", 1},
      {"abandoned", 0},       {"removed", 0},           {"completed", 1},
      {"offers", 2},          {"offers_missed", 0},     {"overflowed", 0},
      {"transferred", 0},     {"callbacks", 0},         {"callbacks_connected", 0},
      {"callbacks_failed", 0}, {"deflected", 0},        {"voicemail", 0},
      {"disconnected", 0}};
  for (const auto& [key, count] : counts) {
    INFO(key);
    CHECK(j[key].is_number_integer());
    CHECK(j[key] == count);
  }
  CHECK(j["longest_wait_s"].get<double>() == 3.0);  // c3, since +72 s
  CHECK(j["asa_s"].get<double>() == 2.75);
  CHECK(j["service_level"].get<double>() == 1.0);
  CHECK(j["ewt_error_s"].is_number_float());
  CHECK(j["ewt_bias_s"].get<double>() == Approx(absl::ToDoubleSeconds(stats.ewt_bias)));
  CHECK(j["dispositions"] == json{{"resolved", 1}});
  CHECK(j["reserve_active"] == false);
  CHECK(j["reserve_service_level"].get<double>() == 1.0);
}

TEST_CASE("Agent statistics: every key, the state by name, reasons null when none",
          "[result_json]") {
  const Scenario s;

  SECTION("An agent in wrap-up that served a contact") {
    const AgentStats stats = *s.engine.GetAgentStats("a1");
    const json j = AgentStatsToJson(stats);
    INFO(j.dump());
    CHECK(KeysOf(j) == kAgentStatsKeys);
    CHECK(j["agent"] == "a1");
    CHECK(j["state"] == "wrap_up");
    CHECK(j["not_ready_reason"].is_null());
    CHECK(j["time_in_state_s"].get<double>() == 10.0);  // since +65 s
    CHECK(j["contacts_handled"] == 1);
    CHECK(j["contacts_handled_total"] == 1);
    CHECK(j["active_contacts"] == 1);
    CHECK(KeysOf(j["time_by_state_s"]) == kStateKeys);
    CHECK(j["time_by_state_s"]["available"].get<double>() == 2.25);
    CHECK(j["time_by_state_s"]["reserved"].get<double>() == 2.75);
    CHECK(j["time_by_state_s"]["busy"].get<double>() == 60.0);
    CHECK(j["time_by_state_s"]["wrap_up"].get<double>() == 10.0);
    CHECK(j["occupancy"].get<double>() == Approx(stats.occupancy));
    CHECK(j["routable"] == stats.routable);
    CHECK(j["not_routable_reason"] ==
          (stats.not_routable_reason.empty() ? json(nullptr) : json(stats.not_routable_reason)));
    CHECK(j["dispositions"] == json{{"resolved", 1}});
    CHECK(j["transfers"] == 0);
    CHECK(j["consults"] == 0);
  }

  SECTION("A not-ready agent: its reason, and why it is not routable") {
    const json j = AgentStatsToJson(*s.engine.GetAgentStats("a3"));
    INFO(j.dump());
    CHECK(KeysOf(j) == kAgentStatsKeys);
    CHECK(j["state"] == "not_ready");
    CHECK(j["not_ready_reason"] == "lunch");
    CHECK(j["routable"] == false);
    CHECK(j["not_routable_reason"] == "not_ready");
    CHECK(j["dispositions"] == json::object());
    CHECK(j["occupancy"].is_number_float());
  }
}

TEST_CASE("Contacts: every key, attributes as strings and numbers, the arrival in RFC 3339",
          "[result_json]") {
  const Scenario s;

  SECTION("A waiting contact") {
    const json j = ContactInfoToJson(*s.engine.GetContact("c3"));
    INFO(j.dump());
    CHECK(KeysOf(j) == kContactKeys);
    CHECK(j["id"] == "c3");
    CHECK(j["queue"] == "support");
    CHECK(j["channel"] == "chat");
    CHECK(j["state"] == "waiting");
    CHECK(j["agent"].is_null());
    CHECK(j["arrival"] == "2023-11-14T22:14:32+00:00");
    CHECK(j["priority"] == 0);
    CHECK(j["priority_class"] == 0);
    CHECK(j["attributes"] == json{{"lang", "de"}});
    CHECK(j["estimated_wait_s"].is_number_float());
    CHECK(j["position"] == 1);
    CHECK(j["step"] == 0);
    CHECK(j["held_for"].is_null());
  }

  SECTION("A ringing contact") {
    const json j = ContactInfoToJson(*s.engine.GetContact("c2"));
    CHECK(KeysOf(j) == kContactKeys);
    CHECK(j["state"] == "offered");
    CHECK(j["agent"] == "a2");
    CHECK(j["position"] == 0);
    CHECK(j["estimated_wait_s"].get<double>() == 0.0);
  }

  SECTION("Priority, numeric attributes, a preferred agent and a fractional arrival") {
    ContactInfo contact{.id = "c1",
                        .queue = "support",
                        .channel = Channel::kEmail,
                        .state = ContactState::kOnHold,
                        .agent = "a1",
                        .arrival = At(2.25),
                        .priority = 2,
                        .priority_class = 1,
                        .attributes = {{"tier", "gold"}, {"value", 12.5}},
                        .estimated_wait = absl::Milliseconds(1500),
                        .position = 4,
                        .step = 2,
                        .held_for = "a7"};
    const json j = ContactInfoToJson(contact);
    CHECK(KeysOf(j) == kContactKeys);
    CHECK(j["channel"] == "email");
    CHECK(j["state"] == "on_hold");
    CHECK(j["arrival"] == "2023-11-14T22:13:22.25+00:00");
    CHECK(j["priority"] == 2);
    CHECK(j["priority_class"] == 1);
    CHECK(j["attributes"]["tier"] == "gold");
    REQUIRE(j["attributes"]["value"].is_number_float());
    CHECK(j["attributes"]["value"].get<double>() == 12.5);
    CHECK(j["estimated_wait_s"].get<double>() == 1.5);
    CHECK(j["position"] == 4);
    CHECK(j["step"] == 2);
    CHECK(j["held_for"] == "a7");
  }
}

TEST_CASE("Explanations: the contact as ContactInfo, each agent's verdict, null when unbounded",
          "[result_json]") {
  const Scenario s;

  SECTION("Why the waiting contact waits") {
    const Explanation why = *s.engine.Explain("c3");
    const json j = ExplanationToJson(why);
    INFO(j.dump());
    CHECK(KeysOf(j) == kExplanationKeys);
    CHECK(j["contact"] == ContactInfoToJson(why.contact));
    CHECK(j["contact"]["id"] == "c3");
    CHECK(j["virtual_arrival"] == Rfc3339(why.virtual_arrival));
    CHECK(j["requirement"] == "support >= 1");
    CHECK(j["text"] == why.text);
    CHECK(j["next_change"] ==
          (why.next_change ? json(Rfc3339(*why.next_change)) : json(nullptr)));
    REQUIRE(j["agents"].is_array());
    REQUIRE(j["agents"].size() == 3);
    for (size_t i = 0; i < why.agents.size(); ++i) {
      const json& verdict = j["agents"][i];
      CHECK(KeysOf(verdict) == kVerdictKeys);
      CHECK(verdict["agent"] == why.agents[i].id);
      CHECK(verdict["reason"] == why.agents[i].reason);
      CHECK(verdict["until"] == (why.agents[i].until == absl::InfiniteFuture()
                                     ? json(nullptr)
                                     : json(Rfc3339(why.agents[i].until))));
    }
    const auto a3 = std::find_if(j["agents"].begin(), j["agents"].end(),
                                 [](const json& v) { return v["agent"] == "a3"; });
    REQUIRE(a3 != j["agents"].end());
    CHECK((*a3)["reason"] == "not_ready");
    CHECK((*a3)["until"].is_null());
  }

  SECTION("A verdict with an end, and a next change") {
    Explanation why;
    why.contact.id = "c9";
    why.virtual_arrival = At(-120);
    why.agents.push_back({.id = "a1", .reason = "cooling_down", .until = At(30.5)});
    why.next_change = At(30.5);
    const json j = ExplanationToJson(why);
    CHECK(KeysOf(j) == kExplanationKeys);
    CHECK(j["virtual_arrival"] == "2023-11-14T22:11:20+00:00");
    CHECK(j["agents"][0]["until"] == "2023-11-14T22:13:50.5+00:00");
    CHECK(j["next_change"] == "2023-11-14T22:13:50.5+00:00");
  }

  SECTION("No verdicts, no next change") {
    const json j = ExplanationToJson(Explanation{});
    CHECK(KeysOf(j) == kExplanationKeys);
    CHECK(j["agents"] == json::array());
    CHECK(j["next_change"].is_null());
  }
}

TEST_CASE("Offer explanations: every key, the runner-up null when none", "[result_json]") {
  const Scenario s;

  SECTION("The ringing contact, with no other agent free") {
    const OfferExplanation why = *s.engine.ExplainOffer("c2");
    const json j = OfferExplanationToJson(why);
    INFO(j.dump());
    CHECK(KeysOf(j) == kOfferExplanationKeys);
    CHECK(j["contact"] == "c2");
    CHECK(j["agent"] == "a2");
    CHECK(j["queue"] == "support");
    CHECK(j["strategy"] == why.strategy);
    CHECK(j["agent_key"] == why.agent_key);
    CHECK(j["runner_up"].is_null());
    CHECK(j["runner_up_key"].is_null());
    CHECK(j["text"] == why.text);
  }

  SECTION("A runner-up and its key") {
    const json j = OfferExplanationToJson({.contact = "c1",
                                           .agent = "a1",
                                           .queue = "support",
                                           .strategy = "most_skilled",
                                           .agent_key = "skill score 7",
                                           .runner_up = "a2",
                                           .runner_up_key = "skill score 5",
                                           .text = "..."});
    CHECK(KeysOf(j) == kOfferExplanationKeys);
    CHECK(j["strategy"] == "most_skilled");
    CHECK(j["runner_up"] == "a2");
    CHECK(j["runner_up_key"] == "skill score 5");
  }
}

TEST_CASE("Interval statistics: the live values and both intervals, every key",
          "[result_json]") {
  const Scenario s;
  const IntervalStats stats = *s.engine.GetIntervalStats(StatsScope::kQueue, "support");
  const json j = IntervalStatsToJson(stats);
  INFO(j.dump());
  CHECK(KeysOf(j) == kIntervalStatsKeys);
  CHECK(j["scope"] == "queue");
  CHECK(j["id"] == "support");
  CHECK(j["as_of"] == "2023-11-14T22:14:35+00:00");

  CHECK(KeysOf(j["now"]) == kLiveValuesKeys);
  CHECK(KeysOf(j["now"]["agents_by_state"]) == kStateKeys);
  for (int i = 0; i < kAgentStateCount; ++i) {
    const json& count = j["now"]["agents_by_state"][std::string(AgentStateName(AgentState(i)))];
    CHECK(count.is_number_integer());
    CHECK(count == stats.now.agents_by_state[i]);
  }
  CHECK(j["now"]["agents_by_state"]["wrap_up"] == 1);
  CHECK(j["now"]["agents_by_state"]["reserved"] == 1);
  CHECK(j["now"]["agents_by_state"]["not_ready"] == 1);
  CHECK(j["now"]["waiting"] == 1);
  CHECK(j["now"]["longest_wait_s"].get<double>() == 3.0);

  // 22:13:20 falls in the quarter hour from 22:00.
  const json& current = j["current"];
  CHECK(KeysOf(current) == kKpisKeys);
  CHECK(current["start"] == "2023-11-14T22:00:00+00:00");
  CHECK(current["end"] == "2023-11-14T22:15:00+00:00");
  CHECK(current["offered"] == 3);
  CHECK(current["answered"] == 1);
  CHECK(current["answered_within_threshold"] == 1);
  CHECK(current["abandoned"] == 0);
  CHECK(current["handled"].is_number_integer());
  CHECK(current["handled"] == stats.current.handled);
  CHECK(current["service_level"].get<double>() == 1.0);
  CHECK(current["abandon_rate"].get<double>() == 0.0);
  CHECK(current["asa_s"].get<double>() == 2.75);
  CHECK(current["max_wait_s"].get<double>() == 2.75);
  CHECK(current["aht_s"].is_number_float());
  CHECK(KeysOf(current["time_by_state_s"]) == kStateKeys);
  CHECK(current["time_by_state_s"]["busy"].get<double>() == 0.0);  // zero for a queue
  CHECK(current["occupancy"].get<double>() == 0.0);

  const json& previous = j["previous"];
  CHECK(KeysOf(previous) == kKpisKeys);
  CHECK(previous["start"] == "2023-11-14T21:45:00+00:00");
  CHECK(previous["end"] == "2023-11-14T22:00:00+00:00");
  CHECK(previous["offered"] == 0);
}

TEST_CASE("Interval statistics of an agent: its time by state in seconds", "[result_json]") {
  const Scenario s;
  const json j = IntervalStatsToJson(*s.engine.GetIntervalStats(StatsScope::kAgent, "a1"));
  CHECK(j["scope"] == "agent");
  CHECK(j["current"]["time_by_state_s"]["busy"].get<double>() == 60.0);
  CHECK(j["current"]["time_by_state_s"]["wrap_up"].get<double>() == 10.0);
  CHECK(j["current"]["occupancy"].is_number_float());
}

TEST_CASE("Statuses: the code in upper snake case, and the message", "[result_json]") {
  const Scenario s;
  CHECK(StatusToJson(absl::OkStatus()) == json{{"code", "OK"}, {"message", ""}});

  const absl::Status not_found = s.engine.GetContact("nobody").status();
  REQUIRE(absl::IsNotFound(not_found));
  CHECK(StatusToJson(not_found) ==
        json{{"code", "NOT_FOUND"}, {"message", std::string(not_found.message())}});

  const absl::Status not_waiting = s.engine.Explain("c2").status();  // it rings
  REQUIRE(absl::IsFailedPrecondition(not_waiting));
  CHECK(StatusToJson(not_waiting)["code"] == "FAILED_PRECONDITION");
  CHECK(StatusToJson(not_waiting)["message"] == std::string(not_waiting.message()));

  CHECK(StatusToJson(absl::InvalidArgumentError("bad"))["code"] == "INVALID_ARGUMENT");
  CHECK(StatusToJson(absl::AlreadyExistsError("x"))["code"] == "ALREADY_EXISTS");
  CHECK(StatusToJson(absl::OutOfRangeError("x"))["code"] == "OUT_OF_RANGE");
  CHECK(StatusToJson(absl::ResourceExhaustedError("x"))["code"] == "RESOURCE_EXHAUSTED");
  CHECK(StatusToJson(absl::DeadlineExceededError("x"))["code"] == "DEADLINE_EXCEEDED");
  CHECK(StatusToJson(absl::PermissionDeniedError("x"))["code"] == "PERMISSION_DENIED");
  CHECK(StatusToJson(absl::UnauthenticatedError("x"))["code"] == "UNAUTHENTICATED");
  CHECK(StatusToJson(absl::DataLossError("x"))["code"] == "DATA_LOSS");
  // A code Abseil does not know is UNKNOWN (absl::Status maps it so).
  CHECK(StatusToJson(absl::Status(static_cast<absl::StatusCode>(99), "m"))["code"] ==
        "UNKNOWN");
}

}  // namespace
}  // namespace switchboard::host
