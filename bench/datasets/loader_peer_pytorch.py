"""The PyTorch side of the loader benchmark: torch.utils.data.DataLoader over the same list, PIL decode
(ImageFolder's pil_loader: open + convert('RGB')), the papers' training transform (RandomResizedCrop(224),
RandomHorizontalFlip, ColorJitter(0.4, 0.4, 0.4), ToTensor, Normalize), the same batch size and worker count as the
Java loader. Prints one JSON line: images per second over the timed epochs.

Usage: python3 bench/datasets/loader_peer_pytorch.py ROOT --workers 2 --batch 64 --epochs 2
"""
import argparse
import json
import os
import time

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class ListDataset(Dataset):
    def __init__(self, root, transform):
        self.root = root
        self.transform = transform
        with open(os.path.join(root, "list.txt")) as f:
            self.items = [(p, int(l)) for p, l in (line.split() for line in f if line.strip())]

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        path, label = self.items[i]
        with open(os.path.join(self.root, path), "rb") as f:
            img = Image.open(f).convert("RGB")
        return self.transform(img), label


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("root")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--epochs", type=int, default=2)
    a = ap.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(1)
    tf = transforms.Compose([
        transforms.RandomResizedCrop(224),
        transforms.RandomHorizontalFlip(),
        transforms.ColorJitter(0.4, 0.4, 0.4, 0),
        transforms.ToTensor(),
        transforms.Normalize((0.48145466, 0.4578275, 0.40821073), (0.26862954, 0.26130258, 0.27577711)),
    ])
    ds = ListDataset(a.root, tf)
    extra = {"persistent_workers": True, "prefetch_factor": 2} if a.workers > 0 else {}
    loader = DataLoader(ds, batch_size=a.batch, shuffle=True, num_workers=a.workers, drop_last=True, **extra)
    for _ in loader:  # warm-up epoch: workers started, files in the page cache
        pass
    n = 0
    t0 = time.perf_counter()
    for _ in range(a.epochs):
        for x, y in loader:
            assert x.shape[1:] == (3, 224, 224)
            n += x.shape[0]
    dt = time.perf_counter() - t0
    print(json.dumps({"side": "pytorch", "images": n, "seconds": dt, "images_per_s": n / dt,
                      "workers": a.workers, "batch": a.batch, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
