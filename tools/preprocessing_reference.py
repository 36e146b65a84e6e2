"""Fixture images and their reference encoder inputs, computed once with PIL + torchvision (Debian's python3-pil 9.4,
python3-torchvision 0.14) and committed next to the Java test that compares against them (EmbedKernelsTest):
    /usr/bin/python3 tools/preprocessing_reference.py transforms/src/test/resources/org/clipmsm/embed
CLIP: OpenAI CLIP's _transform (Resize(224, BICUBIC), CenterCrop(224), RGB, ToTensor, Normalize(CLIP mean/std)).
ImageNet: torchvision's classification preset (Resize(256), CenterCrop(224), ToTensor, Normalize(ImageNet mean/std)).
"""
import os
import sys

import numpy as np
from PIL import Image
from torchvision import transforms as T

CLIP = T.Compose([T.Resize(224, interpolation=T.InterpolationMode.BICUBIC), T.CenterCrop(224),
                  lambda im: im.convert("RGB"), T.ToTensor(),
                  T.Normalize((0.48145466, 0.4578275, 0.40821073), (0.26862954, 0.26130258, 0.27577711))])
IMAGENET = T.Compose([T.Resize(256), T.CenterCrop(224), lambda im: im.convert("RGB"), T.ToTensor(),
                      T.Normalize((0.485, 0.456, 0.406), (0.229, 0.224, 0.225))])


def scene(w, h, rnd):
    """Smooth gradients, hard-edged blocks and pixel noise: every resampling path matters."""
    y, x = np.mgrid[0:h, 0:w]
    img = np.stack([255 * x / w, 255 * y / h, 128 + 100 * np.sin(x / 7.0 + y / 11.0)], -1)
    for _ in range(12):
        x0, y0 = rnd.randint(0, w - 8), rnd.randint(0, h - 8)
        img[y0:y0 + rnd.randint(4, h // 3), x0:x0 + rnd.randint(4, w // 3)] = rnd.randint(0, 256, 3)
    img += rnd.normal(0, 12, img.shape)
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)


def main(out):
    rnd = np.random.RandomState(7)
    images = {
        "wide": Image.fromarray(scene(301, 203, rnd)),            # shrink, landscape, odd crop offset
        "tall": Image.fromarray(scene(150, 263, rnd)),            # enlarge, portrait
        "grey": Image.fromarray(scene(240, 200, rnd)[..., 0]),    # one channel (mode L)
    }
    for name, im in images.items():
        im.save(os.path.join(out, name + ".png"))
        for pre, t in (("clip", CLIP), ("imagenet", IMAGENET)):
            np.save(os.path.join(out, f"{name}.{pre}.npy"), t(Image.open(os.path.join(out, name + ".png"))).numpy())
    print("wrote", ", ".join(images), "to", out)


if __name__ == "__main__":
    main(sys.argv[1])
