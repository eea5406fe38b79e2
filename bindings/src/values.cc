#include "values.h"

#include <exception>
#include <limits>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "bindings.h"
#include "status.h"

namespace py = pybind11;

namespace switchboard::python {

void RaiseInvalid(std::string message) {
  ThrowIfError(absl::InvalidArgumentError(std::move(message)));
  std::terminate();  // not reached: ThrowIfError throws for an error status
}

std::string TypeName(py::handle value) { return py::str(value.get_type().attr("__name__")); }

std::string ReprOf(py::handle key) {
  // repr() escapes what UTF-8 cannot hold (lone surrogates), so the conversion cannot fail.
  return py::repr(key);
}

void CheckKeys(const py::dict& dict, std::string_view what,
               std::initializer_list<std::string_view> allowed) {
  for (auto item : dict) {
    const std::string key = py::str(item.first);
    bool known = false;
    for (std::string_view a : allowed) known = known || key == a;
    if (!known) {
      RaiseInvalid(std::string(what) + ": unknown key '" + key + "'; expected " +
                   JoinNames(allowed));
    }
  }
}

absl::Duration SecondsAt(py::handle value, const std::string& where) {
  const auto wrong_type = [&] {
    RaiseInvalid(where + ": expected seconds (a number), got " + TypeName(value));
  };
  if (py::isinstance<py::bool_>(value) || !PyNumber_Check(value.ptr())) wrong_type();
  const double seconds = PyFloat_AsDouble(value.ptr());
  if (seconds == -1.0 && PyErr_Occurred()) {
    if (PyErr_ExceptionMatches(PyExc_OverflowError)) {
      PyErr_Clear();
      RaiseInvalid(where + ": expected a finite number of seconds, got an int too large "
                   "for a float");
    }
    if (!PyErr_ExceptionMatches(PyExc_TypeError)) throw py::error_already_set();
    PyErr_Clear();  // complex, or a number type without __float__
    wrong_type();
  }
  return SecondsToDuration(seconds, where);
}

int64_t IntAt(py::handle value, const std::string& where, int64_t lo, int64_t hi) {
  if (py::isinstance<py::bool_>(value) || !PyIndex_Check(value.ptr())) {
    RaiseInvalid(where + ": expected an int, got " + TypeName(value));
  }
  const py::object index = py::reinterpret_steal<py::object>(PyNumber_Index(value.ptr()));
  if (!index) throw py::error_already_set();
  int overflow = 0;
  const long long n = PyLong_AsLongLongAndOverflow(index.ptr(), &overflow);
  if (n == -1 && PyErr_Occurred()) throw py::error_already_set();
  if (overflow != 0 || n < lo || n > hi) {
    RaiseInvalid(where + ": " +
                 (overflow != 0 ? std::string("an int beyond 64 bits") : std::to_string(n)) +
                 " is out of range (" + std::to_string(lo) + ".." + std::to_string(hi) + ")");
  }
  return n;
}

int IntAt(py::handle value, const std::string& where) {
  return static_cast<int>(
      IntAt(value, where, std::numeric_limits<int>::min(), std::numeric_limits<int>::max()));
}

bool BoolAt(py::handle value, const std::string& where) {
  if (!py::isinstance<py::bool_>(value)) {
    RaiseInvalid(where + ": expected True or False, got " + TypeName(value));
  }
  return value.ptr() == Py_True;
}

std::string TextAt(py::handle value, const std::string& where) {
  if (!py::isinstance<py::str>(value)) {
    RaiseInvalid(where + ": expected a str, got " + TypeName(value));
  }
  Py_ssize_t size = 0;
  const char* data = PyUnicode_AsUTF8AndSize(value.ptr(), &size);
  if (data == nullptr) {
    if (!PyErr_ExceptionMatches(PyExc_UnicodeEncodeError)) throw py::error_already_set();
    PyErr_Clear();
    RaiseInvalid(where + ": the str cannot be UTF-8 (it holds a lone surrogate)");
  }
  return std::string(data, static_cast<size_t>(size));
}

py::iterator ListAt(const py::handle& value, std::string_view where, std::string_view what) {
  if (py::isinstance<py::str>(value) || py::isinstance<py::bytes>(value) ||
      py::isinstance<py::dict>(value) || !py::isinstance<py::iterable>(value)) {
    RaiseInvalid(std::string(where) + ": expected a list of " + std::string(what) + ", got " +
                 TypeName(value));
  }
  return py::iter(value);
}

}  // namespace switchboard::python
