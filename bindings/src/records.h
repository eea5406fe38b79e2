// What the engine returns to Python: typed, read-only records (switchboard.Event, QueueStats,
// AgentStats, ContactInfo, AgentVerdict, Explanation) and the enum switchboard.EventType.
//
// A record is a class with one read-only property per field (event.type, stats.answered), and
// it also reads as a Mapping of the same keys, in the same order, as the plain dicts of earlier
// versions: record["key"] (KeyError for an unknown key), get, keys, values, items, iteration,
// len, `in`, dict(record), and record == {...} (equal when to_dict() is). to_dict() gives the
// plain dict, recursively (nested records become dicts, enum members their str value), e.g. for
// json.dumps. Records are immutable and unhashable (they compare equal to dicts).
//
// A record holds the C++ value (an Event, a QueueStats, ...) and converts a field only when it
// is read, so drain_events() makes one small object per event, not a dict of 17 entries.
//
// Times in records are float Unix seconds and durations float seconds (keys ending in "_s"),
// as before: the same numbers a host passes in, and cheap to put in a DataFrame.
#ifndef SWITCHBOARD_BINDINGS_RECORDS_H_
#define SWITCHBOARD_BINDINGS_RECORDS_H_

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <pybind11/pybind11.h>

#include "absl/time/time.h"
#include "bindings.h"
#include "switchboard/engine.h"

namespace switchboard::python {

// The Python object of a record: the C++ value it reads from.
template <typename T>
struct Record {
  T value;
};

// One field of a record: its key (and property name), how to read it, and its docstring.
template <typename T>
struct Field {
  const char* name;
  pybind11::object (*get)(const T&);
  const char* doc;
};

// --- Conversions shared by the binding files ---

// None for "", otherwise the str.
pybind11::object OptionalStr(std::string_view s);
// None for an infinite time, otherwise Unix seconds.
pybind11::object OptionalTime(absl::Time t);
// py::dict() and py::list(n) report a failed allocation as RuntimeError; these raise
// MemoryError.
pybind11::dict NewDict();
pybind11::list NewList(size_t size);
pybind11::dict AttributesToDict(const Attributes& attributes);
pybind11::list StringsToList(const std::vector<std::string>& strings);

// A value made of plain Python objects: a record becomes its to_dict(), an enum member its
// value, a list or dict the same with each item converted; anything else is returned as is.
pybind11::object ToPlain(pybind11::handle value);

// The engine's values as records (the classes must be registered: register_records).
pybind11::object EventToPython(const Event& event);
pybind11::object QueueStatsToPython(QueueStats stats);
pybind11::object AgentStatsToPython(AgentStats stats);
pybind11::object ContactToPython(ContactInfo contact);
pybind11::list ContactsToList(std::vector<ContactInfo> contacts);
pybind11::object ExplanationToPython(Explanation explanation);

// Statistics of every queue / agent as a pandas DataFrame: one row per queue (agent), in the
// order they were added, the columns the keys of QueueStats (AgentStats), indexed by the id
// (unnamed).
// ImportError naming python3-pandas when pandas is not installed.
pybind11::object QueueStatsFrame(const Engine& engine);
pybind11::object AgentStatsFrame(const Engine& engine);

// Binds switchboard.EventType and the record classes; called once by PYBIND11_MODULE.
void register_records(pybind11::module_& m);

// --- Binding a record class (records.cc, events.cc) ---

// collections.abc.Mapping.
const pybind11::object& MappingClass();

// Marks `cls` as a record (for ToPlain) and registers it as a collections.abc.Mapping.
void AddRecordType(pybind11::handle cls);

// "switchboard.Event(sequence=1, type='queue_added', ...)" from the record's to_dict().
std::string RecordRepr(std::string_view name, pybind11::handle record);

// A KeyError carrying `key`, as a dict raises it.
[[noreturn]] void RaiseKeyError(pybind11::handle key);

// The field named by `key` (a str), or nullptr.
template <typename T, size_t N>
const Field<T>* FindField(const std::array<Field<T>, N>& fields, pybind11::handle key) {
  if (!pybind11::isinstance<pybind11::str>(key)) return nullptr;
  Py_ssize_t size = 0;
  const char* data = PyUnicode_AsUTF8AndSize(key.ptr(), &size);
  if (data == nullptr) {  // a lone surrogate: no field has it
    PyErr_Clear();
    return nullptr;
  }
  const std::string_view name(data, static_cast<size_t>(size));
  for (const Field<T>& field : fields) {
    if (name == field.name) return &field;
  }
  return nullptr;
}

// Binds Record<T> as switchboard.<name> with `fields` (of static storage: the class keeps a
// pointer to them) as its properties and Mapping keys. T must have been declared with
// SWITCHBOARD_PYTHON_CLASS(Record<T>, ...).
template <typename T, size_t N>
pybind11::class_<Record<T>> BindRecord(pybind11::module_& m, const char* name, const char* doc,
                                       const std::array<Field<T>, N>& fields) {
  namespace py = pybind11;
  using R = Record<T>;
  const std::array<Field<T>, N>* all = &fields;
  auto cls = BindClass<R>(m, name, doc);
  for (const Field<T>& field : fields) {
    cls.def_property_readonly(
        field.name, [get = field.get](const R& r) { return get(r.value); }, field.doc);
  }
  const auto keys = [all](const R&) {
    py::list out = NewList(N);
    for (size_t i = 0; i < N; ++i) {
      PyList_SET_ITEM(out.ptr(), static_cast<Py_ssize_t>(i), py::str((*all)[i].name).release().ptr());
    }
    return out;
  };
  const auto to_dict = [all](const R& r) {
    py::dict d = NewDict();
    for (const Field<T>& field : *all) d[field.name] = ToPlain(field.get(r.value));
    return d;
  };
  cls.def(
      "__getitem__",
      [all](const R& r, py::handle key) -> py::object {
        if (const Field<T>* field = FindField(*all, key)) return field->get(r.value);
        RaiseKeyError(key);
      },
      py::arg("key"), "record[key]: the field `key`, as the property of that name; KeyError if none.");
  cls.def(
      "get",
      [all](const R& r, py::handle key, py::object default_value) -> py::object {
        if (const Field<T>* field = FindField(*all, key)) return field->get(r.value);
        return default_value;
      },
      py::arg("key"), py::arg("default") = py::none(), "As dict.get.");
  cls.def(
      "__contains__",
      [all](const R&, py::handle key) { return FindField(*all, key) != nullptr; },
      py::arg("key"));
  cls.def("__len__", [](const R&) { return N; });
  cls.def("keys", keys, "The field names, in order (a list).");
  cls.def("__iter__", [keys](const R& r) { return py::iter(keys(r)); });
  cls.def(
      "values",
      [all](const R& r) {
        py::list out;
        for (const Field<T>& field : *all) out.append(field.get(r.value));
        return out;
      },
      "The field values, in order (a list).");
  cls.def(
      "items",
      [all](const R& r) {
        py::list out;
        for (const Field<T>& field : *all) {
          out.append(py::make_tuple(py::str(field.name), field.get(r.value)));
        }
        return out;
      },
      "(name, value) pairs, in order (a list).");
  cls.def("to_dict", to_dict,
          "A plain dict of the fields, recursively (nested records as dicts, enum members as "
          "their str value).");
  cls.def(
      "__eq__",
      [to_dict](const R& r, py::handle other) -> py::object {
        if (!py::isinstance(other, MappingClass())) return py::reinterpret_borrow<py::object>(Py_NotImplemented);
        return py::bool_(to_dict(r).equal(ToPlain(other)));
      },
      py::arg("other"));
  cls.attr("__hash__") = py::none();
  // Immutable: a copy is an equal record of the same value.
  cls.def("__copy__", [](const R& r) { return R{r.value}; });
  cls.def("__deepcopy__", [](const R& r, py::handle) { return R{r.value}; }, py::arg("memo"));
  cls.def("__repr__", [name](py::handle self) {
    if (!IsInitialized<R>(self)) return "<switchboard." + std::string(name) + ", not initialized>";
    return RecordRepr(name, self);
  });
  AddRecordType(cls);
  return cls;
}

}  // namespace switchboard::python

#endif  // SWITCHBOARD_BINDINGS_RECORDS_H_
