// Draws durations from a Distribution with the engine's platform-independent generator, so a
// seed gives the same customers everywhere.
#ifndef SWITCHBOARD_SRC_SIM_SAMPLING_H_
#define SWITCHBOARD_SRC_SIM_SAMPLING_H_

#include <cmath>
#include <cstdint>
#include <limits>

#include "base/durations.h"
#include "base/random.h"
#include "switchboard/sim.h"

namespace switchboard::detail {

inline constexpr int64_t kNeverMicros = kNever;

// A standard normal deviate (Box-Muller; one of the pair is used, so each draw consumes exactly
// two uniforms).
inline double StandardNormal(Random& random) {
  const double u = random.UniformPositive();
  const double v = random.Uniform();
  return std::sqrt(-2.0 * std::log(u)) * std::cos(2.0 * M_PI * v);
}

// Gamma(shape, 1) by Marsaglia and Tsang; shape < 1 through the boost Gamma(shape + 1)·U^(1/shape).
inline double StandardGamma(double shape, Random& random) {
  if (shape < 1) {
    return StandardGamma(shape + 1, random) * std::pow(random.UniformPositive(), 1.0 / shape);
  }
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  while (true) {
    double x, v;
    do {
      x = StandardNormal(random);
      v = 1.0 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const double u = random.UniformPositive();
    if (std::log(u) < 0.5 * x * x + d - d * v + d * std::log(v)) return d * v;
  }
}

class Sampler {
 public:
  explicit Sampler(const Distribution& distribution) : d_(distribution) {
    if (d_.kind == Distribution::Kind::kLognormal) {
      const double ratio = d_.sd_s / d_.mean_s;
      sigma_ = std::sqrt(std::log1p(ratio * ratio));
      mu_ = std::log(d_.mean_s) - sigma_ * sigma_ / 2;
    } else if (d_.kind == Distribution::Kind::kGamma) {
      shape_ = (d_.mean_s * d_.mean_s) / (d_.sd_s * d_.sd_s);
      scale_ = (d_.sd_s * d_.sd_s) / d_.mean_s;
    }
  }

  // A duration in microseconds; kNeverMicros for Kind::kNone.
  int64_t Draw(Random& random) const { return ToMicros(DrawSeconds(random)); }

  double DrawSeconds(Random& random) const {
    switch (d_.kind) {
      case Distribution::Kind::kNone:
        return std::numeric_limits<double>::infinity();
      case Distribution::Kind::kExponential:
        return -d_.mean_s * std::log(random.UniformPositive());
      case Distribution::Kind::kConstant:
        return d_.mean_s;
      case Distribution::Kind::kLognormal:
        return std::exp(mu_ + sigma_ * StandardNormal(random));
      case Distribution::Kind::kGamma:
        return scale_ * StandardGamma(shape_, random);
      case Distribution::Kind::kEmpirical:
        return d_.values_s[random.Next() % d_.values_s.size()];
    }
    return 0;
  }

  // Rounded to the nearest microsecond; durations drawn here are never negative.
  static int64_t ToMicros(double seconds) {
    if (!(seconds < 9e12)) return kNeverMicros;
    return static_cast<int64_t>(seconds * 1e6 + 0.5);
  }

 private:
  Distribution d_;
  double mu_ = 0, sigma_ = 0, shape_ = 0, scale_ = 0;
};

}  // namespace switchboard::detail

#endif  // SWITCHBOARD_SRC_SIM_SAMPLING_H_
