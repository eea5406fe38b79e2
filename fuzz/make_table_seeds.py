#!/usr/bin/env python3
"""Writes seeds for scenario_table_fuzzer: TOML scenario files encoded in its byte format.

    python3 fuzz/make_table_seeds.py OUT_DIR FILE.toml...

The format is described at the top of fuzz/scenario_table_fuzzer.cc; the key, string and float
dictionaries below must match its kKeys, kStrings and kFloats (only to pick the shorter
encoding: a value missing here is written out in full).
"""
import math
import os
import struct
import sys
import tomllib

KEYS = [
    "simulation", "engine", "queue", "traffic", "agents",
    "seed", "duration", "warmup", "replications", "interval",
    "answer_delay", "no_answer_probability", "offer_timeout", "rona_cooldown",
    "max_consecutive_misses", "reject_delay", "timeout_delay", "aging_unit",
    "occupancy_window", "name", "strategy", "priority", "require",
    "service_level", "max_length", "threshold", "target", "queue",
    "channel", "arrivals", "handle", "patience", "wrap_up",
    "rate", "per", "rates", "dist", "mean", "sd", "values",
    "count", "skills", "capacity", "shift", "breaks", "start", "end",
    "voice", "chat", "email", "sms", "social", "web", "fax", "callback", "outbound",
    "support", "english", "step", "overflow", "cuont", "", "x",
]
STRINGS = [
    "8h", "1h", "30m", "15m", "45s", "30s", "1s", "250ms", "0s", "1h30m", "1.5h", "100000h",
    "support", "sales", "voice", "chat", "email", "exponential", "lognormal", "constant",
    "gamma", "empirical", "none", "longest_idle", "most_skilled", "least_occupied",
    "fewest_contacts", "round_robin", "random", "host_score", "agent", "", "-1s", "1e309h",
    "nan", "inf",
]


def raw(data: bytes) -> bytes:
    data = data[:255]
    return bytes([len(data)]) + data


def key(name: str) -> bytes:
    if name in KEYS:
        return bytes([KEYS.index(name)])
    return b"\xf0" + raw(name.encode())


def value(v) -> bytes:
    if isinstance(v, bool):
        return bytes([6, int(v)])
    if isinstance(v, int):
        if -128 <= v <= 127:
            return bytes([2]) + struct.pack("<b", v)
        return bytes([3]) + struct.pack("<q", v)
    if isinstance(v, float):
        return bytes([5]) + struct.pack("<d", v)
    if isinstance(v, str):
        if v in STRINGS:
            return bytes([0, STRINGS.index(v)])
        return bytes([1]) + raw(v.encode())
    if isinstance(v, dict):
        return bytes([7]) + table(v)
    if isinstance(v, list):
        return bytes([8, min(len(v), 255)]) + b"".join(value(x) for x in v[:255])
    raise TypeError(f"unsupported value {v!r}")


def table(t: dict) -> bytes:
    items = list(t.items())[:255]
    return bytes([len(items)]) + b"".join(key(k) + value(v) for k, v in items)


def main() -> None:
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    for path in sys.argv[2:]:
        with open(path, "rb") as f:
            data = table(tomllib.load(f))
        name = os.path.splitext(os.path.basename(path))[0]
        with open(os.path.join(out_dir, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
