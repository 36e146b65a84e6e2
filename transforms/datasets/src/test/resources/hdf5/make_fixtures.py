#!/usr/bin/python3
"""Writes the tiny HDF5 fixtures of Hdf5Test next to this script, in the layouts of the NSD files.

Run with Debian's interpreter, which has python3-h5py (3.7) and numpy:  /usr/bin/python3 make_fixtures.py
The formulas are repeated, independently, in Hdf5Test.java; change both together.
"""
import os

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
T, Z, Y, X = 6, 3, 4, 5   # NSD: (750, Z, Y, X), C order, hdf5[t, k, j, i] == nifti[i, j, k, t]
V = 7                     # surface betas: (750, V)
N, H, W = 4, 5, 6         # stimuli imgBrick: (73000, 425, 425, 3) uint8


def path(name):
    return os.path.join(HERE, name)


def betas4d():
    t, k, j, i = np.meshgrid(np.arange(T), np.arange(Z), np.arange(Y), np.arange(X), indexing="ij")
    return (t * 100 + i + 10 * j + 100 * k - 50).astype(np.int16)  # in [-50, 825]


def betas2d():
    t, v = np.meshgrid(np.arange(T), np.arange(V), indexing="ij")
    return (t * 1000 - 7 * v - 3000).astype(np.int16)  # negative and positive


def stimuli():
    n, y, x, c = np.meshgrid(np.arange(N), np.arange(H), np.arange(W), np.arange(3), indexing="ij")
    return ((n * 64 + y * 17 + x * 5 + c * 80) % 256).astype(np.uint8)  # values above 127 check unsigned reads


def main():
    # NSD betas: int16, one chunk per voxel holding all its trials, no compression.
    with h5py.File(path("betas_4d.hdf5"), "w") as f:
        f.create_dataset("betas", data=betas4d(), chunks=(T, 1, 1, 1))
    # Other layouts the reader must also handle: contiguous; chunks of several voxels with edge chunks, holding all
    # trials or only some; big-endian; and chunks never written (not allocated: they read as the fill value 0).
    with h5py.File(path("betas_contiguous.hdf5"), "w") as f:
        f.create_dataset("betas", data=betas4d())
    with h5py.File(path("betas_chunks_6232.hdf5"), "w") as f:
        f.create_dataset("betas", data=betas4d(), chunks=(T, 2, 3, 2))
    with h5py.File(path("betas_chunks_3232.hdf5"), "w", libver="latest") as f:  # HDF5 1.10 format: fixed-array index
        f.create_dataset("betas", data=betas4d(), chunks=(3, 2, 3, 2))
    with h5py.File(path("betas_bigendian.hdf5"), "w") as f:
        f.create_dataset("betas", data=betas4d().astype(">i2"), chunks=(T, 1, 1, 1))
    with h5py.File(path("betas_sparse.hdf5"), "w") as f:
        d = f.create_dataset("betas", shape=(T, Z, Y, X), dtype=np.int16, chunks=(T, 1, 1, 1))
        full = betas4d()
        for k in range(Z):
            for j in range(Y):
                for i in range(X):
                    if (i + j + k) % 2 == 0:  # only these voxels' chunks exist
                        d[:, k, j, i] = full[:, k, j, i]
    with h5py.File(path("betas_surface.hdf5"), "w") as f:
        f.create_dataset("betas", data=betas2d(), chunks=(T, 1))
    with h5py.File(path("betas_surface_contiguous.hdf5"), "w") as f:
        f.create_dataset("betas", data=betas2d())
    with h5py.File(path("stimuli.hdf5"), "w") as f:
        f.create_dataset("imgBrick", data=stimuli())  # contiguous, uncompressed, as in nsd_stimuli.hdf5
    with h5py.File(path("stimuli_chunked.hdf5"), "w", libver="latest") as f:
        f.create_dataset("imgBrick", data=stimuli(), chunks=(3, H, W, 3))  # 2 chunks, the second partial
    with h5py.File(path("no_betas.hdf5"), "w") as f:
        f.create_dataset("other", data=betas4d())
    with h5py.File(path("betas_float32.hdf5"), "w") as f:
        f.create_dataset("betas", data=betas4d().astype(np.float32))
    with h5py.File(path("betas_3d.hdf5"), "w") as f:
        f.create_dataset("betas", data=betas4d()[:, 0, :, :])
    with open(path("betas_4d.hdf5"), "rb") as f:
        whole = f.read()
    with open(path("betas_truncated.hdf5"), "wb") as f:
        f.write(whole[: len(whole) // 2])
    # The contiguous data end the file: losing 50 bytes cuts into the last image (90 bytes) only.
    with h5py.File(path("stimuli.hdf5"), "r") as f:
        data_end = f["imgBrick"].id.get_offset() + N * H * W * 3
    with open(path("stimuli.hdf5"), "rb") as f:
        whole = f.read()
    assert len(whole) == data_end, "imgBrick's data must end the file"
    with open(path("stimuli_truncated.hdf5"), "wb") as f:
        f.write(whole[:-50])


if __name__ == "__main__":
    main()
