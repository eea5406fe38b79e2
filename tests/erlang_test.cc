#include "switchboard/erlang.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "base/status_macros.h"

namespace switchboard {
namespace {

using Matrix = std::vector<std::vector<double>>;

// Dense Gaussian elimination with partial pivoting: solves m·x = rhs.
std::vector<double> Solve(Matrix m, std::vector<double> rhs) {
  const std::size_t n = rhs.size();
  for (std::size_t col = 0; col < n; ++col) {
    std::size_t pivot = col;
    for (std::size_t row = col + 1; row < n; ++row) {
      if (std::abs(m[row][col]) > std::abs(m[pivot][col])) pivot = row;
    }
    std::swap(m[col], m[pivot]);
    std::swap(rhs[col], rhs[pivot]);
    for (std::size_t row = col + 1; row < n; ++row) {
      const double f = m[row][col] / m[col][col];
      if (f == 0) continue;
      for (std::size_t k = col; k < n; ++k) m[row][k] -= f * m[col][k];
      rhs[row] -= f * rhs[col];
    }
  }
  std::vector<double> x(n);
  for (std::size_t i = n; i-- > 0;) {
    double s = rhs[i];
    for (std::size_t k = i + 1; k < n; ++k) s -= m[i][k] * x[k];
    x[i] = s / m[i][i];
  }
  return x;
}

// An independent Erlang A computation without the closed forms of erlang.cc: the stationary
// distribution of the truncated birth–death chain by its plain product form, then the tagged
// arrival's absorbing chain (state i = customers ahead of it; absorbed when answered or when it
// abandons) solved with generic linear algebra for the answer probabilities and expected
// occupation times, and uniformization for the probability of being answered by T.
struct Reference {
  double p_wait = 0;
  double abandon_rate = 0;
  double asa_s = 0;
  double mean_wait_all_s = 0;
  double service_level = 0;
  double mean_queue_length = 0;
};

Reference BruteForceErlangA(double lambda, double aht, double patience, int agents, double t,
                            int queue_states) {
  const double mu = 1 / aht;
  const double gamma = 1 / patience;
  const int n_agents = agents;
  const int k = queue_states;
  const double n_mu = n_agents * mu;

  // π over 0..N+K, unnormalized then normalized.
  std::vector<double> pi(n_agents + k + 1);
  pi[0] = 1;
  double total = 1;
  for (int n = 1; n <= n_agents + k; ++n) {
    const double death = n <= n_agents ? n * mu : n_mu + (n - n_agents) * gamma;
    pi[n] = pi[n - 1] * lambda / death;
    total += pi[n];
  }
  for (double& p : pi) p /= total;
  Reference ref;
  for (int n = n_agents; n <= n_agents + k; ++n) {
    ref.p_wait += pi[n];
    ref.mean_queue_length += (n - n_agents) * pi[n];
  }

  // Tagged chain on i = 0..K−1 ahead: leaves i at rate Nμ + iγ (to i − 1, or answered from 0)
  // and at rate γ (abandons). m = −(generator restricted to the transient states).
  Matrix m(k, std::vector<double>(k, 0.0));
  std::vector<double> to_answered(k, 0.0);
  std::vector<double> alpha(k);
  for (int i = 0; i < k; ++i) {
    m[i][i] = n_mu + (i + 1) * gamma;
    if (i > 0) m[i][i - 1] = -(n_mu + i * gamma);
    alpha[i] = pi[n_agents + i];
  }
  to_answered[0] = n_mu;
  // h_i = P(answered | start in i); occupation_i = expected time in i from the initial mass.
  const std::vector<double> h = Solve(m, to_answered);
  Matrix mt(k, std::vector<double>(k, 0.0));
  for (int i = 0; i < k; ++i) {
    for (int j = 0; j < k; ++j) mt[i][j] = m[j][i];
  }
  const std::vector<double> occupation = Solve(mt, alpha);
  double p_waited_answered = 0;
  double wait_answered = 0;
  double time_in_queue = 0;
  for (int i = 0; i < k; ++i) {
    p_waited_answered += alpha[i] * h[i];
    // Each state is visited at most once and the holding time does not depend on the exit.
    wait_answered += occupation[i] * h[i];
    time_in_queue += occupation[i];
  }
  ref.abandon_rate = gamma * time_in_queue;  // abandonment flux γ per unit of time waiting
  ref.mean_wait_all_s = time_in_queue;
  ref.asa_s = wait_answered / (1 - ref.p_wait + p_waited_answered);

  // Uniformization: P(answered by t) from the initial mass alpha.
  const double rate = n_mu + k * gamma;
  std::vector<double> v = alpha;
  double answered = 0;  // mass absorbed in "answered" after the current number of jumps
  double poisson = std::exp(-rate * t);
  double answered_by_t = 0;
  // The Poisson(rate·t) mass beyond mean + 40·sd + 100 is far below 1e-15.
  const int jumps = static_cast<int>(rate * t + 40 * std::sqrt(rate * t) + 100);
  for (int jump = 1; jump <= jumps; ++jump) {
    std::vector<double> next(k, 0.0);
    for (int i = 0; i < k; ++i) {
      const double move = (n_mu + i * gamma) / rate;
      const double stay = 1 - (n_mu + (i + 1) * gamma) / rate;
      next[i] += v[i] * stay;
      if (i > 0) {
        next[i - 1] += v[i] * move;
      } else {
        answered += v[i] * move;
      }
    }
    v = std::move(next);
    poisson *= rate * t / jump;
    answered_by_t += poisson * answered;
  }
  ref.service_level = 1 - ref.p_wait + answered_by_t;
  return ref;
}

// B(N, A) = (A^N/N!) / Σ_{n<=N} A^n/n!, summed in log space with lgamma.
double LogSpaceErlangB(int agents, double load) {
  std::vector<double> logs;
  double max_log = -std::numeric_limits<double>::infinity();
  for (int n = 0; n <= agents; ++n) {
    logs.push_back(n * std::log(load) - std::lgamma(n + 1.0));
    max_log = std::max(max_log, logs.back());
  }
  double sum = 0;
  for (double l : logs) sum += std::exp(l - max_log);
  return std::exp(logs.back() - max_log - std::log(sum));
}

TEST_CASE("Erlang B matches known values and an independent log-space sum", "[erlang]") {
  CHECK(ErlangB(10, 5) == Approx(0.018385).margin(1e-6));
  CHECK(ErlangB(5, 2) == Approx(0.0366972).margin(1e-7));
  CHECK(ErlangB(1, 3) == Approx(0.75).epsilon(1e-14));
  CHECK(ErlangB(0, 3) == 1);
  CHECK(ErlangB(3, 0) == 0);
  CHECK(std::isnan(ErlangB(-1, 3)));
  CHECK(std::isnan(ErlangB(3, -1)));
  for (const auto& [agents, load] : std::vector<std::pair<int, double>>{
           {55, 48}, {100, 1}, {1000, 950}, {10000, 10000}, {10000, 9500}, {2000, 5000}}) {
    INFO("agents " << agents << " load " << load);
    CHECK(ErlangB(agents, load) == Approx(LogSpaceErlangB(agents, load)).epsilon(1e-8));
  }
}

TEST_CASE("Erlang C reproduces the published worked example", "[erlang]") {
  // 720 calls per hour, 240 s AHT (48 Erlangs), 55 agents, 15 s threshold.
  absl::StatusOr<ErlangCResult> result = ErlangC(720.0 / 3600, 240, 55, 15);
  REQUIRE(result.ok());
  CHECK(result->p_wait == Approx(0.2387).margin(5e-5));
  CHECK(result->asa_s == Approx(8.18).margin(5e-3));
  CHECK(result->service_level == Approx(0.846).margin(5e-4));
  CHECK(result->mean_queue_length == Approx(result->p_wait * 48 / 7).epsilon(1e-12));
  CHECK(result->occupancy == Approx(48.0 / 55).epsilon(1e-12));
  // At T = 0 the service level is the probability of no wait.
  absl::StatusOr<ErlangCResult> at_zero = ErlangC(720.0 / 3600, 240, 55, 0);
  REQUIRE(at_zero.ok());
  CHECK(at_zero->service_level == Approx(1 - at_zero->p_wait).epsilon(1e-12));
}

TEST_CASE("Erlang C with agents <= load is unstable", "[erlang]") {
  for (int agents : {48, 40, 1}) {
    absl::StatusOr<ErlangCResult> result = ErlangC(0.2, 240, agents, 20);
    REQUIRE(result.ok());
    CHECK(result->p_wait == 1);
    CHECK(std::isinf(result->asa_s));
    CHECK(std::isinf(result->mean_queue_length));
    CHECK(result->service_level == 0);
    CHECK(result->occupancy == 1);
  }
}

TEST_CASE("Erlang C handles ten thousand agents", "[erlang]") {
  absl::StatusOr<ErlangCResult> result = ErlangC(9800.0 / 300, 300, 10000, 10);
  REQUIRE(result.ok());
  CHECK(result->p_wait > 0);
  CHECK(result->p_wait < 1);
  CHECK(std::isfinite(result->asa_s));
  CHECK(result->service_level > 0);
  CHECK(result->service_level < 1);
}

TEST_CASE("Erlang A converges to Erlang C as patience grows", "[erlang]") {
  absl::StatusOr<ErlangCResult> c = ErlangC(0.2, 240, 55, 15);
  absl::StatusOr<ErlangAResult> a = ErlangA(0.2, 240, 1e7, 55, 15);
  REQUIRE(c.ok());
  REQUIRE(a.ok());
  CHECK(a->p_wait == Approx(c->p_wait).epsilon(1e-4));
  CHECK(a->asa_s == Approx(c->asa_s).epsilon(1e-4));
  CHECK(a->mean_wait_all_s == Approx(c->asa_s).epsilon(1e-4));
  CHECK(a->service_level == Approx(c->service_level).epsilon(1e-4));
  CHECK(a->service_level_of_answered == Approx(c->service_level).epsilon(1e-4));
  CHECK(a->mean_queue_length == Approx(c->mean_queue_length).epsilon(1e-4));
  CHECK(a->occupancy == Approx(c->occupancy).epsilon(1e-4));
  CHECK(a->abandon_rate < 1e-5);
}

TEST_CASE("Erlang A converges to Erlang B as patience vanishes", "[erlang]") {
  for (int agents : {55, 48, 40, 5}) {
    INFO("agents " << agents);
    const double b = ErlangB(agents, 48);
    absl::StatusOr<ErlangAResult> a = ErlangA(0.2, 240, 1e-6, agents, 15);
    REQUIRE(a.ok());
    CHECK(a->p_wait == Approx(b).epsilon(1e-4));
    CHECK(a->abandon_rate == Approx(b).epsilon(1e-4));
    CHECK(a->asa_s < 1e-5);
    CHECK(a->service_level == Approx(1 - b).epsilon(1e-4));
    CHECK(a->service_level_of_answered == Approx(1).epsilon(1e-4));
    CHECK(a->occupancy == Approx((1 - b) * 48 / agents).epsilon(1e-4));
  }
}

TEST_CASE("Erlang A matches an independent brute-force solution", "[erlang]") {
  struct Case {
    double lambda, aht, patience;
    int agents;
    double threshold;
  };
  for (const Case& c : std::vector<Case>{{0.2, 240, 120, 50, 20},
                                         {0.2, 240, 60, 40, 30},
                                         {1.0 / 30, 300, 600, 8, 60},
                                         {0.5, 180, 45, 80, 10},
                                         {0.2, 240, 120, 50, 0}}) {
    INFO("lambda " << c.lambda << " aht " << c.aht << " patience " << c.patience << " agents "
                   << c.agents << " threshold " << c.threshold);
    absl::StatusOr<ErlangAResult> a = ErlangA(c.lambda, c.aht, c.patience, c.agents, c.threshold);
    REQUIRE(a.ok());
    const Reference ref = BruteForceErlangA(c.lambda, c.aht, c.patience, c.agents, c.threshold,
                                            /*queue_states=*/300);
    CHECK(a->p_wait == Approx(ref.p_wait).epsilon(1e-9));
    CHECK(a->abandon_rate == Approx(ref.abandon_rate).epsilon(1e-9));
    CHECK(a->asa_s == Approx(ref.asa_s).epsilon(1e-9));
    CHECK(a->mean_wait_all_s == Approx(ref.mean_wait_all_s).epsilon(1e-9));
    CHECK(a->mean_queue_length == Approx(ref.mean_queue_length).epsilon(1e-9));
    CHECK(a->service_level == Approx(ref.service_level).epsilon(1e-9));
    CHECK(a->service_level_of_answered ==
          Approx(ref.service_level / (1 - ref.abandon_rate)).epsilon(1e-9));
    CHECK(a->occupancy == Approx((1 - ref.abandon_rate) * c.lambda * c.aht / c.agents).epsilon(1e-9));
  }
}

TEST_CASE("Erlang A identities hold in every regime", "[erlang]") {
  struct Case {
    double lambda, aht, patience;
    int agents;
  };
  for (const Case& c : std::vector<Case>{{0.2, 240, 120, 50},
                                         {5, 240, 300, 1000},  // heavy overload
                                         {9800.0 / 300, 300, 180, 10000},
                                         {0.01, 240, 60, 1000},  // nearly idle
                                         {50, 240, 1000, 1}}) {  // one agent, overload
    INFO("lambda " << c.lambda << " agents " << c.agents);
    double previous = -1;
    for (double threshold : {0.0, 5.0, 20.0, 60.0, 600.0, 1e6}) {
      absl::StatusOr<ErlangAResult> a = ErlangA(c.lambda, c.aht, c.patience, c.agents, threshold);
      REQUIRE(a.ok());
      // Abandonment rate γ·E[Lq] equals λ·P(abandon).
      CHECK(a->abandon_rate == Approx(a->mean_queue_length / (c.lambda * c.patience)).epsilon(1e-9));
      CHECK(a->mean_wait_all_s == Approx(a->mean_queue_length / c.lambda).epsilon(1e-12));
      CHECK(a->p_wait >= a->abandon_rate);
      CHECK(a->p_wait <= 1 + 1e-12);
      CHECK(a->occupancy <= 1 + 1e-12);
      CHECK(a->service_level >= previous - 1e-15);  // absolute accuracy ~1e-16
      CHECK(a->service_level <= 1 - a->abandon_rate + 1e-12);
      if (threshold == 0) CHECK(a->service_level == Approx(1 - a->p_wait).margin(1e-12));
      if (threshold == 1e6) CHECK(a->service_level == Approx(1 - a->abandon_rate).margin(1e-12));
      previous = a->service_level;
    }
  }
  // In heavy overload the fluid limit keeps the agents busy and abandons the excess 1 − N/A.
  absl::StatusOr<ErlangAResult> overload = ErlangA(5, 240, 300, 1000, 20);
  REQUIRE(overload.ok());
  CHECK(overload->abandon_rate == Approx(1 - 1000.0 / 1200).margin(0.01));
  CHECK(overload->occupancy > 0.99);
}

TEST_CASE("Erlang A occupancy never exceeds 1, even where rounding would push it above",
          "[erlang]") {
  // 9,000 Erlangs in overload: the carried load (1 − abandon)·A equals N up to rounding.
  struct Case {
    double lambda, aht;
  };
  for (const Case& c : std::vector<Case>{{9000.0 / 240, 240}, {9000, 1}}) {
    for (int agents = 8000; agents <= 8300; agents += 7) {
      INFO("lambda " << c.lambda << " aht " << c.aht << " agents " << agents);
      absl::StatusOr<ErlangAResult> a = ErlangA(c.lambda, c.aht, 180, agents, 20);
      REQUIRE(a.ok());
      CHECK(a->occupancy <= 1);
      CHECK(a->occupancy > 0.999);
    }
  }
}

TEST_CASE("Erlang A refuses a queue too long to sum, and at once", "[erlang]") {
  // (λ − Nμ)·θ = 1,800 × 100,000 queue states before the terms start to fall.
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<ErlangAResult> a = ErlangA(9000, 1, 100000, 7200, 20);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(a.status().code() == absl::StatusCode::kOutOfRange);
  CHECK(std::string(detail::Message(a.status())).find("50000000 states") != std::string::npos);
  CHECK(seconds < 0.5);
  // Just above the load the same patience is fine.
  absl::StatusOr<ErlangAResult> stable = ErlangA(9000, 1, 100000, 9100, 20);
  REQUIRE(stable.ok());
  CHECK(stable->occupancy <= 1);
}

TEST_CASE("Erlang calculators reject invalid input", "[erlang]") {
  const auto is_invalid = [](const absl::Status& status, const std::string& text) {
    return status.code() == absl::StatusCode::kInvalidArgument &&
           std::string(detail::Message(status)).find(text) != std::string::npos;
  };
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  CHECK(is_invalid(ErlangC(0, 240, 10, 20).status(), "arrival rate must be > 0"));
  CHECK(is_invalid(ErlangC(-1, 240, 10, 20).status(), "arrival rate must be > 0"));
  CHECK(is_invalid(ErlangC(nan, 240, 10, 20).status(), "arrival rate must be > 0"));
  CHECK(is_invalid(ErlangC(inf, 240, 10, 20).status(), "arrival rate must be > 0"));
  CHECK(is_invalid(ErlangC(0.1, 0, 10, 20).status(), "average handle time must be > 0"));
  CHECK(is_invalid(ErlangC(0.1, 240, 0, 20).status(), "agents must be >= 1"));
  CHECK(is_invalid(ErlangC(0.1, 240, 10, -1).status(), "threshold must be >= 0"));
  CHECK(is_invalid(ErlangC(0.1, 240, 10, nan).status(), "threshold must be >= 0"));
  CHECK(is_invalid(ErlangA(0, 240, 60, 10, 20).status(), "arrival rate must be > 0"));
  CHECK(is_invalid(ErlangA(0.1, -5, 60, 10, 20).status(), "average handle time must be > 0"));
  CHECK(is_invalid(ErlangA(0.1, 240, 0, 10, 20).status(), "mean patience must be > 0"));
  CHECK(is_invalid(ErlangA(0.1, 240, inf, 10, 20).status(), "mean patience must be > 0"));
  CHECK(is_invalid(ErlangA(0.1, 240, 60, -3, 20).status(), "agents must be >= 1"));
  CHECK(is_invalid(ErlangA(0.1, 240, 60, 10, -0.5).status(), "threshold must be >= 0"));
}

}  // namespace
}  // namespace switchboard

namespace switchboard {
namespace {

// Exact values: B(N, A) = (A^N/N!) / Σ_{k<=N} A^k/k! and C = N·B / (N − A·(1 − B)) evaluated in
// exact rational arithmetic (Python's fractions.Fraction) and rounded once to a double; the
// service level 1 − C·e^{−(N−A)·T/AHT} from that C.
TEST_CASE("Erlang B and C match exact rational evaluations", "[erlang][table]") {
  struct BCase {
    int agents;
    double load;
    double blocking;
  };
  for (const BCase& c : std::vector<BCase>{{10, 5, 0.018384570336648132},
                                           {5, 2, 0.03669724770642202},
                                           {30, 30, 0.13245979049117945},
                                           {100, 80, 0.003992028604553197}}) {
    INFO("B(" << c.agents << ", " << c.load << ")");
    CHECK(ErlangB(c.agents, c.load) == Approx(c.blocking).epsilon(1e-12));
  }
  struct CCase {
    int agents;
    double load, aht, threshold, p_wait, asa_s, service_level;
  };
  for (const CCase& c : std::vector<CCase>{
           {55, 48, 240, 15, 0.2387009363780092, 8.184032104388887, 0.8458830921705803},
           {11, 10, 180, 20, 0.6821182046893324, 122.78127684407983, 0.3896138117291533},
           {20, 15, 300, 30, 0.1604293874169236, 9.625763245015417, 0.9026946578127196},
           {100, 90, 120, 10, 0.2169404809063664, 2.6032857708763966, 0.9057180556454292}}) {
    INFO("C(" << c.agents << ", " << c.load << ")");
    absl::StatusOr<ErlangCResult> result = ErlangC(c.load / c.aht, c.aht, c.agents, c.threshold);
    REQUIRE(result.ok());
    CHECK(result->p_wait == Approx(c.p_wait).epsilon(1e-10));
    CHECK(result->asa_s == Approx(c.asa_s).epsilon(1e-10));
    CHECK(result->service_level == Approx(c.service_level).epsilon(1e-10));
  }
}

// The traffic an Erlang B table lists for a 1 % grade of service (rounded down to 0.1 Erlang in
// the printed tables: 10 lines 4.46, 20 lines 12.0, 50 lines 37.9, 100 lines 84.1) blocks 1 %
// up to that rounding.
TEST_CASE("Erlang B reproduces the 1 % grade-of-service table", "[erlang][table]") {
  for (const auto& [agents, load] : std::vector<std::pair<int, double>>{
           {10, 4.46}, {20, 12.0}, {50, 37.9}, {100, 84.1}}) {
    INFO(agents << " lines, " << load << " Erlangs");
    CHECK(ErlangB(agents, load) == Approx(0.01).margin(3e-4));
  }
}

// From 1 to 10,000 agents and loads up to 9,000 Erlangs every KPI is finite (where the queue is
// stable), within its range, and monotone in the number of agents.
TEST_CASE("Erlang C and A are finite and monotone up to 10,000 agents", "[erlang][stability]") {
  for (double load : {0.5, 8.0, 95.0, 900.0, 4500.0, 9000.0}) {
    const double aht = 300;
    const double rate = load / aht;
    std::vector<int> counts;
    for (int n = std::max(1, static_cast<int>(load * 0.9)); n <= 10000;
         n += std::max(1, static_cast<int>(load / 40))) {
      counts.push_back(n);
      if (n > load * 1.3 + 20) break;
    }
    counts.push_back(10000);
    double last_c_sl = -1, last_a_sl = -1, last_a_abandon = 2, last_b = 2;
    double last_c_asa = std::numeric_limits<double>::infinity(), last_a_asa = last_c_asa;
    for (int n : counts) {
      INFO("load " << load << " agents " << n);
      const double b = ErlangB(n, load);
      CHECK(std::isfinite(b));
      CHECK(b <= last_b);
      last_b = b;
      absl::StatusOr<ErlangCResult> c = ErlangC(rate, aht, n, 20);
      REQUIRE(c.ok());
      CHECK(c->service_level >= 0);
      CHECK(c->service_level <= 1);
      CHECK(c->service_level >= last_c_sl);
      last_c_sl = c->service_level;
      if (n > load) {
        CHECK(std::isfinite(c->asa_s));
        CHECK(std::isfinite(c->p_wait));
        CHECK(c->asa_s <= last_c_asa);
        last_c_asa = c->asa_s;
      }
      absl::StatusOr<ErlangAResult> a = ErlangA(rate, aht, 180, n, 20);
      REQUIRE(a.ok());
      for (double value : {a->p_wait, a->abandon_rate, a->asa_s, a->service_level, a->occupancy,
                           a->mean_queue_length}) {
        CHECK(std::isfinite(value));
      }
      CHECK(a->service_level >= last_a_sl - 1e-12);
      CHECK(a->abandon_rate <= last_a_abandon + 1e-12);
      CHECK(a->asa_s <= last_a_asa + 1e-9);
      CHECK(a->occupancy <= 1 + 1e-12);
      last_a_sl = a->service_level;
      last_a_abandon = a->abandon_rate;
      last_a_asa = a->asa_s;
    }
  }
}

TEST_CASE("Erlang A tends to Erlang C as patience grows, at scale", "[erlang][stability]") {
  // 9,000 Erlangs on 9,100 agents.
  absl::StatusOr<ErlangCResult> c = ErlangC(30, 300, 9100, 20);
  REQUIRE(c.ok());
  double last_gap = 1;
  for (double patience : {1e3, 1e4, 1e5, 1e6}) {
    absl::StatusOr<ErlangAResult> a = ErlangA(30, 300, patience, 9100, 20);
    REQUIRE(a.ok());
    const double gap = std::abs(a->service_level - c->service_level);
    INFO("patience " << patience << " gap " << gap);
    CHECK(gap <= last_gap);
    last_gap = gap;
  }
  CHECK(last_gap < 1e-3);
}

}  // namespace
}  // namespace switchboard
