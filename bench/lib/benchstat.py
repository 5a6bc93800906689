#!/usr/bin/env python3
"""The benchmark harness's Python half (stdlib only; bench/lib/harness.sh is the shell half).

Two jobs:
  * steady warm-up for Python peers: ``SteadyClock`` runs a step until its time is steady (the coefficient of
    variation of the last ``window`` step times at most ``cv``, after a minimum warm-up in steps and seconds), then
    times at least ``steps`` steps and ``min_seconds``; the Java side uses dev.vlltr.bench.SteadyClock with the same
    rule and the same JSON fields.
  * ``summarize``: reads the rounds a harness run recorded (one JSON object per line) and prints median and
    min–max per side, the ratio of medians, per-round ratios and the load before/after, with loud warnings when a
    result cannot be trusted (loaded machine, a side that never became steady).

Command line: python3 bench/lib/benchstat.py summarize ROUNDS.jsonl [--json OUT.json]
"""
import argparse
import json
import os
import statistics
import sys
import time


def coefficient_of_variation(values):
    """stdev / mean of ``values`` (0 for fewer than two)."""
    if len(values) < 2:
        return 0.0
    mean = statistics.fmean(values)
    return statistics.stdev(values) / mean if mean > 0 else float("inf")


class SteadyClock:
    """Warm-up until steady, then timed steps; ``run(step)`` returns the harness's step statistics.

    Warm-up: at least ``min_warmup`` steps and ``min_warmup_seconds`` (a JVM compiles its hot code over seconds,
    whatever the step length, and a few-millisecond step would end a step-counted warm-up long before that), then
    until the last ``window`` step times are steady, at most ``max_warmup`` further steps and ``max_warmup_seconds``.
    Timed: at least ``steps`` steps and ``min_seconds`` (a 30-step window of 4 ms steps is a tenth of a second, shorter
    than one scheduler hiccup). The Java side also waits for its JIT to go quiet; Python has none to wait for, so the
    JIT fields are null here.
    """

    def __init__(self, steps=30, window=5, cv=0.05, min_warmup=5, max_warmup=100_000, min_warmup_seconds=3.0,
                 min_seconds=2.0, max_warmup_seconds=150.0):
        if (steps < 1 or window < 2 or min_warmup < 0 or max_warmup < 0 or min_warmup_seconds < 0 or min_seconds < 0
                or max_warmup_seconds < min_warmup_seconds):
            raise ValueError(f"bad SteadyClock settings: steps={steps} window={window} min_warmup={min_warmup} "
                             f"max_warmup={max_warmup} min_warmup_seconds={min_warmup_seconds} "
                             f"max_warmup_seconds={max_warmup_seconds} min_seconds={min_seconds}")
        self.steps, self.window, self.cv = steps, window, cv
        self.min_warmup, self.max_warmup = min_warmup, max_warmup
        self.min_warmup_seconds, self.max_warmup_seconds = min_warmup_seconds, max_warmup_seconds
        self.min_seconds = min_seconds

    def run(self, step):
        """Calls ``step()`` (one training step, untimed set-up excluded by the caller) until steady, then times."""
        warm = []
        steady = False
        t0 = time.perf_counter()
        minimum = None  # warm-up steps when the minimum (steps and seconds) was reached
        while True:
            warm.append(_timed(step))
            elapsed = time.perf_counter() - t0
            if minimum is None and len(warm) >= self.min_warmup and elapsed >= self.min_warmup_seconds:
                minimum = len(warm)
            if minimum is not None:
                if len(warm) >= self.window and coefficient_of_variation(warm[-self.window:]) <= self.cv:
                    steady = True
                    break
                if len(warm) - minimum >= self.max_warmup or elapsed >= self.max_warmup_seconds:
                    break
        warmup_seconds = time.perf_counter() - t0
        faults0 = minor_faults()
        times = []
        t0 = time.perf_counter()
        while len(times) < self.steps or (time.perf_counter() - t0 < self.min_seconds and len(times) < 1_000_000):
            times.append(_timed(step))
        out = step_stats(times, len(warm), steady, self.cv, self.window)
        out["warmup_seconds"] = round(warmup_seconds, 2)
        faults1 = minor_faults()
        if faults0 is not None and faults1 is not None:
            out["minor_faults_per_step"] = round((faults1 - faults0) / len(times), 1)
        out["glibc_tunables"] = os.environ.get("GLIBC_TUNABLES")
        return out


def add_clock_arguments(parser):
    """The warm-up and timing options every peer takes (the Java mixin dev.vlltr.bench.SteadyClock has the same)."""
    parser.add_argument("--steps", type=int, default=30, help="timed steps at least (default 30)")
    parser.add_argument("--min-seconds", type=float, default=2.0, help="timed seconds at least (default 2)")
    parser.add_argument("--steady-window", type=int, default=5)
    parser.add_argument("--steady-cv", type=float, default=0.05)
    parser.add_argument("--min-warmup", type=int, default=5)
    parser.add_argument("--min-warmup-seconds", type=float, default=3.0)
    parser.add_argument("--max-warmup", type=int, default=100_000, help="warm-up steps at most after the minimum")
    parser.add_argument("--max-warmup-seconds", type=float, default=150.0, help="warm-up seconds at most")
    # the Java side's JIT rule; accepted so that one option list serves both sides, nothing to wait for here
    parser.add_argument("--jit-quiet-seconds", type=float, default=5.0, help=argparse.SUPPRESS)
    parser.add_argument("--jit-quiet-fraction", type=float, default=0.02, help=argparse.SUPPRESS)


def clock_from_arguments(a):
    """The SteadyClock the options of ``add_clock_arguments`` describe."""
    return SteadyClock(a.steps, a.steady_window, a.steady_cv, a.min_warmup, a.max_warmup, a.min_warmup_seconds,
                       a.min_seconds, a.max_warmup_seconds)


def minor_faults():
    """Minor page faults of this process so far (None where getrusage does not count them)."""
    try:
        import resource
        return resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    except (ImportError, OSError):
        return None


def _timed(step):
    t0 = time.perf_counter()
    step()
    return time.perf_counter() - t0


def step_stats(seconds, warmup_steps, steady, cv, window):
    """The JSON fields every bench side prints (times in ms)."""
    ms = sorted(s * 1000 for s in seconds)
    return {"warmup_steps": warmup_steps, "steady": steady, "steady_cv": cv, "steady_window": window,
            "steady_steps": steady, "jit_quiet": None, "jit_ms_warmup": None, "jit_ms_timed": None,
            "jit_share_timed": None, "steps": len(ms), "median_step_ms": round(statistics.median(ms), 3),
            "min_step_ms": round(ms[0], 3),
            "max_step_ms": round(ms[-1], 3), "timed_cv": round(coefficient_of_variation(ms), 4)}


def load_average():
    """(1-, 5-, 15-minute) load averages from /proc/loadavg."""
    with open("/proc/loadavg") as f:
        return tuple(float(x) for x in f.read().split()[:3])


def _spread(values):
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def summarize(path, out_json=None):
    """Prints the comparison of a harness run; returns its summary dict."""
    rounds = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    rounds.append(json.loads(line))
                except json.JSONDecodeError as e:
                    raise SystemExit(f"{path}:{n}: not a JSON round record ({e})")
    if not rounds:
        raise SystemExit(f"{path}: no rounds recorded")
    metric = rounds[0]["metric"]
    higher_is_better = rounds[0].get("higher_is_better", True)
    sides = list(dict.fromkeys(r["side"] for r in rounds))
    by_side = {s: [r["result"][metric] for r in rounds if r["side"] == s] for s in sides}
    summary = {"label": rounds[0]["label"], "metric": metric, "cores": rounds[0]["cores"],
               "load_first": rounds[0]["load_before"], "load_last": rounds[-1]["load_after"],
               "max_load1_before_round": max(r["load_before"][0] for r in rounds),
               # share of the cores other work kept busy while the harness was idle, before each round
               "max_other_busy_before_round": max((r.get("other_busy_before", 0.0) for r in rounds), default=0.0),
               "forced": any(r.get("forced") for r in rounds), "sides": {}, "warnings": []}
    for s in sides:
        mine = [r for r in rounds if r["side"] == s]
        summary["sides"][s] = dict(_spread(by_side[s]), impl=mine[-1]["result"].get("impl", s),
                                   unsteady_rounds=sum(1 for r in mine if r["result"].get("steady") is False),
                                   warmup_steps=[r["result"].get("warmup_steps") for r in mine],
                                   warmup_seconds=[r["result"].get("warmup_seconds") for r in mine],
                                   jit_share_timed=[r["result"].get("jit_share_timed") for r in mine],
                                   minor_faults_per_step=[r["result"].get("minor_faults_per_step") for r in mine],
                                   malloc="tuned" if mine[-1]["result"].get("glibc_tunables") else "default",
                                   glibc_tunables=mine[-1]["result"].get("glibc_tunables"))
    print(f"== {summary['label']}: {metric} ({'higher' if higher_is_better else 'lower'} is better), "
          f"{len(by_side[sides[0]])} interleaved rounds")
    for s in sides:
        d = summary["sides"][s]
        print(f"  {s:<8} {d['impl']:<28} median {d['median']:10.2f}   min {d['min']:10.2f}   max {d['max']:10.2f}"
              f"   warm-up steps {d['warmup_steps']}")
        print(f"  {'':<8} warm-up seconds {d['warmup_seconds']}")
        jit = [j for j in d["jit_share_timed"] if j is not None]
        if jit:
            print(f"  {'':<8} JIT compiling during the timed steps, share of their time: max {max(jit):.3f}")
        faults = [f for f in d["minor_faults_per_step"] if f is not None]
        if faults:
            print(f"  {'':<8} malloc {d['malloc']}; minor page faults per step, median {statistics.median(faults):.1f}")
        if len({summary["sides"][x]["glibc_tunables"] for x in sides}) > 1 and d["glibc_tunables"]:
            # both sides set (different) tunables, e.g. run-malloc.sh --baseline: "tuned" alone would not tell them apart
            print(f"  {'':<8} GLIBC_TUNABLES={d['glibc_tunables']}")
    if len(sides) == 2:
        a, b = sides
        ratio = summary["sides"][a]["median"] / summary["sides"][b]["median"]
        per_round = [x / y for x, y in zip(by_side[a], by_side[b])]
        summary["ratio_of_medians"] = ratio
        summary["per_round_ratios"] = per_round
        print(f"  ratio {a}/{b} of medians: {ratio:.3f}   per round: {', '.join(f'{r:.2f}' for r in per_round)}")
    lf, ll = summary["load_first"], summary["load_last"]
    print(f"  load average (1/5/15 min) before: {lf[0]:.2f} {lf[1]:.2f} {lf[2]:.2f}   after: "
          f"{ll[0]:.2f} {ll[1]:.2f} {ll[2]:.2f}   on {summary['cores']} cores; "
          f"highest 1-min load before a round {summary['max_load1_before_round']:.2f}")
    print(f"  other work before a round: at most {summary['max_other_busy_before_round']:.2f} of the cores busy")
    if any("other_busy_before" in r for r in rounds):
        busy = summary["max_other_busy_before_round"]
        if busy > 0.25:
            summary["warnings"].append(f"LOADED MACHINE: other work kept {busy:.2f} of the cores busy before a round "
                                       f"(> 0.25); these numbers are NOT quiet-machine numbers"
                                       + (" (run with --force)" if summary["forced"] else ""))
    elif summary["max_load1_before_round"] > summary["cores"] - 0.5:  # records written before the busy check
        summary["warnings"].append(f"LOADED MACHINE: 1-min load reached {summary['max_load1_before_round']:.2f} "
                                   f"(> {summary['cores'] - 0.5:.1f} = cores - 0.5) before a round; these numbers are "
                                   f"NOT quiet-machine numbers" + (" (run with --force)" if summary["forced"] else ""))
    for s in sides:
        if summary["sides"][s]["unsteady_rounds"]:
            summary["warnings"].append(f"{s}: {summary['sides'][s]['unsteady_rounds']} round(s) never became steady "
                                       f"within the warm-up bound")
    if len(by_side[sides[0]]) < 5:
        summary["warnings"].append(f"only {len(by_side[sides[0]])} rounds (the harness's floor for a result is 5)")
    for w in summary["warnings"]:
        print(f"  WARNING: {w}")
    if out_json:
        with open(out_json, "w") as f:
            json.dump(summary, f, indent=1)
    return summary


def main(argv):
    if len(argv) >= 2 and argv[0] == "summarize":
        out = argv[argv.index("--json") + 1] if "--json" in argv else None
        summarize(argv[1], out)
        return 0
    if argv and argv[0] == "load":
        print(" ".join(f"{x:.2f}" for x in load_average()), os.cpu_count())
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
