// Erlang B, C and A.
//
// Erlang A method (exact up to truncation at a relative 1e-16 and rounding):
//
// The number in system is a birth–death chain with birth rate λ and death rate n·μ for n <= N,
// N·μ + (n − N)·γ for n > N. Relative to π_N:
//   π_n / π_N = Π_{m=n+1..N} m/A                        for n < N,
//   t_j := π_{N+j} / π_N = Π_{i=1..j} λ / (Nμ + iγ)     for j >= 0 (t_0 = 1).
// The lower part sums to Σ_{n<N} π_n/π_N = 1/B(N, A) − 1 = (N/A) / B(N−1, A), computed as a
// logarithm with log(1/B(n)) = softplus(log(n/A) + log(1/B(n−1))) so that nothing overflows for
// thousands of agents. The upper part is summed term by term in log space (the accumulators
// share one scale factor that moves up when the terms grow, which they do in overload until
// Nμ + jγ passes λ) until the bounded geometric tail is below 1e-16 of each sum.
//
// By PASTA an arrival sees state N + j with probability π_{N+j}: all agents busy and j waiting
// ahead of it. FCFS with exponential patience: while i customers are ahead of the tagged one,
// the next of three competing events ends a stage of rate r_i = Nμ + (i+1)γ:
//   a service completion (Nμ) or an abandonment of one of the i ahead (iγ): it moves up
//     (when i = 0 only Nμ, and it is answered);
//   its own abandonment (γ).
// So P(answered | j) = Π_{i=0..j} (Nμ + iγ)/(Nμ + (i+1)γ) = Nμ / (Nμ + (j+1)γ) (telescoping),
// and given answered, the wait is the sum of independent stage times Exp(r_0) + … + Exp(r_j)
// (the time of a race is independent of who wins it):
//   E[W·1{answered} | j] = P(answered | j) · Σ_{i=0..j} 1/r_i.
// The rates a + kγ (a = Nμ, k = 1..j+1) are equally spaced, so the partial-fraction density of
// the hypoexponential sum collapses to C·e^{−(a+γ)t}·(1 − e^{−γt})^j, and substituting
// x = 1 − e^{−γt} gives a regularized incomplete beta function with integer first parameter:
//   P(Exp(r_0) + … + Exp(r_j) > T) = 1 − I_x(j+1, b) = Σ_{k=0..j} NB_k,
//   NB_k = Γ(b+k)/(Γ(b)·k!) · (1−x)^b · x^k,  b = Nμ/γ + 1,  x = 1 − e^{−γT},
// the negative-binomial probabilities, with NB_0 = e^{−(Nμ+γ)T} and
// NB_k = NB_{k−1} · (Nμ/γ + k)/k · x. Kept as logarithms (NB_0 underflows for large NμT), and
// as γ → 0 they become the Poisson(NμT) terms of the Erlang C wait. All terms are positive:
// no alternating partial-fraction sums.
// Then, with p_j = π_{N+j}:
//   P(wait) = Σ p_j,  E[Lq] = Σ j·p_j,  P(abandon) = Σ p_j·(j+1)γ/(Nμ + (j+1)γ)
//   (which equals γ·E[Lq]/λ: abandonment rate = γ·E[Lq]),  E[W_all] = E[Lq]/λ (Little),
//   ASA = Σ p_j·E[W·1{answered} | j] / (1 − P(abandon)),
//   P(answered and W <= T) = P(no wait) + Σ p_j·P(answered | j)·(1 − Σ_{k<=j} NB_k).
#include "switchboard/erlang.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "absl/status/status.h"
#include "fmt/format.h"

namespace switchboard {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();
// Relative size of the neglected tail of each Erlang A sum.
constexpr double kTailEpsilon = 1e-16;
// Upper bound on the waiting-queue lengths the Erlang A sums visit.
constexpr int64_t kMaxQueueStates = 50'000'000;
// The Erlang A accumulators are rescaled when a term exceeds their scale by this factor (log).
constexpr double kRescaleLog = 300;

absl::Status CheckPositive(double value, const char* what) {
  if (!(value > 0) || !std::isfinite(value)) {
    return absl::InvalidArgumentError(
        fmt::format("{} must be > 0 and finite (got {})", what, value));
  }
  return absl::OkStatus();
}

absl::Status CheckInputs(double arrival_rate_per_s, double aht_s, int agents, double threshold_s) {
  if (absl::Status status = CheckPositive(arrival_rate_per_s, "arrival rate"); !status.ok()) {
    return status;
  }
  if (absl::Status status = CheckPositive(aht_s, "average handle time"); !status.ok()) {
    return status;
  }
  if (agents < 1) {
    return absl::InvalidArgumentError(fmt::format("agents must be >= 1 (got {})", agents));
  }
  if (!(threshold_s >= 0) || !std::isfinite(threshold_s)) {
    return absl::InvalidArgumentError(
        fmt::format("threshold must be >= 0 and finite (got {})", threshold_s));
  }
  return absl::OkStatus();
}

absl::Status QueueStatesError() {
  return absl::OutOfRangeError(fmt::format(
      "Erlang A: the queue-length distribution needs more than {} states (patience too long for "
      "this overload)",
      kMaxQueueStates));
}

// log(1 + e^z) without overflow or loss for large |z|.
double Softplus(double z) { return z > 0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z)); }

// log(e^a + e^b).
double LogAddExp(double a, double b) {
  if (a < b) return b + std::log1p(std::exp(a - b));
  return a + std::log1p(std::exp(b - a));
}

}  // namespace

double ErlangB(int agents, double load) {
  if (agents < 0 || !(load >= 0) || !std::isfinite(load)) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  double b = 1;
  for (int n = 1; n <= agents; ++n) b = load * b / (n + load * b);
  return b;
}

absl::StatusOr<ErlangCResult> ErlangC(double arrival_rate_per_s, double aht_s, int agents,
                                      double threshold_s) {
  if (absl::Status status = CheckInputs(arrival_rate_per_s, aht_s, agents, threshold_s);
      !status.ok()) {
    return status;
  }
  const double load = arrival_rate_per_s * aht_s;
  const double n = agents;
  ErlangCResult result;
  if (n <= load) {
    result.p_wait = 1;
    result.asa_s = kInfinity;
    result.service_level = 0;
    result.mean_queue_length = kInfinity;
    result.occupancy = 1;
    return result;
  }
  const double b = ErlangB(agents, load);
  const double c = n * b / (n - load * (1 - b));
  result.p_wait = c;
  result.asa_s = c * aht_s / (n - load);
  result.service_level = 1 - c * std::exp(-(n - load) * threshold_s / aht_s);
  result.mean_queue_length = c * load / (n - load);
  result.occupancy = load / n;
  return result;
}

absl::StatusOr<ErlangAResult> ErlangA(double arrival_rate_per_s, double aht_s,
                                      double mean_patience_s, int agents, double threshold_s) {
  if (absl::Status status = CheckInputs(arrival_rate_per_s, aht_s, agents, threshold_s);
      !status.ok()) {
    return status;
  }
  if (absl::Status status = CheckPositive(mean_patience_s, "mean patience"); !status.ok()) {
    return status;
  }
  const double lambda = arrival_rate_per_s;
  const double gamma = 1 / mean_patience_s;
  const double n = agents;
  const double n_mu = n / aht_s;
  const double load = lambda * aht_s;
  const double log_load = std::log(load);
  const double log_lambda = std::log(lambda);
  const double t = threshold_s;
  // The sums below cannot stop before the terms start to fall, at j ≈ (λ − Nμ)·θ: refuse at once
  // what the loop would refuse after kMaxQueueStates steps.
  if ((lambda - n_mu) * mean_patience_s >= static_cast<double>(kMaxQueueStates)) {
    return QueueStatesError();
  }

  // log Σ_{m<N} π_m / π_N = log(N/A) + log(1/B(N−1, A)).
  double log_inverse_b = 0;  // log(1/B(m, A)), m = 0
  for (int m = 1; m < agents; ++m) {
    log_inverse_b = Softplus(std::log(static_cast<double>(m)) - log_load + log_inverse_b);
  }
  const double log_low = std::log(n) - log_load + log_inverse_b;

  // Σ over the states N + j, each accumulator divided by e^scale. See the top of the file.
  double scale = 0;
  double acc_states = 0;         // Σ t_j
  double acc_queue = 0;          // Σ j·t_j
  double acc_abandon = 0;        // Σ t_j·P(abandon | j)
  double acc_answered = 0;       // Σ t_j·P(answered | j)
  double acc_wait_answered = 0;  // Σ t_j·E[W·1{answered} | j]
  double acc_early = 0;          // Σ t_j·P(answered and W <= T | j)
  double log_t = 0;              // log t_j
  double stage_time_sum = 0;     // Σ_{i<=j} 1/r_i
  // Negative-binomial terms: log NB_j and Σ_{k<=j} NB_k = P(W > T | answered, j).
  const double log_x = t > 0 ? std::log(-std::expm1(-gamma * t)) : -kInfinity;
  double log_nb = -(n_mu + gamma) * t;
  double late = 0;
  for (int64_t j = 0;; ++j) {
    if (j >= kMaxQueueStates) return QueueStatesError();
    const double jd = static_cast<double>(j);
    if (j > 0) log_t += log_lambda - std::log(n_mu + jd * gamma);
    if (log_t > scale + kRescaleLog) {
      const double factor = std::exp(scale - log_t);
      acc_states *= factor;
      acc_queue *= factor;
      acc_abandon *= factor;
      acc_answered *= factor;
      acc_wait_answered *= factor;
      acc_early *= factor;
      scale = log_t;
    }
    const double weight = std::exp(log_t - scale);
    const double stage_rate = n_mu + (jd + 1) * gamma;  // r_j
    const double p_answered = n_mu / stage_rate;
    stage_time_sum += 1 / stage_rate;
    if (t > 0) {
      if (j > 0) log_nb += std::log(n_mu / gamma + jd) - std::log(jd) + log_x;
      late += std::exp(log_nb);
    } else {
      late = 1;
    }
    acc_states += weight;
    acc_queue += jd * weight;
    acc_abandon += weight * ((jd + 1) * gamma / stage_rate);
    acc_answered += weight * p_answered;
    acc_wait_answered += weight * p_answered * stage_time_sum;
    acc_early += weight * p_answered * std::max(0.0, 1 - late);

    // Past the peak the ratios t_{k+1}/t_k fall and stay below rho < 1, so the tails are
    // bounded by geometric series: Σ_{m>=1} ρ^m = ρ/(1−ρ), Σ_{m>=1} m·ρ^m = ρ/(1−ρ)².
    const double rho = lambda / (n_mu + (jd + 1) * gamma);
    if (rho < 1) {
      const double tail = weight * rho / (1 - rho);
      const double tail_m = weight * rho / ((1 - rho) * (1 - rho));
      const double tail_queue = jd * tail + tail_m;
      // P(abandon | j+m) = (j+m+1)γ/r_{j+m} <= min(1, (j+m+1)γ/(Nμ)); P(answered | j+m) <=
      // P(answered | j); Σ 1/r_i grows by at most 1/r_j per stage.
      const double tail_abandon = std::min(tail, gamma / n_mu * ((jd + 1) * tail + tail_m));
      const double tail_answered = p_answered * tail;
      const double tail_wait = p_answered * (stage_time_sum * tail + tail_m / stage_rate);
      if (tail <= kTailEpsilon * acc_states && tail_queue <= kTailEpsilon * acc_queue &&
          tail_abandon <= kTailEpsilon * acc_abandon &&
          tail_answered <= kTailEpsilon * acc_answered &&
          tail_wait <= kTailEpsilon * acc_wait_answered) {
        break;
      }
    }
  }

  const double log_z = LogAddExp(log_low, scale + std::log(acc_states));
  const auto probability = [&](double acc) {
    return acc > 0 ? std::exp(scale + std::log(acc) - log_z) : 0.0;
  };
  const double p_no_wait = std::exp(log_low - log_z);
  ErlangAResult result;
  result.p_wait = probability(acc_states);
  result.abandon_rate = probability(acc_abandon);
  const double p_answered = p_no_wait + probability(acc_answered);
  result.asa_s = probability(acc_wait_answered) / p_answered;
  result.mean_queue_length = probability(acc_queue);
  result.mean_wait_all_s = result.mean_queue_length / lambda;
  result.service_level = p_no_wait + probability(acc_early);
  result.service_level_of_answered = result.service_level / p_answered;
  // At most 1: the carried load p_answered·A cannot exceed N, but rounds to just above it in
  // heavy overload.
  result.occupancy = std::min(1.0, p_answered * load / n);
  return result;
}

}  // namespace switchboard
