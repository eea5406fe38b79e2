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

namespace {

const py::module_& DatetimeModule() {
  // Borrowed from sys.modules, which keeps it for the life of the interpreter.
  static const py::module_* datetime = new py::module_(py::module_::import("datetime"));
  return *datetime;
}

// The microseconds of a datetime.timedelta, exactly; InvalidArgumentError beyond the engine's
// range (a timedelta reaches 999,999,999 days, more than int64 microseconds hold).
int64_t TimedeltaMicros(py::handle delta, const std::string& where) {
  const int64_t days = delta.attr("days").cast<int64_t>();
  const int64_t seconds = delta.attr("seconds").cast<int64_t>();  // 0..86399
  const int64_t micros = delta.attr("microseconds").cast<int64_t>();  // 0..999999
  constexpr int64_t kLimitDays = 100'000'000;  // ~9.2e12 s: SecondsToMicros's limit
  if (days > kLimitDays || days < -kLimitDays) {
    RaiseInvalid(where + ": the timedelta of " + std::to_string(days) +
                 " days is out of range (at most about 292,000 years)");
  }
  return (days * 86'400 + seconds) * 1'000'000 + micros;
}

// A real number (seconds, for SecondsAt and TimeAt); `expected` says what else the caller
// accepts, and `finite` what an int too large for a float is not, for the messages.
double NumberAt(py::handle value, const std::string& where, std::string_view expected,
                std::string_view finite = "a finite number of seconds") {
  const auto wrong_type = [&] {
    RaiseInvalid(where + ": expected " + std::string(expected) + ", got " + TypeName(value));
  };
  if (py::isinstance<py::bool_>(value) || !PyNumber_Check(value.ptr())) wrong_type();
  const double seconds = PyFloat_AsDouble(value.ptr());
  if (seconds == -1.0 && PyErr_Occurred()) {
    if (PyErr_ExceptionMatches(PyExc_OverflowError)) {
      PyErr_Clear();
      RaiseInvalid(where + ": expected " + std::string(finite) +
                   ", got an int too large for a float");
    }
    if (!PyErr_ExceptionMatches(PyExc_TypeError)) throw py::error_already_set();
    PyErr_Clear();  // complex, or a number type without __float__
    wrong_type();
  }
  return seconds;
}

}  // namespace

absl::Duration SecondsAt(py::handle value, const std::string& where) {
  if (py::isinstance(value, DatetimeModule().attr("timedelta"))) {
    return absl::Microseconds(TimedeltaMicros(value, where));
  }
  return SecondsToDuration(
      NumberAt(value, where, "seconds (a number) or a datetime.timedelta"), where);
}

double RealAt(py::handle value, const std::string& where) {
  return NumberAt(value, where, "a number", "a finite number");
}

absl::Time TimeAt(py::handle value, const std::string& where) {
  const py::module_& datetime = DatetimeModule();
  if (py::isinstance(value, datetime.attr("datetime"))) {
    if (value.attr("utcoffset")().is_none()) {
      RaiseInvalid(where + ": a naive datetime.datetime is ambiguous; give it a tzinfo (e.g. "
                   "datetime.timezone.utc or zoneinfo.ZoneInfo(\"Europe/Berlin\"))");
    }
    static const py::object* epoch = new py::object(datetime.attr("datetime")(
        1970, 1, 1, py::arg("tzinfo") = datetime.attr("timezone").attr("utc")));
    const py::object since = value.attr("__sub__")(*epoch);
    if (since.is(py::reinterpret_borrow<py::object>(Py_NotImplemented))) {
      RaiseInvalid(where + ": cannot subtract the Unix epoch from this " + TypeName(value));
    }
    return absl::FromUnixMicros(TimedeltaMicros(since, where));
  }
  return SecondsToTime(
      NumberAt(value, where, "Unix seconds (a number) or an aware datetime.datetime"), where);
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
