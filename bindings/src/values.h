// Values read from the dicts and lists a command takes (add_queue's overflow rules and hours,
// add_agent's queues, ...). Each reader names where the value is, e.g. "overflow[1].wait", and
// raises InvalidArgumentError (never a pybind11 cast error) for a value of the wrong type, with
// "<where>: expected ..., got <type>". Ranges are the engine's to check, with its own messages.
#ifndef SWITCHBOARD_BINDINGS_VALUES_H_
#define SWITCHBOARD_BINDINGS_VALUES_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include <pybind11/pybind11.h>

#include "absl/time/time.h"

namespace switchboard::python {

// Raises InvalidArgumentError with `message`.
[[noreturn]] void RaiseInvalid(std::string message);

// "a, b, c" for an error message listing the accepted names.
template <typename Names>
std::string JoinNames(const Names& names) {
  std::string out;
  for (const auto& name : names) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

// The name of the value's type ("int", "NoneType", "float64"), for messages.
std::string TypeName(pybind11::handle value);

// How Python writes `key` ('mon-fri', 3, datetime.date(2026, 12, 24)), for a message naming
// "hours['mon-fri']".
std::string ReprOf(pybind11::handle key);

// Keys of `dict` must all be in `allowed`: "<what>: unknown key 'x'; expected a, b, c".
void CheckKeys(const pybind11::dict& dict, std::string_view what,
               std::initializer_list<std::string_view> allowed);

// A duration: a datetime.timedelta (exact to its microsecond), or seconds as a real number
// (int, float, or any object with __float__ or __index__, such as numpy's scalars), not a bool;
// finite and within the engine's range of microseconds (about ±292,000 years).
absl::Duration SecondsAt(pybind11::handle value, const std::string& where);

// A real number (int, float, or any object with __float__ or __index__), not a bool, such as
// a share 0..1; the engine checks its range (and refuses NaN there).
double RealAt(pybind11::handle value, const std::string& where);

// A time: an aware datetime.datetime (any tzinfo; exact to its microsecond), or Unix seconds as
// a real number like SecondsAt's. A naive datetime is refused (InvalidArgumentError "<where>:
// a naive datetime.datetime is ambiguous; give it a tzinfo ..."): the engine cannot guess its
// zone. The engine checks the range of years itself (CheckTime, limits.h).
absl::Time TimeAt(pybind11::handle value, const std::string& where);

// An int (or any object with __index__, such as numpy's integers), not a bool, within lo..hi
// (the C++ field's range; the engine checks its own).
int64_t IntAt(pybind11::handle value, const std::string& where, int64_t lo, int64_t hi);
int IntAt(pybind11::handle value, const std::string& where);

// True or False only.
bool BoolAt(pybind11::handle value, const std::string& where);

// A str, as UTF-8 (a lone surrogate, which UTF-8 cannot hold, is refused).
std::string TextAt(pybind11::handle value, const std::string& where);

// A list (any iterable but str, bytes and dict) of `what`: an iterator over it.
pybind11::iterator ListAt(const pybind11::handle& value, std::string_view where,
                          std::string_view what);

// A name and the value it stands for, for enums without a C++ parser.
template <typename T>
struct Named {
  std::string_view name;
  T value;
};

// One of `names`, by name: "<where>: unknown <what> 'x'; expected one of a, b, c" (without
// "<where>: " when `where` is empty).
template <typename T, size_t N>
T ParseName(std::string_view name, const std::string& where, std::string_view what,
            const std::array<Named<T>, N>& names) {
  std::vector<std::string_view> all;
  for (const Named<T>& n : names) {
    if (n.name == name) return n.value;
    all.push_back(n.name);
  }
  RaiseInvalid((where.empty() ? "" : where + ": ") + "unknown " + std::string(what) + " '" +
               std::string(name) + "'; expected one of " + JoinNames(all));
}

template <typename T, size_t N>
T NameAt(pybind11::handle value, const std::string& where, std::string_view what,
         const std::array<Named<T>, N>& names) {
  return ParseName(TextAt(value, where), where, what, names);
}

// An enum by its C++ parser (`parse`, e.g. ParseOverflowTrigger); for an unknown name the
// message lists every name `name_of` gives for the enumerators 0..last.
template <typename T, typename Parse, typename NameOf>
T EnumAt(pybind11::handle value, const std::string& where, std::string_view what, Parse parse,
         NameOf name_of, T last) {
  const std::string text = TextAt(value, where);
  if (const auto parsed = parse(text)) return *parsed;
  std::vector<std::string_view> all;
  for (int i = 0; i <= static_cast<int>(last); ++i) all.push_back(name_of(static_cast<T>(i)));
  RaiseInvalid(where + ": unknown " + std::string(what) + " '" + text + "'; expected one of " +
               JoinNames(all));
}

}  // namespace switchboard::python

#endif  // SWITCHBOARD_BINDINGS_VALUES_H_
