#!/usr/bin/env python3
"""PyTorch-eager peer of the Java LGR training step on features (bench/lgr-throughput, LgrTrainer input=features).

Same head, loss and optimizer as dev.vlltr.core.model.LgrHead + TwoBranchCrossEntropyLoss + DecoupledAdamW:
  attention: q = LN_q(f) W_q^T, k = LN_k(T) W_k^T over the class text memory T (C, M, D), weights
             softmax(q k^T / sqrt(D) + mask) per class, v = weights · T; P^T = exp(θ) <f/|f|, v/|v|> (θ frozen)
  visual:    P^I = Linear(4D, C)(ReLU(Linear(D, 4D)(f)))
  loss:      CE of P^I plus CE of P^T (the official loss0 + loss1; --label-smoothing as the stage's ce-smoothing)
  optimizer: AdamW wd 0.05 on 2-D parameters, none on 1-D; MLP lr 1e-3, attention (LN_q, LN_k, W_q, W_k) lr 1e-6
Random features and memory (C 10, M 64, D 128, batch 128). Warm-up until steady (bench/lib/benchstat.py);
prints one JSON line; --profile DIR writes a torch.profiler table and Chrome trace of --steps steps instead.
"""
import argparse
import json
import math
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from benchstat import add_clock_arguments, clock_from_arguments  # noqa: E402


class LgrHead(nn.Module):
    def __init__(self, memory, theta):
        super().__init__()
        c, m, d = memory.shape
        self.register_buffer("memory", memory)
        self.register_buffer("mask_bias", torch.zeros(c, m))
        self.theta = math.exp(theta)
        self.norm_q, self.norm_k = nn.LayerNorm(d, eps=1e-5), nn.LayerNorm(d, eps=1e-5)
        self.w_q, self.w_k = nn.Parameter(torch.eye(d)), nn.Parameter(torch.eye(d))
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.ReLU(), nn.Linear(4 * d, c))
        for lin in (self.mlp[0], self.mlp[2]):
            nn.init.trunc_normal_(lin.weight, std=0.02)
            nn.init.zeros_(lin.bias)

    def attention_parameters(self):
        return [*self.norm_q.parameters(), *self.norm_k.parameters(), self.w_q, self.w_k]

    def forward(self, f):
        c, m, d = self.memory.shape
        q = self.norm_q(f) @ self.w_q.t()
        k = self.norm_k(self.memory) @ self.w_k.t()
        w = ((q @ k.reshape(c * m, d).t()).reshape(-1, c, m) * d ** -0.5 + self.mask_bias).softmax(2)
        v = torch.bmm(w.transpose(0, 1), self.memory).transpose(0, 1)
        p_t = (F.normalize(v, dim=2) * F.normalize(f, dim=1).unsqueeze(1)).sum(2) * self.theta
        return self.mlp(f), p_t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--classes", type=int, default=10)
    ap.add_argument("--anchors", type=int, default=64)
    ap.add_argument("--dim", type=int, default=128)
    ap.add_argument("--label-smoothing", type=float, default=0.0)
    add_clock_arguments(ap)
    ap.add_argument("--profile", help="write a torch.profiler summary of --steps steps (after warm-up) here")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(0)
    head = LgrHead(torch.randn(a.classes, a.anchors, a.dim), math.log(1 / 0.07)).train()
    attention = {id(p) for p in head.attention_parameters()}
    groups = []
    for lr, attn in ((1e-3, False), (1e-6, True)):
        ps = [p for p in head.parameters() if (id(p) in attention) == attn]
        groups.append({"params": [p for p in ps if p.ndim != 1], "lr": lr, "weight_decay": 0.05})
        groups.append({"params": [p for p in ps if p.ndim == 1], "lr": lr, "weight_decay": 0.0})
    opt = torch.optim.AdamW(groups, betas=(0.9, 0.999), eps=1e-8)
    batches = [(torch.randn(a.batch, a.dim), torch.randint(0, a.classes, (a.batch,))) for _ in range(8)]
    state = {"next": 0, "loss": float("nan")}

    def step():
        f, y = batches[state["next"] % len(batches)]
        state["next"] += 1
        opt.zero_grad(set_to_none=True)
        p_i, p_t = head(f)
        loss = (F.cross_entropy(p_i, y, label_smoothing=a.label_smoothing)
                + F.cross_entropy(p_t, y, label_smoothing=a.label_smoothing))
        loss.backward()
        opt.step()
        state["loss"] = loss.item()

    clock = clock_from_arguments(a)
    if a.profile:
        profile(step, clock, a)
        return
    out = {"impl": f"pytorch-eager-{torch.__version__}", "threads": a.threads, "batch": a.batch}
    out.update(clock.run(step))
    out["images_per_s"] = round(a.batch / (out["median_step_ms"] / 1000), 1)
    out["final_loss"] = round(state["loss"], 4)
    print(json.dumps(out))


def profile(step, clock, a):
    """torch.profiler over --steps steps after a steady warm-up: operator table by self CPU time, Chrome trace."""
    clock.steps = 1
    clock.run(step)
    os.makedirs(a.profile, exist_ok=True)
    with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU],
                                record_shapes=os.environ.get("VLLTR_BENCH_RECORD_SHAPES") == "true") as prof:
        for _ in range(a.steps):
            step()
    path = os.path.join(a.profile, f"lgr-torch-{torch.__version__}-t{a.threads}.txt")
    with open(path, "w") as f:
        f.write(prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=40))
    trace = os.path.join(a.profile, f"lgr-torch-{torch.__version__}-t{a.threads}.trace.json")
    prof.export_chrome_trace(trace)
    print(json.dumps({"profile": path, "trace": trace}))


if __name__ == "__main__":
    main()
