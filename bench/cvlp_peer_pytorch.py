#!/usr/bin/env python3
"""PyTorch-eager peer of the Java CVLP training step (bench/cvlp-throughput).

Same network, loss and optimizer as the cvlp stage's step (dev.vlltr.core.train.CvlpTrainer: CvlpModel + CvlpLoss
without a teacher = the multi-positive contrastive loss + DecoupledAdamW):
  image tower: DJL's ResNetV1 CIFAR layout (ResNet-20: 3x3 stem conv without BN/ReLU, 3 stages x 3 basic units,
               widths 16/32/64, strides 1/2/2, 1x1 conv + BN projection shortcut on every stage's first unit),
               global average pool, Linear(64 -> 128)
  text tower:  frozen MiniLM sentence embeddings (384-d, precomputed) -> Linear(384, 512) -> ReLU -> Linear(512, 128)
  loss:        multi-positive contrastive (same-label targets, row-normalised, label smoothing 0.1, both directions
               averaged), learnable logit scale (init ln(1/0.07), clamped at ln 100)
  batch:       each image paired with one sentence vector drawn from its class (a table of 1000 sentences, 100/class)
  optimizer:   AdamW lr 5e-5 wd 0.05, no decay on 1-D parameters (the 0-d logit scale is decayed, as in VL-LTR)
Run by bench/run-cvlp.sh with the harness's peer interpreter (PyPI torch 2.7.1, the libtorch DJL uses; or Debian's
1.13 with --peer debian); warm-up until steady (bench/lib/benchstat.py SteadyClock); prints one JSON line.
--profile DIR writes a torch.profiler table of the timed steps instead.
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


class Unit(nn.Module):
    def __init__(self, cin, cout, stride, project):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout, eps=1e-5, momentum=0.1)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout, eps=1e-5, momentum=0.1)
        self.short = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout)) if project else None

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return F.relu(y + (self.short(x) if self.short is not None else x))


class ResNet20Features(nn.Module):
    def __init__(self, channels=1, n=3):
        super().__init__()
        self.stem = nn.Conv2d(channels, 16, 3, 1, 1, bias=False)
        layers, cin = [], 16
        for width, stride in ((16, 1), (32, 2), (64, 2)):
            for i in range(n):
                layers.append(Unit(cin, width, stride if i == 0 else 1, i == 0))
                cin = width
        self.body = nn.Sequential(*layers)

    def forward(self, x):
        return F.adaptive_avg_pool2d(self.body(self.stem(x)), 1).flatten(1)


class Cvlp(nn.Module):
    def __init__(self, embed=128, text_in=384, hidden=512):
        super().__init__()
        self.vision = ResNet20Features()
        self.vproj = nn.Linear(64, embed)
        self.text = nn.Sequential(nn.Linear(text_in, hidden), nn.ReLU(), nn.Linear(hidden, embed))
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))

    def forward(self, images, sentences):
        return self.vproj(self.vision(images)), self.text(sentences), self.logit_scale.clamp(max=math.log(100)).exp()


def smoothed_soft_ce(logits, targets, smoothing=0.1):
    logp = F.log_softmax(logits, dim=1)
    return ((1 - smoothing) * -(targets * logp).sum(1) + smoothing * -logp.mean(1)).mean()


def ccl_loss(img, txt, scale, labels):
    u, v = F.normalize(img, dim=1), F.normalize(txt, dim=1)
    logits = scale * u @ v.t()
    same = (labels[:, None] == labels[None, :]).float()
    targets = same / same.sum(1, keepdim=True)
    return (smoothed_soft_ce(logits, targets) + smoothed_soft_ce(logits.t(), targets)) / 2


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=128)
    add_clock_arguments(ap)
    ap.add_argument("--profile", help="write a torch.profiler summary of --steps steps (after warm-up) here")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(0)
    model = Cvlp().train()
    decay = [p for p in model.parameters() if p.ndim != 1]
    no_decay = [p for p in model.parameters() if p.ndim == 1]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.05}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=5e-5, betas=(0.9, 0.999), eps=1e-8)
    table = F.normalize(torch.randn(1000, 384), dim=1)
    rows_of = [torch.arange(c, 1000, 10) for c in range(10)]
    batches = [(torch.randn(args.batch, 1, 28, 28), torch.randint(0, 10, (args.batch,))) for _ in range(8)]
    state = {"next": 0, "loss": float("nan")}

    def step():
        images, labels = batches[state["next"] % len(batches)]
        state["next"] += 1
        rows = torch.stack([rows_of[int(y)][torch.randint(len(rows_of[int(y)]), ())] for y in labels])
        sentences = table[rows]
        opt.zero_grad(set_to_none=True)
        loss = ccl_loss(*model(images, sentences), labels)
        loss.backward()
        opt.step()
        state["loss"] = loss.item()

    clock = clock_from_arguments(args)
    if args.profile:
        profile(step, clock, args)
        return
    out = {"impl": f"pytorch-eager-{torch.__version__}", "threads": args.threads, "batch": args.batch}
    out.update(clock.run(step))
    out["images_per_s"] = round(args.batch / (out["median_step_ms"] / 1000), 1)
    out["final_loss"] = round(state["loss"], 4)
    print(json.dumps(out))


def profile(step, clock, args):
    """torch.profiler over the timed steps after a steady warm-up: operator table by self CPU time."""
    clock.steps = 1
    clock.run(step)
    os.makedirs(args.profile, exist_ok=True)
    with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU],
                                record_shapes=os.environ.get("VLLTR_BENCH_RECORD_SHAPES") == "true") as prof:
        for _ in range(args.steps):
            step()
    table = prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=40)
    path = os.path.join(args.profile, f"torch-{torch.__version__}-t{args.threads}.txt")
    with open(path, "w") as f:
        f.write(table)
    trace = os.path.join(args.profile, f"torch-{torch.__version__}-t{args.threads}.trace.json")
    prof.export_chrome_trace(trace)
    print(table)
    print(json.dumps({"profile": path, "trace": trace}))


if __name__ == "__main__":
    main()
