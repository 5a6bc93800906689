#!/usr/bin/env python3
"""Self time per operator from a Chrome trace of libtorch's profiler (DJL: JniUtils.startProfile/stopProfile,
CvlpThroughput --native-profile; peer: torch.profiler export_chrome_trace), so that both sides of a bench are
summarised the same way. Self time = an event's duration minus that of the events nested in it on the same thread.

With --durations OP[,OP…] it also prints each named operator's duration percentiles (p50/p90/p99/max): a long upper
tail over an ordinary median shows calls that sometimes wait (a descheduled worker thread, the profiler's own work).

Usage: python3 bench/lib/trace_summary.py TRACE.json [--steps N] [--top 25] [--top-level] [--durations aten::relu]
"""
import argparse
import collections
import json


def self_times(events):
    by_thread = collections.defaultdict(list)
    for e in events:
        if e.get("ph") == "X" and "dur" in e and e.get("cat", "cpu_op") in ("cpu_op", "operator", "Operator"):
            by_thread[(e.get("pid"), e.get("tid"))].append(e)
    out = collections.Counter()
    calls = collections.Counter()
    top = collections.Counter()
    for evs in by_thread.values():
        evs.sort(key=lambda e: (float(e["ts"]), -float(e["dur"])))
        stack = []  # [end, name, child_time]
        for e in evs:
            ts, dur = float(e["ts"]), float(e["dur"])
            while stack and stack[-1][0] <= ts:
                end, name, child, d = stack.pop()
                out[name] += d - child
            if stack:
                stack[-1][2] += dur
            elif not e["name"].startswith("autograd::engine"):
                top[e["name"]] += 1
            stack.append([ts + dur, e["name"], 0.0, dur])
            calls[e["name"]] += 1
        while stack:
            end, name, child, d = stack.pop()
            out[name] += d - child
    return out, calls, top


def percentile(sorted_values, q):
    """The q-quantile (0..1) of sorted values, nearest rank."""
    return sorted_values[min(len(sorted_values) - 1, max(0, round(q * (len(sorted_values) - 1))))]


def duration_percentiles(events, names):
    """{name: (calls, p50, p90, p99, max)} of the durations (µs) of the named operators' events."""
    durations = collections.defaultdict(list)
    wanted = set(names)
    for e in events:  # one pass over the trace, however many names
        if e.get("ph") == "X" and "dur" in e and e.get("name") in wanted:
            durations[e["name"]].append(float(e["dur"]))
    out = {}
    for name, d in durations.items():
        d.sort()
        out[name] = (len(d), percentile(d, 0.5), percentile(d, 0.9), percentile(d, 0.99), d[-1])
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("trace")
    ap.add_argument("--steps", type=int, default=1, help="divide totals by this many steps")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--top-level", action="store_true",
                    help="also count the operators called from the host language (not nested, outside backward)")
    ap.add_argument("--durations", default="",
                    help="comma-separated operator names whose duration percentiles to print, e.g. aten::relu")
    a = ap.parse_args()
    with open(a.trace) as f:
        data = json.load(f)
    events = data["traceEvents"] if isinstance(data, dict) else data
    out, calls, top = self_times(events)
    total = sum(out.values())
    ops = [e for e in events if e.get("ph") == "X" and "dur" in e]
    span = max(float(e["ts"]) + float(e["dur"]) for e in ops) - min(float(e["ts"]) for e in ops)
    print(f"{a.trace}: {span / 1000 / a.steps:.1f} ms per step from first to last operator, of which "
          f"{total / 1000 / a.steps:.1f} ms operator self time ({100 * total / span:.1f} %), "
          f"{sum(calls.values()) / a.steps:.0f} operator calls per step, over {a.steps} step(s)")
    for name, us in out.most_common(a.top):
        print(f"  {100 * us / total:5.1f}%  {us / 1000 / a.steps:9.2f} ms/step  {calls[name] / a.steps:7.0f} calls/step  {name}")
    if a.top_level:
        # an operator not nested in another and not run by the autograd engine was called from Java/Python: one
        # JNI (DJL) or Python-binding (peer) call each, so this counts the host-language calls into libtorch
        print(f"  top-level operator calls per step (host-language calls, backward excluded): "
              f"{sum(top.values()) / a.steps:.0f}")
        for name, n in top.most_common(a.top):
            print(f"    {n / a.steps:7.1f}  {name}")
    names = [n for n in a.durations.split(",") if n]
    if names:
        print("  durations in ms (calls, p50, p90, p99, max):")
        found = duration_percentiles(events, names)
        for name in names:
            if name in found:
                n, *q = found[name]
                print(f"    {name:<32} {n:6d}  " + "  ".join(f"{v / 1000:8.3f}" for v in q))
            else:
                print(f"    {name:<32} not in the trace")


if __name__ == "__main__":
    main()
