// The engine's commands for a live center (docs/operations.md): update_agent, remove_agent,
// remove_queue, and the supervisor's move_contact, set_contact_priority and assign_contact.
// update_queue shares add_queue's arguments (engine_bindings.cc).
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "command_args.h"
#include "py_engine.h"
#include "values.h"

namespace py = pybind11;

namespace switchboard::python {

void DefLiveCommands(py::class_<PyEngine>& engine) {
  engine.def(
      "update_agent",
      [](PyEngine& self, py::object now, std::string id,
         std::optional<std::map<std::string, int, std::less<>>> skills,
         std::optional<std::vector<std::string>> groups, std::optional<Attributes> attributes,
         std::optional<std::map<std::string, int>> capacity,
         std::optional<std::map<std::string, int>> cost, int cost_total,
         std::optional<std::map<std::string, std::vector<std::string>>> blocks,
         std::optional<py::iterable> queues, std::optional<bool> auto_membership,
         std::optional<double> weight, std::optional<std::string> actor) {
        UpdateAgent update{.agent = std::move(id),
                           .skills = std::move(skills),
                           .groups = std::move(groups),
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
      py::arg("groups") = py::none(), py::arg("attributes") = py::none(),
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
}

}  // namespace switchboard::python
