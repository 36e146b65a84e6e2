"""Writes the NumPy RandomState draws that NumpyRandomStateTest compares against (numpy >= 1.17, legacy RandomState).

Run: python3 make_fixtures.py   (writes the .npy files next to this script)
"""
import numpy as np

np.save("permutation_seed42_n1000.npy", np.random.RandomState(42).permutation(1000).astype(np.int64))
# n > 65536 exercises 17-bit masks; only the ends are kept to keep the file small.
p = np.random.RandomState(7).permutation(70000).astype(np.int64)
np.save("permutation_seed7_n70000_ends.npy", np.concatenate([p[:100], p[-100:]]))
np.save("randint_seed41_bound1500_2x1500.npy",
        np.random.RandomState(41).randint(0, 1500, size=(2, 1500)).astype(np.int64))
# scikit-learn's train_test_split(range(100), test_size=0.15, random_state=42), written out by hand:
# n_test = ceil(0.15 * 100); permutation = RandomState(42).permutation(100); test = permutation[:n_test]
perm = np.random.RandomState(42).permutation(100)
np.save("sklearn_split_seed42_n100_test.npy", perm[:15].astype(np.int64))
np.save("sklearn_split_seed42_n100_train.npy", perm[15:].astype(np.int64))
