"""PyTorch eager peer of ClipTowerThroughput: the same training step of CLIP's RN50 / ViT-B/16 image tower (the
modules of tools/clip/make_tiny_clip_bundle.py, written from CLIP's model.py) at a small image size: forward,
symmetric contrastive loss against fixed random text embeddings (scale 100), backward, SGD. Prints one JSON line."""
import argparse
import json
import os
import statistics
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools", "clip"))
from make_tiny_clip_bundle import ModifiedResNet, VisionTransformer  # noqa: E402

p = argparse.ArgumentParser()
p.add_argument("--backbone", default="resnet50", choices=["resnet50", "vit-b16"])
p.add_argument("--image-size", type=int, default=64)
p.add_argument("--batch", type=int, default=16)
p.add_argument("--warmup", type=int, default=2)
p.add_argument("--steps", type=int, default=10)
p.add_argument("--threads", type=int, default=1)
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(0)
if a.backbone == "resnet50":
    net, embed = ModifiedResNet((3, 4, 6, 3), 1024, 32, a.image_size, 64), 1024
else:
    net, embed = VisionTransformer(a.image_size, 16, 768, 12, 12, 512), 512
net.train()
opt = torch.optim.SGD(net.parameters(), lr=1e-3)
text = F.normalize(torch.randn(a.batch, embed), dim=1)
labels = torch.arange(a.batch)
times, last = [], float("nan")
for i in range(a.warmup + a.steps):
    images = torch.randn(a.batch, 3, a.image_size, a.image_size)
    t0 = time.perf_counter()
    f = net(images)
    logits = 100 * F.normalize(f, dim=1) @ text.t()
    loss = (F.cross_entropy(logits, labels) + F.cross_entropy(logits.t(), labels)) / 2
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    last = loss.item()
    if i >= a.warmup:
        times.append((time.perf_counter() - t0) * 1000)
median = statistics.median(times)
print(json.dumps({"impl": "pytorch-eager-" + torch.__version__, "backbone": a.backbone, "threads": a.threads,
                  "image_size": a.image_size, "batch": a.batch, "steps": a.steps,
                  "parameters": sum(p.numel() for p in net.parameters()), "median_step_ms": round(median, 2),
                  "images_per_s": round(a.batch / (median / 1000), 1), "final_loss": round(last, 4)}))
