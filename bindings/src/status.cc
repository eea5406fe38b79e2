#include "status.h"

#include <array>
#include <string_view>

#include "base/status_macros.h"

namespace py = pybind11;

namespace switchboard::python {
namespace {

enum ErrorClass { kError, kInvalidArgument, kNotFound, kAlreadyExists, kFailedPrecondition,
                  kOutOfRange, kResourceExhausted, kErrorClassCount };

// Strong references kept for the life of the process: the module never unloads, and a
// py::object here would be released after the interpreter is gone.
std::array<PyObject*, kErrorClassCount> error_classes{};

py::object MakeClass(py::module_& m, const char* name, py::tuple bases, const char* doc) {
  py::dict ns;
  ns["__module__"] = "switchboard";
  ns["__doc__"] = doc;
  py::object cls = py::reinterpret_borrow<py::object>(reinterpret_cast<PyObject*>(&PyType_Type))(
      name, bases, ns);
  m.attr(name) = cls;
  return cls;
}

}  // namespace

void register_errors(py::module_& m) {
  const py::object builtins = py::module_::import("builtins");
  const py::object exception = builtins.attr("Exception");
  py::object error = MakeClass(m, "Error", py::make_tuple(exception),
                               "Base class of the errors Switchboard reports; str(e) is the "
                               "message of the underlying absl::Status.");
  py::object invalid_argument = MakeClass(
      m, "InvalidArgumentError", py::make_tuple(error, builtins.attr("ValueError")),
      "A bad value: an out-of-range option, a requirement that does not parse, an invalid "
      "scenario key.");
  py::object not_found = MakeClass(
      m, "NotFoundError", py::make_tuple(error, builtins.attr("KeyError")),
      "An unknown id (agent, queue, contact) or a missing file.");
  // KeyError's str() is the repr of its argument; ours is the plain message like every Error.
  not_found.attr("__str__") = py::cpp_function(
      [exception](py::handle self) -> py::object {
        const py::tuple args = self.attr("args");
        if (args.size() == 1) return py::str(args[0]);
        return exception.attr("__str__")(self);
      },
      py::name("__str__"), py::is_method(not_found));
  py::object already_exists = MakeClass(m, "AlreadyExistsError", py::make_tuple(error),
                                        "An id that is already in use.");
  py::object failed_precondition = MakeClass(
      m, "FailedPreconditionError", py::make_tuple(error),
      "A command not allowed in the current state (e.g. logging out a busy agent).");
  py::object out_of_range = MakeClass(m, "OutOfRangeError", py::make_tuple(error),
                                      "A value outside what is allowed now, e.g. a command "
                                      "time earlier than the engine's (time went backwards).");
  py::object resource_exhausted = MakeClass(
      m, "ResourceExhaustedError", py::make_tuple(error),
      "A bound on resources reached: the engine's event buffer is full (drain_events, then "
      "retry), or a simulation could not get the threads or memory it needed.");
  error_classes[kError] = error.release().ptr();
  error_classes[kInvalidArgument] = invalid_argument.release().ptr();
  error_classes[kNotFound] = not_found.release().ptr();
  error_classes[kAlreadyExists] = already_exists.release().ptr();
  error_classes[kFailedPrecondition] = failed_precondition.release().ptr();
  error_classes[kOutOfRange] = out_of_range.release().ptr();
  error_classes[kResourceExhausted] = resource_exhausted.release().ptr();
}

void ThrowIfError(const absl::Status& status) {
  if (status.ok()) return;
  ErrorClass which = kError;
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
      which = kInvalidArgument;
      break;
    case absl::StatusCode::kNotFound:
      which = kNotFound;
      break;
    case absl::StatusCode::kAlreadyExists:
      which = kAlreadyExists;
      break;
    case absl::StatusCode::kFailedPrecondition:
      which = kFailedPrecondition;
      break;
    case absl::StatusCode::kOutOfRange:
      which = kOutOfRange;
      break;
    case absl::StatusCode::kResourceExhausted:
      which = kResourceExhausted;
      break;
    default:
      break;
  }
  const std::string_view message = detail::Message(status);
  // "backslashreplace": an id that is not valid UTF-8 must not turn the error into a
  // UnicodeError, and shows as \xNN.
  PyObject* text = PyUnicode_DecodeUTF8(message.data(), static_cast<Py_ssize_t>(message.size()),
                                        "backslashreplace");
  if (text == nullptr) throw py::error_already_set();
  PyErr_SetObject(error_classes[which], text);
  Py_DECREF(text);
  throw py::error_already_set();
}

}  // namespace switchboard::python
