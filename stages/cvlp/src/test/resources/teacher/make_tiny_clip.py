#!/usr/bin/env python3
"""Generates the tiny CLIP-like teacher bundle the cvlp tests distil from (run once; the outputs are committed).

Writes next to this script:
  tiny-clip/model.pt        TorchScript module with CLIP's jit signature forward(image, text) ->
                            (logits_per_image, logits_per_text), its own logit scale inside
  tiny-clip/tokenizer.json  Hugging Face tokenizers file: lowercase, whitespace/punctuation split, word-level vocab,
                            template <|startoftext|> $A <|endoftext|> (eot has the largest id, as in CLIP)
  tiny-clip/teacher.json    the bundle's description (vlltr.clip-teacher/1)
  bad-forward/              the same bundle whose model.pt has forward(image) only (signature mismatch)
  expected.json             a known batch (student-normalised 28x28 images, sentences) and the logits_per_image
                            computed here, independently of the Java code (own tokenizer, F.interpolate)

Usage: python3 make_tiny_clip.py   (torch >= 1.13; the committed files were made with torch 2.7.1 from PyPI, run on
the CPU, the libtorch version of DJL 0.35.1; a rerun rewrites the bundles and expected.json together)
"""
import json
import os
import re

import torch
import torch.nn.functional as F
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
IMAGE_SIZE = 32
CONTEXT = 16
WIDTH = 8
EMBED = 8
CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073]
CLIP_STD = [0.26862954, 0.26130258, 0.27577711]
FMNIST_MEAN = 0.2860  # what the cvlp stage normalises its 28x28 batches with (FashionMnist.MEAN/STD)
FMNIST_STD = 0.3530

CLASS_NAMES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
               "Ankle boot"]
WORDS = ["a", "photo", "of", "the", "blurry", "an", "item", "clothing", "or", "accessory", ".", ":", "-", "/"]
PRE_TOKEN = re.compile(r"\w+|[^\w\s]+")  # the tokenizers "Whitespace" pre-tokenizer


def vocabulary():
    words = []
    for w in WORDS + [t for n in CLASS_NAMES for t in PRE_TOKEN.findall(n.lower())]:
        if w not in words:
            words.append(w)
    vocab = {"<pad>": 0, "<unk>": 1}
    for w in words:
        vocab[w] = len(vocab)
    vocab["<|startoftext|>"] = len(vocab)
    vocab["<|endoftext|>"] = len(vocab)  # largest id: the text tower reads the feature at argmax(text), like CLIP
    return vocab


def tokenize(sentences, vocab):
    """CLIP's clip.tokenize(truncate=True) on the word-level vocabulary: sot + words + eot, cut to CONTEXT keeping
    eot last, zero-padded."""
    sot, eot = vocab["<|startoftext|>"], vocab["<|endoftext|>"]
    out = torch.zeros(len(sentences), CONTEXT, dtype=torch.long)
    for i, s in enumerate(sentences):
        ids = [sot] + [vocab.get(t, vocab["<unk>"]) for t in PRE_TOKEN.findall(s.lower())] + [eot]
        if len(ids) > CONTEXT:
            ids = ids[:CONTEXT]
            ids[-1] = eot
        out[i, :len(ids)] = torch.tensor(ids)
    return out


def tokenizer_json(vocab):
    sot, eot = "<|startoftext|>", "<|endoftext|>"
    special = [{"id": vocab[t], "content": t, "single_word": False, "lstrip": False, "rstrip": False,
                "normalized": False, "special": True} for t in ["<pad>", "<unk>", sot, eot]]
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": special,
        "normalizer": {"type": "Lowercase"},
        "pre_tokenizer": {"type": "Whitespace"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": sot, "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": eot, "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": sot, "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                     {"Sequence": {"id": "B", "type_id": 1}}, {"SpecialToken": {"id": eot, "type_id": 0}}],
            "special_tokens": {sot: {"id": sot, "ids": [vocab[sot]], "tokens": [sot]},
                               eot: {"id": eot, "ids": [vocab[eot]], "tokens": [eot]}},
        },
        "decoder": None,
        "model": {"type": "WordLevel", "vocab": vocab, "unk_token": "<unk>"},
    }


class TinyClip(nn.Module):
    """CLIP's structure in miniature: conv stem + linear image tower, token + position embedding, a tanh MLP and the
    eot feature as text tower, cosine logits scaled by exp(logit_scale)."""

    def __init__(self, vocab_size):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, kernel_size=4, stride=4)
        self.visual_proj = nn.Linear(4 * (IMAGE_SIZE // 4) ** 2, EMBED)
        self.token_embedding = nn.Embedding(vocab_size, WIDTH)
        self.positional_embedding = nn.Parameter(torch.randn(CONTEXT, WIDTH) * 0.1)
        self.text_mlp = nn.Linear(WIDTH, WIDTH)
        self.text_projection = nn.Parameter(torch.randn(WIDTH, EMBED) * WIDTH ** -0.5)
        self.logit_scale = nn.Parameter(torch.tensor(2.6592))  # log(1/0.07), CLIP's init

    def encode_image(self, image):
        return self.visual_proj(torch.relu(self.conv(image)).flatten(1))

    def encode_text(self, text):
        x = self.token_embedding(text) + self.positional_embedding
        x = torch.tanh(self.text_mlp(x))
        return x[torch.arange(x.shape[0]), text.argmax(dim=-1)] @ self.text_projection

    def forward(self, image, text):
        img = self.encode_image(image)
        txt = self.encode_text(text)
        img = img / img.norm(p=2, dim=1, keepdim=True)
        txt = txt / txt.norm(p=2, dim=1, keepdim=True)
        logits_per_image = self.logit_scale.exp() * img @ txt.t()
        return logits_per_image, logits_per_image.t()


class ImageOnly(nn.Module):
    """A module with the wrong signature: forward(image) only."""

    def __init__(self):
        super().__init__()
        self.proj = nn.Linear(3 * IMAGE_SIZE * IMAGE_SIZE, EMBED)

    def forward(self, image):
        return self.proj(image.flatten(1))


def teacher_transform(student_images):
    """The cvlp stage's input (B, 1, 28, 28), normalised with Fashion-MNIST mean/std -> CLIP's input: back to [0, 1],
    bilinear resize (align_corners=False, no antialias), grey replicated to 3 channels, CLIP mean/std."""
    x = student_images * FMNIST_STD + FMNIST_MEAN
    x = F.interpolate(x, size=(IMAGE_SIZE, IMAGE_SIZE), mode="bilinear", align_corners=False)
    x = x.expand(-1, 3, -1, -1)
    mean = torch.tensor(CLIP_MEAN).view(1, 3, 1, 1)
    std = torch.tensor(CLIP_STD).view(1, 3, 1, 1)
    return (x - mean) / std


def write_bundle(folder, module, vocab):
    os.makedirs(folder, exist_ok=True)
    torch.jit.save(torch.jit.script(module.eval()), os.path.join(folder, "model.pt"))
    with open(os.path.join(folder, "tokenizer.json"), "w") as f:
        json.dump(tokenizer_json(vocab), f, indent=1)
        f.write("\n")
    teacher = {"format": "vlltr.clip-teacher/1", "imageSize": IMAGE_SIZE, "channels": 3, "mean": CLIP_MEAN,
               "std": CLIP_STD, "contextLength": CONTEXT, "padId": vocab["<pad>"],
               "eotId": vocab["<|endoftext|>"]}
    with open(os.path.join(folder, "teacher.json"), "w") as f:
        json.dump(teacher, f, indent=2)
        f.write("\n")


def main():
    torch.manual_seed(0)
    vocab = vocabulary()
    model = TinyClip(len(vocab))
    write_bundle(os.path.join(HERE, "tiny-clip"), model, vocab)
    write_bundle(os.path.join(HERE, "bad-forward"), ImageOnly(), vocab)

    # a known batch: 3 images in [0, 1], normalised as the stage feeds them; an unknown word ("velvet") and a
    # sentence longer than the context (truncated, eot kept last)
    pixels = torch.rand(3, 1, 28, 28)
    student = (pixels - FMNIST_MEAN) / FMNIST_STD
    sentences = ["a photo of a sneaker .", "a blurry photo of the velvet ankle boot .",
                 "t-shirt/top: an item of clothing or an accessory, a photo of the shirt of a coat ."]
    tokens = tokenize(sentences, vocab)
    reloaded = torch.jit.load(os.path.join(HERE, "tiny-clip", "model.pt"))
    with torch.no_grad():
        logits = reloaded(teacher_transform(student), tokens)[0]
    expected = {"torch": torch.__version__, "images": student.flatten(1).tolist(), "imageShape": [1, 28, 28],
                "sentences": sentences, "tokens": tokens.tolist(), "logitsPerImage": logits.tolist()}
    with open(os.path.join(HERE, "expected.json"), "w") as f:
        json.dump(expected, f)
        f.write("\n")
    print("logits_per_image", logits)


if __name__ == "__main__":
    main()
