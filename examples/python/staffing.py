#!/usr/bin/env python3
"""How many agents does the support line need for 80/20? A worked example.

Runs examples/scenarios/support.toml with 32 to 38 agents (the same customers each time: common
random numbers), prints service level and abandonment with their 95 % confidence intervals, and
plots the service level over the day for the staffing that first meets the target.

  PYTHONPATH=build/python /usr/bin/python3 examples/python/staffing.py [OUT.png]
"""
import pathlib
import sys

import switchboard

ROOT = pathlib.Path(__file__).resolve().parents[2]


def main() -> None:
    out = sys.argv[1] if len(sys.argv) > 1 else "support_service_level.png"
    text = (ROOT / "examples/scenarios/support.toml").read_text()
    chosen = None
    print(f"{'agents':>6}  {'service level':>15}  {'abandoned':>13}  {'occupancy':>9}")
    for agents in range(32, 39):
        variant = switchboard.parse_scenario(
            text.replace("count = 35", f"count = {agents}"), f"support-{agents}")
        results = switchboard.simulate(variant, replications=10)
        q = results["queues"]["support"]
        sl, ab = q["service_level"], q["abandon_rate"]
        occ = results["agents"]["occupancy"]
        print(f"{agents:>6}  {sl['mean']:>8.3f} ± {sl['ci95']:.3f}  "
              f"{ab['mean']:>6.3f} ± {ab['ci95']:.3f}  {occ['mean']:>9.3f}")
        if chosen is None and sl["mean"] - sl["ci95"] >= 0.8:
            chosen = (agents, results)
    if chosen:
        agents, results = chosen
        print(f"first staffing whose whole 95 % interval is above 80 %: {agents} agents")
        switchboard.plot_intervals(results, out, metric="service_level",
                                   title=f"support.toml with {agents} agents: service level")
        print(f"wrote {out}")


if __name__ == "__main__":
    main()
