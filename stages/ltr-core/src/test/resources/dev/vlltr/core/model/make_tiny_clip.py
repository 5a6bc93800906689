"""Writes a tiny CLIP-like TorchScript archive (test fixture tiny_clip.pt) without needing PyTorch installed:
the archive layout torch.jit.save produces (version, data.pkl, code/__torch__.py, constants.pkl, data/<key>).

Usage: python3 make_tiny_clip.py tiny_clip.pt

forward(image (B,C,H,W) float, text (B,L) int64) -> (logits_per_image, logits_per_text), CLIP's jit signature.
"""
import io, math, pickle, struct, sys, types, zipfile, collections

ARCHIVE = "tiny_clip"
C, H, W, E, V = 1, 4, 4, 3, 6

# weights from a closed formula so that the Java test can recompute them independently
w_img = [[math.sin(1 + e * C * H * W + k) for k in range(C * H * W)] for e in range(E)]
tok = [[math.cos(1 + v * E + e) for e in range(E)] for v in range(V)]
logit_scale = [4.0]  # exp -> 54.6

CODE = '''class TinyClip(Module):
  __parameters__ = ["w_img", "tok", "logit_scale", ]
  __buffers__ = []
  w_img : Tensor
  tok : Tensor
  logit_scale : Tensor
  training : bool
  def forward(self: __torch__.TinyClip,
    image: Tensor,
    text: Tensor) -> Tuple[Tensor, Tensor]:
    img = torch.matmul(torch.flatten(image, 1), torch.t(self.w_img))
    txt = torch.mean(torch.embedding(self.tok, text), [1])
    img0 = torch.mul(img, torch.reciprocal(torch.norm(img, 2, [1], True)))
    txt0 = torch.mul(txt, torch.reciprocal(torch.norm(txt, 2, [1], True)))
    logits_per_image = torch.mul(torch.matmul(img0, torch.t(txt0)), torch.exp(self.logit_scale))
    logits_per_text = torch.t(logits_per_image)
    return (logits_per_image, logits_per_text)
'''

def fake(module, name):
    mod = sys.modules.setdefault(module, types.ModuleType(module))
    cls = type(name, (), {})
    cls.__module__ = module
    cls.__qualname__ = name
    setattr(mod, name, cls)
    return cls

TinyClip = fake("__torch__", "TinyClip")
FloatStorage = fake("torch", "FloatStorage")
def _rebuild_tensor_v2(*a): pass
tu = sys.modules.setdefault("torch._utils", types.ModuleType("torch._utils"))
_rebuild_tensor_v2.__module__ = "torch._utils"
tu._rebuild_tensor_v2 = _rebuild_tensor_v2

class StorageRef:
    def __init__(self, key, numel): self.key, self.numel = key, numel

class Tensor:
    def __init__(self, key, flat, size):
        self.storage = StorageRef(key, len(flat)); self.flat = flat; self.size = size
    def __reduce__(self):
        stride = []
        acc = 1
        for s in reversed(self.size):
            stride.insert(0, acc); acc *= s
        return (_rebuild_tensor_v2, (self.storage, 0, tuple(self.size), tuple(stride), True, collections.OrderedDict()))


class P(pickle.Pickler):
    def persistent_id(self, obj):
        if isinstance(obj, StorageRef):
            return ("storage", FloatStorage, obj.key, "cpu", obj.numel)
        return None

def flat(m): return [v for row in m for v in row]
tensors = [Tensor("0", flat(w_img), [E, C * H * W]), Tensor("1", flat(tok), [V, E]), Tensor("2", logit_scale, [1])]
state = {"training": False, "w_img": tensors[0], "tok": tensors[1], "logit_scale": tensors[2]}
module = TinyClip.__new__(TinyClip)
module.__dict__.update(state)

def dump(obj):
    buf = io.BytesIO(); P(buf, protocol=2).dump(obj); return buf.getvalue()

out = sys.argv[1] if len(sys.argv) > 1 else "tiny_clip.pt"
with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
    z.writestr(ARCHIVE + "/version", "3\n")
    z.writestr(ARCHIVE + "/data.pkl", dump(module))
    z.writestr(ARCHIVE + "/code/__torch__.py", CODE)
    z.writestr(ARCHIVE + "/constants.pkl", dump(()))
    for t in tensors:
        z.writestr(ARCHIVE + "/data/" + t.storage.key, struct.pack("<%df" % len(t.flat), *t.flat))
print(out)
