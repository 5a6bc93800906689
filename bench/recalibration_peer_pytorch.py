#!/usr/bin/env python3
"""PyTorch-eager peer of the Java cRT step (bench/recalibration-throughput, ClassifierRetrainer).

Decoupling's cRT on frozen features: a fresh nn.Linear(D, C) (PyTorch's default init), mean cross-entropy,
torch.optim.SGD(lr 0.2, momentum 0.9, weight_decay 5e-4), one epoch of --batches pre-drawn batches of --batch rows
per harness step (the classifier is re-created every step, as ClassifierRetrainer.train does). Random features
(D 128, C 10). Warm-up until steady (bench/lib/benchstat.py); prints one JSON line.
"""
import argparse
import json
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from benchstat import add_clock_arguments, clock_from_arguments  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=512)
    ap.add_argument("--batches", type=int, default=16)
    ap.add_argument("--classes", type=int, default=10)
    ap.add_argument("--dim", type=int, default=128)
    add_clock_arguments(ap)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(0)
    n = a.batch * a.batches
    features = torch.randn(n, a.dim)
    labels = torch.randint(0, a.classes, (n,))
    epoch = [torch.randint(0, n, (a.batch,)) for _ in range(a.batches)]
    state = {"loss": float("nan")}

    def step():
        clf = nn.Linear(a.dim, a.classes)
        opt = torch.optim.SGD(clf.parameters(), lr=0.2, momentum=0.9, weight_decay=5e-4)
        total = 0.0
        for idx in epoch:
            x, y = features[idx], labels[idx]
            opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(clf(x), y)
            loss.backward()
            opt.step()
            total += loss.item()
        state["loss"] = total / len(epoch)

    out = {"impl": f"pytorch-eager-{torch.__version__}", "threads": a.threads, "batch": a.batch,
           "batches_per_step": a.batches}
    out.update(clock_from_arguments(a).run(step))
    out["images_per_s"] = round(n / (out["median_step_ms"] / 1000), 1)
    out["final_loss"] = round(state["loss"], 4)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
