// The host daemon's command codec (src/host/command_json.h): every op from hand-written JSON,
// exact round trips of rich commands, times and durations, the engine seeing the same commands,
// and the messages of bad input.
#include "host/command_json.h"

#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "engine_with.h"
#include "switchboard/switchboard.h"

namespace switchboard {
namespace {

using host::DecodeActor;
using host::DecodeCommandBody;
using host::DecodeDuration;
using host::DecodeTime;
using host::EncodeCommandBody;
using host::EncodeDuration;
using host::EncodeTime;
using nlohmann::json;

CommandBody Decoded(std::string_view op, const json& args) {
  absl::StatusOr<CommandBody> body = DecodeCommandBody(op, args);
  INFO(std::string(op) << " " << args.dump() << ": " << body.status().ToString());
  REQUIRE(body.ok());
  CHECK(CommandName(*body) == op);
  return *std::move(body);
}

template <typename T>
T DecodedAs(std::string_view op, std::string_view args) {
  CommandBody body = Decoded(op, json::parse(args));
  REQUIRE(std::holds_alternative<T>(body));
  return std::get<T>(std::move(body));
}

// The message of decoding `args` for `op`, which must fail with InvalidArgument.
std::string ErrorOf(std::string_view op, std::string_view args) {
  absl::StatusOr<CommandBody> body = DecodeCommandBody(op, json::parse(args));
  REQUIRE(!body.ok());
  CHECK(body.status().code() == absl::StatusCode::kInvalidArgument);
  return std::string(body.status().message());
}

// Encode -> Decode -> Encode gives the same JSON, and the same op.
void CheckRoundTrip(const CommandBody& body) {
  const json first = EncodeCommandBody(body);
  INFO(CommandName(body) << " " << first.dump());
  // Through text, as on the wire.
  const json parsed = json::parse(first.dump());
  const CommandBody decoded = Decoded(CommandName(body), parsed);
  CHECK(decoded.index() == body.index());
  CHECK(EncodeCommandBody(decoded) == first);
}

// ---- Rich instances.

QueueConfig RichQueue() {
  OpeningHours hours{.zone = "Europe/Paris"};
  hours.weekly[0] = {{540, 720}, {780, 1080}};
  hours.weekly[1] = hours.weekly[0];
  hours.weekly[5] = {{600, 780}};
  hours.closed_on = {absl::CivilDay(2026, 12, 25), absl::CivilDay(2027, 1, 1)};
  hours.overrides = {{.day = absl::CivilDay(2026, 12, 24), .ranges = {{540, 720}}},
                     {.day = absl::CivilDay(2026, 12, 31), .ranges = {}}};
  return {
      .id = "support",
      .requirement = "support >= 3 && lang == \"de\"",
      .strategy = Strategy::kMostSkilled,
      .ring_agents = 2,
      .priority = 4,
      .service_level_threshold = absl::Seconds(30),
      .service_level_target = 0.9,
      .max_length = 50,
      .max_hold = absl::Minutes(5),
      .wrap_up = {.mode = WrapUpPolicy::Mode::kTimedWithExtension,
                  .duration = absl::Seconds(45),
                  .max_extension = absl::Seconds(90)},
      .steps = {{.after = absl::Seconds(30), .requirement = "support >= 1"},
                {.after = absl::Minutes(2), .requirement = ""}},
      .overflow = {{.trigger = OverflowRule::Trigger::kWait,
                    .wait = absl::Seconds(120),
                    .action = OverflowRule::Action::kCallback,
                    .ask = true,
                    .callback = {.mode = CallbackPolicy::Mode::kScheduled,
                                 .after = absl::Minutes(15),
                                 .priority = 3,
                                 .retries = 2,
                                 .retry_after = absl::Minutes(5)}},
                   {.trigger = OverflowRule::Trigger::kQueueLength,
                    .queue_length = 20,
                    .action = OverflowRule::Action::kTransfer,
                    .target = "spill",
                    .look_ahead = true},
                   {.trigger = OverflowRule::Trigger::kEstimatedWait,
                    .wait = absl::Milliseconds(1500),
                    .action = OverflowRule::Action::kDeflect,
                    .target = "web"},
                   {.trigger = OverflowRule::Trigger::kNoAgents,
                    .action = OverflowRule::Action::kVoicemail,
                    .reason = "nobody"},
                   {.trigger = OverflowRule::Trigger::kClosed,
                    .action = OverflowRule::Action::kDisconnect},
                   {.trigger = OverflowRule::Trigger::kWait,
                    .wait = absl::Seconds(600),
                    .action = OverflowRule::Action::kCopy,
                    .target = "spill"}},
      .hours = hours,
      .reserve = ReservePolicy{.activate_below = 0.6,
                               .deactivate_at = 0.75,
                               .activate_wait = absl::Seconds(60),
                               .deactivate_wait = absl::Seconds(10),
                               .window = absl::Minutes(30),
                               .check_every = absl::Seconds(10)},
  };
}

AgentConfig RichAgent() {
  CapacityConfig capacity;
  capacity.model = CapacityConfig::Model::kCost;
  capacity.limit = {1, 3, 2, 0, 0, 0, 0, 0, 0};
  capacity.cost = {100, 34, 20, 0, 0, 0, 0, 0, 0};
  capacity.total = 120;
  capacity.blocks[1] = 1u << 2;  // chat blocks email (instead of voice)
  return {.id = "a1",
          .skills = {{"support", 5}, {"german", 3}},
          .groups = {"tier1", "night"},
          .attributes = {{"site", std::string("berlin")}, {"seniority", 4.5}},
          .capacity = capacity,
          .queues = {{.queue = "support"},
                     {.queue = "vip", .priority = 2, .delay = absl::Seconds(20), .reserve = true}},
          .auto_membership = true,
          .weight = 2.5,
          .team = "blue"};
}

std::vector<CommandBody> RichCommands() {
  CapacityConfig chat_heavy;
  chat_heavy.limit = {0, 4, 0, 0, 0, 0, 0, 0, 0};
  return {
      AddQueue{RichQueue()},
      AddAgent{RichAgent()},
      Login{.agent = "a1", .ready = false, .reason = "training"},
      Logout{.agent = "a1", .after_contacts = true},
      SetReady{.agent = "a1"},
      SetNotReady{.agent = "a1", .reason = "lunch", .after_contacts = true},
      AddContact{{.id = "c1",
                  .channel = Channel::kChat,
                  .queue = "support",
                  .priority = -5,
                  .priority_class = 2,
                  .attributes = {{"tier", std::string("gold")}, {"score", 0.1}},
                  .arrival = absl::FromUnixNanos(1'700'000'000'123'456'789),
                  .preferred_agent = "a1",
                  .preferred_timeout = absl::Seconds(45)}},
      AcceptOffer{.agent = "a1", .contact = "c1"},
      RejectOffer{.agent = "a1", .contact = "c1"},
      HoldContact{.agent = "a1", .contact = "c1"},
      ResumeContact{.agent = "a1", .contact = "c1"},
      CompleteContact{.agent = "a1", .contact = "c1", .disposition = "resolved"},
      EndWrapUp{.agent = "a1", .contact = "c1"},
      ExtendWrapUp{.agent = "a1", .contact = "c1", .extension = absl::Milliseconds(2500)},
      AbandonContact{.contact = "c1"},
      RemoveContact{.contact = "c1", .reason = "spam"},
      AnswerOverflow{.contact = "c1",
                     .accepted = true,
                     .callback_at = absl::FromUnixSeconds(1'700'003'600) + absl::Nanoseconds(7)},
      ReportCallback{.contact = "c1", .result = CallbackResult::kNoAnswer},
      SetEntryRules{{{.when = "language == \"ja\"",
                      .queue = "japanese",
                      .priority = 2,
                      .priority_class = 1,
                      .requirement = "team == \"vip\""},
                     {.when = "ivr == \"balance\"", .deflect = "web"},
                     {.queue = "support", .priority = 0}}},
      UpdateAgent{.agent = "a1",
                  .skills = std::map<std::string, int, std::less<>>{{"support", 7}},
                  .team = "",
                  .capacity = chat_heavy,
                  .queues = std::vector<QueueMembership>{},
                  .auto_membership = false,
                  .weight = 0.5},
      RemoveAgent{.agent = "a1"},
      UpdateQueue{RichQueue()},
      RemoveQueue{.queue = "support", .move_to = "spill"},
      MoveContact{.contact = "c1", .queue = "spill"},
      SetContactPriority{.contact = "c1", .priority = 7, .priority_class = 0},
      AssignContact{.contact = "c1", .agent = "a2"},
      TransferContact{.agent = "a1",
                      .contact = "c1",
                      .queue = "spill",
                      .to_agent = "a2",
                      .timeout = absl::Seconds(12)},
      StartConsult{.agent = "a1", .contact = "c1", .to_agent = "a2"},
      CompleteConsult{.agent = "a1", .contact = "c1"},
      CancelConsult{.agent = "a1", .contact = "c1"},
      Advance{},
  };
}

TEST_CASE("Every command encodes and decodes back to the same JSON", "[command_json]") {
  const std::vector<CommandBody> commands = RichCommands();
  std::set<size_t> kinds;
  for (const CommandBody& body : commands) {
    kinds.insert(body.index());
    CheckRoundTrip(body);
  }
  CHECK(kinds.size() == std::variant_size_v<CommandBody>);
  // The defaults too: every optional key left out.
  for (size_t i = 0; i < std::variant_size_v<CommandBody>; ++i) {
    const CommandBody& rich = commands[i];
    std::visit([](const auto& c) { CheckRoundTrip(std::decay_t<decltype(c)>{}); }, rich);
  }
}

TEST_CASE("A rich queue is written with the Python keywords' keys and shapes", "[command_json]") {
  const json args = EncodeCommandBody(AddQueue{RichQueue()});
  const json expected = json::parse(R"({
    "id": "support", "requirement": "support >= 3 && lang == \"de\"",
    "strategy": "most_skilled", "ring_agents": 2, "priority": 4,
    "service_level_threshold": "30s", "service_level_target": 0.9, "max_length": 50,
    "max_hold": "5m",
    "wrap_up": {"mode": "timed_with_extension", "duration": "45s", "max_extension": "1m30s"},
    "steps": [{"after": "30s", "requirement": "support >= 1"}, {"after": "2m"}],
    "overflow": [
      {"when": "wait", "wait": "2m", "action": "callback", "ask": true,
       "callback": {"mode": "scheduled", "after": "15m", "priority": 3, "retries": 2,
                    "retry_after": "5m"}},
      {"when": "queue_length", "queue_length": 20, "action": "transfer", "target": "spill",
       "look_ahead": true},
      {"when": "estimated_wait", "wait": "1.5s", "action": "deflect", "target": "web"},
      {"when": "no_agents", "action": "voicemail", "reason": "nobody"},
      {"when": "closed", "action": "disconnect"},
      {"when": "wait", "wait": "10m", "action": "copy", "target": "spill"}],
    "hours": {"mon": ["09:00-12:00", "13:00-18:00"], "tue": ["09:00-12:00", "13:00-18:00"],
              "sat": ["10:00-13:00"]},
    "zone": "Europe/Paris", "closed_on": ["2026-12-25", "2027-01-01"],
    "hours_on": {"2026-12-24": ["09:00-12:00"], "2026-12-31": []},
    "reserve": {"activate_below": 0.6, "deactivate_at": 0.75, "activate_wait": "1m",
                "deactivate_wait": "10s", "window": "30m", "check_every": "10s"}})");
  CHECK(args == expected);
}

TEST_CASE("A rich agent is written with capacity, cost, blocks and memberships", "[command_json]") {
  const json args = EncodeCommandBody(AddAgent{RichAgent()});
  const json expected = json::parse(R"({
    "id": "a1", "skills": {"german": 3, "support": 5}, "groups": ["tier1", "night"],
    "attributes": {"seniority": 4.5, "site": "berlin"},
    "capacity": {"voice": 1, "chat": 3, "email": 2},
    "cost": {"voice": 100, "chat": 34, "email": 20}, "cost_total": 120,
    "blocks": {"chat": ["email"]},
    "queues": ["support", {"queue": "vip", "priority": 2, "delay": "20s", "reserve": true}],
    "auto_membership": true, "weight": 2.5, "team": "blue"})");
  CHECK(args == expected);
}

TEST_CASE("Decoding a rich queue and agent gives back every field", "[command_json]") {
  const QueueConfig queue =
      std::get<AddQueue>(Decoded("add_queue", EncodeCommandBody(AddQueue{RichQueue()}))).config;
  const QueueConfig rich = RichQueue();
  CHECK(queue.strategy == rich.strategy);
  CHECK(queue.wrap_up.max_extension == rich.wrap_up.max_extension);
  REQUIRE(queue.overflow.size() == rich.overflow.size());
  CHECK(queue.overflow[0].callback.retry_after == absl::Minutes(5));
  CHECK(queue.overflow[0].callback.mode == CallbackPolicy::Mode::kScheduled);
  CHECK(queue.overflow[1].look_ahead);
  CHECK(queue.overflow[2].wait == absl::Milliseconds(1500));
  REQUIRE(queue.hours.has_value());
  CHECK(queue.hours->zone == "Europe/Paris");
  CHECK(queue.hours->weekly[1].size() == 2);
  CHECK(queue.hours->weekly[1][1].end_minute == 1080);
  CHECK(queue.hours->closed_on == rich.hours->closed_on);
  REQUIRE(queue.hours->overrides.size() == 2);
  CHECK(queue.hours->overrides[1].ranges.empty());
  REQUIRE(queue.reserve.has_value());
  CHECK(queue.reserve->check_every == absl::Seconds(10));

  const AgentConfig agent =
      std::get<AddAgent>(Decoded("add_agent", EncodeCommandBody(AddAgent{RichAgent()}))).config;
  const AgentConfig rich_agent = RichAgent();
  CHECK(agent.capacity.model == CapacityConfig::Model::kCost);
  CHECK(agent.capacity.limit == rich_agent.capacity.limit);
  CHECK(agent.capacity.cost == rich_agent.capacity.cost);
  CHECK(agent.capacity.total == 120);
  CHECK(agent.capacity.blocks == rich_agent.capacity.blocks);
  REQUIRE(agent.queues.size() == 2);
  CHECK(agent.queues[1].delay == absl::Seconds(20));
  CHECK(agent.queues[1].reserve);
  CHECK(agent.auto_membership);
  CHECK(agent.weight == 2.5);
  CHECK(agent.attributes == rich_agent.attributes);
}

TEST_CASE("UpdateAgent: an absent key leaves the field unchanged", "[command_json]") {
  const auto update = DecodedAs<UpdateAgent>(
      "update_agent", R"({"id": "a1", "skills": {"support": 4}, "weight": 2, "team": null})");
  CHECK(update.agent == "a1");
  REQUIRE(update.skills.has_value());
  CHECK(update.skills->at("support") == 4);
  CHECK(update.weight == 2.0);
  CHECK(!update.groups);
  CHECK(!update.team);
  CHECK(!update.attributes);
  CHECK(!update.capacity);
  CHECK(!update.queues);
  CHECK(!update.auto_membership);

  const auto blocks_only =
      DecodedAs<UpdateAgent>("update_agent", R"({"id": "a1", "blocks": {"voice": []}})");
  REQUIRE(blocks_only.capacity.has_value());
  CHECK(blocks_only.capacity->limit == CapacityConfig{}.limit);
  CHECK(blocks_only.capacity->blocks[0] == 0);
  // A default capacity given is still given.
  const json args = EncodeCommandBody(UpdateAgent{.agent = "a1", .capacity = CapacityConfig{}});
  CHECK(args == json::parse(R"({"id": "a1", "capacity": {"voice": 1}})"));
}

TEST_CASE("add_agent: queues turn automatic membership off unless it is given", "[command_json]") {
  CHECK(DecodedAs<AddAgent>("add_agent", R"({"id": "a"})").config.auto_membership);
  CHECK(
      !DecodedAs<AddAgent>("add_agent", R"({"id": "a", "queues": ["q"]})").config.auto_membership);
  CHECK(DecodedAs<AddAgent>("add_agent", R"({"id": "a", "queues": ["q"], "auto_membership": true})")
            .config.auto_membership);
  CHECK(!DecodedAs<AddAgent>("add_agent", R"({"id": "a", "auto_membership": false})")
             .config.auto_membership);
}

TEST_CASE("Wrap-up takes seconds, a duration, a mode or an object", "[command_json]") {
  const auto wrap_up = [](std::string_view value) {
    return DecodedAs<AddQueue>("add_queue",
                               "{\"id\": \"q\", \"wrap_up\": " + std::string(value) + "}")
        .config.wrap_up;
  };
  CHECK(wrap_up("30").mode == WrapUpPolicy::Mode::kTimed);
  CHECK(wrap_up("30").duration == absl::Seconds(30));
  CHECK(wrap_up("\"1m\"").duration == absl::Minutes(1));
  CHECK(wrap_up("\"until_agent_ends\"").mode == WrapUpPolicy::Mode::kUntilAgentEnds);
  CHECK(wrap_up(R"({"duration": 20, "max_extension": "1m"})").mode ==
        WrapUpPolicy::Mode::kTimedWithExtension);
  CHECK(wrap_up(R"({"duration": 20})").mode == WrapUpPolicy::Mode::kTimed);
  CHECK(ErrorOf("add_queue", R"({"id": "q", "wrap_up": "later"})") ==
        "args.wrap_up: expected seconds, a duration such as \"30s\", a mode (none, timed, "
        "until_agent_ends, timed_with_extension) or an object, got \"later\"");
}

// ---- Every op from hand-written JSON.

struct Example {
  std::string_view op;
  std::string_view args;
};

constexpr Example kExamples[] = {
    {"add_queue", R"({"id": "support", "requirement": "support >= 1", "strategy": "round_robin",
                      "wrap_up": 10, "steps": [{"after": 30, "requirement": ""}],
                      "overflow": [{"when": "wait", "wait": "2m", "action": "callback",
                                    "callback": {"mode": "keep_place", "retries": 1}}],
                      "hours": {"mon-fri": "09:00-18:00", "sat": []}, "closed_on": ["2026-12-25"],
                      "reserve": {"activate_wait": 60}})"},
    {"add_agent", R"({"id": "a1", "skills": {"support": 5}, "capacity": {"voice": 1, "chat": 2},
                      "cost": {"voice": 100, "chat": 50}, "queues": [{"queue": "support"}]})"},
    {"login", R"({"agent": "a1", "ready": true})"},
    {"logout", R"({"agent": "a1"})"},
    {"set_ready", R"({"agent": "a1"})"},
    {"set_not_ready", R"({"agent": "a1", "reason": "break"})"},
    {"add_contact", R"({"id": "c1", "queue": "support", "channel": "email",
                        "arrival": "2023-11-14T22:13:20Z",
                        "attributes": {"tier": "gold", "n": 3}})"},
    {"accept_offer", R"({"agent": "a1", "contact": "c1"})"},
    {"reject_offer", R"({"agent": "a1", "contact": "c1"})"},
    {"hold_contact", R"({"agent": "a1", "contact": "c1"})"},
    {"resume_contact", R"({"agent": "a1", "contact": "c1"})"},
    {"complete_contact", R"({"agent": "a1", "contact": "c1", "disposition": "resolved"})"},
    {"end_wrap_up", R"({"agent": "a1"})"},
    {"extend_wrap_up", R"({"agent": "a1", "contact": "c1", "extension": 15})"},
    {"abandon_contact", R"({"contact": "c1"})"},
    {"remove_contact", R"({"contact": "c1", "reason": "spam"})"},
    {"answer_overflow", R"({"contact": "c1", "accepted": true, "callback_at": 1700003600})"},
    {"report_callback", R"({"contact": "c1", "result": "busy"})"},
    {"set_entry_rules", R"({"rules": [{"when": "tier == \"gold\"", "queue": "support",
                                       "priority": 2}, {"deflect": "web"}]})"},
    {"update_agent", R"({"id": "a1", "groups": ["night"]})"},
    {"remove_agent", R"({"id": "a1"})"},
    {"update_queue", R"({"id": "support", "max_length": 10})"},
    {"remove_queue", R"({"id": "support", "move_to": "spill"})"},
    {"move_contact", R"({"contact": "c1", "queue": "spill"})"},
    {"set_contact_priority", R"({"contact": "c1", "priority": 3, "priority_class": 1})"},
    {"assign_contact", R"({"contact": "c1", "agent": "a2"})"},
    {"transfer_contact", R"({"agent": "a1", "contact": "c1", "to_agent": "a2", "timeout": 20})"},
    {"start_consult", R"({"agent": "a1", "contact": "c1", "to_agent": "a2"})"},
    {"complete_consult", R"({"agent": "a1", "contact": "c1"})"},
    {"cancel_consult", R"({"agent": "a1", "contact": "c1"})"},
    {"advance", R"({})"},
};

TEST_CASE("Every op decodes from a hand-written example", "[command_json]") {
  std::set<std::string_view> ops;
  for (const Example& example : kExamples) {
    ops.insert(example.op);
    const CommandBody body = Decoded(example.op, json::parse(example.args));
    CheckRoundTrip(body);
  }
  // Every command has an example.
  std::set<std::string_view> names;
  for (const CommandBody& body : RichCommands()) names.insert(CommandName(body));
  CHECK(ops == names);
  CHECK(ops.size() == std::variant_size_v<CommandBody>);
}

TEST_CASE("Hand-written examples decode to the fields they name", "[command_json]") {
  const auto queue = DecodedAs<AddQueue>("add_queue", kExamples[0].args).config;
  CHECK(queue.strategy == Strategy::kRoundRobin);
  CHECK(queue.wrap_up.mode == WrapUpPolicy::Mode::kTimed);
  CHECK(queue.wrap_up.duration == absl::Seconds(10));
  REQUIRE(queue.hours.has_value());
  for (int day = 0; day < 5; ++day) CHECK(queue.hours->weekly[day].size() == 1);
  CHECK(queue.hours->weekly[5].empty());
  CHECK(queue.hours->zone == "UTC");
  CHECK(queue.overflow.at(0).callback.retries == 1);
  CHECK(queue.reserve->activate_wait == absl::Seconds(60));
  CHECK(queue.reserve->window == absl::Minutes(15));

  const auto agent = DecodedAs<AddAgent>("add_agent", kExamples[1].args).config;
  CHECK(agent.capacity.model == CapacityConfig::Model::kCost);
  CHECK(agent.capacity.cost[1] == 50);
  CHECK(agent.capacity.total == 100);
  CHECK(agent.capacity.limit[1] == 2);

  const auto contact = DecodedAs<AddContact>("add_contact", kExamples[6].args).config;
  CHECK(contact.channel == Channel::kEmail);
  CHECK(contact.arrival == absl::FromUnixSeconds(1'700'000'000));
  CHECK(std::get<double>(contact.attributes.at("n")) == 3.0);

  const auto answer = DecodedAs<AnswerOverflow>("answer_overflow", kExamples[16].args);
  CHECK(answer.accepted);
  CHECK(answer.callback_at == absl::FromUnixSeconds(1'700'003'600));
  CHECK(DecodedAs<ReportCallback>("report_callback", kExamples[17].args).result ==
        CallbackResult::kBusy);
  const auto rules = DecodedAs<SetEntryRules>("set_entry_rules", kExamples[18].args).rules;
  REQUIRE(rules.size() == 2);
  CHECK(rules[0].priority == 2);
  CHECK(!rules[0].priority_class);
  CHECK(rules[1].deflect == "web");
  const auto transfer = DecodedAs<TransferContact>("transfer_contact", kExamples[26].args);
  CHECK(transfer.timeout == absl::Seconds(20));
  CHECK(transfer.queue.empty());
  CHECK(
      DecodedAs<TransferContact>("transfer_contact", R"({"agent": "a", "contact": "c"})").timeout ==
      absl::Seconds(30));
  CHECK(DecodedAs<RemoveQueue>("remove_queue", kExamples[22].args).move_to == "spill");
  CHECK(DecodedAs<RemoveAgent>("remove_agent", kExamples[20].args).agent == "a1");
}

// ---- The engine sees the same commands.

struct Step {
  int seconds;  // after the start
  CommandBody body;
  std::string_view line;  // {"op": ..., "args": ...}
};

std::vector<Step> Scenario() {
  return {
      {0, AddQueue{{.id = "spill"}}, R"({"op": "add_queue", "args": {"id": "spill"}})"},
      {0,
       AddQueue{{.id = "general",
                 .requirement = "support >= 1",
                 .wrap_up = {.mode = WrapUpPolicy::Mode::kTimedWithExtension,
                             .duration = absl::Seconds(10),
                             .max_extension = absl::Seconds(30)},
                 .overflow = {{.trigger = OverflowRule::Trigger::kWait,
                               .wait = absl::Seconds(60),
                               .action = OverflowRule::Action::kTransfer,
                               .target = "spill"}}}},
       R"({"op": "add_queue", "args": {"id": "general", "requirement": "support >= 1",
           "wrap_up": {"duration": 10, "max_extension": "30s"},
           "overflow": [{"when": "wait", "wait": 60, "action": "transfer", "target": "spill"}]}})"},
      {0, AddAgent{{.id = "a1", .skills = {{"support", 5}}}},
       R"({"op": "add_agent", "args": {"id": "a1", "skills": {"support": 5}}})"},
      {0,
       AddAgent{{.id = "a2",
                 .skills = {{"support", 3}},
                 .capacity = CapacityConfig{}.Allow(Channel::kChat, 2),
                 .queues = {{.queue = "general", .priority = 1}, {.queue = "spill"}},
                 .auto_membership = false}},
       R"({"op": "add_agent", "args": {"id": "a2", "skills": {"support": 3},
           "capacity": {"voice": 1, "chat": 2},
           "queues": [{"queue": "general", "priority": 1}, "spill"]}})"},
      {1, Login{.agent = "a1", .ready = true},
       R"({"op": "login", "args": {"agent": "a1", "ready": true}})"},
      {1, Login{.agent = "a2"}, R"({"op": "login", "args": {"agent": "a2"}})"},
      {2, SetReady{.agent = "a2"}, R"({"op": "set_ready", "args": {"agent": "a2"}})"},
      {3, AddContact{{.id = "c1", .queue = "general"}},
       R"({"op": "add_contact", "args": {"id": "c1", "queue": "general"}})"},
      {4, AcceptOffer{.agent = "a1", .contact = "c1"},
       R"({"op": "accept_offer", "args": {"agent": "a1", "contact": "c1"}})"},
      {5, HoldContact{.agent = "a1", .contact = "c1"},
       R"({"op": "hold_contact", "args": {"agent": "a1", "contact": "c1"}})"},
      {6, ResumeContact{.agent = "a1", .contact = "c1"},
       R"({"op": "resume_contact", "args": {"agent": "a1", "contact": "c1"}})"},
      {7, AddContact{{.id = "c2", .channel = Channel::kChat, .queue = "general"}},
       R"({"op": "add_contact", "args": {"id": "c2", "queue": "general", "channel": "chat"}})"},
      {8, RejectOffer{.agent = "a2", .contact = "c2"},
       R"({"op": "reject_offer", "args": {"agent": "a2", "contact": "c2"}})"},
      {30, Advance{}, R"({"op": "advance", "args": {}})"},
      {31, CompleteContact{.agent = "a1", .contact = "c1", .disposition = "resolved"},
       R"({"op": "complete_contact", "args": {"agent": "a1", "contact": "c1",
           "disposition": "resolved"}})"},
      {32, ExtendWrapUp{.agent = "a1", .contact = "c1", .extension = absl::Seconds(5)},
       R"({"op": "extend_wrap_up", "args": {"agent": "a1", "contact": "c1", "extension": "5s"}})"},
      {33, EndWrapUp{.agent = "a1"}, R"({"op": "end_wrap_up", "args": {"agent": "a1"}})"},
      {34, SetContactPriority{.contact = "c2", .priority = 5},
       R"({"op": "set_contact_priority", "args": {"contact": "c2", "priority": 5}})"},
      {35, MoveContact{.contact = "c2", .queue = "spill"},
       R"({"op": "move_contact", "args": {"contact": "c2", "queue": "spill"}})"},
      {36,
       AddContact{{.id = "c3",
                   .queue = "general",
                   .priority = 2,
                   .attributes = {{"tier", std::string("gold")}},
                   .arrival = absl::FromUnixSeconds(1'700'000'030)}},
       R"({"op": "add_contact", "args": {"id": "c3", "queue": "general", "priority": 2,
           "attributes": {"tier": "gold"}, "arrival": "2023-11-14T22:13:50Z"}})"},
      {37, AcceptOffer{.agent = "a2", .contact = "c3"},
       R"({"op": "accept_offer", "args": {"agent": "a2", "contact": "c3"}})"},
      {38, TransferContact{.agent = "a2", .contact = "c3", .queue = "spill"},
       R"({"op": "transfer_contact", "args": {"agent": "a2", "contact": "c3",
           "queue": "spill"}})"},
      {39, AcceptOffer{.agent = "a1", .contact = "c3"},
       R"({"op": "accept_offer", "args": {"agent": "a1", "contact": "c3"}})"},
      {39, CancelConsult{.agent = "a1", .contact = "c3"},
       R"({"op": "cancel_consult", "args": {"agent": "a1", "contact": "c3"}})"},
      {40,
       SetEntryRules{
           {{.when = "tier == \"gold\"", .queue = "general", .priority = 2}, {.queue = "spill"}}},
       R"({"op": "set_entry_rules", "args": {"rules": [
           {"when": "tier == \"gold\"", "queue": "general", "priority": 2},
           {"queue": "spill"}]}})"},
      {41, AddContact{{.id = "c4", .attributes = {{"tier", std::string("gold")}}}},
       R"({"op": "add_contact", "args": {"id": "c4", "attributes": {"tier": "gold"}}})"},
      {42, AbandonContact{.contact = "c4"},
       R"({"op": "abandon_contact", "args": {"contact": "c4"}})"},
      {43, RemoveContact{.contact = "c2", .reason = "spam"},
       R"({"op": "remove_contact", "args": {"contact": "c2", "reason": "spam"}})"},
      {44,
       UpdateAgent{.agent = "a2",
                   .skills = std::map<std::string, int, std::less<>>{{"support", 4}},
                   .weight = 2.0},
       R"({"op": "update_agent", "args": {"id": "a2", "skills": {"support": 4}, "weight": 2}})"},
      {45, UpdateQueue{{.id = "spill", .strategy = Strategy::kMostSkilled}},
       R"({"op": "update_queue", "args": {"id": "spill", "strategy": "most_skilled"}})"},
      {46, AddQueue{{.id = "extra"}}, R"({"op": "add_queue", "args": {"id": "extra"}})"},
      {47, RemoveQueue{.queue = "extra"}, R"({"op": "remove_queue", "args": {"id": "extra"}})"},
      {48, AddAgent{{.id = "a3"}}, R"({"op": "add_agent", "args": {"id": "a3"}})"},
      {49, RemoveAgent{.agent = "a3"}, R"({"op": "remove_agent", "args": {"id": "a3"}})"},
      {50, AnswerOverflow{.contact = "c3", .accepted = false},
       R"({"op": "answer_overflow", "args": {"contact": "c3", "accepted": false}})"},
      {51, ReportCallback{.contact = "c3", .result = CallbackResult::kConnected},
       R"({"op": "report_callback", "args": {"contact": "c3", "result": "connected"}})"},
      {52, CompleteContact{.agent = "a1", .contact = "c3"},
       R"({"op": "complete_contact", "args": {"agent": "a1", "contact": "c3"}})"},
      {53, SetNotReady{.agent = "a1", .reason = "break", .after_contacts = true},
       R"({"op": "set_not_ready", "args": {"agent": "a1", "reason": "break",
           "after_contacts": true}})"},
      {54,
       AddContact{{.id = "c5",
                   .queue = "general",
                   .preferred_agent = "a1",
                   .preferred_timeout = absl::Seconds(300)}},
       R"({"op": "add_contact", "args": {"id": "c5", "queue": "general",
           "preferred_agent": "a1", "preferred_timeout": "5m"}})"},
      {55, AssignContact{.contact = "c5", .agent = "a2"},
       R"({"op": "assign_contact", "args": {"contact": "c5", "agent": "a2"}})"},
      {56, AcceptOffer{.agent = "a2", .contact = "c5"},
       R"({"op": "accept_offer", "args": {"agent": "a2", "contact": "c5"}})"},
      {57, SetReady{.agent = "a1"}, R"({"op": "set_ready", "args": {"agent": "a1"}})"},
      {58, StartConsult{.agent = "a2", .contact = "c5", .to_agent = "a1"},
       R"({"op": "start_consult", "args": {"agent": "a2", "contact": "c5", "to_agent": "a1"}})"},
      {59, CompleteConsult{.agent = "a2", .contact = "c5"},
       R"({"op": "complete_consult", "args": {"agent": "a2", "contact": "c5"}})"},
      {60, Logout{.agent = "a2", .after_contacts = true},
       R"({"op": "logout", "args": {"agent": "a2", "after_contacts": true}})"},
      {600, Advance{}, R"({"op": "advance", "args": {}})"},
  };
}

// Runs `bodies` (with the times of Scenario()) on a fresh engine: each command's status, then
// every event (FormatEvent), in order.
std::vector<std::string> Run(const std::vector<CommandBody>& bodies) {
  const std::vector<Step> steps = Scenario();
  Engine engine = EngineWith({});
  std::vector<std::string> log;
  for (size_t i = 0; i < bodies.size(); ++i) {
    const absl::Time now = absl::FromUnixSeconds(1'700'000'000 + steps[i].seconds);
    const absl::Status status =
        engine.Execute({.now = now, .actor = Actor::Host(), .body = bodies[i]});
    log.push_back(std::string(CommandName(bodies[i])) + ": " + status.ToString());
    for (const Event& event : engine.DrainEvents()) log.push_back(FormatEvent(event));
  }
  return log;
}

TEST_CASE("Commands decoded from JSON lines give the engine's events of the C++ commands",
          "[command_json][engine]") {
  std::vector<CommandBody> direct;
  std::vector<CommandBody> from_lines;
  std::vector<CommandBody> round_tripped;
  for (const Step& step : Scenario()) {
    direct.push_back(step.body);
    const json line = json::parse(step.line);
    from_lines.push_back(Decoded(line.at("op").get<std::string>(), line.at("args")));
    round_tripped.push_back(Decoded(CommandName(step.body), EncodeCommandBody(step.body)));
    // The hand-written line is what the codec writes, up to keys left at their default.
    CHECK(CommandName(from_lines.back()) == CommandName(step.body));
  }
  const std::vector<std::string> expected = Run(direct);
  CHECK(Run(from_lines) == expected);
  CHECK(Run(round_tripped) == expected);
  // The scenario exercises the engine: every command succeeds but three refused on purpose
  // (cancel_consult, answer_overflow and report_callback of a contact not in that state), and
  // events flow.
  size_t ok = 0;
  size_t events = 0;
  for (const std::string& line : expected) {
    if (line.ends_with(": OK")) ++ok;
    if (line.starts_with("#")) ++events;
  }
  std::string all;
  for (const std::string& line : expected) all += line + "\n";
  INFO(all);
  CHECK(ok == expected.size() - events - 3);
  CHECK(events >= 70);
}

// ---- Times and durations.

TEST_CASE("Times round-trip exactly through RFC 3339, sub-nanosecond included",
          "[command_json][time]") {
  const absl::Time base = absl::FromUnixSeconds(1'700'000'000);
  const absl::Time times[] = {
      base,
      base + absl::Nanoseconds(1),
      base + absl::Nanoseconds(1) / 4,  // absl::Time's resolution
      base + absl::Microseconds(123456) + absl::Nanoseconds(789),
      absl::FromUnixSeconds(-1) + absl::Nanoseconds(3),
      absl::FromUnixSeconds(0),
      absl::FromCivil(absl::CivilSecond(1, 1, 1, 0, 0, 0), absl::UTCTimeZone()),
      absl::FromCivil(absl::CivilSecond(9999, 12, 31, 23, 59, 59), absl::UTCTimeZone()) +
          absl::Nanoseconds(999'999'999),
      absl::InfiniteFuture(),
      absl::InfinitePast(),
  };
  for (const absl::Time t : times) {
    const std::string text = EncodeTime(t);
    INFO(text);
    absl::StatusOr<absl::Time> decoded = DecodeTime(json(text));
    REQUIRE(decoded.ok());
    CHECK(*decoded == t);
  }
  CHECK(EncodeTime(absl::FromUnixSeconds(0)) == "1970-01-01T00:00:00+00:00");
  CHECK(EncodeTime(base + absl::Milliseconds(250)) == "2023-11-14T22:13:20.25+00:00");
  CHECK(*DecodeTime(json("2023-11-14T23:13:20.5+01:00")) == base + absl::Milliseconds(500));
  CHECK(*DecodeTime(json("2023-11-14T22:13:20Z")) == base);
  CHECK(*DecodeTime(json(1'700'000'000)) == base);
  CHECK(*DecodeTime(json(1'700'000'000.25)) == base + absl::Milliseconds(250));
  // A number is rounded to the microsecond, as in Python.
  CHECK(*DecodeTime(json(0.0000004)) == absl::UnixEpoch());
  CHECK(*DecodeTime(json(-1.5)) == absl::FromUnixMillis(-1500));
}

TEST_CASE("Durations round-trip exactly through FormatDuration", "[command_json][time]") {
  const absl::Duration durations[] = {
      absl::ZeroDuration(),
      absl::Nanoseconds(1),
      absl::Nanoseconds(1) / 4,
      absl::Milliseconds(1500),
      -absl::Minutes(2),
      absl::Hours(100000),
      absl::Seconds(90) + absl::Nanoseconds(7),
      absl::InfiniteDuration(),
      -absl::InfiniteDuration(),
  };
  for (const absl::Duration d : durations) {
    const std::string text = EncodeDuration(d);
    INFO(text);
    absl::StatusOr<absl::Duration> decoded = DecodeDuration(json(text));
    REQUIRE(decoded.ok());
    CHECK(*decoded == d);
  }
  CHECK(EncodeDuration(absl::Seconds(150)) == "2m30s");
  CHECK(*DecodeDuration(json("2m30s")) == absl::Seconds(150));
  CHECK(*DecodeDuration(json(1.5)) == absl::Milliseconds(1500));
  CHECK(*DecodeDuration(json(30)) == absl::Seconds(30));
  CHECK(*DecodeDuration(json(-2)) == absl::Seconds(-2));
  CHECK(*DecodeDuration(json(0.0000004)) == absl::ZeroDuration());
}

TEST_CASE("Bad times and durations say what was expected", "[command_json][time]") {
  CHECK(DecodeDuration(json("abc")).status().message() ==
        "expected a duration (seconds or \"30s\"), got \"abc\"");
  CHECK(DecodeDuration(json(true)).status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(DecodeDuration(json(1e300)).status().message() ==
        "expected a duration of at most 9.2e12 seconds either way, got 1e+300");
  CHECK(DecodeTime(json("yesterday")).status().message() ==
        "expected a time (Unix seconds or an RFC 3339 string such as \"2026-01-05T09:00:00Z\"), "
        "got \"yesterday\"");
  CHECK(!DecodeTime(json("2023-11-14 22:13:20")).ok());
  CHECK(!DecodeTime(json::array()).ok());
  CHECK(!DecodeTime(json(1e300)).ok());
}

TEST_CASE("Actors parse as ActorName prints them", "[command_json]") {
  const Actor actors[] = {Actor::Host(),
                          Actor::System(),
                          Actor::Agent("a17"),
                          Actor::Supervisor("s1"),
                          Actor{Actor::Kind::kHost, "crm"},
                          Actor::Agent("with:colon")};
  for (const Actor& actor : actors) {
    absl::StatusOr<Actor> decoded = DecodeActor(ActorName(actor));
    INFO(ActorName(actor));
    REQUIRE(decoded.ok());
    CHECK(decoded->kind == actor.kind);
    CHECK(decoded->id == actor.id);
  }
  CHECK(DecodeActor("robot").status().message() ==
        "actor 'robot': expected \"host\", \"system\", \"agent:ID\" or \"supervisor:ID\"");
  CHECK(!DecodeActor("").ok());
  CHECK(!DecodeActor("system:x").ok());
}

// ---- Errors.

TEST_CASE("Bad input is InvalidArgument naming the path and what was wrong",
          "[command_json][errors]") {
  absl::StatusOr<CommandBody> fly = DecodeCommandBody("fly", json::object());
  REQUIRE(!fly.ok());
  CHECK(fly.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(fly.status().message() == "unknown op 'fly'");

  CHECK(ErrorOf("add_agent", R"({"id": "a", "cuont": 2})") ==
        "args: unknown key 'cuont' for add_agent; expected one of id, skills, groups, "
        "attributes, capacity, cost, cost_total, blocks, queues, auto_membership, weight, team");
  CHECK(ErrorOf("login", R"({"ready": true})") == "args: missing 'agent' for login");
  CHECK(ErrorOf("login", R"({"agent": null})") == "args: missing 'agent' for login");
  CHECK(ErrorOf("login", R"([])") == "args: expected an object, got []");
  CHECK(ErrorOf("advance", R"({"now": 5})") ==
        "args: unknown key 'now' for advance; it takes none");
  CHECK(ErrorOf("add_queue", R"({"id": "q", "overflow": [{"when": "wait", "wait": 5,
        "action": "disconnect"}, {"when": "wait", "wait": "abc", "action": "voicemail"}]})") ==
        "args.overflow[1].wait: expected a duration (seconds or \"30s\"), got \"abc\"");
  CHECK(ErrorOf("add_queue", R"({"id": "q", "overflow": [{"when": "wait"}]})") ==
        "args.overflow[0]: missing 'action'");
  CHECK(ErrorOf("add_queue", R"({"id": "q", "steps": [{"after": 5, "requirment": ""}]})") ==
        "args.steps[0]: unknown key 'requirment'; expected one of after, requirement");

  // Wrong types.
  CHECK(ErrorOf("login", R"({"agent": 7})") == "args.agent: expected a string, got 7");
  CHECK(ErrorOf("login", R"({"agent": "a", "ready": "yes"})") ==
        "args.ready: expected true or false, got \"yes\"");
  CHECK(ErrorOf("add_agent", R"({"id": "a", "skills": {"support": "high"}})") ==
        "args.skills[\"support\"]: expected an integer, got \"high\"");
  CHECK(ErrorOf("add_agent", R"({"id": "a", "groups": ["x", 1]})") ==
        "args.groups[1]: expected a string, got 1");
  CHECK(ErrorOf("add_contact", R"({"id": "c", "attributes": {"tier": [1]}})") ==
        "args.attributes[\"tier\"]: expected a string or a number, got [1]");
  CHECK(ErrorOf("add_agent", R"({"id": "a", "queues": [{"priority": 1}]})") ==
        "args.queues[0]: missing 'queue'");
  CHECK(ErrorOf("add_agent", R"({"id": "a", "weight": "heavy"})") ==
        "args.weight: expected a number, got \"heavy\"");

  // Bad names.
  CHECK(ErrorOf("add_queue", R"({"id": "q", "strategy": "fastest"})") ==
        "args.strategy: unknown strategy 'fastest'; expected one of longest_idle, most_skilled, "
        "least_occupied, fewest_contacts, round_robin, random, host_score");
  CHECK(ErrorOf("add_contact", R"({"id": "c", "channel": "pigeon"})") ==
        "args.channel: unknown channel 'pigeon'; expected one of voice, chat, email, sms, "
        "social, web, fax, callback, outbound");
  CHECK(ErrorOf("report_callback", R"({"contact": "c", "result": "maybe"})") ==
        "args.result: unknown callback result 'maybe'; expected one of connected, no_answer, "
        "busy");
  CHECK(ErrorOf("add_queue", R"({"id": "q", "overflow": [{"when": "late",
        "action": "disconnect"}]})") ==
        "args.overflow[0].when: unknown trigger 'late'; expected one of wait, queue_length, "
        "estimated_wait, no_agents, closed");
  CHECK(ErrorOf("add_agent", R"({"id": "a", "capacity": {"pigeon": 1}})") ==
        "args.capacity[\"pigeon\"]: unknown channel 'pigeon'; expected one of voice, chat, "
        "email, sms, social, web, fax, callback, outbound");

  // Integers.
  CHECK(ErrorOf("set_contact_priority", R"({"contact": "c", "priority": 2.5})") ==
        "args.priority: expected an integer, got 2.5");
  CHECK(ErrorOf("set_contact_priority", R"({"contact": "c", "priority": 3000000000})") ==
        "args.priority: expected an integer from -2147483648 to 2147483647, got 3000000000");
  CHECK(ErrorOf("set_contact_priority", R"({"contact": "c", "priority": -3000000000})") ==
        "args.priority: expected an integer from -2147483648 to 2147483647, got -3000000000");
  CHECK(ErrorOf("set_contact_priority", R"({"contact": "c", "priority": 1e19})") ==
        "args.priority: expected an integer from -2147483648 to 2147483647, got 1e+19");
  CHECK(
      DecodedAs<SetContactPriority>("set_contact_priority", R"({"contact": "c", "priority": 4.0})")
          .priority == 4);
  CHECK(ErrorOf("add_agent", R"({"id": "a", "capacity": {"chat": 256}})") ==
        "args.capacity[\"chat\"]: expected an integer from 0 to 255, got 256");
  CHECK(ErrorOf("add_agent", R"({"id": "a", "cost_total": 50})") ==
        "args.cost_total: only with cost (the cost model)");
  CHECK(DecodedAs<AddQueue>("add_queue", R"({"id": "q", "max_length": 5000000000})")
            .config.max_length == 5'000'000'000);

  // Hours.
  CHECK(ErrorOf("add_queue", R"({"id": "q", "zone": "Europe/Paris"})") ==
        "args.zone: only with hours (a queue without hours is always open)");
  CHECK(ErrorOf("add_queue", R"({"id": "q", "hours": {"mon-fri": "09:00-17:00",
        "fri": "10:00-12:00"}})") ==
        "args.hours[\"mon-fri\"]: fri is also in args.hours[\"fri\"]; give each day once");
  CHECK(ErrorOf("add_queue", R"({"id": "q", "hours": {"mon": "9-17"}})") ==
        "args.hours[\"mon\"]: expected HH:MM-HH:MM, found '9-17'");
  CHECK(ErrorOf("add_queue", R"({"id": "q", "hours": {}, "closed_on": ["2026-02-30"]})") ==
        "args.closed_on[0]: date '2026-02-30' does not exist");
}

TEST_CASE("Decoding never throws on odd JSON", "[command_json][errors]") {
  const json odd[] = {json(),
                      json(1),
                      json("x"),
                      json::array({1, 2}),
                      json::binary({1, 2}),
                      json::parse(R"({"id": {"nested": [null, {}]}})")};
  for (const Example& example : kExamples) {
    for (const json& args : odd) {
      CHECK_NOTHROW((void)DecodeCommandBody(example.op, args));
    }
    // Each key of the example given a wrong type in turn.
    const json good = json::parse(example.args);
    for (const auto& [key, value] : good.items()) {
      for (const json& other : odd) {
        json bad = good;
        bad[key] = other;
        CHECK_NOTHROW((void)DecodeCommandBody(example.op, bad));
      }
    }
  }
}
}  // namespace
}  // namespace switchboard
