// The records of statistics, contacts and explanations (records.h), the conversions every
// binding file shares, and the pandas frames of statistics. Events are in events.cc.
#include "records.h"

#include <array>
#include <string>
#include <utility>
#include <vector>

#include <pybind11/pybind11.h>

#include "bindings.h"
#include "switchboard/engine.h"

namespace py = pybind11;

namespace switchboard::python {
using QueueStatsRecord = Record<QueueStats>;
using AgentStatsRecord = Record<AgentStats>;
using ContactRecord = Record<ContactInfo>;
using VerdictRecord = Record<Explanation::Agent>;
using ExplanationRecord = Record<Explanation>;
}  // namespace switchboard::python

// Before the first cast of each: a record whose __init__ never ran (Record.__new__(Record))
// is refused (bindings.h). Records have no __init__: the engine makes them.
SWITCHBOARD_PYTHON_CLASS(switchboard::python::QueueStatsRecord, "switchboard.QueueStats",
                         "switchboard.Engine.queue_stats(id)")
SWITCHBOARD_PYTHON_CLASS(switchboard::python::AgentStatsRecord, "switchboard.AgentStats",
                         "switchboard.Engine.agent_stats(id)")
SWITCHBOARD_PYTHON_CLASS(switchboard::python::ContactRecord, "switchboard.ContactInfo",
                         "switchboard.Engine.contact(id)")
SWITCHBOARD_PYTHON_CLASS(switchboard::python::VerdictRecord, "switchboard.AgentVerdict",
                         "switchboard.Engine.explain(id)")
SWITCHBOARD_PYTHON_CLASS(switchboard::python::ExplanationRecord, "switchboard.Explanation",
                         "switchboard.Engine.explain(id)")

namespace switchboard::python {

py::object OptionalStr(std::string_view s) {
  if (s.empty()) return py::none();
  return Str(s);
}

py::object OptionalTime(absl::Time t) {
  if (t == absl::InfiniteFuture() || t == absl::InfinitePast()) return py::none();
  return py::float_(TimeToSeconds(t));
}

py::dict NewDict() {
  PyObject* d = PyDict_New();
  if (d == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::dict>(d);
}

py::list NewList(size_t size) {
  PyObject* list = PyList_New(static_cast<Py_ssize_t>(size));
  if (list == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::list>(list);
}

py::dict AttributesToDict(const Attributes& attributes) {
  py::dict d = NewDict();
  for (const auto& [name, value] : attributes) {
    if (const std::string* text = std::get_if<std::string>(&value)) {
      d[Str(name)] = Str(*text);
    } else {
      d[Str(name)] = std::get<double>(value);
    }
  }
  return d;
}

py::list StringsToList(const std::vector<std::string>& strings) {
  py::list out;
  for (const std::string& s : strings) out.append(Str(s));
  return out;
}

namespace {

// The record classes, for ToPlain (held by the module for the life of the interpreter).
std::vector<PyObject*>& RecordTypes() {
  static auto* types = new std::vector<PyObject*>();
  return *types;
}

const py::object& EnumClass() {
  static const py::object* type = new py::object(py::module_::import("enum").attr("Enum"));
  return *type;
}

py::dict DispositionsToDict(const std::map<std::string, int64_t, std::less<>>& counts) {
  py::dict d = NewDict();
  for (const auto& [code, count] : counts) d[Str(code)] = count;
  return d;
}

py::object Seconds(absl::Duration d) { return py::float_(DurationToSeconds(d)); }

using QS = QueueStats;
const std::array<Field<QS>, 28> kQueueStatsFields = {{
    {"queue", [](const QS& s) -> py::object { return Str(s.queue_id); }, "The queue's id."},
    {"open", [](const QS& s) -> py::object { return py::bool_(s.open); },
     "Within its opening hours now (always True without hours)."},
    {"waiting", [](const QS& s) -> py::object { return py::int_(s.waiting); },
     "Contacts waiting now (not those ringing)."},
    {"longest_wait_s", [](const QS& s) { return Seconds(s.longest_wait); },
     "Longest wait of the contacts waiting now, seconds."},
    {"offered", [](const QS& s) -> py::object { return py::int_(s.offered); },
     "Contacts that entered the queue (rejected ones included)."},
    {"rejected", [](const QS& s) -> py::object { return py::int_(s.rejected); }, "Refused at entry."},
    {"answered", [](const QS& s) -> py::object { return py::int_(s.answered); }, "Offers accepted."},
    {"answered_within_threshold",
     [](const QS& s) -> py::object { return py::int_(s.answered_within_threshold); },
     "Answered within the service-level threshold."},
    {"abandoned", [](const QS& s) -> py::object { return py::int_(s.abandoned); }, ""},
    {"removed", [](const QS& s) -> py::object { return py::int_(s.removed); }, ""},
    {"completed", [](const QS& s) -> py::object { return py::int_(s.completed); }, ""},
    {"offers", [](const QS& s) -> py::object { return py::int_(s.offers); },
     "Offers made (a contact may be offered several times)."},
    {"offers_missed", [](const QS& s) -> py::object { return py::int_(s.offers_missed); },
     "Offers rejected or timed out."},
    {"overflowed", [](const QS& s) -> py::object { return py::int_(s.overflowed); },
     "Left through an overflow rule, whatever its action; also entry deflections."},
    {"transferred", [](const QS& s) -> py::object { return py::int_(s.transferred); },
     "Moved to another queue by a rule."},
    {"callbacks", [](const QS& s) -> py::object { return py::int_(s.callbacks); },
     "Accepted a callback."},
    {"callbacks_connected",
     [](const QS& s) -> py::object { return py::int_(s.callbacks_connected); }, ""},
    {"callbacks_failed", [](const QS& s) -> py::object { return py::int_(s.callbacks_failed); },
     ""},
    {"deflected", [](const QS& s) -> py::object { return py::int_(s.deflected); }, ""},
    {"voicemail", [](const QS& s) -> py::object { return py::int_(s.voicemail); }, ""},
    {"disconnected", [](const QS& s) -> py::object { return py::int_(s.disconnected); }, ""},
    {"service_level", [](const QS& s) -> py::object { return py::float_(s.service_level); },
     "Share answered within the threshold, 0..1."},
    {"asa_s", [](const QS& s) { return Seconds(s.asa); }, "Average speed of answer, seconds."},
    {"ewt_error_s", [](const QS& s) { return Seconds(s.ewt_error); },
     "Mean |estimated wait at entry - wait| of answered contacts, seconds."},
    {"ewt_bias_s", [](const QS& s) { return Seconds(s.ewt_bias); },
     "Mean (estimated wait at entry - wait), seconds."},
    {"dispositions", [](const QS& s) -> py::object { return DispositionsToDict(s.dispositions); },
     "Completed contacts per disposition code (a dict)."},
    {"reserve_active", [](const QS& s) -> py::object { return py::bool_(s.reserve_active); },
     "Whether the queue's reserve agents take its contacts now (add_queue's reserve)."},
    {"reserve_service_level",
     [](const QS& s) -> py::object { return py::float_(s.reserve_service_level); },
     "The service level over the reserve policy's window as of now, 0..1; measured only for a "
     "policy with activate_below (1 otherwise, and when no contact was answered or abandoned "
     "in the window)."},
}};

using AS = AgentStats;
const std::array<Field<AS>, 15> kAgentStatsFields = {{
    {"agent", [](const AS& s) -> py::object { return Str(s.agent_id); }, "The agent's id."},
    {"team", [](const AS& s) { return OptionalStr(s.team); }, "Its team, or None."},
    {"state", [](const AS& s) -> py::object { return Str(AgentStateName(s.state)); },
     "logged_out, not_ready, available, reserved, busy or wrap_up."},
    {"not_ready_reason", [](const AS& s) { return OptionalStr(s.not_ready_reason); }, ""},
    {"time_in_state_s", [](const AS& s) { return Seconds(s.time_in_state); }, ""},
    {"contacts_handled", [](const AS& s) -> py::object { return py::int_(s.contacts_handled); },
     "Accepted since login."},
    {"contacts_handled_total",
     [](const AS& s) -> py::object { return py::int_(s.contacts_handled_total); },
     "Accepted since the agent was added."},
    {"active_contacts", [](const AS& s) -> py::object { return py::int_(s.active_contacts); },
     ""},
    {"time_by_state_s",
     [](const AS& s) -> py::object {
       py::dict by_state = NewDict();
       for (int i = 0; i < kAgentStateCount; ++i) {
         by_state[Str(AgentStateName(AgentState(i)))] = DurationToSeconds(s.time_by_state[i]);
       }
       return by_state;
     },
     "Seconds spent in each state (a dict)."},
    {"occupancy", [](const AS& s) -> py::object { return py::float_(s.occupancy); }, ""},
    {"routable", [](const AS& s) -> py::object { return py::bool_(s.routable); },
     "Whether the engine may offer it a contact now."},
    {"dispositions", [](const AS& s) -> py::object { return DispositionsToDict(s.dispositions); },
     "Contacts it completed, per disposition code (a dict)."},
    {"not_routable_reason", [](const AS& s) { return OptionalStr(s.not_routable_reason); },
     "If not routable, why: logged_out, pending_change, missed_offer, not_ready or "
     "at_capacity."},
    {"transfers", [](const AS& s) -> py::object { return py::int_(s.transfers); },
     "Contacts it transferred (blind, direct or by a completed consult)."},
    {"consults", [](const AS& s) -> py::object { return py::int_(s.consults); },
     "Consults it started."},
}};

using CI = ContactInfo;
const std::array<Field<CI>, 13> kContactFields = {{
    {"id", [](const CI& c) -> py::object { return Str(c.id); }, ""},
    {"queue", [](const CI& c) -> py::object { return Str(c.queue); }, ""},
    {"channel", [](const CI& c) -> py::object { return Str(ChannelName(c.channel)); }, ""},
    {"state", [](const CI& c) -> py::object { return Str(ContactStateName(c.state)); },
     "waiting, offered, connected, on_hold, dialing or wrap_up."},
    {"agent", [](const CI& c) { return OptionalStr(c.agent); }, ""},
    {"arrival", [](const CI& c) -> py::object { return py::float_(TimeToSeconds(c.arrival)); },
     "Unix seconds."},
    {"priority", [](const CI& c) -> py::object { return py::int_(c.priority); }, ""},
    {"priority_class", [](const CI& c) -> py::object { return py::int_(c.priority_class); }, ""},
    {"attributes", [](const CI& c) -> py::object { return AttributesToDict(c.attributes); }, ""},
    {"estimated_wait_s", [](const CI& c) { return Seconds(c.estimated_wait); },
     "While waiting; 0 otherwise."},
    {"position", [](const CI& c) -> py::object { return py::int_(c.position); },
     "While waiting: 1 = next on its channel in its queue; 0 otherwise."},
    {"step", [](const CI& c) -> py::object { return py::int_(c.step); },
     "While waiting: the requirement step reached (0: the queue's own)."},
    {"held_for", [](const CI& c) { return OptionalStr(c.held_for); },
     "The preferred agent it is held for, or None."},
}};

using AV = Explanation::Agent;
const std::array<Field<AV>, 3> kVerdictFields = {{
    {"agent", [](const AV& v) -> py::object { return Str(v.id); }, ""},
    {"reason", [](const AV& v) -> py::object { return Str(v.reason); },
     "logged_out, pending_change, missed_offer, not_ready, at_capacity, requirement, "
     "held_for_another, reserve_inactive, queue_delay, cooling_down or free."},
    {"until", [](const AV& v) { return OptionalTime(v.until); },
     "When a queue delay or cool-down ends, or (reserve_inactive) the next check of the "
     "queue's reserve, Unix seconds; or None."},
}};

using EX = Explanation;
const std::array<Field<EX>, 6> kExplanationFields = {{
    {"contact", [](const EX& e) { return ContactToPython(e.contact); }, "As contact()."},
    {"virtual_arrival",
     [](const EX& e) -> py::object { return py::float_(TimeToSeconds(e.virtual_arrival)); },
     "Its arrival moved earlier by its priority (aging), Unix seconds."},
    {"requirement", [](const EX& e) -> py::object { return Str(e.requirement); },
     "The requirement in force for it now."},
    {"agents",
     [](const EX& e) -> py::object {
       py::list out;
       for (const AV& verdict : e.agents) out.append(py::cast(VerdictRecord{verdict}));
       return out;
     },
     "Each agent serving the queue, with why it has not taken the contact (AgentVerdict)."},
    {"next_change",
     [](const EX& e) -> py::object {
       return e.next_change ? py::object(py::float_(TimeToSeconds(*e.next_change))) : py::none();
     },
     "When the engine changes the picture by itself (Unix seconds), or None."},
    {"text", [](const EX& e) -> py::object { return Str(e.text); }, "The same, readable."},
}};

// pandas, or ImportError saying how to install it.
py::module_ ImportPandas(const char* function) {
  try {
    return py::module_::import("pandas");
  } catch (py::error_already_set& error) {
    if (!error.matches(PyExc_ImportError)) throw;
    py::raise_from(error, PyExc_ImportError,
                   (std::string("switchboard.Engine.") + function +
                    " needs pandas, which is not installed (Debian/Ubuntu: apt-get install "
                    "python3-pandas; elsewhere: pip install pandas)")
                       .c_str());
    throw py::error_already_set();
  }
}

// The rows of `ids`' statistics (get(engine, id)), one column per field, indexed by the ids
// (an unnamed index: a column of the same name would make df.groupby("queue") ambiguous).
template <typename T, size_t N, typename Get>
py::object Frame(const char* function,
                 const std::vector<std::string>& ids, const std::array<Field<T>, N>& fields,
                 Get get, const Engine& engine) {
  const py::module_ pandas = ImportPandas(function);
  py::list columns;
  for (const Field<T>& field : fields) columns.append(field.name);
  py::list rows;
  for (const std::string& id : ids) {
    const T stats = ValueOrThrow(get(engine, id));
    py::list row;
    for (const Field<T>& field : fields) row.append(field.get(stats));
    rows.append(row);
  }
  return pandas.attr("DataFrame")(rows, py::arg("columns") = columns,
                                  py::arg("index") = pandas.attr("Index")(
                                      StringsToList(ids), py::arg("dtype") = "object"));
}

}  // namespace

py::object ToPlain(py::handle value) {
  for (PyObject* type : RecordTypes()) {
    if (Py_TYPE(value.ptr()) == reinterpret_cast<PyTypeObject*>(type)) {
      return value.attr("to_dict")();
    }
  }
  if (py::isinstance(value, EnumClass())) return value.attr("value");
  if (PyList_CheckExact(value.ptr())) {
    py::list out;
    for (py::handle item : value) out.append(ToPlain(item));
    return out;
  }
  if (PyDict_Check(value.ptr()) || py::isinstance(value, MappingClass())) {
    py::dict out = NewDict();
    for (py::handle key : value) out[key] = ToPlain(value[key]);
    return out;
  }
  return py::reinterpret_borrow<py::object>(value);
}

const py::object& MappingClass() {
  static const py::object* type =
      new py::object(py::module_::import("collections.abc").attr("Mapping"));
  return *type;
}

void AddRecordType(py::handle cls) {
  RecordTypes().push_back(cls.inc_ref().ptr());
  MappingClass().attr("register")(cls);
}

std::string RecordRepr(std::string_view name, py::handle record) {
  std::string out = "switchboard." + std::string(name) + "(";
  bool first = true;
  for (auto item : py::reinterpret_borrow<py::dict>(record.attr("to_dict")())) {
    if (!first) out += ", ";
    first = false;
    out += std::string(py::str(item.first)) + "=" + std::string(py::repr(item.second));
  }
  return out + ")";
}

void RaiseKeyError(py::handle key) {
  PyErr_SetObject(PyExc_KeyError, key.ptr());
  throw py::error_already_set();
}

py::object QueueStatsToPython(QueueStats stats) { return py::cast(QueueStatsRecord{std::move(stats)}); }
py::object AgentStatsToPython(AgentStats stats) { return py::cast(AgentStatsRecord{std::move(stats)}); }
py::object ContactToPython(ContactInfo contact) { return py::cast(ContactRecord{std::move(contact)}); }

py::list ContactsToList(std::vector<ContactInfo> contacts) {
  py::list out = NewList(contacts.size());
  for (size_t i = 0; i < contacts.size(); ++i) {
    PyList_SET_ITEM(out.ptr(), static_cast<Py_ssize_t>(i),
                    ContactToPython(std::move(contacts[i])).release().ptr());
  }
  return out;
}

py::object ExplanationToPython(Explanation explanation) {
  return py::cast(ExplanationRecord{std::move(explanation)});
}

py::object QueueStatsFrame(const Engine& engine) {
  return Frame("queue_stats_frame", engine.ListQueues(), kQueueStatsFields,
               [](const Engine& e, std::string_view id) { return e.GetQueueStats(id); }, engine);
}

py::object AgentStatsFrame(const Engine& engine) {
  return Frame("agent_stats_frame", engine.ListAgents(), kAgentStatsFields,
               [](const Engine& e, std::string_view id) { return e.GetAgentStats(id); }, engine);
}

void register_records(py::module_& m) {
  BindRecord(m, "QueueStats",
             "Real-time statistics of a queue (Engine.queue_stats): typed attributes, and a "
             "read-only Mapping of the same keys (stats[\"answered\"], dict(stats), "
             "to_dict()). Durations in seconds.",
             kQueueStatsFields);
  BindRecord(m, "AgentStats",
             "Real-time statistics of an agent (Engine.agent_stats): typed attributes, and a "
             "read-only Mapping of the same keys. Durations in seconds.",
             kAgentStatsFields);
  BindRecord(m, "ContactInfo",
             "What the engine knows of a contact (Engine.contact, agent_contacts, "
             "queue_contacts): typed attributes, and a read-only Mapping of the same keys.",
             kContactFields);
  BindRecord(m, "AgentVerdict",
             "One agent of Explanation.agents: why it has not taken the contact.",
             kVerdictFields);
  BindRecord(m, "Explanation",
             "Why a waiting contact is still waiting (Engine.explain): typed attributes, and a "
             "read-only Mapping of the same keys.",
             kExplanationFields);
}

}  // namespace switchboard::python
