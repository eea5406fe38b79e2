// A small host that drives a scripted morning through the engine and prints what happens:
// agents log in, calls and chats arrive, offers are answered, one rings out (RONA), wrap-up
// runs, and a supervisor sends an agent on a break. The host owns the clock: it passes each
// command's time in and calls AdvanceTo for the engine's deadlines.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "switchboard/switchboard.h"

namespace {

using switchboard::Actor;
using switchboard::Channel;
using switchboard::Engine;

// 08:00 UTC on a Monday.
const absl::Time kMorning = absl::FromUnixSeconds(1763971200);

absl::Time At(int minutes, int seconds = 0) {
  return kMorning + absl::Minutes(minutes) + absl::Seconds(seconds);
}

void Check(const absl::Status& status, const char* what) {
  if (!status.ok()) {
    std::fprintf(stderr, "%s: %s\n", what, std::string(status.ToString()).c_str());
    std::exit(1);
  }
}

void PrintEvents(Engine& engine) {
  for (const switchboard::Event& event : engine.DrainEvents()) {
    std::printf("%s\n", switchboard::FormatEvent(event).c_str());
  }
}

}  // namespace

int main() {
  // A missed offer sends the agent to not ready at once (classic RONA).
  switchboard::EngineOptions options;
  options.max_consecutive_misses = 1;
  absl::StatusOr<Engine> created = Engine::Create(options);
  Check(created.status(), "create engine");
  Engine& engine = *created;

  // Two queues: voice support needs 'support', chat needs 'support' and 'chat'.
  switchboard::QueueConfig voice;
  voice.id = "support";
  voice.requirement = "support >= 2";
  voice.wrap_up = {.mode = switchboard::WrapUpPolicy::Mode::kTimed,
                   .duration = absl::Seconds(30)};
  Check(engine.AddQueue(At(0), voice), "add queue support");
  switchboard::QueueConfig chat;
  chat.id = "chat";
  chat.requirement = "support && chat";
  chat.strategy = switchboard::Strategy::kFewestContacts;
  Check(engine.AddQueue(At(0), chat), "add queue chat");

  // Aiko takes calls; Ben takes calls or up to two chats; Chika is a senior.
  switchboard::AgentConfig aiko{.id = "aiko", .skills = {{"support", 5}}};
  switchboard::AgentConfig ben{.id = "ben", .skills = {{"support", 3}, {"chat", 4}}};
  ben.capacity.Allow(Channel::kChat, 2);
  switchboard::AgentConfig chika{.id = "chika", .skills = {{"support", 9}}};
  Check(engine.AddAgent(At(0), aiko), "add aiko");
  Check(engine.AddAgent(At(0), ben), "add ben");
  Check(engine.AddAgent(At(0), chika), "add chika");

  Check(engine.Login(At(0), "aiko", /*ready=*/true, Actor::Agent("aiko")), "aiko logs in");
  Check(engine.Login(At(1), "ben", /*ready=*/true, Actor::Agent("ben")), "ben logs in");
  Check(engine.Login(At(2), "chika", /*ready=*/false, Actor::Agent("chika")), "chika logs in");

  // 08:05 a call arrives: Aiko has been idle longest.
  Check(engine.AddContact(At(5), {.id = "call-1", .channel = Channel::kVoice, .queue = "support"}),
        "call-1");
  Check(engine.Accept(At(5, 4), "aiko", "call-1", Actor::Agent("aiko")), "aiko answers");
  // Two chats: Ben takes both.
  Check(engine.AddContact(At(6), {.id = "chat-1", .channel = Channel::kChat, .queue = "chat"}),
        "chat-1");
  Check(engine.Accept(At(6, 5), "ben", "chat-1", Actor::Agent("ben")), "ben answers chat-1");
  Check(engine.AddContact(At(6, 20), {.id = "chat-2", .channel = Channel::kChat, .queue = "chat"}),
        "chat-2");
  Check(engine.Accept(At(6, 24), "ben", "chat-2", Actor::Agent("ben")), "ben answers chat-2");

  // Chika gets ready; a VIP call arrives and rings her, but she doesn't answer (RONA).
  Check(engine.SetReady(At(7), "chika", Actor::Agent("chika")), "chika ready");
  Check(engine.AddContact(At(8), {.id = "call-2", .channel = Channel::kVoice, .queue = "support",
                                  .priority = 2}),
        "call-2");
  // The host follows the engine's deadlines: the offer times out at 08:08:15.
  while (std::optional<absl::Time> deadline = engine.NextDeadline()) {
    if (*deadline > At(8, 30)) break;
    Check(engine.AdvanceTo(*deadline), "advance");
  }
  // Aiko finishes call-1, wraps up for 30 s, then takes call-2 (which kept its place).
  Check(engine.Complete(At(9), "aiko", "call-1", Actor::Agent("aiko")), "aiko completes");
  Check(engine.AdvanceTo(At(9, 30)), "wrap-up ends");
  Check(engine.Accept(At(9, 33), "aiko", "call-2", Actor::Agent("aiko")), "aiko answers call-2");

  // The supervisor sends Ben on a break after his chats; he finishes them.
  Check(engine.SetNotReady(At(10), "ben", "break", /*after_contacts=*/true,
                           Actor::Supervisor("sv-mori")),
        "break after contacts");
  Check(engine.Complete(At(12), "ben", "chat-1", Actor::Agent("ben")), "chat-1 done");
  Check(engine.Complete(At(13), "ben", "chat-2", Actor::Agent("ben")), "chat-2 done");
  Check(engine.Complete(At(15), "aiko", "call-2", Actor::Agent("aiko")), "call-2 done");
  Check(engine.AdvanceTo(At(16)), "advance");

  std::printf("== events\n");
  PrintEvents(engine);

  std::printf("\n== queues at %s\n",
              absl::FormatTime("%H:%M", engine.now(), absl::UTCTimeZone()).c_str());
  std::printf("%-8s %7s %8s %9s %8s %8s %6s\n", "queue", "offered", "answered", "abandoned",
              "waiting", "SL", "ASA");
  for (const char* id : {"support", "chat"}) {
    absl::StatusOr<switchboard::QueueStats> q = engine.GetQueueStats(id);
    Check(q.status(), "queue stats");
    std::printf("%-8s %7lld %8lld %9lld %8lld %7.0f%% %5.1fs\n", id,
                static_cast<long long>(q->offered), static_cast<long long>(q->answered),
                static_cast<long long>(q->abandoned), static_cast<long long>(q->waiting),
                100 * q->service_level, absl::ToDoubleSeconds(q->asa));
  }
  std::printf("\n== agents\n%-6s %-10s %-8s %8s %10s\n", "agent", "state", "reason", "handled",
              "occupancy");
  for (const char* id : {"aiko", "ben", "chika"}) {
    absl::StatusOr<switchboard::AgentStats> a = engine.GetAgentStats(id);
    Check(a.status(), "agent stats");
    std::printf("%-6s %-10s %-8s %8lld %9.0f%%\n", id,
                std::string(switchboard::AgentStateName(a->state)).c_str(),
                a->not_ready_reason.c_str(), static_cast<long long>(a->contacts_handled),
                100 * a->occupancy);
  }
  return 0;
}
