// switchboard.EventType and switchboard.Event (records.h): the events drain_events() returns.
//
// EventType is a str enum made here from the engine's own names (EventTypeName), so an event
// type the engine adds is a member at once: EventType.contact_offered == "contact_offered",
// and a misspelt member (EventType.contact_ofered) raises AttributeError instead of matching
// nothing. Where the standard library has enum.StrEnum (3.11+), str() of a member is its value.
#include <array>
#include <string>
#include <vector>

#include <pybind11/pybind11.h>

#include "bindings.h"
#include "records.h"
#include "switchboard/events.h"

namespace py = pybind11;

namespace switchboard::python {
using EventRecord = Record<Event>;
}  // namespace switchboard::python

SWITCHBOARD_PYTHON_CLASS(switchboard::python::EventRecord, "switchboard.Event",
                         "switchboard.Engine.drain_events()")

namespace switchboard::python {
namespace {

// The members of switchboard.EventType by the C++ value; held by the enum class, which the
// module holds for the life of the interpreter.
std::vector<PyObject*>& EventTypeMembers() {
  static auto* members = new std::vector<PyObject*>();
  return *members;
}

py::object EventTypeMember(EventType type) {
  const std::vector<PyObject*>& members = EventTypeMembers();
  const size_t i = static_cast<size_t>(type);
  if (i < members.size()) return py::reinterpret_borrow<py::object>(members[i]);
  return Str(EventTypeName(type));  // not reached: every type has a member
}


const std::array<Field<Event>, 17> kEventFields = {{
    {"sequence", [](const Event& e) -> py::object { return py::int_(e.sequence); },
     "1, 2, 3, ... in the order the engine emitted them."},
    {"time", [](const Event& e) -> py::object { return py::float_(TimeToSeconds(e.time)); },
     "When it happened, Unix seconds (a float)."},
    {"type", [](const Event& e) { return EventTypeMember(e.type); },
     "The event's type, a switchboard.EventType (a str)."},
    {"actor", [](const Event& e) -> py::object { return Str(ActorName(e.actor)); },
     "Who caused it: \"host\", \"system\", \"agent:ID\", \"supervisor:ID\"."},
    {"cause", [](const Event& e) -> py::object { return Str(CauseName(e.cause)); },
     "Why it happened: command, routing, offer_timeout, ..."},
    {"contact", [](const Event& e) { return OptionalStr(e.contact_id); }, "Or None."},
    {"agent", [](const Event& e) { return OptionalStr(e.agent_id); }, "Or None."},
    {"queue", [](const Event& e) { return OptionalStr(e.queue_id); }, "Or None."},
    {"channel",
     [](const Event& e) -> py::object {
       return EventHasChannel(e) ? py::object(Str(ChannelName(e.channel))) : py::none();
     },
     "contact_queued, contact_rejected, contact_offered: the contact's channel; else None."},
    {"from_state",
     [](const Event& e) -> py::object {
       return EventHasStates(e) ? py::object(Str(AgentStateName(e.from_state))) : py::none();
     },
     "agent_state_changed: the state left; else None."},
    {"to_state",
     [](const Event& e) -> py::object {
       return EventHasStates(e) ? py::object(Str(AgentStateName(e.to_state))) : py::none();
     },
     "agent_state_changed: the state entered; else None."},
    {"reason", [](const Event& e) { return OptionalStr(e.reason); },
     "Depends on the type (a not-ready reason, an overflow trigger, a disposition, ...); or "
     "None."},
    {"target", [](const Event& e) { return OptionalStr(e.target); },
     "The queue a transfer names, or where a deflected customer goes; or None."},
    {"outcome",
     [](const Event& e) -> py::object {
       return e.outcome == ContactOutcome::kNone ? py::none()
                                                 : py::object(Str(ContactOutcomeName(e.outcome)));
     },
     "How the contact ended, for an event that ends it; else None."},
    {"deadline", [](const Event& e) { return OptionalTime(e.deadline); },
     "When what it started falls due (an offer's timeout, a wrap-up's end), Unix seconds; or "
     "None."},
    {"wait_s",
     [](const Event& e) -> py::object {
       return EventHasWait(e) ? py::object(py::float_(static_cast<double>(e.wait_micros) / 1e6))
                         : py::none();
     },
     "The contact's wait so far, seconds (offers, accepts, steps, ends); reserve_activated and "
     "reserve_deactivated by a check: the queue's oldest wait (0 when none waits); else None."},
    {"ewt_s",
     [](const Event& e) -> py::object {
       return e.type == EventType::kContactQueued
                  ? py::object(py::float_(DurationToSeconds(e.estimated_wait)))
                  : py::none();
     },
     "contact_queued: the estimated wait, seconds (0 when offered at once); else None."},
}};

constexpr const char* kEventDoc =
    R"doc(An event of the engine (Engine.drain_events()), with typed read-only attributes.

Also a read-only Mapping of the same keys, as the dicts of earlier versions:
event["type"] == "contact_offered", dict(event), event.to_dict() (a plain dict).
type is a switchboard.EventType, a str enum: compare with EventType.contact_offered (a typo
raises AttributeError) or with its str. Times are float Unix seconds, durations float
seconds (wait_s, ewt_s). A field that does not apply to the event's type is None.)doc";

// Makes the str enum switchboard.EventType of every name EventTypeName gives.
py::object MakeEventTypeEnum() {
  const py::module_ enum_module = py::module_::import("enum");
  py::list members;
  std::vector<std::string> names;
  for (int i = 0; i < 256; ++i) {
    const std::string_view name = EventTypeName(static_cast<EventType>(i));
    if (name == "?") break;  // past the last type
    names.emplace_back(name);
    members.append(py::make_tuple(Str(name), Str(name)));
  }
  py::object type;
  if (py::hasattr(enum_module, "StrEnum")) {
    type = enum_module.attr("StrEnum")("EventType", members, py::arg("module") = "switchboard");
  } else {
    type = enum_module.attr("Enum")("EventType", members, py::arg("module") = "switchboard",
                                    py::arg("type") = py::type::of(py::str("")));
  }
  type.attr("__doc__") =
      "The type of a switchboard.Event: a str enum whose members equal their names "
      "(EventType.contact_offered == \"contact_offered\"). Made from the engine's own list.";
  type.attr("__qualname__") = "EventType";
  std::vector<PyObject*>& by_value = EventTypeMembers();
  by_value.clear();
  for (const std::string& name : names) {
    by_value.push_back(py::object(type.attr(name.c_str())).release().ptr());  // the class holds them
  }
  return type;
}

}  // namespace

py::object EventToPython(const Event& event) { return py::cast(EventRecord{event}); }

void register_events(py::module_& m) {
  m.attr("EventType") = MakeEventTypeEnum();
  BindRecord(m, "Event", kEventDoc, kEventFields);
}

}  // namespace switchboard::python
