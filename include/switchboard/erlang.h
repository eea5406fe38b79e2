// Queueing-theory calculators: Erlang B (loss), Erlang C (M/M/N) and Erlang A (M/M/N+M), the
// formulas planners size a center with and the tests check the simulator against
// (docs/planning.md, "Erlang calculators"). Library switchboard::sim; staffing.h searches them.
//
// Example:
//   // 720 contacts an hour, 240 s AHT, 55 agents, answered within 15 s:
//   absl::StatusOr<ErlangCResult> c = ErlangC(720.0 / 3600, 240, 55, 15);
//   // c->p_wait 0.2387, c->asa_s 8.18, c->service_level 0.846, c->occupancy 0.873
//
// Stability: every function works in logarithms or by ratio recurrences (no factorials, no
// powers of the load), so results are finite and accurate for 1 to 10,000 agents and loads up
// to 9,000 Erlangs and beyond; the cost is O(N) for B and C and O(N + queue states) for A.
//
// Notation: λ = arrival rate (per second), AHT = mean handle time (seconds), μ = 1/AHT,
// N = agents, A = λ·AHT = offered load in Erlangs, θ = mean patience (seconds), γ = 1/θ,
// T = service-level threshold (seconds). Handle and patience times are exponential.
#ifndef SWITCHBOARD_ERLANG_H_
#define SWITCHBOARD_ERLANG_H_

#include "absl/status/statusor.h"

namespace switchboard {

// Erlang B blocking probability B(N, A) of the loss system M/M/N/N, by the stable recurrence
// B(0) = 1, B(n) = A·B(n−1) / (n + A·B(n−1)); O(N), no factorials, fine for N and A in the
// tens of thousands. Needs agents >= 0 and a finite load >= 0, else returns NaN.
double ErlangB(int agents, double load);

// M/M/N (patience infinite). When N <= A the queue is unstable: p_wait 1, asa_s and
// mean_queue_length +∞, service_level 0, occupancy 1.
struct ErlangCResult {
  // Probability an arrival has to wait, C(N, A) = N·B / (N − A·(1 − B)).
  double p_wait = 0;
  // Average speed of answer: mean wait of all arrivals (zero waits included), C·AHT / (N − A).
  double asa_s = 0;
  // Probability of waiting at most T: 1 − C·exp(−(N − A)·T / AHT).
  double service_level = 0;
  // Mean number waiting, C·A / (N − A).
  double mean_queue_length = 0;
  // Fraction of agent time busy, A / N.
  double occupancy = 0;
};

// InvalidArgument unless arrival_rate_per_s > 0, aht_s > 0, agents >= 1 and threshold_s >= 0
// (all finite).
absl::StatusOr<ErlangCResult> ErlangC(double arrival_rate_per_s, double aht_s, int agents,
                                      double threshold_s);

// M/M/N+M (Palm's Erlang A): arrivals that wait abandon after an exponential patience of mean θ.
// Every arrival is either answered or abandons.
struct ErlangAResult {
  // Probability an arrival finds all agents busy and has to wait (PASTA: Σ_{n>=N} π_n). Not the
  // simulator's p_wait KPI (waited ÷ answered), which leaves out the arrivals that abandon.
  double p_wait = 0;
  // Probability an arrival abandons (the simulator's abandon_rate: abandoned ÷ offered); equals
  // γ·mean_queue_length / λ.
  double abandon_rate = 0;
  // Average speed of answer: mean wait of the answered arrivals, E[W | answered] (zero waits
  // included).
  double asa_s = 0;
  // Mean time in queue of all arrivals, answered or abandoned: mean_queue_length / λ.
  double mean_wait_all_s = 0;
  // The simulator's KPI: answered within T ÷ (answered + abandoned), abandonments counting as
  // misses. Since every arrival is answered or abandons, this is P(answered and W <= T).
  double service_level = 0;
  // Answered within T ÷ answered: P(W <= T | answered) = service_level / (1 − abandon_rate).
  double service_level_of_answered = 0;
  // Mean number waiting, E[Lq].
  double mean_queue_length = 0;
  // Fraction of agent time busy, (1 − abandon_rate)·A / N, at most 1.
  double occupancy = 0;
};

// InvalidArgument unless arrival_rate_per_s > 0, aht_s > 0, mean_patience_s > 0,
// agents >= 1 and threshold_s >= 0 (all finite). Any load is allowed (abandonment keeps the
// queue stable); OutOfRange if the queue-length distribution would need more than 50 million
// states (very long patience with heavy overload: about (λ − Nμ)·θ states).
absl::StatusOr<ErlangAResult> ErlangA(double arrival_rate_per_s, double aht_s,
                                      double mean_patience_s, int agents, double threshold_s);

}  // namespace switchboard

#endif  // SWITCHBOARD_ERLANG_H_
