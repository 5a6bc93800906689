"""Makes tiny random CLIP-shaped weight bundles and what PyTorch computes with them (test fixtures of ltr-core's
CLIP towers: ClipBundleParityTest).

Usage (torch 2.7.1, see requirements.txt):
    python tools/clip/make_tiny_clip_bundle.py stages/ltr-core/src/test/resources/dev/vlltr/core/model/clip

Writes, per backbone (`resnet50` = a tiny ModifiedResNet with CLIP's RN50 layout, `vit-b16` = a tiny
VisionTransformer), a folder `<backbone>-tiny/` with
  clip.safetensors   the state dict under OpenAI CLIP's parameter names (float32; BN `num_batches_tracked` int64)
  bundle.json        format vlltr.clip-bundle/1: backbone, image size, widths/layers/heads/patch, embed dim, context,
                     vocabulary size
  expected.safetensors
      input.image (B,3,S,S), input.text (B,context) int64
      eval.image_features, eval.text_features, eval.logits_per_image        (eval mode: BN running statistics)
      train.loss, grad.<name> for every parameter, train.<bn>.running_mean/var (after the step's forward)
          training mode, loss = CLIP's symmetric contrastive loss (CE(logits, arange) + CE(logits.T, arange)) / 2,
          computed in float64 (F64 tensors) on a float64 copy of the same weights
      resize.<S'>.visual.positional_embedding and resize.<S'>.image_features / resize.<S'>.input.image:
          the checkpoint's positional embedding resized to image size S' as open_clip's resize_pos_embed does
          (bicubic, antialias=True, align_corners=False; class/mean token kept) and the eval image features at S'
and `parameter-counts.json`: parameter counts of the real RN50 / ViT-B/16 / text sizes (built on the meta device).

The modules below are written from the definitions of openai/CLIP clip/model.py (same structure, parameter names and
initialisation); every tensor is then perturbed (BN affine and running statistics, zero-initialised biases and bn3
weights) so that each path of the network carries signal in the fixture.
"""
import copy
import json
import math
import os
import sys
from collections import OrderedDict

import torch
import torch.nn.functional as F
from safetensors.torch import save_file
from torch import nn

FORMAT = "vlltr.clip-bundle/1"


# ---------------------------------------------------------------- CLIP's modules (from clip/model.py's definitions)
class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, inplanes, planes, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.avgpool = nn.AvgPool2d(stride) if stride > 1 else nn.Identity()  # anti-aliased stride
        self.conv3 = nn.Conv2d(planes, planes * 4, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(planes * 4)
        self.downsample = None
        if stride > 1 or inplanes != planes * 4:
            self.downsample = nn.Sequential(OrderedDict([
                ("-1", nn.AvgPool2d(stride)),
                ("0", nn.Conv2d(inplanes, planes * 4, 1, stride=1, bias=False)),
                ("1", nn.BatchNorm2d(planes * 4))]))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = F.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(self.avgpool(out)))
        identity = x if self.downsample is None else self.downsample(x)
        return F.relu(out + identity)


class AttentionPool2d(nn.Module):
    def __init__(self, spacial_dim, embed_dim, num_heads, output_dim):
        super().__init__()
        self.positional_embedding = nn.Parameter(torch.randn(spacial_dim ** 2 + 1, embed_dim) / embed_dim ** 0.5)
        self.k_proj = nn.Linear(embed_dim, embed_dim)
        self.q_proj = nn.Linear(embed_dim, embed_dim)
        self.v_proj = nn.Linear(embed_dim, embed_dim)
        self.c_proj = nn.Linear(embed_dim, output_dim)
        self.num_heads = num_heads

    def forward(self, x):
        x = x.flatten(start_dim=2).permute(2, 0, 1)
        x = torch.cat([x.mean(dim=0, keepdim=True), x], dim=0)
        x = x + self.positional_embedding[:, None, :]
        x, _ = F.multi_head_attention_forward(
            query=x[:1], key=x, value=x, embed_dim_to_check=x.shape[-1], num_heads=self.num_heads,
            q_proj_weight=self.q_proj.weight, k_proj_weight=self.k_proj.weight, v_proj_weight=self.v_proj.weight,
            in_proj_weight=None, in_proj_bias=torch.cat([self.q_proj.bias, self.k_proj.bias, self.v_proj.bias]),
            bias_k=None, bias_v=None, add_zero_attn=False, dropout_p=0, out_proj_weight=self.c_proj.weight,
            out_proj_bias=self.c_proj.bias, use_separate_proj_weight=True, training=self.training,
            need_weights=False)
        return x.squeeze(0)


class ModifiedResNet(nn.Module):
    def __init__(self, layers, output_dim, heads, input_resolution, width):
        super().__init__()
        self.conv1 = nn.Conv2d(3, width // 2, kernel_size=3, stride=2, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(width // 2)
        self.conv2 = nn.Conv2d(width // 2, width // 2, kernel_size=3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(width // 2)
        self.conv3 = nn.Conv2d(width // 2, width, kernel_size=3, padding=1, bias=False)
        self.bn3 = nn.BatchNorm2d(width)
        self.avgpool = nn.AvgPool2d(2)
        self._inplanes = width
        self.layer1 = self._make_layer(width, layers[0])
        self.layer2 = self._make_layer(width * 2, layers[1], stride=2)
        self.layer3 = self._make_layer(width * 4, layers[2], stride=2)
        self.layer4 = self._make_layer(width * 8, layers[3], stride=2)
        self.attnpool = AttentionPool2d(input_resolution // 32, width * 32, heads, output_dim)

    def _make_layer(self, planes, blocks, stride=1):
        layers = [Bottleneck(self._inplanes, planes, stride)]
        self._inplanes = planes * 4
        layers += [Bottleneck(self._inplanes, planes) for _ in range(1, blocks)]
        return nn.Sequential(*layers)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = F.relu(self.bn2(self.conv2(x)))
        x = F.relu(self.bn3(self.conv3(x)))
        x = self.avgpool(x)
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.attnpool(x)


class QuickGELU(nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


class ResidualAttentionBlock(nn.Module):
    def __init__(self, d_model, n_head, attn_mask=None):
        super().__init__()
        self.attn = nn.MultiheadAttention(d_model, n_head)
        self.ln_1 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(OrderedDict([
            ("c_fc", nn.Linear(d_model, d_model * 4)), ("gelu", QuickGELU()), ("c_proj", nn.Linear(d_model * 4, d_model))]))
        self.ln_2 = nn.LayerNorm(d_model)
        self.attn_mask = attn_mask

    def forward(self, x):
        h = self.ln_1(x)
        x = x + self.attn(h, h, h, need_weights=False, attn_mask=self.attn_mask)[0]
        return x + self.mlp(self.ln_2(x))


class Transformer(nn.Module):
    def __init__(self, width, layers, heads, attn_mask=None):
        super().__init__()
        self.width = width
        self.layers = layers
        self.resblocks = nn.Sequential(*[ResidualAttentionBlock(width, heads, attn_mask) for _ in range(layers)])

    def forward(self, x):
        return self.resblocks(x)


class VisionTransformer(nn.Module):
    def __init__(self, input_resolution, patch_size, width, layers, heads, output_dim):
        super().__init__()
        self.conv1 = nn.Conv2d(3, width, kernel_size=patch_size, stride=patch_size, bias=False)
        scale = width ** -0.5
        self.class_embedding = nn.Parameter(scale * torch.randn(width))
        self.positional_embedding = nn.Parameter(scale * torch.randn((input_resolution // patch_size) ** 2 + 1, width))
        self.ln_pre = nn.LayerNorm(width)
        self.transformer = Transformer(width, layers, heads)
        self.ln_post = nn.LayerNorm(width)
        self.proj = nn.Parameter(scale * torch.randn(width, output_dim))

    def forward(self, x):
        x = self.conv1(x)
        x = x.reshape(x.shape[0], x.shape[1], -1).permute(0, 2, 1)
        cls = self.class_embedding + torch.zeros(x.shape[0], 1, x.shape[-1], dtype=x.dtype)
        x = torch.cat([cls, x], dim=1) + self.positional_embedding
        x = self.ln_pre(x).permute(1, 0, 2)
        x = self.transformer(x).permute(1, 0, 2)
        return self.ln_post(x[:, 0, :]) @ self.proj


class CLIP(nn.Module):
    def __init__(self, embed_dim, image_resolution, vision_layers, vision_width, vision_patch_size, vision_heads,
                 context_length, vocab_size, transformer_width, transformer_heads, transformer_layers):
        super().__init__()
        self.context_length = context_length
        if isinstance(vision_layers, (tuple, list)):
            self.visual = ModifiedResNet(vision_layers, embed_dim, vision_heads, image_resolution, vision_width)
        else:
            self.visual = VisionTransformer(image_resolution, vision_patch_size, vision_width, vision_layers,
                                            vision_heads, embed_dim)
        mask = torch.empty(context_length, context_length).fill_(float("-inf")).triu_(1)
        self.transformer = Transformer(transformer_width, transformer_layers, transformer_heads, mask)
        self.token_embedding = nn.Embedding(vocab_size, transformer_width)
        self.positional_embedding = nn.Parameter(torch.empty(context_length, transformer_width))
        self.ln_final = nn.LayerNorm(transformer_width)
        self.text_projection = nn.Parameter(torch.empty(transformer_width, embed_dim))
        self.logit_scale = nn.Parameter(torch.ones([]) * math.log(1 / 0.07))
        self.initialize_parameters()

    def initialize_parameters(self):  # CLIP's initialize_parameters
        nn.init.normal_(self.token_embedding.weight, std=0.02)
        nn.init.normal_(self.positional_embedding, std=0.01)
        if isinstance(self.visual, ModifiedResNet):
            std = self.visual.attnpool.c_proj.in_features ** -0.5
            for lin in (self.visual.attnpool.q_proj, self.visual.attnpool.k_proj, self.visual.attnpool.v_proj,
                        self.visual.attnpool.c_proj):
                nn.init.normal_(lin.weight, std=std)
            for layer in (self.visual.layer1, self.visual.layer2, self.visual.layer3, self.visual.layer4):
                for name, p in layer.named_parameters():
                    if name.endswith("bn3.weight"):
                        nn.init.zeros_(p)
        width, layers = self.transformer.width, self.transformer.layers
        proj_std = width ** -0.5 * (2 * layers) ** -0.5
        for block in self.transformer.resblocks:
            nn.init.normal_(block.attn.in_proj_weight, std=width ** -0.5)
            nn.init.normal_(block.attn.out_proj.weight, std=proj_std)
            nn.init.normal_(block.mlp.c_fc.weight, std=(2 * width) ** -0.5)
            nn.init.normal_(block.mlp.c_proj.weight, std=proj_std)
        nn.init.normal_(self.text_projection, std=width ** -0.5)

    def encode_image(self, image):
        return self.visual(image)

    def encode_text(self, text):
        x = self.token_embedding(text) + self.positional_embedding
        x = self.transformer(x.permute(1, 0, 2)).permute(1, 0, 2)
        x = self.ln_final(x)
        return x[torch.arange(x.shape[0]), text.argmax(dim=-1)] @ self.text_projection  # EOT = highest id

    def forward(self, image, text):
        img = self.encode_image(image)
        txt = self.encode_text(text)
        img = img / img.norm(dim=1, keepdim=True)
        txt = txt / txt.norm(dim=1, keepdim=True)
        logits_per_image = self.logit_scale.exp() * img @ txt.t()
        return img, txt, logits_per_image


# ---------------------------------------------------------------- open_clip's resize_pos_embed (bicubic, antialias)
def resize_pos_embed(pos, new_grid, antialias=True):
    """pos (1 + g², D): keeps the first (class / mean) token, resizes the g×g grid to new_grid×new_grid."""
    tok, grid = pos[:1], pos[1:]
    old = int(round(math.sqrt(grid.shape[0])))
    img = grid.reshape(1, old, old, -1).permute(0, 3, 1, 2)
    img = F.interpolate(img, size=(new_grid, new_grid), mode="bicubic", antialias=antialias, align_corners=False)
    return torch.cat([tok, img.permute(0, 2, 3, 1).reshape(new_grid * new_grid, -1)], dim=0)


# ---------------------------------------------------------------- fixtures
TINY = {
    # RN50 layout scaled down: width 2 → feature dim 64 after layer4; layer3 has 2 blocks to exercise stacking
    "resnet50": dict(embed_dim=16, image_resolution=64, vision_layers=(1, 1, 2, 1), vision_width=2,
                     vision_patch_size=None, vision_heads=2, resize=[32]),
    "vit-b16": dict(embed_dim=16, image_resolution=32, vision_layers=2, vision_width=16, vision_patch_size=8,
                    vision_heads=2, resize=[48, 24]),
}
TEXT = dict(context_length=8, vocab_size=40, transformer_width=16, transformer_heads=2, transformer_layers=2)
BATCH = 3


def perturb(model, gen):
    """Every tensor gets signal: BN statistics and affine, biases and bn3 weights are not left at their inits."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            p.add_(0.05 * torch.randn(p.shape, generator=gen))
        for name, b in model.named_buffers():
            if name.endswith("running_mean"):
                b.copy_(0.1 * torch.randn(b.shape, generator=gen))
            elif name.endswith("running_var"):
                b.copy_(0.5 + torch.rand(b.shape, generator=gen))
            elif name.endswith("num_batches_tracked"):
                b.fill_(7)


def make_text(gen, n, context, vocab):
    """Token ids as clip.tokenize gives them: SOT, words, EOT (the highest id), zero padding; EOT positions vary."""
    sot, eot = vocab - 2, vocab - 1
    text = torch.zeros(n, context, dtype=torch.long)
    for i in range(n):
        words = 1 + (i * 2) % (context - 2)
        text[i, 0] = sot
        text[i, 1:1 + words] = torch.randint(1, vocab - 2, (words,), generator=gen)
        text[i, 1 + words] = eot
    return text


def make_bundle(out_dir, backbone, cfg, seed):
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    args = {k: v for k, v in cfg.items() if k != "resize"}
    model = CLIP(**args, **TEXT)
    perturb(model, gen)
    folder = os.path.join(out_dir, backbone + "-tiny")
    os.makedirs(folder, exist_ok=True)
    state = {k: v.detach().clone().contiguous() for k, v in model.state_dict().items()}
    save_file(state, os.path.join(folder, "clip.safetensors"))
    res = cfg["image_resolution"]
    bundle = OrderedDict(
        format=FORMAT, backbone=backbone, imageSize=res, embedDim=cfg["embed_dim"],
        visionWidth=cfg["vision_width"], visionLayers=list(cfg["vision_layers"]) if backbone == "resnet50" else
        cfg["vision_layers"], visionHeads=cfg["vision_heads"], patchSize=cfg["vision_patch_size"],
        contextLength=TEXT["context_length"], vocabSize=TEXT["vocab_size"], textWidth=TEXT["transformer_width"],
        textLayers=TEXT["transformer_layers"], textHeads=TEXT["transformer_heads"])
    if bundle["patchSize"] is None:
        del bundle["patchSize"]
    with open(os.path.join(folder, "bundle.json"), "w") as f:
        json.dump(bundle, f, indent=2)
        f.write("\n")

    image = torch.randn(BATCH, 3, res, res, generator=gen)
    text = make_text(gen, BATCH, TEXT["context_length"], TEXT["vocab_size"])
    expected = {"input.image": image, "input.text": text}
    model.eval()
    with torch.no_grad():
        img, txt, logits = model(image, text)
        expected["eval.image_features"] = model.encode_image(image)
        expected["eval.text_features"] = model.encode_text(text)
        expected["eval.logits_per_image"] = logits
    # the training step runs in float64 (a copy of the model): float32 reduction order alone moves BN's γ-gradient
    # over a few thousand cancelling terms by ~1e-5 relative, which would hide nothing but blur the comparison
    double = copy.deepcopy(model).double().train()
    _, _, logits = double(image.double(), text)
    labels = torch.arange(BATCH)
    loss = (F.cross_entropy(logits, labels) + F.cross_entropy(logits.t(), labels)) / 2
    loss.backward()
    expected["train.loss"] = loss.detach().reshape(1)
    for name, p in double.named_parameters():
        expected["grad." + name] = p.grad.detach().clone()
    for name, b in double.named_buffers():
        if name.endswith("running_mean") or name.endswith("running_var"):
            expected["train." + name] = b.detach().clone()
    stride = 32 if backbone == "resnet50" else cfg["vision_patch_size"]
    key = "visual.attnpool.positional_embedding" if backbone == "resnet50" else "visual.positional_embedding"
    for size in cfg["resize"]:
        resized = resize_pos_embed(state[key], size // stride)
        expected[f"resize.{size}.{key}"] = resized
        resized_args = dict(args, image_resolution=size)
        other = CLIP(**resized_args, **TEXT)
        sd = dict(state)
        sd[key] = resized
        other.load_state_dict(sd)
        other.eval()
        image2 = torch.randn(1, 3, size, size, generator=gen)
        expected[f"resize.{size}.input.image"] = image2
        with torch.no_grad():
            expected[f"resize.{size}.image_features"] = other.encode_image(image2)
    save_file({k: v.detach().contiguous() for k, v in expected.items()}, os.path.join(folder, "expected.safetensors"))
    for name in ("clip.safetensors", "expected.safetensors"):
        os.chmod(os.path.join(folder, name), 0o644)
    return model


def count(module):
    return sum(p.numel() for p in module.parameters())


def real_counts():
    """Parameter counts of the real sizes, built on the meta device (no memory)."""
    text = dict(context_length=77, vocab_size=49408, transformer_width=512, transformer_heads=8, transformer_layers=12)
    with torch.device("meta"):
        rn = CLIP(1024, 224, (3, 4, 6, 3), 64, None, 32, **text)
        vit = CLIP(512, 224, 12, 768, 16, 12, **text)
    def text_count(m):
        return count(m) - count(m.visual) - 1
    return OrderedDict([
        ("resnet50.visual", count(rn.visual)), ("resnet50.text", text_count(rn)), ("resnet50.total", count(rn)),
        ("text.transformer", count(rn.transformer)),
        ("vit-b16.visual", count(vit.visual)), ("vit-b16.text", text_count(vit)), ("vit-b16.total", count(vit))])


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else "."
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    for i, (backbone, cfg) in enumerate(TINY.items()):
        make_bundle(out_dir, backbone, cfg, seed=13 + i)
    with open(os.path.join(out_dir, "parameter-counts.json"), "w") as f:
        json.dump(real_counts(), f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
