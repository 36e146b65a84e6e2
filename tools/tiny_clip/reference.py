"""Reference outputs of the exported tiny CLIP, run by Python torch on the TorchScript files, for the Java tests
(TinyClipTest): token ids of a few prompts by this directory's own BPE (clip_bpe.py), their text embeddings, and the
pooled and dense image embeddings of the preprocessing fixtures' reference inputs.
    /usr/bin/python3 tools/tiny_clip/reference.py transforms/src/main/resources/org/clipmsm/models/tiny-clip \
        transforms/src/test/resources/org/clipmsm/embed
"""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import clip_bpe  # noqa: E402

PROMPTS = ["faces", "a photo of bodies", "Places  and WORDS!", "food, fruit and a dog", "a photo of the " + "word " * 80]


def main(model_dir, out):
    with open(os.path.join(model_dir, "tokenizer.json")) as f:
        merges = [tuple(m.split(" ")) for m in json.load(f)["model"]["merges"]]
    tok = clip_bpe.Tokenizer(merges)
    ids = torch.tensor([tok.encode(p) for p in PROMPTS])
    image = torch.jit.load(os.path.join(model_dir, "image.pt"))
    text = torch.jit.load(os.path.join(model_dir, "text.pt"))
    pixels = torch.from_numpy(np.stack([np.load(os.path.join(out, n + ".clip.npy")) for n in ("wide", "tall")]))
    with torch.no_grad():
        np.save(os.path.join(out, "tiny-clip.ids.npy"), ids.numpy())
        np.save(os.path.join(out, "tiny-clip.text.npy"), text(ids).numpy())
        np.save(os.path.join(out, "tiny-clip.image.npy"), image(pixels).numpy())
        np.save(os.path.join(out, "tiny-clip.dense.npy"), image.dense(pixels).numpy())
    with open(os.path.join(out, "tiny-clip.prompts.txt"), "w") as f:
        f.write("\n".join(PROMPTS) + "\n")
    print("wrote tiny-clip references to", out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
