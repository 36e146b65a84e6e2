#!/usr/bin/python3
"""Writes the tiny NIfTI fixtures for NiftiTest next to this script (run with Debian's /usr/bin/python3, which has
python3-nibabel and python3-numpy).

Voxel values follow formulas that NiftiTest recomputes on its own:
  raw(i, j, k, t) = i + 10*j + 100*k + 1000*t - 50   (so some are negative)
expected.txt holds, per file, what nibabel reports: dims, affine (img.affine, row-major 4x4), quatern (b, c, d,
qoffset x, y, z, qfac) and scl_slope/inter, one "file key values..." line each.
"""
import gzip
import os
import shutil

import nibabel as nib
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def path(name):
    return os.path.join(HERE, name)


def grid(shape):
    idx = np.indices(shape)
    v = idx[0] + 10 * idx[1] + 100 * idx[2] - 50
    if len(shape) == 4:
        v = v + 1000 * idx[3]
    return v


def rot_affine(zooms, angle, offset):
    c, s = np.cos(angle), np.sin(angle)
    r = np.array([[c, -s, 0], [s, c, 0], [0, 0, 1.0]])
    a = np.eye(4)
    a[:3, :3] = r @ np.diag(zooms)
    a[:3, 3] = offset
    return a


lines = []


def record(name):
    img = nib.load(path(name))
    h = img.header
    lines.append(name + " dims " + " ".join(str(d) for d in img.shape))
    lines.append(name + " affine " + " ".join(repr(float(x)) for x in img.affine.ravel()))
    b, c, d = (float(h['quatern_b']), float(h['quatern_c']), float(h['quatern_d']))
    qx, qy, qz = (float(h['qoffset_x']), float(h['qoffset_y']), float(h['qoffset_z']))
    lines.append(name + " quatern " + " ".join(repr(x) for x in (b, c, d, qx, qy, qz, float(h['pixdim'][0]))))
    lines.append(name + " qform " + " ".join(repr(float(x)) for x in h.get_qform().ravel()))
    lines.append(name + " codes " + str(int(h['qform_code'])) + " " + str(int(h['sform_code'])))
    lines.append(name + " pixdim " + " ".join(repr(float(x)) for x in h.get_zooms()))


# 1. 3-D int16, slope 0.5 / inter 1, sform (code 2) differing from qform (code 1): affine() must pick the sform.
shape3 = (5, 4, 3)
img = nib.Nifti1Image(grid(shape3).astype(np.int16), None)
img.header.set_data_dtype(np.int16)
img.header.set_qform(rot_affine([2.0, 2.5, 3.0], 0.3, [-10.0, 20.0, 5.0]), code=1)
sform = rot_affine([2.0, 2.5, 3.0], 0.3, [-10.0, 20.0, 5.0])
sform[0, 2] = 0.25  # a shear the qform cannot express
img.header.set_sform(sform, code=2)
img.header.set_slope_inter(0.5, 1.0)
nib.save(img, path("int16_scaled.nii"))
# 2. The same, gzipped.
# mtime=0 keeps the bytes the same on every run.
with open(path("int16_scaled.nii"), "rb") as src, open(path("int16_scaled.nii.gz"), "wb") as raw, \
        gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as dst:
    shutil.copyfileobj(src, dst)

# 3. 4-D float32, qform only (sform_code 0), negative qfac (a flipped axis).
shape4 = (4, 3, 2, 5)
img = nib.Nifti1Image(grid(shape4).astype(np.float32), None)
flip = rot_affine([1.5, 1.5, 2.0], -0.5, [3.0, -4.0, 7.5])
flip[:3, 2] *= -1
img.header.set_qform(flip, code=1)
img.header.set_sform(None, code=0)
img.header['pixdim'][4] = 2.0
nib.save(img, path("float32_4d.nii"))

# 4. Big-endian int32 with an sform only.
hdr = nib.Nifti1Header(endianness='>')
img = nib.Nifti1Image(grid(shape3).astype('>i4'), rot_affine([1.0, 2.0, 3.0], 1.0, [1.0, 2.0, 3.0]), hdr)
img.header.set_data_dtype('>i4')
img.header.set_qform(None, code=0)
img.header.set_sform(rot_affine([1.0, 2.0, 3.0], 1.0, [1.0, 2.0, 3.0]), code=4)
nib.save(img, path("int32_be.nii"))

# 5. NIfTI-2 float64 with one extension (ecode 32 = CIFTI) holding a short XML payload.
shape2 = (3, 2, 2)
img = nib.Nifti2Image(grid(shape2).astype(np.float64) + 0.25, rot_affine([1.0, 1.0, 1.0], 0.0, [-1, -2, -3]))
img.header.set_data_dtype(np.float64)
img.header.extensions.append(nib.nifti1.Nifti1Extension(32, b'<CIFTI Version="2"/>'))
nib.save(img, path("float64_v2.nii"))

# 6. ROI mask: labels -1..5 stored as int16, label(i, j, k) = (i + j + k) % 7 - 1.
idx = np.indices(shape3)
labels = ((idx[0] + idx[1] + idx[2]) % 7 - 1).astype(np.int16)
nib.save(nib.Nifti1Image(labels, np.diag([2.0, 2.0, 2.0, 1.0])), path("mask_int16.nii"))

# 7. Unsupported datatype: complex64 (datatype 32).
nib.save(nib.Nifti1Image(np.zeros((2, 2, 2), np.complex64), np.eye(4)), path("complex64.nii"))

for name in ["int16_scaled.nii", "int16_scaled.nii.gz", "float32_4d.nii", "int32_be.nii", "float64_v2.nii",
             "mask_int16.nii"]:
    record(name)
with open(path("expected.txt"), "w") as f:
    f.write("\n".join(lines) + "\n")
