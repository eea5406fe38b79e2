// The Erlang calculators and staffing for Python (switchboard.erlang wraps these). Each returns
// the JSON text the command line prints (tools/erlang_command.h), so the dicts the package
// returns have the CLI's keys by construction; errors are the C++ messages.
//
// Units here are the library's: rates per second, durations in seconds. switchboard/erlang.py
// turns "720/h", numbers per hour, "4m" and timedelta into these.
#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "bindings.h"
#include "erlang_command.h"
#include "status.h"
#include "switchboard/staffing.h"

namespace py = pybind11;

namespace switchboard::python {
namespace {

ErlangModel ModelFrom(const std::string& model) {
  if (model == "c") return ErlangModel::kC;
  if (model == "a") return ErlangModel::kA;
  ThrowIfError(absl::InvalidArgumentError("model must be 'c' or 'a' (got '" + model + "')"));
  return ErlangModel::kC;
}

StaffingOptions OptionsFrom(const std::string& model, double threshold_s, double target,
                            double patience_s, double max_occupancy, double max_abandon,
                            double shrinkage) {
  StaffingOptions options;
  options.model = ModelFrom(model);
  options.threshold_s = threshold_s;
  options.target = target;
  options.mean_patience_s = patience_s;
  options.max_occupancy = max_occupancy;
  options.max_abandon = max_abandon;
  options.shrinkage = shrinkage;
  return options;
}

}  // namespace

void register_erlang(py::module_& m) {
  m.def(
      "parse_arrival_rate",
      [](const std::string& text) { return ValueOrThrow(ParseArrivalRate(text)); }, py::arg("text"),
      "'720/h', '12/m' or '0.2/s' as contacts per second (the command line's --arrivals).");
  m.def(
      "parse_seconds",
      [](const std::string& text) { return ValueOrThrow(cli::ParseSeconds(text)); },
      py::arg("text"), "A duration as in scenario files ('240', '45s', '4m', '1h30m') in seconds.");
  m.def(
      "erlang_json",
      [](const std::string& model, double arrival_rate_per_s, double aht_s, int agents,
         double threshold_s, double patience_s) {
        if (model.size() != 1) {
          ThrowIfError(absl::InvalidArgumentError("model must be b, c or a (got '" + model + "')"));
        }
        cli::ErlangQuery query;
        query.model = model[0];
        query.arrival_rate_per_s = arrival_rate_per_s;
        query.aht_s = aht_s;
        query.agents = agents;
        query.threshold_s = threshold_s;
        query.mean_patience_s = patience_s;
        return ValueOrThrow(cli::ErlangJson(query));
      },
      py::arg("model"), py::arg("arrival_rate_per_s"), py::arg("aht_s"), py::arg("agents"),
      py::arg("threshold_s") = 20.0, py::arg("patience_s") = 0.0,
      "The JSON of `switchboard erlang MODEL`.");
  m.def(
      "staff_json",
      [](double arrival_rate_per_s, double aht_s, const std::string& model, double threshold_s,
         double target, double patience_s, double max_occupancy, double max_abandon,
         double shrinkage) {
        return ValueOrThrow(cli::StaffJson(arrival_rate_per_s, aht_s,
                                           OptionsFrom(model, threshold_s, target, patience_s,
                                                       max_occupancy, max_abandon, shrinkage)));
      },
      py::arg("arrival_rate_per_s"), py::arg("aht_s"), py::arg("model") = "c",
      py::arg("threshold_s") = 20.0, py::arg("target") = 0.8, py::arg("patience_s") = 0.0,
      py::arg("max_occupancy") = 1.0, py::arg("max_abandon") = 1.0, py::arg("shrinkage") = 0.0,
      "The JSON of `switchboard staff` for one period.");
  m.def(
      "staff_intraday_json",
      [](const std::string& csv_text, const std::string& source_name,
         std::optional<double> interval_s, const std::string& model, double threshold_s,
         double target, double patience_s, double max_occupancy, double max_abandon,
         double shrinkage, bool verify, int replications, uint64_t seed, double tolerance,
         int threads) {
        const StaffingOptions options = OptionsFrom(model, threshold_s, target, patience_s,
                                                    max_occupancy, max_abandon, shrinkage);
        std::optional<absl::Duration> interval;
        if (interval_s.has_value()) {
          interval = absl::Microseconds(SecondsToMicros(*interval_s, "interval"));
        }
        std::string json;
        absl::Status status;
        {
          const py::gil_scoped_release no_gil;
          absl::StatusOr<IntradayForecast> forecast =
              source_name.empty() ? ReadIntradayCsv(csv_text, interval)
                                  : ParseIntradayCsv(csv_text, source_name, interval);
          status = forecast.status();
          if (status.ok()) {
            absl::StatusOr<std::vector<IntervalRequirement>> plan =
                StaffIntraday(*forecast, options);
            status = plan.status();
            if (status.ok() && verify) {
              VerifyOptions verify_options;
              verify_options.replications = replications;
              verify_options.seed = seed;
              verify_options.tolerance = tolerance;
              verify_options.threads = threads;
              absl::StatusOr<std::vector<IntervalCheck>> checks =
                  VerifyStaffing(*forecast, *plan, options, verify_options);
              status = checks.status();
              if (status.ok()) {
                json = cli::IntradayJson(*forecast, *plan, options, &*checks, &verify_options);
              }
            } else if (status.ok()) {
              json = cli::IntradayJson(*forecast, *plan, options);
            }
          }
        }
        ThrowIfError(status);
        return json;
      },
      py::arg("csv"), py::arg("source_name"), py::arg("interval_s") = py::none(),
      py::arg("model") = "c", py::arg("threshold_s") = 20.0, py::arg("target") = 0.8,
      py::arg("patience_s") = 0.0, py::arg("max_occupancy") = 1.0, py::arg("max_abandon") = 1.0,
      py::arg("shrinkage") = 0.0, py::arg("verify") = false, py::arg("replications") = 20,
      py::arg("seed") = 1, py::arg("tolerance") = 0.03, py::arg("threads") = 1,
      "The JSON of `switchboard staff --intraday`: `csv` is a path when `source_name` is empty, "
      "else the CSV text itself (errors name `source_name`).");
}

}  // namespace switchboard::python
