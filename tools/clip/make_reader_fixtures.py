#!/usr/bin/env python3
"""Makes the tiny CLIP bundles the Java tests load (run once; the outputs are committed, < 1 MB together).

Writes into the folder given (default: stage-runtime's test resources dev/vlltr/runtime/clip/):
  tiny-rn50/        a ModifiedResNet-shaped CLIP (width 4, layers 1-1-1-1, 64 px, embed 16) with a 1-layer text
                    transformer (width 16, context 77), random weights (seed 0), converted by convert_clip.py
  tiny-vit-b16/     a ViT-shaped CLIP (width 16, patch 16, 1 layer, 32 px, embed 16), same text tower
  dtypes.safetensors  three small tensors stored as F32, F16 and BF16; dtypes-f16.safetensors the first two
  expected.json     what the Java side must reproduce, computed here independently of it: CLIP token ids of test
                    sentences by a plain-Python port of CLIP's BPE (clip/simple_tokenizer.py's bpe() on the same
                    merges; not the tokenizers library), each dtype tensor's float values, each bundle's tensor
                    count, parameter count and a few tensor sums
The logit scale is ln 100 = 4.6052, as in OpenAI's released checkpoints. The tokenizer's merges are learnt here by
plain BPE on a tiny corpus (CLIP's 48,894 real merges are not redistributed in the fixtures).

Usage: ~/.cache/vlltr/venv-torch271/bin/python make_reader_fixtures.py [OUT]   (torch 2.7.1, safetensors, tokenizers;
the output is deterministic: a rerun rewrites the same bytes, which ConvertClipScriptTest checks)
"""
import collections
import json
import math
import os
import re
import sys

import torch
from safetensors.torch import save_file

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import convert_clip as cc  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_OUT = os.path.join(ROOT, "stages/stage-runtime/src/test/resources/dev/vlltr/runtime/clip")
CORPUS = ["a photo of a t-shirt", "a photo of a trouser", "a photo of a pullover", "a photo of a dress",
          "a photo of a coat", "a photo of a sandal", "a photo of a shirt", "a photo of a sneaker",
          "a photo of a bag", "a photo of an ankle boot", "the item is a piece of clothing or an accessory"]
SENTENCES = ["a photo of a t-shirt.", "An ANKLE   boot, photographed!", "bag", "", "it's 2 shirts",
             " ".join(["a photo of a sandal"] * 20)]
MERGES = 60
ASCII_PATTERN = re.compile(r"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[a-z]+|[0-9]|[^\sa-z0-9]+")


def learn_merges(corpus, n):
    """Plain BPE training with CLIP's word-end marker: most frequent adjacent pair first, ties by the pair."""
    words = collections.Counter()
    for s in corpus:
        for w in ASCII_PATTERN.findall(s.lower()):
            words[tuple(w[:-1]) + (w[-1] + "</w>",)] += 1
    merges = []
    for _ in range(n):
        pairs = collections.Counter()
        for w, c in words.items():
            for p in zip(w, w[1:]):
                pairs[p] += c
        if not pairs:
            break
        best = min(pairs, key=lambda p: (-pairs[p], p))
        merges.append(best)
        merged = collections.Counter()
        for w, c in words.items():
            out, i = [], 0
            while i < len(w):
                if i < len(w) - 1 and (w[i], w[i + 1]) == best:
                    out.append(w[i] + w[i + 1])
                    i += 2
                else:
                    out.append(w[i])
                    i += 1
            merged[tuple(out)] += c
        words = merged
    return merges


def reference_tokenize(text, merges, context):
    """clip.tokenize(text, context, truncate=True) for ASCII text: SimpleTokenizer.encode (whitespace collapse,
    lower, CLIP's pattern, bpe() by merge rank), sot/eot, cut keeping eot last, zero padding."""
    vocab = cc.clip_vocabulary(merges)
    ranks = {m: i for i, m in enumerate(merges)}
    byte_encoder = cc.bytes_to_unicode()
    ids = [vocab[cc.SOT]]
    for token in ASCII_PATTERN.findall(re.sub(r"\s+", " ", text).strip().lower()):
        token = "".join(byte_encoder[b] for b in token.encode("utf-8"))
        word = tuple(token[:-1]) + (token[-1] + "</w>",)
        while len(word) > 1:
            pairs = set(zip(word, word[1:]))
            best = min(pairs, key=lambda p: ranks.get(p, float("inf")))
            if best not in ranks:
                break
            out, i = [], 0
            while i < len(word):
                if i < len(word) - 1 and (word[i], word[i + 1]) == best:
                    out.append(word[i] + word[i + 1])
                    i += 2
                else:
                    out.append(word[i])
                    i += 1
            word = tuple(out)
        ids += [vocab[t] for t in word]
    ids.append(vocab[cc.EOT])
    if len(ids) > context:
        ids = ids[:context]
        ids[-1] = vocab[cc.EOT]
    return ids + [0] * (context - len(ids))


def random_state_dict(arch, seed):
    g = torch.Generator().manual_seed(seed)
    sd = {}
    for name, shape in cc.expected_shapes(arch).items():
        if name.endswith("running_var"):
            t = torch.rand(shape, generator=g) + 0.5
        elif name.endswith(("ln_1.weight", "ln_2.weight", "bn1.weight", "bn2.weight", "bn3.weight")) \
                or name.endswith(("ln_pre.weight", "ln_post.weight", "ln_final.weight", "downsample.1.weight")):
            t = 1 + 0.1 * torch.randn(shape, generator=g)
        elif name == "logit_scale":
            t = torch.tensor(math.log(100.0))
        else:
            t = 0.1 * torch.randn(shape, generator=g)
        sd[name] = t
    # what clean_state_dict drops: a BN step counter and a jit archive constant
    sd["visual.bn1.num_batches_tracked"] = torch.tensor(7)
    sd["context_length"] = torch.tensor(arch["contextLength"])
    return sd


TEXT = dict(contextLength=77, textWidth=16, textHeads=2, textLayers=1, embedDim=16)
ARCHES = {
    "tiny-rn50": dict(backbone="resnet50", imageSize=64, visionWidth=4, visionLayers=[1, 1, 1, 1], visionHeads=2,
                      **TEXT),
    "tiny-vit-b16": dict(backbone="vit-b16", imageSize=32, visionWidth=16, visionLayers=1, visionHeads=2,
                         patchSize=16, **TEXT),
}


def main(out):
    merges = learn_merges(CORPUS, MERGES)
    tokenizer = cc.build_tokenizer(merges)
    vocab_size = tokenizer.get_vocab_size(with_added_tokens=True)
    expected = {"contextLength": 77, "sentences": SENTENCES,
                "tokenIds": [reference_tokenize(s, merges, 77) for s in SENTENCES], "bundles": {}}
    for i, (name, arch) in enumerate(ARCHES.items()):
        arch = dict(arch, vocabSize=vocab_size)
        sd = random_state_dict(arch, seed=i)
        bundle = cc.write_bundle(sd, tokenizer, os.path.join(out, name), f"make_reader_fixtures.py seed {i}",
                                 vision_heads=arch["visionHeads"], text_heads=arch["textHeads"])
        kept = cc.clean_state_dict(sd)
        assert {k: v for k, v in bundle.items() if k in arch} == arch, (bundle, arch)
        expected["bundles"][name] = {
            "tensors": len(kept), "parameters": sum(v.numel() for v in kept.values()),
            "sums": {k: float(kept[k].double().sum()) for k in ("logit_scale", "visual.conv1.weight",
                                                                 "token_embedding.weight", "text_projection")}}
    values = torch.tensor([1.0, -2.5, 0.333333, 65504.0, 1e-3, -0.0])
    dtypes = {"f32": values.to(torch.float32), "f16": values.to(torch.float16),
              "bf16": values.to(torch.bfloat16).reshape(2, 3)}
    save_file(dtypes, os.path.join(out, "dtypes.safetensors"))  # has BF16: the reader's own decoding
    save_file({k: dtypes[k] for k in ("f32", "f16")}, os.path.join(out, "dtypes-f16.safetensors"))  # DJL's decoder
    expected["dtypes"] = {k: {"shape": list(v.shape), "values": [float(x) for x in v.float().flatten()]}
                          for k, v in dtypes.items()}
    with open(os.path.join(out, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")
    print(f"wrote {out}: vocab {vocab_size}, merges {len(merges)}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUT)
