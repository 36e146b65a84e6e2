"""Exports a real CLIP's encoders in the form clipmsm loads (run it on a machine that has the weights; nothing here
downloads at clipmsm's run time):

    pip install torch git+https://github.com/openai/CLIP   # OpenAI's `clip` package and its weights cache
    python tools/export_clip.py --name ViT-B/32 --out models/clip-vit-b32 [--onnx]
    ./clipmsm embed --images DIR --model models/clip-vit-b32 --out emb

Names: RN50, ViT-B/32, ViT-B/16 (any name clip.available_models() lists, or a local .pt checkpoint path).
Writes into --out:
  image.pt          TorchScript; forward(pixels (B,3,224,224) float32, CLIP-preprocessed) -> (B, D) = encode_image;
                    method dense(pixels) -> (B, h, w, D): MaskCLIP-style per-position embeddings (tiny_clip/model.py)
  text.pt           TorchScript; forward(ids (B,77) int64) -> (B, D) = encode_text
  image.onnx, image-dense.onnx, text.onnx   with --onnx (opset 14, dynamic batch)
  tokenizer.json    CLIP's BPE (the package's bpe_simple_vocab_16e6.txt.gz) in the HuggingFace tokenizers format
  model.properties  preprocess=clip
The encoders are exported in float32 (CLIP's CPU weights), not normalised: exactly encode_image / encode_text.
"""
import argparse
import gzip
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "tiny_clip"))
import clip_bpe  # noqa: E402
from model import DenseImageEncoder, ImageEncoder, TextEncoder  # noqa: E402


class ResNetImageEncoder(nn.Module):
    """CLIP's ModifiedResNet: forward = encode_image (attention pool); dense = the attention pool's value and output
    projections at every position of the last feature map (MaskCLIP, Zhou et al. 2022, for ResNets)."""

    def __init__(self, clip_model):
        super().__init__()
        self.visual = clip_model.visual

    def forward(self, pixels):
        return self.visual(pixels.to(self.visual.conv1.weight.dtype)).float()

    def trunk(self, x):
        v = self.visual
        x = x.to(v.conv1.weight.dtype)
        x = v.relu1(v.bn1(v.conv1(x)))
        x = v.relu2(v.bn2(v.conv2(x)))
        x = v.relu3(v.bn3(v.conv3(x)))
        x = v.avgpool(x)
        return v.layer4(v.layer3(v.layer2(v.layer1(x))))

    def dense(self, pixels):
        x = self.trunk(pixels).permute(0, 2, 3, 1)
        pool = self.visual.attnpool
        return pool.c_proj(pool.v_proj(x)).float()


class DenseResNetImageEncoder(ResNetImageEncoder):
    def forward(self, pixels):
        return self.dense(pixels)


def export(model, tokenizer, out, onnx):
    os.makedirs(out, exist_ok=True)
    model = model.float().eval()
    resnet = not hasattr(model.visual, "class_embedding")
    image, dense = (ResNetImageEncoder(model), DenseResNetImageEncoder(model)) if resnet else \
        (ImageEncoder(model), DenseImageEncoder(model))
    x = torch.randn(2, 3, 224, 224)
    ids = torch.tensor([tokenizer.encode("a photo of faces"), tokenizer.encode("food")])
    with torch.no_grad():
        torch.jit.trace_module(image, {"forward": x, "dense": x}, check_trace=False).save(os.path.join(out, "image.pt"))
        torch.jit.trace(TextEncoder(model), ids, check_trace=False).save(os.path.join(out, "text.pt"))
        if onnx:
            for name, module, example, inp in [("image", image, x, "pixels"), ("image-dense", dense, x, "pixels"),
                                               ("text", TextEncoder(model), ids, "ids")]:
                torch.onnx.export(module, example, os.path.join(out, name + ".onnx"), opset_version=14,
                                  input_names=[inp], output_names=["embedding"],
                                  dynamic_axes={inp: {0: "batch"}, "embedding": {0: "batch"}})
    tokenizer.save(os.path.join(out, "tokenizer.json"))
    with open(os.path.join(out, "model.properties"), "w") as f:
        f.write(f"# exported by tools/export_clip.py\nkind=clip\npreprocess=clip\nimage_size=224\ncontext_length=77\n"
                f"embedding_dim={model.text_projection.shape[1]}\n")


def main():
    import clip  # OpenAI's package
    ap = argparse.ArgumentParser()
    ap.add_argument("--name", required=True, help="RN50, ViT-B/32, ViT-B/16, ... or a checkpoint path")
    ap.add_argument("--out", required=True)
    ap.add_argument("--onnx", action="store_true", help="also write the ONNX files")
    a = ap.parse_args()
    model, _ = clip.load(a.name, device="cpu", jit=False)
    bpe = os.path.join(os.path.dirname(clip.__file__), "bpe_simple_vocab_16e6.txt.gz")
    # CLIP's own construction: the first 49152 - 256 - 2 merges of the file (simple_tokenizer.SimpleTokenizer).
    merges = gzip.open(bpe).read().decode("utf-8").split("\n")[1:49152 - 256 - 2 + 1]
    export(model, clip_bpe.Tokenizer([tuple(m.split()) for m in merges]), a.out, a.onnx)
    print("exported", a.name, "to", a.out)


if __name__ == "__main__":
    main()
