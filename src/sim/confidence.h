// Mean and 95 % confidence half-width over replications (Student t).
#ifndef SWITCHBOARD_SRC_SIM_CONFIDENCE_H_
#define SWITCHBOARD_SRC_SIM_CONFIDENCE_H_

#include <vector>

#include "switchboard/sim.h"

namespace switchboard::detail {

// The 0.975 quantile of Student's t with `df` degrees of freedom (df >= 1): exact table values
// up to 30, a Cornish-Fisher expansion beyond (error < 1e-5).
double StudentT975(int df);

// Mean of `values` and the half-width of its 95 % confidence interval; 0 half-width for fewer
// than two values.
Metric Summarize(const std::vector<double>& values);

}  // namespace switchboard::detail

#endif  // SWITCHBOARD_SRC_SIM_CONFIDENCE_H_
