// Shared by the binding files: the register_<area>() functions PYBIND11_MODULE calls, the
// conversions of time, durations and text every area uses, and the guard that keeps Python from
// using an object whose __init__ never ran.
//
// Units at the Python boundary: a time is a float of Unix seconds (time.time()) or an aware
// datetime.datetime; a duration is a float of seconds or a datetime.timedelta (TimeAt and
// SecondsAt, values.h, read both). Both are rounded to the nearest microsecond, the engine's
// resolution. What the engine returns carries times and durations as floats.
#ifndef SWITCHBOARD_BINDINGS_BINDINGS_H_
#define SWITCHBOARD_BINDINGS_BINDINGS_H_

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <typeinfo>

#include <pybind11/pybind11.h>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "status.h"

namespace switchboard::python {

void register_events(pybind11::module_& m);   // events.cc
void register_records(pybind11::module_& m);  // records.cc
void register_engine(pybind11::module_& m);
void register_simulation(pybind11::module_& m);
void register_erlang(pybind11::module_& m);  // erlang_bindings.cc
void register_replay(pybind11::module_& m);  // replay_bindings.cc

// Microseconds for `seconds`; InvalidArgumentError naming `what` when it is not finite or does
// not fit (about ±292,000 years). Never overflows: the range is checked before the product.
inline int64_t SecondsToMicros(double seconds, std::string_view what) {
  constexpr double kLimit = 9.2e12;  // seconds; int64 microseconds hold up to ~9.22e12
  if (!std::isfinite(seconds) || std::fabs(seconds) > kLimit) {
    ThrowIfError(absl::InvalidArgumentError(
        std::string(what) + ": expected a finite number of seconds, got " +
        std::to_string(seconds)));
  }
  return std::llround(seconds * 1e6);
}

inline absl::Duration SecondsToDuration(double seconds, std::string_view what) {
  return absl::Microseconds(SecondsToMicros(seconds, what));
}

// The engine refuses a time outside years 1..9999 (CheckTime, limits.h) with a message naming
// `what`; here it only has to fit.
inline absl::Time SecondsToTime(double unix_seconds, std::string_view what = "now") {
  return absl::FromUnixMicros(SecondsToMicros(unix_seconds, what));
}

inline double DurationToSeconds(absl::Duration d) {
  return static_cast<double>(absl::ToInt64Microseconds(d)) / 1e6;
}

inline double TimeToSeconds(absl::Time t) {
  return static_cast<double>(absl::ToUnixMicros(t)) / 1e6;
}

// A Python str from UTF-8 bytes. Cannot fail on bad bytes (only on memory): a byte that is not
// valid UTF-8 shows as \xNN, so that text from the engine always reaches the caller.
inline pybind11::str Str(std::string_view s) {
  PyObject* text =
      PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()), "backslashreplace");
  if (text == nullptr) throw pybind11::error_already_set();
  return pybind11::reinterpret_steal<pybind11::str>(text);
}

// ---------------------------------------------------------------------------------------------
// Objects used before __init__. `Engine.__new__(Engine)` makes an instance whose __init__ never
// ran; pybind11 would hand its methods freshly allocated, unconstructed memory. Every class of
// the module is bound with BindClass, which only accepts a type declared at global scope with
//
//   SWITCHBOARD_PYTHON_CLASS(ns::Type, "switchboard.Engine", "switchboard.Engine(...)")
//
// (after the type, before the first binding that takes it). That declares the type's pybind11
// caster: every method, property and function that takes the object, as self or as an
// argument, raises TypeError "switchboard.Engine object is not initialized; create it with
// switchboard.Engine(...)" before any C++ code sees it.

// Whether `self` is usable as a `T`: true unless it is an instance of the bound type `info`
// whose value was never constructed (the holder is made by __init__ and by every C++ -> Python
// return). Objects of other types are left to pybind11's own checks.
inline bool IsInitialized(pybind11::handle self, const pybind11::detail::type_info* info) {
  if (info == nullptr || self.ptr() == nullptr || !PyObject_TypeCheck(self.ptr(), info->type)) {
    return true;
  }
  const pybind11::detail::value_and_holder v_h =
      reinterpret_cast<pybind11::detail::instance*>(self.ptr())
          ->get_value_and_holder(info, /*throw_if_missing=*/false);
  return v_h.inst == nullptr || v_h.holder_constructed();
}

// Python name and how to make one, for the TypeError; specialized by SWITCHBOARD_PYTHON_CLASS.
template <typename T>
struct ClassNames;

template <typename T>
class InitializedCaster : public pybind11::detail::type_caster_base<T> {
 public:
  // TypeError for an instance whose __init__ never ran; otherwise pybind11's load.
  bool load(pybind11::handle src, bool convert) {
    if (!IsInitialized(src, this->typeinfo)) {
      throw pybind11::type_error(std::string(ClassNames<T>::kName) +
                                 " object is not initialized; create it with " +
                                 ClassNames<T>::kCreate);
    }
    return pybind11::detail::type_caster_base<T>::load(src, convert);
  }
};

// Whether `self` holds a constructed T (for methods that take a py::handle, e.g. __repr__).
template <typename T>
bool IsInitialized(pybind11::handle self) {
  return IsInitialized(self, pybind11::detail::get_type_info(typeid(T)));
}

// py::class_<T>(m, name, doc, extra...), reported as switchboard.<name>; T must have been
// declared with SWITCHBOARD_PYTHON_CLASS. Objects of the class cannot be pickled (TypeError):
// object's own __reduce_ex__ would, for protocols 0 and 1, instantiate pybind11's common base
// class (pybind11 then calls std::terminate) or, for 2 and up, a new object without __init__.
// A class that needs copies defines __copy__ and __deepcopy__.
template <typename T, typename... Extra>
pybind11::class_<T> BindClass(pybind11::module_& m, const char* name, const char* doc,
                              const Extra&... extra) {
  static_assert(std::is_base_of_v<InitializedCaster<T>, pybind11::detail::make_caster<T>>,
                "declare the type with SWITCHBOARD_PYTHON_CLASS before binding it");
  pybind11::class_<T> cls(m, name, doc, extra...);
  cls.attr("__module__") = "switchboard";  // where the package re-exports it
  const auto refuse = [](const T&, pybind11::args) -> pybind11::object {
    throw pybind11::type_error(std::string("cannot pickle ") + ClassNames<T>::kName +
                               " objects");
  };
  cls.def("__reduce_ex__", refuse);
  cls.def("__reduce__", refuse);
  return cls;
}

// pybind11's common base of bound classes (pybind11_object, e.g. switchboard.Engine.__base__)
// ends the process (std::terminate) when instantiated itself: its __new__ throws from a C
// callback. After this, instantiating a class with no bound C++ type raises TypeError; every
// other class is created as before. Called once when the module loads.
void GuardPybind11BaseNew();

}  // namespace switchboard::python

// At global scope. Name: the Python name in messages; create: how a user makes one.
#define SWITCHBOARD_PYTHON_CLASS(Type, name, create)                            \
  template <>                                                                   \
  struct switchboard::python::ClassNames<Type> {                                \
    static constexpr const char* kName = name;                                  \
    static constexpr const char* kCreate = create;                              \
  };                                                                            \
  namespace pybind11::detail {                                                  \
  template <>                                                                   \
  class type_caster<Type> : public switchboard::python::InitializedCaster<Type> {}; \
  }

#endif  // SWITCHBOARD_BINDINGS_BINDINGS_H_
