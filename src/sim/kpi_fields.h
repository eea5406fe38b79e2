// The KPIs of a simulation, in the order every format lists them: the one place to add a KPI
// (with its field in sim.h's Kpis and its value in the simulator's Evaluate). KpiNames() (sim.h)
// and Python's switchboard.KPI_NAMES are these keys.
#ifndef SWITCHBOARD_SRC_SIM_KPI_FIELDS_H_
#define SWITCHBOARD_SRC_SIM_KPI_FIELDS_H_

#include <array>
#include <string_view>

#include "switchboard/sim.h"

namespace switchboard::detail {

struct KpiField {
  std::string_view key;  // JSON key, CSV column and Python dict key
  Metric Kpis::*member;
};

inline constexpr KpiField kKpiFields[] = {
    {"offered", &Kpis::offered},
    {"answered", &Kpis::answered},
    {"abandoned", &Kpis::abandoned},
    {"service_level", &Kpis::service_level},
    {"p_wait", &Kpis::p_wait},
    {"asa_s", &Kpis::asa_s},
    {"abandon_rate", &Kpis::abandon_rate},
    {"aht_s", &Kpis::aht_s},
    {"mean_queue_length", &Kpis::mean_queue_length},
    {"max_wait_s", &Kpis::max_wait_s},
    {"ewt_error_s", &Kpis::ewt_error_s},
    {"ewt_bias_s", &Kpis::ewt_bias_s},
    {"transferred", &Kpis::transferred},
    {"callbacks", &Kpis::callbacks},
    {"callbacks_connected", &Kpis::callbacks_connected},
    {"callbacks_failed", &Kpis::callbacks_failed},
    {"deflected", &Kpis::deflected},
    {"voicemail", &Kpis::voicemail},
    {"disconnected", &Kpis::disconnected},
    {"overflowed", &Kpis::overflowed},
    {"overflow_rate", &Kpis::overflow_rate},
    {"redials", &Kpis::redials},
    {"first_attempts", &Kpis::first_attempts},
    {"customers_served", &Kpis::customers_served},
};

inline constexpr int kKpiCount = static_cast<int>(std::size(kKpiFields));

// The keys of kKpiFields, in order.
inline constexpr std::array<std::string_view, kKpiCount> kKpiNames = [] {
  std::array<std::string_view, kKpiCount> names;
  for (int k = 0; k < kKpiCount; ++k) names[k] = kKpiFields[k].key;
  return names;
}();

}  // namespace switchboard::detail

#endif  // SWITCHBOARD_SRC_SIM_KPI_FIELDS_H_
