#!/usr/bin/env python3
"""CVLP training step on CLIP's towers in PyTorch eager: the peer of dev.vlltr.bench.ClipCvlpThroughput.

The same network (CLIP ModifiedResNet-50 or ViT-B/16 image tower + CLIP's 12-layer text transformer, context 77,
from tools/clip/make_tiny_clip_bundle.py, which follows openai/CLIP model.py), the same loss (VL-LTR's class-wise
contrastive loss L_ccl: multi-positive targets over the batch, label smoothing 0.1, both directions averaged) and the
same optimizer (AdamW lr 5e-5, betas (0.9, 0.999), eps 1e-8, weight decay 0.05 except on 1-D parameters), fp32, at
random initialisation (CLIP's init statistics). Warm-up until steady (bench/lib/benchstat.py SteadyClock); prints one
JSON line with images_per_s and, on CUDA, the peak GPU memory.

Usage: clip_cvlp_peer_pytorch.py --backbone resnet50|vit-b16 [--image-size 224] [--batch 128] [--device cuda|cpu]
       [--threads N] [--steps 30]
"""
import argparse
import json
import math
import os
import sys

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "lib"))
sys.path.insert(0, os.path.join(HERE, "..", "tools", "clip"))
from benchstat import add_clock_arguments, clock_from_arguments  # noqa: E402
from make_tiny_clip_bundle import CLIP  # noqa: E402

TEXT = dict(context_length=77, vocab_size=49408, transformer_width=512, transformer_heads=8, transformer_layers=12)
CLASSES = 1000


def clip_model(backbone, image_size):
    """openai/CLIP's RN50 and ViT-B/16 configurations (embed dim, layers, width, heads) at this image size."""
    if backbone == "resnet50":
        return CLIP(1024, image_size, (3, 4, 6, 3), 64, None, 32, **TEXT)
    if backbone == "vit-b16":
        return CLIP(512, image_size, 12, 768, 16, 12, **TEXT)
    raise SystemExit(f"--backbone: expected resnet50 or vit-b16, got '{backbone}'")


def smoothed_soft_ce(logits, targets, smoothing=0.1):
    logp = F.log_softmax(logits, dim=1)
    return ((1 - smoothing) * -(targets * logp).sum(1) + smoothing * -logp.mean(1)).mean()


def ccl_loss(logits_per_image, labels):
    """VL-LTR L_ccl: targets = same-class indicator rows normalised to sum 1 (labels2idxs), smoothed CE both ways."""
    same = (labels[:, None] == labels[None, :]).float()
    targets = same / same.sum(1, keepdim=True)
    return (smoothed_soft_ce(logits_per_image, targets) + smoothed_soft_ce(logits_per_image.t(), targets)) / 2


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--backbone", default="resnet50")
    ap.add_argument("--image-size", type=int, default=224)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument("--threads", type=int, default=2)
    add_clock_arguments(ap)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    dev = torch.device(args.device)
    model = clip_model(args.backbone, args.image_size).to(dev).train()
    decay = [p for p in model.parameters() if p.ndim > 1]
    no_decay = [p for p in model.parameters() if p.ndim <= 1]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.05}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=5e-5, betas=(0.9, 0.999), eps=1e-8)
    gen = torch.Generator().manual_seed(1)
    batches = []
    for _ in range(4):
        images = torch.randn(args.batch, 3, args.image_size, args.image_size, generator=gen)
        labels = torch.randint(0, CLASSES, (args.batch,), generator=gen)
        tokens = torch.randint(1, 49406, (args.batch, 77), generator=gen)
        tokens[:, 20] = 49407  # end-of-text (the highest id) where CLIP reads the text feature
        tokens[:, 21:] = 0
        batches.append((images.to(dev), labels.to(dev), tokens.to(dev)))
    state = {"next": 0, "loss": float("nan")}

    def step():
        images, labels, tokens = batches[state["next"] % len(batches)]
        state["next"] += 1
        opt.zero_grad(set_to_none=True)
        _, _, logits = model(images, tokens)
        loss = ccl_loss(logits, labels)
        loss.backward()
        opt.step()
        with torch.no_grad():
            model.logit_scale.clamp_(max=math.log(100))
        state["loss"] = loss.item()  # synchronises the device: the step is complete when the clock stops

    if dev.type == "cuda":
        torch.cuda.reset_peak_memory_stats(dev)
    clock = clock_from_arguments(args)
    out = {"impl": f"pytorch-eager-{torch.__version__}", "backbone": args.backbone, "image_size": args.image_size,
           "batch": args.batch, "device": str(dev), "threads": args.threads}
    out.update(clock.run(step))
    out["images_per_s"] = round(args.batch / (out["median_step_ms"] / 1000), 1)
    if dev.type == "cuda":
        out["peak_gpu_mib"] = round(torch.cuda.max_memory_allocated(dev) / 2 ** 20)
    out["final_loss"] = round(state["loss"], 4)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
