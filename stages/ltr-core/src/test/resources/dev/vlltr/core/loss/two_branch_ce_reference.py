"""Reference values for TwoBranchCrossEntropyLossTest: the official VL-LTR LGR hard-label loss, computed by PyTorch.

Official engine.py (two_branch, loss_type="CE"): criterion = torch.nn.CrossEntropyLoss();
loss = criterion(outputs[0], targets) + criterion(outputs[1], targets). Inputs come from a closed formula so the Java
test rebuilds them without reading them from here; the outputs (loss, both branch losses, gradients) are committed in
two_branch_ce_reference.json.

Usage (torch 2.7.1, the libtorch of DJL 0.35.1's engine):
  ~/.cache/vlltr/venv-torch271/bin/python two_branch_ce_reference.py > two_branch_ce_reference.json
"""
import json
import math

import torch

B, C = 5, 4
LABELS = [0, 3, 1, 1, 2]


def logits(offset):
    # same formula as TwoBranchCrossEntropyLossTest.closedFormLogits
    return torch.tensor([[3 * math.sin(offset + 1.7 * i + 0.9 * j) for j in range(C)] for i in range(B)],
                        dtype=torch.float64, requires_grad=True)


p_img, p_txt = logits(0.0), logits(2.0)
y = torch.tensor(LABELS)
criterion = torch.nn.CrossEntropyLoss()
loss0 = criterion(p_img, y)
loss1 = criterion(p_txt, y)
loss = loss0 + loss1
loss.backward()
print(json.dumps({
    "torch": torch.__version__,
    "batch": B, "classes": C, "labels": LABELS,
    "loss": loss.item(), "loss0": loss0.item(), "loss1": loss1.item(),
    "grad_image": p_img.grad.flatten().tolist(), "grad_text": p_txt.grad.flatten().tolist(),
}, indent=1))
