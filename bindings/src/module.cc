// switchboard._core: the private extension behind the `switchboard` package. Each area registers
// itself from its own file; the package (bindings/switchboard/__init__.py) re-exports the public
// names.
#include <exception>

#include <pybind11/pybind11.h>

#include "bindings.h"
#include "status.h"

#ifndef SWITCHBOARD_VERSION
#error "SWITCHBOARD_VERSION must be defined (PROJECT_VERSION)"
#endif

namespace switchboard::python {
namespace {

newfunc pybind11_object_new = nullptr;  // the base's own tp_new, called for bound classes

PyObject* GuardedNew(PyTypeObject* type, PyObject* args, PyObject* kwargs) {
  try {
    if (pybind11::detail::all_type_info(type).empty()) {
      PyErr_Format(PyExc_TypeError, "cannot create '%s' instances: no C++ class is bound to it",
                   type->tp_name);
      return nullptr;
    }
  } catch (const std::exception&) {  // bad_alloc: the cache of type infos could not grow
    PyErr_NoMemory();
    return nullptr;
  }
  return pybind11_object_new(type, args, kwargs);
}

}  // namespace

void GuardPybind11BaseNew() {
  auto* base = reinterpret_cast<PyTypeObject*>(pybind11::detail::get_internals().instance_base);
  if (base->tp_new == &GuardedNew) return;
  pybind11_object_new = base->tp_new;
  base->tp_new = &GuardedNew;
}

}  // namespace switchboard::python

PYBIND11_MODULE(_core, m) {
  m.doc() = "Switchboard's compiled core; use the `switchboard` package instead.";
  m.attr("__version__") = SWITCHBOARD_VERSION;
  switchboard::python::GuardPybind11BaseNew();
  switchboard::python::register_errors(m);
  switchboard::python::register_events(m);
  switchboard::python::register_records(m);
  switchboard::python::register_engine(m);
  switchboard::python::register_simulation(m);
  switchboard::python::register_erlang(m);
  switchboard::python::register_replay(m);
}
