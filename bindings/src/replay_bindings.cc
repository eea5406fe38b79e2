// switchboard._core.replay and fit_patience: the C++ replay (switchboard/replay.h) behind
// switchboard.replay (replay.py), returning the same JSON and per-contact CSV as the command
// line so that both read alike.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "bindings.h"
#include "status.h"
#include "switchboard/contact_log.h"
#include "switchboard/limits.h"
#include "switchboard/replay.h"
#include "switchboard/sim.h"

namespace py = pybind11;

namespace switchboard::python {
namespace {

PatienceMethod MethodFrom(const std::string& name) {
  if (name == "exponential") return PatienceMethod::kExponential;
  if (name == "kaplan_meier") return PatienceMethod::kKaplanMeier;
  ThrowIfError(absl::InvalidArgumentError("patience is '" + name +
                                          "'; expected 'exponential' or 'kaplan_meier'"));
  return PatienceMethod::kExponential;
}

py::tuple ReplayText(const std::string& log_text, const std::string& log_name,
                     const SimulationConfig& scenario, std::optional<int> replications,
                     std::optional<uint64_t> seed, std::optional<int> threads,
                     const std::string& patience) {
  ReplayOptions options;
  options.patience = MethodFrom(patience);
  options.log_name = log_name;
  absl::StatusOr<std::vector<ContactRecord>> log = ParseContactLog(log_text, log_name);
  ThrowIfError(log.status());
  if (replications) {
    if (*replications < 1) {
      ThrowIfError(absl::InvalidArgumentError(
          "replications is " + std::to_string(*replications) + "; expected >= 1"));
    }
    options.replications = *replications;
  }
  options.seed = seed;
  const unsigned hardware = std::thread::hardware_concurrency();
  options.threads = threads ? *threads
                    : hardware > 0 ? static_cast<int>(std::min(hardware, unsigned{kMaxThreads}))
                                   : 1;
  absl::StatusOr<ReplayResult> result;
  {
    const py::gil_scoped_release no_gil;
    result = Replay(scenario, *log, options);
  }
  ThrowIfError(result.status());
  // The service-level threshold, when the queues share one (for the plot).
  py::object threshold = py::none();
  if (!scenario.queues.empty() &&
      std::all_of(scenario.queues.begin(), scenario.queues.end(), [&](const QueueConfig& q) {
        return q.service_level_threshold == scenario.queues[0].service_level_threshold;
      })) {
    threshold = py::float_(absl::ToDoubleSeconds(scenario.queues[0].service_level_threshold));
  }
  return py::make_tuple(ReplayToJson(*result, log_name), ReplayContactsToCsv(*log, *result),
                        threshold);
}

py::dict FitPatienceText(const std::string& log_text, const std::string& log_name,
                         const std::string& method) {
  const PatienceMethod parsed = MethodFrom(method);
  absl::StatusOr<std::vector<ContactRecord>> log = ParseContactLog(log_text, log_name);
  ThrowIfError(log.status());
  const PatienceFit fit = FitPatience(*log, parsed);
  auto seconds = [](double x) {
    return std::isfinite(x) ? py::object(py::float_(x)) : py::object(py::none());
  };
  py::dict d;
  d["method"] = fit.method;
  d["mean_s"] = seconds(fit.mean_s);
  if (parsed == PatienceMethod::kKaplanMeier) {
    d["median_s"] = seconds(fit.median_s);
    py::list survival;
    for (const auto& [t, s] : fit.survival) survival.append(py::make_tuple(t, s));
    d["survival"] = survival;
  }
  d["contacts"] = fit.contacts;
  d["abandoned"] = fit.abandoned;
  d["total_wait_s"] = fit.total_wait_s;
  return d;
}

}  // namespace

void register_replay(py::module_& m) {
  m.def("replay", &ReplayText, py::arg("log_text"), py::arg("log_name"), py::arg("scenario"),
        py::kw_only(), py::arg("replications") = py::none(), py::arg("seed") = py::none(),
        py::arg("threads") = py::none(), py::arg("patience") = "exponential",
        R"doc(Replays a contact log (CSV text; log_name names it in errors) through the scenario.

Returns (results_json, contacts_csv, threshold_s): what `switchboard replay --format json`
prints, the per-contact contacts.csv of its --out, and the queues' service-level threshold in
seconds when they share one (else None). Raises InvalidArgumentError for a malformed row
("<log_name>: line N, column '<name>': ...") or a scenario that cannot serve the log. The GIL
is released while the replications run.)doc");
  m.def("fit_patience", &FitPatienceText, py::arg("log_text"), py::arg("log_name"),
        py::arg("method") = "exponential",
        R"doc(The patience of a contact log (CSV text), fitted with censoring: method "exponential"
(maximum likelihood) or "kaplan_meier". {"method", "mean_s" (None when nobody abandoned),
"contacts", "abandoned", "total_wait_s"}, and for Kaplan-Meier "median_s" (None when the
survival stays above 1/2) and "survival" [(time_s, S after it)].)doc");
}

}  // namespace switchboard::python
