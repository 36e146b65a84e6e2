"""Writes the tiny .npy fixtures NpyTest reads, with numpy itself (python3 make_fixtures.py, next to this file).

Values follow v(i, j) = (i - 2) * 1.5 + j / 4 for row i, column j, so the test can recompute them independently.
"""
import numpy as np


def grid(rows, cols):
    i, j = np.meshgrid(np.arange(rows), np.arange(cols), indexing="ij")
    return (i - 2) * 1.5 + j / 4.0


g = grid(5, 3)
np.save("f8_c.npy", g)
np.save("f4_c.npy", g.astype(np.float32))
np.save("f8_fortran.npy", np.asfortranarray(g))
np.save("f8_big.npy", g.astype(">f8"))
np.save("i4_big_vector.npy", np.array([3, -1, 7, 2**30], dtype=">i4"))
np.save("u1_c.npy", (np.arange(6).reshape(2, 3) * 40).astype(np.uint8))
np.save("i8_vector.npy", np.array([0, -5, 2**40, 9], dtype=np.int64))
np.save("i4_vector.npy", np.array([4, 0, -3], dtype=np.int32))
np.save("bool_vector.npy", np.array([True, False, True]))
np.save("f4_n1d.npy", grid(4, 6).astype(np.float32).reshape(4, 1, 6))
np.save("special_f8.npy", np.array([-0.0, np.nan, np.inf, -np.inf, 1e-310]))
with open("f8_v2.npy", "wb") as f:
    np.lib.format.write_array(f, g, version=(2, 0))
# The bytes np.save writes, for the writer to match exactly.
np.save("written_f8_matrix.npy", grid(3, 4))
np.save("written_f4_vector.npy", np.array([0.5, -2.25, 3.0], dtype=np.float32))
np.save("written_i8_vector.npy", np.array([7, -1, 12345678901], dtype=np.int64))
np.save("written_bool_vector.npy", np.array([True, False, False, True]))
