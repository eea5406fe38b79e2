// The simulator for Python: scenarios (from a file, TOML text or a dict), simulate() returning
// the results contract of ../shared/SCENARIO.md as plain dicts, and the command line.
//
// simulate() releases the GIL while the replications run; nothing calls back into Python then
// unless the caller passed a progress callback.
#include <algorithm>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include "bindings.h"
#include "cli.h"
#include "sim/kpi_fields.h"
#include "scenario/scenario_internal.h"
#include "status.h"
#include "switchboard/limits.h"
#include "switchboard/scenario.h"
#include "switchboard/sim.h"
#include "values.h"

// Before any binding that takes a Scenario: each refuses one whose __init__ never ran
// (bindings.h).
SWITCHBOARD_PYTHON_CLASS(switchboard::SimulationConfig, "switchboard.Scenario",
                         "switchboard.load_scenario(path), parse_scenario(text) or "
                         "scenario_from_dict(dict)")

namespace py = pybind11;

namespace switchboard::python {
namespace {

// ---------------------------------------------------------------------------------------------
// dict -> toml::table, so that a dict scenario goes through exactly the checks (and messages) of
// a file. No recursion on input depth: a dict or list nested more than kMaxDictDepth levels, or
// one that contains itself, is refused before the converter descends into it.

// Dicts and lists inside one another, the outermost dict included (a scenario needs 3).
constexpr int kMaxDictDepth = kMaxNestingDepth;

[[noreturn]] void BadValue(std::string_view source, const std::string& path,
                           std::string_view what) {
  ThrowIfError(absl::InvalidArgumentError(std::string(source) + ": key '" + path + "': " +
                                          std::string(what)));
  std::terminate();  // not reached: ThrowIfError throws for an error status
}

std::string TypeName(py::handle value) {
  return py::str(value.get_type().attr("__name__"));
}

class DictConverter {
 public:
  explicit DictConverter(std::string_view source) : source_(source) {}

  toml::table ToTable(py::handle dict, const std::string& path) {
    const Open open(*this, dict, path);
    toml::table table;
    for (auto [borrowed_key, borrowed_value] : py::reinterpret_borrow<py::dict>(dict)) {
      // Owned: a timedelta subclass's total_seconds() may change the dict while it runs.
      const auto key = py::reinterpret_borrow<py::object>(borrowed_key);
      const auto value = py::reinterpret_borrow<py::object>(borrowed_value);
      if (!PyUnicode_Check(key.ptr())) {
        const std::string shown = py::repr(key);
        BadValue(source_, path.empty() ? shown : path + "." + shown,
                 "keys must be strings, found " + TypeName(key));
      }
      std::string name = Utf8(key, path, /*is_key=*/true);
      const std::string child = path.empty() ? name : path + "." + name;
      ConvertValue(value, child, [&](auto&& v) {
        table.insert_or_assign(std::move(name), std::forward<decltype(v)>(v));
      });
    }
    return table;
  }

 private:
  // Marks `container` open (on the path from the outermost dict) for its conversion; refuses
  // it first when it is open already (it contains itself) or one level too deep.
  class Open {
   public:
    Open(DictConverter& converter, py::handle container, const std::string& path)
        : converter_(converter) {
      std::vector<PyObject*>& open = converter_.open_;
      const std::string shown = path.empty() ? "<top>" : path;
      for (PyObject* outer : open) {
        if (outer == container.ptr()) {
          BadValue(converter_.source_, shown,
                   "contains itself (a dict or list that refers to an enclosing one)");
        }
      }
      if (static_cast<int>(open.size()) >= kMaxDictDepth) {
        BadValue(converter_.source_, shown,
                 "dicts and lists nested more than " + std::to_string(kMaxDictDepth) +
                     " levels deep; a scenario needs 3");
      }
      open.push_back(container.ptr());
    }
    ~Open() { converter_.open_.pop_back(); }
    Open(const Open&) = delete;
    Open& operator=(const Open&) = delete;

   private:
    DictConverter& converter_;
  };

  // The UTF-8 of a str (a key of the dict at `path`, or the value at `path`);
  // InvalidArgumentError when it has lone surrogates, which have no UTF-8 form.
  std::string Utf8(py::handle text, const std::string& path, bool is_key) {
    Py_ssize_t size = 0;
    const char* data = PyUnicode_AsUTF8AndSize(text.ptr(), &size);
    if (data == nullptr) {
      PyErr_Clear();
      std::string shown = py::repr(text);  // 'a\udcff', the surrogates escaped
      shown = shown.substr(1, shown.size() - 2);
      BadValue(source_, !is_key ? path : path.empty() ? shown : path + "." + shown,
               std::string(is_key ? "the key" : "the text") +
                   " cannot be UTF-8 (it has a lone surrogate)");
    }
    return std::string(data, static_cast<size_t>(size));
  }

  toml::array ToArray(py::handle list, const std::string& path) {
    const Open open(*this, list, path);
    toml::array array;
    size_t i = 0;
    for (py::handle value : list) {
      const std::string child = path + "[" + std::to_string(i++) + "]";
      ConvertValue(value, child, [&](auto&& v) { array.push_back(std::forward<decltype(v)>(v)); });
    }
    return array;
  }

  // Converts `value` (at `path`, for messages) and hands the TOML value to `put`.
  template <typename Put>
  void ConvertValue(py::handle value, const std::string& path, Put&& put) {
    if (PyBool_Check(value.ptr())) {
      put(value.ptr() == Py_True);
    } else if (PyLong_Check(value.ptr())) {
      int overflow = 0;
      const long long n = PyLong_AsLongLongAndOverflow(value.ptr(), &overflow);
      if (overflow != 0) BadValue(source_, path, "integer does not fit in 64 bits");
      if (n == -1 && PyErr_Occurred()) throw py::error_already_set();
      put(static_cast<int64_t>(n));
    } else if (PyFloat_Check(value.ptr())) {
      put(PyFloat_AsDouble(value.ptr()));
    } else if (PyUnicode_Check(value.ptr())) {
      put(Utf8(value, path, /*is_key=*/false));
    } else if (PyDict_Check(value.ptr())) {
      put(ToTable(value, path));
    } else if (PyList_Check(value.ptr()) || PyTuple_Check(value.ptr())) {
      put(ToArray(value, path));
    } else if (py::isinstance(value, py::module_::import("datetime").attr("timedelta"))) {
      const py::object seconds = value.attr("total_seconds")();  // a duration in seconds
      const double x = PyFloat_AsDouble(seconds.ptr());
      if (x == -1.0 && PyErr_Occurred()) throw py::error_already_set();
      put(x);
    } else {
      BadValue(source_, path,
               "unsupported value of type '" + TypeName(value) +
                   "'; expected a dict, list, str, bool, int, float or datetime.timedelta");
    }
  }

  std::string_view source_;
  std::vector<PyObject*> open_;  // the dicts and lists being converted, outermost first
};

SimulationConfig ScenarioFromDict(const py::dict& dict, std::string_view name) {
  const toml::table table = DictConverter(name).ToTable(dict, "");
  return ValueOrThrow(ParseScenarioTable(table, name));
}

// ---------------------------------------------------------------------------------------------
// SimulationResult -> dicts, with the keys and order of ResultsToJson (report.cc). A value that
// is not finite (JSON null there) is None.

py::object Number(double x) {
  if (!std::isfinite(x)) return py::none();
  return py::float_(x == 0 ? 0.0 : x);
}

py::dict MetricToDict(const Metric& m) {
  py::dict d;
  d["mean"] = Number(m.mean);
  d["ci95"] = Number(m.ci95);
  return d;
}

py::dict KpisToDict(const Kpis& k) {
  py::dict d;
  for (const detail::KpiField& field : detail::kKpiFields) {
    d[py::str(field.key.data(), field.key.size())] = MetricToDict(k.*field.member);
  }
  return d;
}

py::dict QueuesToDict(const std::map<std::string, Kpis>& queues) {
  py::dict d;
  for (const auto& [name, kpis] : queues) d[Str(name)] = KpisToDict(kpis);
  return d;
}

py::dict ResultToDict(const SimulationResult& r) {
  py::dict d;
  d["scenario"] = Str(r.scenario);
  d["seed"] = r.seed;
  d["replications"] = r.replications;
  d["queues"] = QueuesToDict(r.queues);
  d["overall"] = KpisToDict(r.overall);
  py::dict agents;
  agents["occupancy"] = MetricToDict(r.occupancy);
  d["agents"] = agents;
  py::list intervals;
  for (const IntervalReport& interval : r.intervals) {
    py::dict i;
    i["start_s"] = Number(absl::ToDoubleSeconds(interval.start));
    i["queues"] = QueuesToDict(interval.queues);
    i["overall"] = KpisToDict(interval.overall);
    i["occupancy"] = MetricToDict(interval.occupancy);
    intervals.append(i);
  }
  d["intervals"] = intervals;
  d["contacts_simulated"] = r.contacts_simulated;
  return d;
}

// ---------------------------------------------------------------------------------------------

py::dict SimulateToDict(const SimulationConfig& scenario, std::optional<int> replications,
                        std::optional<uint64_t> seed, std::optional<int> threads,
                        py::object progress, std::optional<double> max_contacts,
                        std::optional<double> max_contacts_per_replication,
                        std::optional<int64_t> max_agents, std::optional<int> max_replications) {
  SimulationConfig config = scenario;
  if (replications) config.replications = *replications;
  if (seed) config.seed = *seed;
  if (max_contacts) config.limits.max_contacts = *max_contacts;
  if (max_contacts_per_replication) {
    config.limits.max_contacts_per_replication = *max_contacts_per_replication;
  }
  if (max_agents) config.limits.max_agents = *max_agents;
  if (max_replications) config.limits.max_replications = *max_replications;
  // Simulate refuses a bad configuration or thread count before any thread starts.
  RunOptions options;
  // Default: one per hardware thread, as the command line does.
  const unsigned hardware = std::thread::hardware_concurrency();
  options.threads = threads ? *threads
                    : hardware > 0 ? static_cast<int>(std::min(hardware, unsigned{kMaxThreads}))
                                   : 1;
  // The progress callback runs on the simulation's threads: it takes the GIL, and its first
  // exception is raised once the simulation ends (the replications cannot be stopped). The GIL
  // guards progress_error (no extra lock: Python may switch threads inside the callback).
  std::exception_ptr progress_error;
  if (!progress.is_none()) {
    options.progress = [&](int done, int total) {
      const py::gil_scoped_acquire gil;
      if (progress_error) return;
      try {
        progress(done, total);
      } catch (...) {
        progress_error = std::current_exception();
      }
    };
  }
  absl::StatusOr<SimulationResult> result;
  {
    const py::gil_scoped_release no_gil;
    result = Simulate(config, options);
  }
  if (progress_error) std::rethrow_exception(progress_error);
  return ResultToDict(ValueOrThrow(std::move(result)));
}

// Whether the Python stream `name` of sys writes to file descriptor `fd`: then the command line
// writes to the C++ standard stream itself, as the executable does (tables and the progress bar
// on a terminal).
bool IsStandardStream(const char* name, int fd) {
  const py::object stream = py::module_::import("sys").attr(name);
  if (stream.is_none() || !py::hasattr(stream, "fileno")) return false;
  try {
    return stream.attr("fileno")().cast<int>() == fd;
  } catch (const py::error_already_set&) {
    return false;  // io.StringIO and friends: fileno() raises
  }
}

int CliMain(const std::vector<std::string>& args) {
  std::vector<std::string> argv_storage = args;
  if (argv_storage.empty()) argv_storage.emplace_back("switchboard");
  std::vector<char*> argv;
  for (std::string& arg : argv_storage) argv.push_back(arg.data());
  argv.push_back(nullptr);

  const py::module_ sys = py::module_::import("sys");
  const bool direct_out = IsStandardStream("stdout", 1);
  const bool direct_err = IsStandardStream("stderr", 2);
  if (direct_out) sys.attr("stdout").attr("flush")();
  if (direct_err) sys.attr("stderr").attr("flush")();
  std::ostringstream out_buffer;
  std::ostringstream err_buffer;
  std::ostream& out = direct_out ? std::cout : static_cast<std::ostream&>(out_buffer);
  std::ostream& err = direct_err ? std::cerr : static_cast<std::ostream&>(err_buffer);
  int status = 0;
  {
    const py::gil_scoped_release no_gil;
    status = RunCli(static_cast<int>(argv.size() - 1), argv.data(), out, err);
    out.flush();
    err.flush();
  }
  if (!direct_out && !out_buffer.str().empty()) {
    sys.attr("stdout").attr("write")(Str(out_buffer.str()));
  }
  if (!direct_err && !err_buffer.str().empty()) {
    sys.attr("stderr").attr("write")(Str(err_buffer.str()));
  }
  return status;
}

std::string DurationText(absl::Duration d) { return absl::FormatDuration(d); }

constexpr const char* kScenarioDoc = R"doc(A validated simulation scenario (see load_scenario, parse_scenario, scenario_from_dict).

The [simulation] settings are properties that may be changed (durations in seconds); the rest
is fixed. simulate() validates the whole scenario again before it runs.)doc";

}  // namespace

void register_simulation(py::module_& m) {
  // The keys of every KPI dict simulate() returns, in their order: the simulator's own list
  // (KpiNames, from detail::kKpiFields), which switchboard.KPI_NAMES re-exports.
  const std::span<const std::string_view> kpi_names = KpiNames();
  py::tuple kpi_tuple(kpi_names.size());
  for (size_t i = 0; i < kpi_names.size(); ++i) {
    kpi_tuple[i] = py::str(kpi_names[i].data(), kpi_names[i].size());
  }
  m.attr("KPI_NAMES") = kpi_tuple;

  auto scenario = BindClass<SimulationConfig>(m, "Scenario", kScenarioDoc);
  scenario
      .def_property(
          "name", [](const SimulationConfig& c) { return Str(c.scenario); },
          [](SimulationConfig& c, std::string name) { c.scenario = std::move(name); },
          "Name reported in the results (the file's base name, or the name given).")
      .def_readwrite("seed", &SimulationConfig::seed,
                     "Seed; the same scenario and seed give the same results.")
      .def_readwrite("replications", &SimulationConfig::replications,
                     "Independent runs (seeds derived from seed), >= 1.")
      .def_property(
          "duration", [](const SimulationConfig& c) { return DurationToSeconds(c.duration); },
          [](SimulationConfig& c, py::object s) { c.duration = SecondsAt(s, "duration"); },
          "Measured simulated time after the warm-up, seconds (set: seconds or a timedelta).")
      .def_property(
          "warmup", [](const SimulationConfig& c) { return DurationToSeconds(c.warmup); },
          [](SimulationConfig& c, py::object s) { c.warmup = SecondsAt(s, "warmup"); },
          "Warm-up, seconds (set: seconds or a timedelta); contacts that arrive during it are not "
          "counted.")
      .def_property(
          "interval", [](const SimulationConfig& c) { return DurationToSeconds(c.interval); },
          [](SimulationConfig& c, py::object s) { c.interval = SecondsAt(s, "interval"); },
          "Length of the intervals of the interval report, seconds (set: seconds or a timedelta).")
      .def_property_readonly(
          "queues",
          [](const SimulationConfig& c) {
            py::list names;
            for (const QueueConfig& q : c.queues) names.append(Str(q.id));
            return names;
          },
          "Names of the queues, in the scenario's order.")
      .def_property_readonly(
          "agent_count",
          [](const SimulationConfig& c) {
            int64_t n = 0;
            for (const AgentGroupConfig& g : c.agents) n += g.count;
            return n;
          },
          "Agents in all [[agents]] groups.")
      .def_property_readonly(
          "traffic_count", [](const SimulationConfig& c) { return c.traffic.size(); },
          "Number of [[traffic]] streams.")
      .def(
          "validate",
          [](const SimulationConfig& c) { ThrowIfError(ValidateSimulation(c)); },
          "Raises InvalidArgumentError naming the first problem (e.g. after changing a "
          "property to a bad value).")
      .def("copy", [](const SimulationConfig& c) { return SimulationConfig(c); },
           "An independent copy.")
      .def("__copy__", [](const SimulationConfig& c) { return SimulationConfig(c); })
      .def("__deepcopy__",
           [](const SimulationConfig& c, py::dict) { return SimulationConfig(c); },
           py::arg("memo"))
      .def("__repr__", [](py::handle self) {
        // Works on an object that was never initialized too: debuggers and tracebacks show it.
        if (!IsInitialized<SimulationConfig>(self)) {
          return std::string("<switchboard.Scenario, not initialized>");
        }
        const SimulationConfig& c = py::cast<const SimulationConfig&>(self);
        int64_t agents = 0;
        for (const AgentGroupConfig& g : c.agents) agents += g.count;
        return "<switchboard.Scenario " + std::string(py::repr(Str(c.scenario))) + ": " +
               std::to_string(c.queues.size()) + " queue(s), " + std::to_string(c.traffic.size()) +
               " traffic stream(s), " + std::to_string(agents) + " agent(s), duration " +
               DurationText(c.duration) + ", seed " + std::to_string(c.seed) + ", " +
               std::to_string(c.replications) + " replication(s)>";
      });

  m.def(
      "load_scenario",
      [](const std::filesystem::path& path) {
        return ValueOrThrow(LoadScenarioFile(path.string()));
      },
      py::arg("path"),
      "Reads and validates a scenario file (../shared/SCENARIO.md). InvalidArgumentError with "
      "one line naming the file, the table and the key; NotFoundError for a missing file.");
  m.def(
      "parse_scenario",
      [](std::string_view text, std::string_view name) {
        return ValueOrThrow(ParseScenario(text, name));
      },
      py::arg("text"), py::arg("name") = "<string>",
      "Parses and validates the TOML text of a scenario; `name` starts every error message.");
  m.def(
      "scenario_from_dict",
      [](const py::dict& dict, std::string_view name) { return ScenarioFromDict(dict, name); },
      py::arg("scenario"), py::arg("name") = "<dict>",
      R"doc(A scenario from a dict shaped like the TOML file, with the same checks and messages.

Tables are dicts, arrays of tables ([[queue]], [[traffic]], [[agents]]) are lists of dicts;
values are str, bool, int, float (durations may also be datetime.timedelta). `name` starts
every error message (e.g. "<dict>: [[agents]] #1: unknown key 'cuont'; did you mean 'count'?")
and is the scenario name in the results.)doc");
  m.def("simulate", &SimulateToDict, py::arg("scenario"), py::kw_only(),
        py::arg("replications") = py::none(), py::arg("seed") = py::none(),
        py::arg("threads") = py::none(), py::arg("progress") = py::none(),
        py::arg("max_contacts") = py::none(), py::arg("max_contacts_per_replication") = py::none(),
        py::arg("max_agents") = py::none(), py::arg("max_replications") = py::none(),
        R"doc(Runs the scenario and returns the results contract of SCENARIO.md as a dict.

replications, seed: override the scenario's (which is not changed).
threads: threads for replications, 1..1024; None (default): one per hardware thread, as the
    command line. The results do not depend on it.
progress: None, or progress(done, total) called after each replication (from the simulation's
    threads, holding the GIL).
max_contacts (200e6), max_contacts_per_replication (10e6), max_agents (100000),
max_replications (100000): bounds on the work of the run; None keeps the default. Contacts
    are expected ones (arrival rates integrated over warm-up and duration), of all
    replications together or of one. A scenario beyond a bound is refused before any work
    with InvalidArgumentError naming it; raise the bound to run it on purpose.
Raises InvalidArgumentError for an invalid scenario, bound or threads, ResourceExhaustedError
when threads or memory run out during the run (MemoryError for an allocation outside it).
Keys: scenario, seed, replications, queues {name: kpis}, overall (kpis), agents {occupancy},
intervals [{start_s, queues, overall, occupancy}], contacts_simulated. Every metric is
{"mean": x, "ci95": h}; a value that is not defined (JSON null) is None. The GIL is released
while the replications run.)doc");
  m.def("cli_main", &CliMain, py::arg("argv"),
        R"doc(Runs the `switchboard` command line (argv[0] is the program name and is ignored) and
returns its exit status: 0 success, 2 invalid scenario or command line, 1 other failure.
Output goes to sys.stdout / sys.stderr (straight to the process's streams when those are
the real ones, as the executable does).)doc");
}

}  // namespace switchboard::python
