#include "sim/confidence.h"

#include <cmath>

namespace switchboard::detail {

double StudentT975(int df) {
  static constexpr double kTable[31] = {
      0,      12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281,
      2.2010, 2.1788,  2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860, 2.0796,
      2.0739, 2.0687,  2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423};
  if (df <= 30) return kTable[df < 1 ? 1 : df];
  const double z = 1.959963984540054;
  const double n = df;
  const double z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z;
  return z + (z3 + z) / (4 * n) + (5 * z5 + 16 * z3 + 3 * z) / (96 * n * n) +
         (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * n * n * n);
}

Metric Summarize(const std::vector<double>& values) {
  Metric metric;
  if (values.empty()) return metric;
  double sum = 0;
  for (double v : values) sum += v;
  metric.mean = sum / static_cast<double>(values.size());
  if (values.size() < 2) return metric;
  double squares = 0;
  for (double v : values) squares += (v - metric.mean) * (v - metric.mean);
  const int df = static_cast<int>(values.size()) - 1;
  const double sd = std::sqrt(squares / df);
  metric.ci95 = StudentT975(df) * sd / std::sqrt(static_cast<double>(values.size()));
  return metric;
}

}  // namespace switchboard::detail
