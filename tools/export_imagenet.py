"""Exports a torchvision ImageNet classifier up to its average pool, in the form clipmsm loads:

    python tools/export_imagenet.py --arch resnet50 --out models/resnet50            # ImageNet weights (torchvision)
    python tools/export_imagenet.py --arch alexnet  --out models/alexnet
    python tools/export_imagenet.py --arch vit_b_32 --random --out /tmp/vitb32       # random weights (benchmarks)

forward(pixels (B,3,224,224), ImageNet-preprocessed) -> the pooled features: resnet50 avgpool (B, 2048), alexnet
avgpool flattened (B, 9216), vit_b_32 class token (B, 768); dense(pixels) -> (B, h, w, C): the last convolutional map
(resnet50 layer4 7x7x2048, alexnet features 6x6x256) or the ViT's patch tokens (7x7x768). TorchScript (image.pt),
with --onnx also image.onnx / image-dense.onnx. model.properties says preprocess=imagenet. Debian's python3-torchvision
0.14 works (weights: its cache, or --random).
"""
import argparse
import os

import torch
import torchvision
from torch import nn


class Pooled(nn.Module):
    def __init__(self, arch, net):
        super().__init__()
        self.arch = arch
        self.net = net

    def maps(self, x):
        n = self.net
        if self.arch == "resnet50":
            x = n.maxpool(n.relu(n.bn1(n.conv1(x))))
            return n.layer4(n.layer3(n.layer2(n.layer1(x))))
        if self.arch == "alexnet":
            return n.features(x)
        x = n._process_input(x)
        x = torch.cat([n.class_token.expand(x.shape[0], -1, -1), x], dim=1)
        return n.encoder(x)

    def forward(self, x):
        m = self.maps(x)
        if self.arch == "resnet50":
            return torch.flatten(self.net.avgpool(m), 1)
        if self.arch == "alexnet":
            return torch.flatten(self.net.avgpool(m), 1)
        return m[:, 0]

    def dense(self, x):
        m = self.maps(x)
        if self.arch == "vit_b_32":
            t = m[:, 1:]
            side = self.net.image_size // self.net.patch_size
            return t.reshape(t.shape[0], side, side, t.shape[2])
        return m.permute(0, 2, 3, 1)


class Dense(Pooled):
    def forward(self, x):
        return self.dense(x)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--arch", required=True, choices=["resnet50", "alexnet", "vit_b_32"])
    ap.add_argument("--out", required=True)
    ap.add_argument("--random", action="store_true", help="random weights (no download): for benchmarks")
    ap.add_argument("--onnx", action="store_true")
    a = ap.parse_args()
    torch.manual_seed(0)
    net = getattr(torchvision.models, a.arch)(weights=None if a.random else "IMAGENET1K_V1").eval()
    os.makedirs(a.out, exist_ok=True)
    x = torch.randn(2, 3, 224, 224)
    with torch.no_grad():
        torch.jit.trace_module(Pooled(a.arch, net), {"forward": x, "dense": x}, check_trace=False) \
            .save(os.path.join(a.out, "image.pt"))
        if a.onnx:
            for name, m in (("image", Pooled(a.arch, net)), ("image-dense", Dense(a.arch, net))):
                torch.onnx.export(m, x, os.path.join(a.out, name + ".onnx"), opset_version=14,
                                  input_names=["pixels"], output_names=["embedding"],
                                  dynamic_axes={"pixels": {0: "batch"}, "embedding": {0: "batch"}})
    with open(os.path.join(a.out, "model.properties"), "w") as f:
        f.write(f"# exported by tools/export_imagenet.py --arch {a.arch}{' --random' if a.random else ''}\n"
                "kind=imagenet\npreprocess=imagenet\nimage_size=224\n")
    print("exported", a.arch, "to", a.out)


if __name__ == "__main__":
    main()
