// The engine's commands for a live center (docs/operations.md): update_agent, remove_agent,
// remove_queue; the supervisor's move_contact, set_contact_priority and assign_contact; the
// agent's transfer, start_consult, complete_consult and cancel_consult.
// update_queue shares add_queue's arguments (engine_bindings.cc).
#include <array>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "command_args.h"
#include "py_engine.h"
#include "status.h"
#include "switchboard/interval_stats.h"
#include "values.h"

namespace py = pybind11;

namespace switchboard::python {

namespace {

py::dict KpisToDict(const IntervalKpis& k) {
  py::dict d;
  d["start"] = TimeToSeconds(k.start);
  d["end"] = TimeToSeconds(k.end);
  d["offered"] = k.offered;
  d["answered"] = k.answered;
  d["answered_within_threshold"] = k.answered_within_threshold;
  d["abandoned"] = k.abandoned;
  d["handled"] = k.handled;
  d["service_level"] = k.service_level;
  d["abandon_rate"] = k.abandon_rate;
  d["asa_s"] = DurationToSeconds(k.asa);
  d["max_wait_s"] = DurationToSeconds(k.max_wait);
  d["aht_s"] = DurationToSeconds(k.aht);
  py::dict by_state;
  for (int i = 0; i < kAgentStateCount; ++i) {
    by_state[py::str(std::string(AgentStateName(AgentState(i))))] =
        DurationToSeconds(k.time_by_state[i]);
  }
  d["time_by_state_s"] = by_state;
  d["occupancy"] = k.occupancy;
  return d;
}

py::dict IntervalStatsToDict(const IntervalStats& s) {
  py::dict now;
  py::dict agents;
  for (int i = 0; i < kAgentStateCount; ++i) {
    agents[py::str(std::string(AgentStateName(AgentState(i))))] = s.now.agents_by_state[i];
  }
  now["agents_by_state"] = agents;
  now["waiting"] = s.now.waiting;
  now["longest_wait_s"] = DurationToSeconds(s.now.longest_wait);
  py::dict d;
  d["scope"] = std::string(StatsScopeName(s.scope));
  d["id"] = s.id;
  d["as_of"] = TimeToSeconds(s.as_of);
  d["now"] = now;
  d["current"] = KpisToDict(s.current);
  d["previous"] = KpisToDict(s.previous);
  return d;
}

}  // namespace

void DefLiveCommands(py::class_<PyEngine>& engine) {
  engine.def(
      "explain_offer",
      [](PyEngine& self, std::string_view contact) {
        const OfferExplanation why = ValueOrThrow(self.engine().ExplainOffer(contact));
        py::dict d;
        d["contact"] = why.contact;
        d["agent"] = why.agent;
        d["queue"] = why.queue;
        d["strategy"] = why.strategy;
        d["agent_key"] = why.agent_key;
        d["runner_up"] = why.runner_up.empty() ? py::object(py::none()) : py::str(why.runner_up);
        d["runner_up_key"] =
            why.runner_up.empty() ? py::object(py::none()) : py::str(why.runner_up_key);
        d["text"] = why.text;
        return d;
      },
      py::arg("contact"),
      R"doc(Why a ringing contact went to its agent, and who the strategy would pick next now.

Returns {"contact", "agent", "queue", "strategy", "agent_key", "runner_up", "runner_up_key",
"text"}: the strategy's key of the agent in words (e.g. "skill score 9 on the queue's
requirement"), the best other agent free for it now and its key (None when none, and for
"random"). Raises NotFoundError, or FailedPreconditionError when the contact is not ringing.)doc");

  engine.def(
      "interval_stats",
      [](PyEngine& self, std::string_view scope, std::string_view id) {
        static constexpr std::array<Named<StatsScope>, 3> kScopes = {{
            {"queue", StatsScope::kQueue},
            {"agent", StatsScope::kAgent},
            {"team", StatsScope::kTeam},
        }};
        const StatsScope parsed = ParseName(scope, "scope", "scope", kScopes);
        return IntervalStatsToDict(ValueOrThrow(self.engine().GetIntervalStats(parsed, id)));
      },
      py::arg("scope"), py::arg("id"),
      R"doc(A wallboard's numbers for a queue, an agent or a team, now and per interval.

scope: "queue", "agent" or "team" (the agents added with that team). Returns a dict:
  "now": {"agents_by_state": state -> count, "waiting", "longest_wait_s"} (waiting and
      longest wait for a queue only);
  "current" and "previous": the interval now() falls in (up to now) and the one before, each
      {"start", "end", "offered", "answered", "answered_within_threshold", "abandoned",
      "handled", "service_level", "abandon_rate", "asa_s", "max_wait_s", "aht_s",
      "time_by_state_s", "occupancy"}, with the simulator's definitions (docs/operations.md,
      "Live statistics"). Intervals last the engine's stats_interval.
Raises NotFoundError for an unknown id, FailedPreconditionError with events off.)doc");

  engine.def(
      "update_agent",
      [](PyEngine& self, py::object now, std::string id,
         std::optional<std::map<std::string, int, std::less<>>> skills,
         std::optional<std::vector<std::string>> groups, std::optional<std::string> team,
         std::optional<Attributes> attributes,
         std::optional<std::map<std::string, int>> capacity,
         std::optional<std::map<std::string, int>> cost, int cost_total,
         std::optional<std::map<std::string, std::vector<std::string>>> blocks,
         std::optional<py::iterable> queues, std::optional<bool> auto_membership,
         std::optional<double> weight, std::optional<std::string> actor) {
        UpdateAgent update{.agent = std::move(id),
                           .skills = std::move(skills),
                           .groups = std::move(groups),
                           .team = std::move(team),
                           .attributes = std::move(attributes),
                           .auto_membership = auto_membership,
                           .weight = weight};
        if (capacity || cost || blocks) {
          update.capacity = ParseCapacity(capacity, cost, cost_total, blocks);
        }
        if (queues) update.queues = ParseMemberships(*queues);
        self.Run(TimeAt(now, "now"), ParseActor(actor), std::move(update));
      },
      py::arg("now"), py::arg("id"), py::kw_only(), py::arg("skills") = py::none(),
      py::arg("groups") = py::none(), py::arg("team") = py::none(),
      py::arg("attributes") = py::none(),
      py::arg("capacity") = py::none(), py::arg("cost") = py::none(),
      py::arg("cost_total") = 100, py::arg("blocks") = py::none(),
      py::arg("queues") = py::none(), py::arg("auto_membership") = py::none(),
      py::arg("weight") = py::none(), py::arg("actor") = py::none(),
      R"doc(Changes a live agent: each argument given replaces the agent's, the others stay.

Arguments as add_agent's (capacity, cost and blocks together make the new capacity). The agent
keeps its state, contacts and statistics; it serves at once the queues the change makes it meet
or lists, and, when free, takes at once the contacts the change lets it take.
Raises NotFoundError for an unknown agent or queue, InvalidArgumentError as add_agent, and
FailedPreconditionError for a capacity of 0 on a channel the agent holds contacts of.)doc");

  engine.def(
      "remove_agent",
      [](PyEngine& self, py::object now, std::string id, std::optional<std::string> actor) {
        self.Run(TimeAt(now, "now"), ParseActor(actor), RemoveAgent{std::move(id)});
      },
      py::arg("now"), py::arg("id"), py::kw_only(), py::arg("actor") = py::none(),
      R"doc(Removes a logged-out agent; its id is free again.

Contacts waiting for it as their preferred agent wait for any agent of their queue. Raises
NotFoundError for an unknown agent, FailedPreconditionError while it is logged in.)doc");

  engine.def(
      "remove_queue",
      [](PyEngine& self, py::object now, std::string id, std::optional<std::string> move_to,
         std::optional<std::string> actor) {
        self.Run(TimeAt(now, "now"), ParseActor(actor),
                 RemoveQueue{.queue = std::move(id), .move_to = move_to.value_or("")});
      },
      py::arg("now"), py::arg("id"), py::kw_only(), py::arg("move_to") = py::none(),
      py::arg("actor") = py::none(),
      R"doc(Removes a queue; its waiting contacts move to queue move_to (keeping their arrival).

Without move_to the queue must hold no waiting contact. Raises NotFoundError for an unknown
queue, FailedPreconditionError while contacts wait and no move_to is given, a contact of it
rings or is being called back, or a rule of another queue or an entry rule sends contacts to
it.)doc");

  engine.def(
      "move_contact",
      [](PyEngine& self, py::object now, std::string contact, std::string queue,
         std::optional<std::string> actor) {
        self.Run(TimeAt(now, "now"), ParseActor(actor),
                 MoveContact{.contact = std::move(contact), .queue = std::move(queue)});
      },
      py::arg("now"), py::arg("contact"), py::arg("queue"), py::kw_only(),
      py::arg("actor") = py::none(),
      R"doc(Moves a waiting contact to another queue, keeping its arrival (a supervisor's command).

Counts as a transfer in both queues; event contact_transferred with reason "moved". Raises
NotFoundError, or FailedPreconditionError when the contact is not waiting in a queue or already
waits in that one.)doc");

  engine.def(
      "set_contact_priority",
      [](PyEngine& self, py::object now, std::string contact, int priority,
         std::optional<int> priority_class, std::optional<std::string> actor) {
        self.Run(TimeAt(now, "now"), ParseActor(actor),
                 SetContactPriority{.contact = std::move(contact),
                                    .priority = priority,
                                    .priority_class = priority_class});
      },
      py::arg("now"), py::arg("contact"), py::arg("priority"), py::kw_only(),
      py::arg("priority_class") = py::none(), py::arg("actor") = py::none(),
      R"doc(Changes a waiting contact's priority (and class, when given): it takes its new place at once.

Raises NotFoundError, FailedPreconditionError when it is not waiting, InvalidArgumentError for a
value out of range (as add_contact).)doc");

  engine.def(
      "assign_contact",
      [](PyEngine& self, py::object now, std::string contact, std::string agent,
         std::optional<std::string> actor) {
        self.Run(TimeAt(now, "now"), ParseActor(actor),
                 AssignContact{.contact = std::move(contact), .agent = std::move(agent)});
      },
      py::arg("now"), py::arg("contact"), py::arg("agent"), py::kw_only(),
      py::arg("actor") = py::none(),
      R"doc(Offers a chosen waiting contact to a chosen agent now, whatever the queue's order.

The offer rings as any other (accept, reject or time out). Events contact_assigned, then
contact_offered. Raises NotFoundError, or FailedPreconditionError when the contact is not
waiting or the agent is not ready or has no room for its channel.)doc");

  engine.def(
      "transfer",
      [](PyEngine& self, py::object now, std::string agent, std::string contact,
         std::optional<std::string> queue, std::optional<std::string> to_agent,
         py::object timeout, std::optional<std::string> actor) {
        self.Run(TimeAt(now, "now"), ParseActor(actor),
                 TransferContact{.agent = std::move(agent),
                                 .contact = std::move(contact),
                                 .queue = queue.value_or(""),
                                 .to_agent = to_agent.value_or(""),
                                 .timeout = SecondsAt(timeout, "timeout")});
      },
      py::arg("now"), py::arg("agent"), py::arg("contact"), py::kw_only(),
      py::arg("queue") = py::none(), py::arg("to_agent") = py::none(),
      py::arg("timeout") = 30.0, py::arg("actor") = py::none(),
      R"doc(The agent transfers its connected (or held) contact.

Blind: to queue (default: the contact's own), where it waits as a contact arriving now. Direct:
with to_agent, it waits for that agent for timeout seconds (default 30), then for any agent of
the queue. The agent's part ends with its queue's wrap-up; the contact ends once, with the agent
who finally completes it. Event contact_transferred (reason "blind" or "direct").
Raises NotFoundError, FailedPreconditionError (not connected with the agent, a consult open,
the target queue full) or InvalidArgumentError (to_agent is the agent, a bad timeout).)doc");

  engine.def(
      "start_consult",
      [](PyEngine& self, py::object now, std::string agent, std::string contact,
         std::string to_agent, std::optional<std::string> actor) {
        self.Run(TimeAt(now, "now"), ParseActor(actor),
                 StartConsult{.agent = std::move(agent),
                              .contact = std::move(contact),
                              .to_agent = std::move(to_agent)});
      },
      py::arg("now"), py::arg("agent"), py::arg("contact"), py::arg("to_agent"), py::kw_only(),
      py::arg("actor") = py::none(),
      R"doc(Reserves to_agent to talk with the agent about its contact; the contact stays with the agent.

Then complete_consult() hands the contact to to_agent, or cancel_consult() releases it. Raises
FailedPreconditionError when to_agent is not ready or has no room, or a consult is open.)doc");

  engine.def(
      "complete_consult",
      [](PyEngine& self, py::object now, std::string agent, std::string contact,
         std::optional<std::string> actor) {
        self.Run(TimeAt(now, "now"), ParseActor(actor),
                 CompleteConsult{.agent = std::move(agent), .contact = std::move(contact)});
      },
      py::arg("now"), py::arg("agent"), py::arg("contact"), py::kw_only(),
      py::arg("actor") = py::none(),
      "Hands the contact to the consulted agent; the agent's part ends with wrap-up.");

  engine.def(
      "cancel_consult",
      [](PyEngine& self, py::object now, std::string agent, std::string contact,
         std::optional<std::string> actor) {
        self.Run(TimeAt(now, "now"), ParseActor(actor),
                 CancelConsult{.agent = std::move(agent), .contact = std::move(contact)});
      },
      py::arg("now"), py::arg("agent"), py::arg("contact"), py::kw_only(),
      py::arg("actor") = py::none(),
      "Ends the consult (agent: either of the two): the consulted agent is free, the contact "
      "stays.");
}

}  // namespace switchboard::python
