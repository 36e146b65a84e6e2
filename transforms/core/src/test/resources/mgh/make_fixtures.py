"""Writes the tiny MGH/MGZ fixtures MghTest reads, with nibabel (run with Debian's /usr/bin/python3).

Values: v(i, j, k, t) = i + 10 j + 100 k + 1000 t - 7 (column-major: i fastest).
"""
import gzip
import numpy as np
import nibabel as nib


def grid(shape):
    i, j, k, t = np.meshgrid(*[np.arange(n) for n in shape], indexing="ij")
    return i + 10 * j + 100 * k + 1000 * t - 7


# A surface overlay like NSD's fsaverage betas (vertices x 1 x 1 x frames), float32.
surf = grid((6, 1, 1, 4)).astype(np.float32) / 4
nib.save(nib.MGHImage(surf, np.eye(4)), "overlay.mgh")
# A volume with a non-trivial affine, int16, gzipped.
aff = np.array([[-2.0, 0, 0, 30], [0, 0, 1.5, -20], [0, 2.5, 0, 10], [0, 0, 0, 1]])
vol = grid((4, 3, 2, 1)).astype(np.int16)[..., 0]  # nibabel squeezes a single frame
nib.save(nib.MGHImage(vol, aff), "volume.mgz")
img = nib.load("volume.mgz")
h = img.header
np.savetxt("volume_header.txt", np.concatenate([h["delta"], h["Mdc"].ravel(), h["Pxyz_c"]]))
# Truncated: half of the gzipped volume.
raw = open("volume.mgz", "rb").read()
open("truncated.mgz", "wb").write(raw[: len(raw) // 2])
