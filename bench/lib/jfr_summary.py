#!/usr/bin/env python3
"""Summarises a JFR recording of a bench's main thread: where its wall time goes, by JNI entry point and by the
first dev.vlltr frame. Uses both jdk.ExecutionSample (thread in Java) and jdk.NativeMethodSample (thread in native
code, e.g. inside libtorch through DJL's JNI), so native time is attributed to the Java call that entered it.

Usage: python3 bench/lib/jfr_summary.py RECORDING.jfr [--thread main] [--top 25]
"""
import argparse
import collections
import json
import subprocess


def frames(event):
    stack = (event.get("values", {}).get("stackTrace") or {}).get("frames") or []
    return [f"{f['method']['type']['name']}.{f['method']['name']}" for f in stack]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("recording")
    ap.add_argument("--thread", default="main")
    ap.add_argument("--top", type=int, default=25)
    a = ap.parse_args()
    raw = subprocess.run(["jfr", "print", "--json", "--stack-depth", "64", "--events",
                          "jdk.ExecutionSample,jdk.NativeMethodSample", a.recording],
                         check=True, capture_output=True, text=True).stdout
    events = json.loads(raw)["recording"]["events"]
    top, ours, phase = collections.Counter(), collections.Counter(), collections.Counter()
    n = 0
    for e in events:
        thread = (e["values"].get("sampledThread") or {}).get("javaName")
        if thread != a.thread:
            continue
        fs = frames(e)
        if not fs:
            continue
        n += 1
        top[fs[0].split(".")[-2] + "." + fs[0].split(".")[-1]] += 1
        mine = next((f for f in fs if f.startswith("dev.vlltr.")), "(outside dev.vlltr)")
        ours[mine.replace("dev.vlltr.", "")] += 1
        stage = "other"
        for f in fs:
            if "DecoupledAdamW.update" in f or "Trainer.step" in f:
                stage = "optimizer step (Trainer.step → DecoupledAdamW.update)"
                break
            if "GradientCollector.backward" in f or "PtGradientCollector.backward" in f:
                stage = "backward"
                break
            if "lossParts" in f or "forward" in f.lower():
                stage = "forward + loss (lossParts)"
                break
            if "NDManager.close" in f or "PtNDArray.close" in f or "NativeResource.close" in f:
                stage = "closing arrays"
                break
        phase[stage] += 1
    print(f"{n} samples of thread '{a.thread}' (Java and native) in {a.recording}")
    for title, c in (("by phase", phase), ("by top frame", top), ("by first dev.vlltr frame", ours)):
        print(f"\n{title}:")
        for k, v in c.most_common(a.top):
            print(f"  {100.0 * v / max(n, 1):5.1f}%  {k}")


if __name__ == "__main__":
    main()
