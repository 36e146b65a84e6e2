"""Python PyTorch on the same TorchScript file and the same images as `./clipmsm bench embed` (BENCHMARKS.md):
reads the stimuli HDF5, preprocesses with PIL + torchvision (CLIP or ImageNet per model.properties), runs the
encoder's forward in batches, and prints images per second for the forward passes alone and end to end.
    /usr/bin/python3 tools/bench_torch.py --model DIR --images nsd_stimuli.hdf5 [--batch-size 32] [--threads 2]
"""
import argparse
import os
import time

import h5py
import torch
from PIL import Image
from torchvision import transforms as T

PRE = {
    "clip": T.Compose([T.Resize(224, interpolation=T.InterpolationMode.BICUBIC), T.CenterCrop(224), T.ToTensor(),
                       T.Normalize((0.48145466, 0.4578275, 0.40821073), (0.26862954, 0.26130258, 0.27577711))]),
    "imagenet": T.Compose([T.Resize(256), T.CenterCrop(224), T.ToTensor(),
                           T.Normalize((0.485, 0.456, 0.406), (0.229, 0.224, 0.225))]),
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--images", required=True)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--warmup", type=int, default=2, help="batches run before timing")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    props = dict(l.strip().split("=", 1) for l in open(os.path.join(a.model, "model.properties"))
                 if "=" in l and not l.startswith("#"))
    pre = PRE[props.get("preprocess", "clip")]
    model = torch.jit.load(os.path.join(a.model, "image.pt")).eval()
    with h5py.File(a.images, "r") as f:
        brick = f["imgBrick"][:]
    n = len(brick)
    t0 = time.perf_counter()
    x = torch.stack([pre(Image.fromarray(im)) for im in brick])
    t_pre = time.perf_counter() - t0
    with torch.no_grad():
        for i in range(a.warmup):
            model(x[:a.batch_size])
        t_fwd, passes, t_start = float("inf"), 0, time.perf_counter()
        # the best pass of ten, or of as many as fit in a minute (at least three), as clipmsm bench embed does
        while passes < 3 or (passes < 10 and time.perf_counter() - t_start < 60):
            passes += 1
            t0 = time.perf_counter()
            for i in range(0, n, a.batch_size):
                model(x[i:i + a.batch_size])
            t_fwd = min(t_fwd, time.perf_counter() - t0)
    print(f"python torch {torch.__version__}, {a.threads} threads, batch {a.batch_size}, {n} images of "
          f"{brick.shape[1]}x{brick.shape[2]}: preprocessing {n / t_pre:.1f} images/s, forward {n / t_fwd:.1f} images/s (best of {passes}),"
          f" both {n / (t_pre + t_fwd):.1f} images/s")


if __name__ == "__main__":
    main()
