#!/usr/bin/env python3
"""Converts OpenAI CLIP weights into a vlltr CLIP bundle (format vlltr.clip-bundle/1) for the cvlp stage.

A bundle is a folder with three files:
  clip.safetensors  the CLIP state dict under OpenAI's parameter names (visual.*, transformer.*,
                    token_embedding.weight, positional_embedding, ln_final.*, text_projection, logit_scale);
                    BatchNorm step counters and the jit archive's int constants are dropped
  bundle.json       the architecture (backbone resnet50 = CLIP's ModifiedResNet, vit-b16 = CLIP's ViT; widths,
                    layers, heads, patch, image size, embed dim, context length, vocab size), CLIP's image
                    normalisation and where the weights came from
  tokenizer.json    CLIP's byte-level BPE as a Hugging Face tokenizers file (built from CLIP's
                    bpe_simple_vocab_16e6.txt.gz, or copied from a given tokenizer.json such as the one of the
                    Hugging Face repository openai/clip-vit-base-patch16)

Where the weights are available (needs torch, safetensors, tokenizers; plus the `clip` package for --openai or
`open_clip_torch` for --open-clip):
  python3 convert_clip.py --openai RN50 --out clip-rn50/
  python3 convert_clip.py --openai ViT-B/16 --out clip-vit-b16/
  python3 convert_clip.py --open-clip RN50 --pretrained openai --out clip-rn50/
  python3 convert_clip.py --state-dict RN50.pt --bpe bpe_simple_vocab_16e6.txt.gz --out clip-rn50/
      (RN50.pt: OpenAI's downloaded jit archive, or a torch.save()d state dict with CLIP's names)

The architecture is read off the state dict as CLIP's own clip/model.py build_model() does; heads default to
width / 64 as there (give --vision-heads / --text-heads for other models). Errors exit with status 2.
"""
import argparse
import gzip
import json
import os
import sys

FORMAT = "vlltr.clip-bundle/1"
# CLIP's image normalisation (clip/clip.py _transform)
CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073]
CLIP_STD = [0.26862954, 0.26130258, 0.27577711]
SOT = "<|startoftext|>"
EOT = "<|endoftext|>"
# CLIP's pre-tokenisation pattern (clip/simple_tokenizer.py), applied to lower-cased text
PATTERN = r"""<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+"""
CLIP_MERGES = 49152 - 256 - 2  # merges CLIP's SimpleTokenizer keeps from its bpe file
DROPPED = ("input_resolution", "context_length", "vocab_size")  # ints stored in OpenAI's jit archives


class ConversionError(Exception):
    pass


def bytes_to_unicode():
    """CLIP's (and GPT-2's) reversible byte -> printable character table, in CLIP's order."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("\u00a1"), ord("\u00ac") + 1)) \
        + list(range(ord("\u00ae"), ord("\u00ff") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


def read_bpe_merges(path, limit=CLIP_MERGES):
    """Merges of a CLIP bpe file (gzip or plain text; first line is a '#version' header)."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        lines = f.read().split("\n")
    if not lines or not lines[0].startswith("#version"):
        raise ConversionError(f"{path}: line 1: expected a '#version' header of a CLIP bpe merges file")
    merges = []
    for i, line in enumerate(lines[1:limit + 1], start=2):
        if not line:
            continue
        parts = line.split(" ")
        if len(parts) != 2:
            raise ConversionError(f"{path}: line {i}: expected two space-separated symbols, got {line!r}")
        merges.append((parts[0], parts[1]))
    return merges


def clip_vocabulary(merges):
    """CLIP's SimpleTokenizer vocabulary: bytes, bytes + '</w>', merged symbols, then sot and eot."""
    vocab = list(bytes_to_unicode().values())
    vocab = vocab + [v + "</w>" for v in vocab]
    vocab += ["".join(m) for m in merges]
    vocab += [SOT, EOT]
    return {tok: i for i, tok in enumerate(vocab)}


def build_tokenizer(merges):
    """CLIP's BPE as a Hugging Face tokenizers object: NFC + whitespace collapse + lowercase (CLIP's
    whitespace_clean(...).lower(); ftfy's repairs are not reproduced), CLIP's regex split, byte-level alphabet,
    BPE with '</w>' word ends, template <|startoftext|> $A <|endoftext|>."""
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors
    vocab = clip_vocabulary(merges)
    tok = Tokenizer(models.BPE(vocab=vocab, merges=merges, end_of_word_suffix="</w>", continuing_subword_prefix="",
                               unk_token=EOT, fuse_unk=False))
    tok.normalizer = normalizers.Sequence([normalizers.NFC(), normalizers.Replace(Regex(r"\s+"), " "),
                                           normalizers.Lowercase()])
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(PATTERN), behavior="removed", invert=True),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)])
    tok.decoder = decoders.ByteLevel()
    tok.post_processor = processors.TemplateProcessing(
        single=f"{SOT} $A {EOT}", special_tokens=[(SOT, vocab[SOT]), (EOT, vocab[EOT])])
    tok.add_special_tokens([SOT, EOT])
    return tok


def count_blocks(sd, prefix):
    return len({k[len(prefix):].split(".")[0] for k in sd if k.startswith(prefix)})


def architecture(sd, vision_heads=None, text_heads=None):
    """bundle.json's architecture fields, read off the state dict as clip/model.py build_model() does."""
    need = ["text_projection", "positional_embedding", "token_embedding.weight", "ln_final.weight", "logit_scale"]
    for k in need:
        if k not in sd:
            raise ConversionError(f"state dict: no tensor '{k}' (expected OpenAI CLIP parameter names)")
    arch = {}
    if "visual.proj" in sd:
        width = sd["visual.conv1.weight"].shape[0]
        patch = sd["visual.conv1.weight"].shape[-1]
        grid = round((sd["visual.positional_embedding"].shape[0] - 1) ** 0.5)
        arch.update(backbone="vit-b16", imageSize=patch * grid, visionWidth=width,
                    visionLayers=count_blocks(sd, "visual.transformer.resblocks."),
                    visionHeads=vision_heads or width // 64, patchSize=patch)
    elif "visual.attnpool.positional_embedding" in sd:
        layers = [count_blocks(sd, f"visual.layer{b}.") for b in (1, 2, 3, 4)]
        width = sd["visual.layer1.0.conv1.weight"].shape[0]
        grid = round((sd["visual.attnpool.positional_embedding"].shape[0] - 1) ** 0.5)
        arch.update(backbone="resnet50", imageSize=grid * 32, visionWidth=width, visionLayers=layers,
                    visionHeads=vision_heads or width * 32 // 64)
    else:
        raise ConversionError("state dict: neither 'visual.proj' (ViT) nor 'visual.attnpool.positional_embedding'"
                              " (ModifiedResNet): not an OpenAI CLIP state dict")
    text_width = sd["ln_final.weight"].shape[0]
    arch.update(embedDim=sd["text_projection"].shape[1], contextLength=sd["positional_embedding"].shape[0],
                vocabSize=sd["token_embedding.weight"].shape[0], textWidth=text_width,
                textHeads=text_heads or text_width // 64, textLayers=count_blocks(sd, "transformer.resblocks."))
    for f in ("visionHeads", "textHeads"):
        if arch[f] < 1:
            raise ConversionError(f"{f}: width / 64 is 0 for this model; give --vision-heads / --text-heads")
    return arch


def expected_shapes(a):
    """Every tensor name of CLIP's state dict for the architecture, with its shape (clip/model.py)."""
    s = {}

    def block(prefix, w):
        s.update({prefix + "attn.in_proj_weight": [3 * w, w], prefix + "attn.in_proj_bias": [3 * w],
                  prefix + "attn.out_proj.weight": [w, w], prefix + "attn.out_proj.bias": [w],
                  prefix + "ln_1.weight": [w], prefix + "ln_1.bias": [w],
                  prefix + "mlp.c_fc.weight": [4 * w, w], prefix + "mlp.c_fc.bias": [4 * w],
                  prefix + "mlp.c_proj.weight": [w, 4 * w], prefix + "mlp.c_proj.bias": [w],
                  prefix + "ln_2.weight": [w], prefix + "ln_2.bias": [w]})

    def bn(prefix, c):
        s.update({prefix + n: [c] for n in ("weight", "bias", "running_mean", "running_var")})

    w, e = a["visionWidth"], a["embedDim"]
    if a["backbone"] == "vit-b16":
        p, grid = a["patchSize"], a["imageSize"] // a["patchSize"]
        s.update({"visual.class_embedding": [w], "visual.positional_embedding": [grid * grid + 1, w],
                  "visual.proj": [w, e], "visual.conv1.weight": [w, 3, p, p], "visual.ln_pre.weight": [w],
                  "visual.ln_pre.bias": [w], "visual.ln_post.weight": [w], "visual.ln_post.bias": [w]})
        for i in range(a["visionLayers"]):
            block(f"visual.transformer.resblocks.{i}.", w)
    else:
        s["visual.conv1.weight"] = [w // 2, 3, 3, 3]
        bn("visual.bn1.", w // 2)
        s["visual.conv2.weight"] = [w // 2, w // 2, 3, 3]
        bn("visual.bn2.", w // 2)
        s["visual.conv3.weight"] = [w, w // 2, 3, 3]
        bn("visual.bn3.", w)
        inplanes = w
        for li, blocks in enumerate(a["visionLayers"]):
            planes = w * 2 ** li
            for b in range(blocks):
                pre = f"visual.layer{li + 1}.{b}."
                s[pre + "conv1.weight"] = [planes, inplanes, 1, 1]
                bn(pre + "bn1.", planes)
                s[pre + "conv2.weight"] = [planes, planes, 3, 3]
                bn(pre + "bn2.", planes)
                s[pre + "conv3.weight"] = [planes * 4, planes, 1, 1]
                bn(pre + "bn3.", planes * 4)
                if b == 0:  # stride 2 or a width change: avgpool + 1x1 conv + BN
                    s[pre + "downsample.0.weight"] = [planes * 4, inplanes, 1, 1]
                    bn(pre + "downsample.1.", planes * 4)
                inplanes = planes * 4
        d, grid = w * 32, a["imageSize"] // 32
        s["visual.attnpool.positional_embedding"] = [grid * grid + 1, d]
        for n in ("k_proj", "q_proj", "v_proj"):
            s[f"visual.attnpool.{n}.weight"] = [d, d]
            s[f"visual.attnpool.{n}.bias"] = [d]
        s["visual.attnpool.c_proj.weight"] = [e, d]
        s["visual.attnpool.c_proj.bias"] = [e]
    t = a["textWidth"]
    s.update({"positional_embedding": [a["contextLength"], t], "token_embedding.weight": [a["vocabSize"], t],
              "ln_final.weight": [t], "ln_final.bias": [t], "text_projection": [t, e], "logit_scale": []})
    for i in range(a["textLayers"]):
        block(f"transformer.resblocks.{i}.", t)
    return s


def clean_state_dict(sd):
    """Drops what is not a weight: the jit archive's int constants and BatchNorm step counters (the reader
    tolerates the counters, int64, and ignores them)."""
    return {k: v for k, v in sd.items() if k not in DROPPED and not k.endswith("num_batches_tracked")}


def check_state_dict(sd, arch):
    want = expected_shapes(arch)
    missing = sorted(set(want) - set(sd))
    extra = sorted(set(sd) - set(want))
    if missing or extra:
        raise ConversionError(f"state dict does not match the {arch['backbone']} architecture read off it:"
                              f" missing {missing[:5]}{'...' if len(missing) > 5 else ''},"
                              f" unexpected {extra[:5]}{'...' if len(extra) > 5 else ''}")
    for k, shape in want.items():
        if list(sd[k].shape) != shape:
            raise ConversionError(f"state dict: tensor '{k}': expected shape {shape}, found {list(sd[k].shape)}")


def write_bundle(sd, tokenizer, out, source, dtype="f32", vision_heads=None, text_heads=None):
    """Writes clip.safetensors, bundle.json and tokenizer.json into out (created; existing files replaced)."""
    import torch
    from safetensors.torch import save_file
    sd = clean_state_dict(sd)
    arch = architecture(sd, vision_heads, text_heads)
    check_state_dict(sd, arch)
    if tokenizer.get_vocab_size(with_added_tokens=True) != arch["vocabSize"]:
        raise ConversionError(f"tokenizer: {tokenizer.get_vocab_size(with_added_tokens=True)} ids, the model's"
                              f" token_embedding has {arch['vocabSize']}")
    torch_dtype = {"f32": torch.float32, "f16": torch.float16, "bf16": torch.bfloat16}[dtype]
    tensors = {k: v.detach().to("cpu", torch_dtype).contiguous() for k, v in sd.items()}
    os.makedirs(out, exist_ok=True)
    save_file(tensors, os.path.join(out, "clip.safetensors"))
    tokenizer.save(os.path.join(out, "tokenizer.json"))
    bundle = {"format": FORMAT}
    bundle.update(arch)
    bundle.update(mean=CLIP_MEAN, std=CLIP_STD, source=source)
    with open(os.path.join(out, "bundle.json"), "w", encoding="utf-8") as f:
        json.dump(bundle, f, indent=2)
        f.write("\n")
    return bundle


def load_state_dict(args):
    import torch
    if args.openai:
        import clip  # pip install git+https://github.com/openai/CLIP
        model, _ = clip.load(args.openai, device="cpu", jit=False)
        return model.state_dict(), f"openai/CLIP clip.load({args.openai!r})"
    if args.open_clip:
        import open_clip  # pip install open_clip_torch
        model = open_clip.create_model(args.open_clip, pretrained=args.pretrained, device="cpu")
        return model.state_dict(), f"open_clip {args.open_clip} pretrained={args.pretrained}"
    try:  # OpenAI's downloads are jit archives; a state dict from torch.save is a plain dict
        sd = torch.jit.load(args.state_dict, map_location="cpu").state_dict()
    except RuntimeError:
        sd = torch.load(args.state_dict, map_location="cpu", weights_only=True)
    if not isinstance(sd, dict):
        raise ConversionError(f"{args.state_dict}: neither a TorchScript archive nor a state dict")
    return sd, f"state dict {os.path.basename(args.state_dict)}"


def load_tokenizer(args):
    from tokenizers import Tokenizer
    if args.tokenizer_json:
        return Tokenizer.from_file(args.tokenizer_json)
    bpe = args.bpe
    if not bpe and (args.openai or args.open_clip):  # both packages ship CLIP's merges file
        package = __import__("clip" if args.openai else "open_clip")
        bpe = os.path.join(os.path.dirname(package.__file__), "bpe_simple_vocab_16e6.txt.gz")
    if not bpe:
        raise ConversionError("give --bpe (CLIP's bpe_simple_vocab_16e6.txt.gz) or --tokenizer-json")
    return build_tokenizer(read_bpe_merges(bpe))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--openai", metavar="NAME", help="clip.load name: RN50, ViT-B/16, ...")
    src.add_argument("--open-clip", metavar="NAME", help="open_clip model name (with --pretrained)")
    src.add_argument("--state-dict", metavar="FILE", help="OpenAI jit archive or torch.save()d state dict")
    ap.add_argument("--pretrained", default="openai", help="open_clip pretrained tag (default openai)")
    ap.add_argument("--bpe", help="CLIP's bpe_simple_vocab_16e6.txt.gz (default with --openai / --open-clip: the"
                    " package's own copy)")
    ap.add_argument("--tokenizer-json", help="copy this Hugging Face tokenizer.json instead of building one")
    ap.add_argument("--dtype", choices=["f32", "f16", "bf16"], default="f32", help="stored dtype (default f32)")
    ap.add_argument("--vision-heads", type=int, help="default: CLIP's rule from the width")
    ap.add_argument("--text-heads", type=int, help="default: text width / 64")
    ap.add_argument("--out", required=True, help="bundle folder to write")
    args = ap.parse_args(argv)
    try:
        sd, source = load_state_dict(args)
        check_state_dict(clean_state_dict(sd), architecture(clean_state_dict(sd), args.vision_heads,
                                                            args.text_heads))  # before the tokenizer is read
        bundle = write_bundle(sd, load_tokenizer(args), args.out, source, args.dtype, args.vision_heads,
                              args.text_heads)
    except (ConversionError, OSError) as e:
        print(f"convert_clip: {e}", file=sys.stderr)
        return 2
    print(f"wrote {args.out}: {bundle['backbone']} {bundle['imageSize']}px, embed {bundle['embedDim']}, "
          f"vocab {bundle['vocabSize']}, from {source}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
