// The one converter from absl::Status to a Python exception, and the exception classes it raises.
//
// switchboard.Error is the base of every error the engine or the simulator reports; each absl
// code the library uses has its own subclass, which also derives from the closest built-in
// exception so that ordinary `except ValueError:` / `except KeyError:` code works:
//
//   absl code            Python class                 also a
//   kInvalidArgument     InvalidArgumentError         ValueError
//   kNotFound            NotFoundError                KeyError (str() is the plain message)
//   kAlreadyExists       AlreadyExistsError           -
//   kFailedPrecondition  FailedPreconditionError      -
//   kOutOfRange          OutOfRangeError              -
//   kResourceExhausted   ResourceExhaustedError       -
//   any other code       Error                        -
//
// The exception's message (str(e), e.args[0]) is the Status message, decoded from UTF-8 with
// backslash escapes for bytes that are not valid UTF-8 (so that converting it never fails).
// A std::bad_alloc from C++ surfaces as MemoryError (pybind11's translation).
#ifndef SWITCHBOARD_BINDINGS_STATUS_H_
#define SWITCHBOARD_BINDINGS_STATUS_H_

#include <utility>

#include <pybind11/pybind11.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace switchboard::python {

// Defines the exception classes in `m` (module switchboard._core; the classes report
// __module__ "switchboard", where the package re-exports them).
void register_errors(pybind11::module_& m);

// Raises the Python exception for `status` (throws pybind11::error_already_set) unless it is ok.
void ThrowIfError(const absl::Status& status);

// The value, or the exception for the error.
template <typename T>
T ValueOrThrow(absl::StatusOr<T> result) {
  ThrowIfError(result.status());
  return *std::move(result);
}

}  // namespace switchboard::python

#endif  // SWITCHBOARD_BINDINGS_STATUS_H_
