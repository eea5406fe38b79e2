// switchboard._core: the private extension behind the `switchboard` package. Each area registers
// itself from its own file; the package (bindings/switchboard/__init__.py) re-exports the public
// names.
#include <pybind11/pybind11.h>

#include "bindings.h"
#include "status.h"

#ifndef SWITCHBOARD_VERSION
#error "SWITCHBOARD_VERSION must be defined (PROJECT_VERSION)"
#endif

PYBIND11_MODULE(_core, m) {
  m.doc() = "Switchboard's compiled core; use the `switchboard` package instead.";
  m.attr("__version__") = SWITCHBOARD_VERSION;
  switchboard::python::register_errors(m);
  switchboard::python::register_engine(m);
  switchboard::python::register_simulation(m);
}
