"""Trains the tiny CLIP that ships with clipmsm, contrastively, on the synthetic subjects' procedurally drawn scenes,
and exports it in the form of a real CLIP export (image.pt, text.pt, image.onnx, image-dense.onnx, text.onnx,
tokenizer.json, model.properties).

Images come from the project's own generator, written by the command line:
    ./clipmsm synth nsd --out /tmp/tc/s11 --seed 11 --images 2500 --image-size 64 --voxels 20
    ./clipmsm synth nsd --out /tmp/tc/s12 --seed 12 --images 2500 --image-size 160 --voxels 20
    ./clipmsm synth nsd --out /tmp/tc/s13 --seed 13 --images 500 --image-size 96 --voxels 20   # held out
    /usr/bin/python3 tools/tiny_clip/train.py --data /tmp/tc --out transforms/src/main/resources/org/clipmsm/models/tiny-clip
Each scene's truth/content.npy (images x [faces, bodies, places, words, food] amounts) gives its caption: the
categories it holds, largest first ("faces", "a photo of food and words", ...). Debian's python3-torch (1.13),
python3-torchvision (for PIL-exact CLIP preprocessing) and python3-h5py. A few CPU-minutes.
"""
import argparse
import os
import random
import sys
import time

import h5py
import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import clip_bpe  # noqa: E402
from model import DenseImageEncoder, ImageEncoder, TextEncoder, TinyClip  # noqa: E402

LABELS = ["faces", "bodies", "places", "words", "food"]
TEMPLATES = ["{}", "a photo of {}", "a picture of {}", "an image of {}", "a photo of the {}"]
WORDS = LABELS + ["face", "body", "place", "word", "a", "an", "photo", "picture", "image", "of", "the", "and",
                  "with", "people", "scene", "text", "fruit"]
MEAN = np.array([0.48145466, 0.4578275, 0.40821073], dtype=np.float32)
STD = np.array([0.26862954, 0.26130258, 0.27577711], dtype=np.float32)
PRESENT = 0.08  # least share of the canvas for a category to be named in the caption


def load(root):
    with h5py.File(os.path.join(root, "nsddata_stimuli/stimuli/nsd/nsd_stimuli.hdf5"), "r") as f:
        brick = f["imgBrick"][:]
    content = np.load(os.path.join(root, "truth/content.npy"))
    # CLIP's preprocessing up to normalisation: bicubic (PIL) to 224 (the scenes are square, so no crop is left).
    images = np.stack([np.asarray(Image.fromarray(im).resize((224, 224), Image.BICUBIC)) for im in brick])
    return images, content


def caption(amounts, rnd):
    order = [c for c in np.argsort(-amounts) if amounts[c] >= PRESENT] or [int(np.argmax(amounts))]
    named = order[:rnd.randint(1, len(order))]
    words = [LABELS[c] for c in named]
    body = words[0] if len(words) == 1 else ", ".join(words[:-1]) + rnd.choice([" and ", " with "]) + words[-1]
    return rnd.choice(TEMPLATES).format(body)


def to_input(images):
    x = torch.from_numpy(images).float().div(255).permute(0, 3, 1, 2)
    return (x - torch.from_numpy(MEAN)[:, None, None]) / torch.from_numpy(STD)[:, None, None]


def zero_shot(model, tok, images, content, batch=250):
    with torch.no_grad():
        t = F.normalize(model.encode_text(torch.tensor([tok.encode(l) for l in LABELS])), dim=-1)
        hits = 0
        for i in range(0, len(images), batch):
            e = F.normalize(model.encode_image(to_input(images[i:i + batch])), dim=-1)
            hits += int((e @ t.T).argmax(-1).eq(torch.from_numpy(content[i:i + batch].argmax(-1))).sum())
    return hits / len(images)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True, help="folder holding s11, s12 (training) and s13 (held out)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--seed", type=int, default=5)
    a = ap.parse_args()
    torch.manual_seed(a.seed)
    rnd = random.Random(a.seed)
    torch.set_num_threads(2)

    tok = clip_bpe.Tokenizer(clip_bpe.learn_merges(WORDS))
    parts = [load(os.path.join(a.data, s)) for s in ("s11", "s12")]
    images = np.concatenate([p[0] for p in parts])
    content = np.concatenate([p[1] for p in parts])
    held_images, held_content = load(os.path.join(a.data, "s13"))
    print(f"{len(images)} training images, {len(held_images)} held out, vocabulary {len(tok.encoder)}", flush=True)

    model = TinyClip(vocab_size=len(tok.encoder))
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.05)
    steps = a.epochs * (len(images) // a.batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, total_steps=steps, pct_start=0.1)
    t0 = time.time()
    for epoch in range(a.epochs):
        order = np.random.RandomState(a.seed + epoch).permutation(len(images))
        model.train()
        total = 0.0
        for s in range(len(images) // a.batch):
            idx = order[s * a.batch:(s + 1) * a.batch]
            x = to_input(images[idx])
            if rnd.random() < 0.5:
                x = x.flip(-1)
            caps = [caption(content[i], rnd) for i in idx]
            ids = torch.tensor([tok.encode(c) for c in caps])
            img = F.normalize(model.encode_image(x), dim=-1)
            txt = F.normalize(model.encode_text(ids), dim=-1)
            # Real CLIP's logit scale ends training at its clamp, 100; fixing it there gives this model real CLIP's
            # geometry of image-text cosines (about 0.1-0.4, a modality gap), the scale the dissection's a and
            # softmax were tuned for. A learned scale stayed near 20 here and spread the cosines over -0.7..0.7.
            logits = 100.0 * img @ txt.T
            # Identical captions in a batch are all positives (soft targets), not false negatives.
            same = torch.tensor([[ci == cj for cj in caps] for ci in caps], dtype=torch.float32)
            target = same / same.sum(1, keepdim=True)
            loss = (torch.sum(-target * F.log_softmax(logits, 1), 1).mean()
                    + torch.sum(-target * F.log_softmax(logits.T, 1), 1).mean()) / 2
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += float(loss)
        model.eval()
        acc = zero_shot(model, tok, held_images, held_content)
        print(f"epoch {epoch + 1}: loss {total / (len(images) // a.batch):.3f}, held-out zero-shot accuracy"
              f" {acc:.3f} ({time.time() - t0:.0f} s)", flush=True)
    export(model.eval(), tok, a.out, acc)


def export(model, tok, out, accuracy):
    os.makedirs(out, exist_ok=True)
    x = torch.randn(2, 3, 224, 224)
    ids = torch.tensor([tok.encode("faces"), tok.encode("a photo of food and words")])
    with torch.no_grad():
        image = torch.jit.trace_module(ImageEncoder(model), {"forward": x, "dense": x}, check_trace=False)
        image.save(os.path.join(out, "image.pt"))
        torch.jit.trace(TextEncoder(model), ids, check_trace=False).save(os.path.join(out, "text.pt"))
        for name, module, example, inp in [("image", ImageEncoder(model), x, "pixels"),
                                           ("image-dense", DenseImageEncoder(model), x, "pixels"),
                                           ("text", TextEncoder(model), ids, "ids")]:
            torch.onnx.export(module, example, os.path.join(out, name + ".onnx"), opset_version=14,
                              input_names=[inp], output_names=["embedding"],
                              dynamic_axes={inp: {0: "batch"}, "embedding": {0: "batch"}})
    tok.save(os.path.join(out, "tokenizer.json"))
    with open(os.path.join(out, "model.properties"), "w") as f:
        f.write("# clipmsm model directory: image/text encoders exported by tools/tiny_clip/train.py\n"
                "kind=clip\npreprocess=clip\nimage_size=224\ncontext_length=77\n"
                f"embedding_dim={model.text_projection.shape[1]}\n"
                f"# held-out zero-shot accuracy over {', '.join(LABELS)} at export: {accuracy:.3f}\n"
                "# TODO after retraining: re-derive gap_image and gap_text (the modality-gap coordinate that\n"
                "# calibrates the cosines to real CLIP's; docs/method.md section 1, TinyClipCalibrationTest) and\n"
                "# add them here; embedding_dim is then one more than the network's.\n")
    print("exported to", out)


if __name__ == "__main__":
    main()
