#!/usr/bin/env python3
"""Plots the scaling curves of a switchboard_bench JSON run.

Usage:
  build/bin/switchboard_bench --benchmark_out=bench.json --benchmark_out_format=json
  /usr/bin/python3 benchmarks/plot_scaling.py bench.json [more.json ...] docs/img/scaling.png

With several runs, each benchmark is taken from the run in which it was fastest: on a shared
machine, interference only ever slows a benchmark down.

Left: time per routing decision against the number of agents (log scale), for the engine's
strategies and the naive baseline, at 200 skills. Right: the same for an agent that frees with
100,000 contacts waiting. Also prints a Markdown table of every routing benchmark.
"""
import json
import re
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

NAME = re.compile(r"^(?P<bench>BM_\w+?)(?:/(?P<variant>[a-z_]+))?(?P<args>(?:/\w+:\d+)*)"
                  r"(?:/manual_time)?$")


def fastest(rows_by_run):
    """Per benchmark name, the row with the most items per second, in first-seen order."""
    best = {}
    for rows in rows_by_run:
        for r in rows:
            kept = best.get(r["name"])
            if kept is None or (r["items_per_second"] or 0) > (kept["items_per_second"] or 0):
                best[r["name"]] = r
    return list(best.values())


def parse(path):
    with open(path) as f:
        data = json.load(f)
    rows = []
    for b in data["benchmarks"]:
        if b.get("run_type") == "aggregate":
            continue
        m = NAME.match(b["name"])
        if not m:
            continue
        args = dict(a.split(":") for a in m.group("args").strip("/").split("/") if a)
        rows.append({
            "bench": m.group("bench"),
            "variant": m.group("variant") or "",
            "args": {k: int(v) for k, v in args.items()},
            "ns": b["real_time"] if b.get("time_unit", "ns") == "ns" else None,
            "items_per_second": b.get("items_per_second"),
            "p50": b.get("p50_ns"),
            "p99": b.get("p99_ns"),
            "bytes_per_agent": b.get("bytes_per_agent"),
            "bytes_per_contact": b.get("bytes_per_contact"),
            "name": b["name"],
        })
    return rows


def curve(rows, bench, variant="", **fixed):
    points = []
    for r in rows:
        if r["bench"] != bench or r["variant"] != variant:
            continue
        if any(r["args"].get(k) != v for k, v in fixed.items()):
            continue
        if r["items_per_second"]:
            points.append((r["args"]["agents"], 1e9 / r["items_per_second"]))
    return sorted(points)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    rows = fastest(parse(path) for path in sys.argv[1:-1])
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    for variant in ["longest_idle", "most_skilled", "fewest_contacts", "round_robin", "random"]:
        pts = curve(rows, "BM_Route_ContactArrives", variant, skills=200)
        if pts:
            left.plot(*zip(*pts), marker="o", label=variant)
    pts = curve(rows, "BM_Naive_ContactArrives", skills=200)
    if pts:
        left.plot(*zip(*pts), marker="x", linestyle="--", color="black", label="naive scan")
    left.set(title="A contact arrives (200 skills)", xlabel="agents", ylabel="ns per decision",
             xscale="log", yscale="log")
    left.legend(fontsize=8)
    for skills in [20, 200]:
        pts = curve(rows, "BM_Route_AgentFrees", skills=skills, waiting=100000)
        if pts:
            right.plot(*zip(*pts), marker="o", label=f"engine, {skills} skills")
    pts = curve(rows, "BM_Naive_AgentFrees", skills=200, waiting=100000)
    if pts:
        right.plot(*zip(*pts), marker="x", linestyle="--", color="black", label="naive scan")
    right.set(title="An agent frees (100,000 waiting)", xlabel="agents", ylabel="ns per decision",
              xscale="log", yscale="log")
    right.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(sys.argv[-1], dpi=110)

    print("| benchmark | decisions/s | p50 ns | p99 ns | bytes/agent | bytes/contact |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in rows:
        if not r["bench"].startswith(("BM_Route", "BM_Naive", "BM_Agent")):
            continue
        def fmt(x, digits=0):
            return "" if x is None else f"{x:,.{digits}f}"
        print(f"| `{r['name'].replace('/manual_time', '')}` | {fmt(r['items_per_second'])} | "
              f"{fmt(r['p50'])} | {fmt(r['p99'])} | {fmt(r['bytes_per_agent'])} | "
              f"{fmt(r['bytes_per_contact'])} |")


if __name__ == "__main__":
    main()
