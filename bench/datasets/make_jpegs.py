"""Generates the loader benchmark's image list: N JPEGs with the shorter side 256 px (ImageNet-LT/Places-LT are
stored at this size), varying aspect, smooth content plus noise (so the JPEGs are as hard to decode as photos, not
flat), quality 90, in ImageNet-LT list layout: <out>/list.txt with 'images/<c>/<i>.jpg <c>' lines.

Usage: python3 bench/datasets/make_jpegs.py OUT [N]
"""
import os
import sys

import numpy as np
from PIL import Image


def main():
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 512
    rng = np.random.default_rng(0)
    lines = []
    for i in range(n):
        c = i % 10
        w, h = (256, int(rng.integers(256, 384))) if i % 2 else (int(rng.integers(256, 384)), 256)
        y, x = np.mgrid[0:h, 0:w].astype(np.float32)
        base = np.stack([
            128 + 100 * np.sin(x / (7 + c) + i),
            128 + 100 * np.cos(y / (11 + c) - i),
            128 + 60 * np.sin((x + y) / 13.0),
        ], axis=-1)
        img = np.clip(base + rng.normal(0, 12, base.shape), 0, 255).astype(np.uint8)
        rel = f"images/{c}/{i}.jpg"
        os.makedirs(os.path.join(out, os.path.dirname(rel)), exist_ok=True)
        Image.fromarray(img, "RGB").save(os.path.join(out, rel), quality=90)
        lines.append(f"{rel} {c}")
    with open(os.path.join(out, "list.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
