package org.clipmsm.nsd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.clipmsm.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checks the NSD HDF5 readers against files h5py wrote in the NSD layouts (src/test/resources/hdf5, made by
 * make_fixtures.py with /usr/bin/python3 and python3-h5py 3.7), and the writer by round trips. Expected values are
 * recomputed here from the formulas in make_fixtures.py, never taken from the reader.
 *
 * <p>The writer's files were also read back by h5py once, by hand, when this was written: writeBetas of the 4-D
 * and 2-D formulas and writeStimuli of the stimulus formula, each compared with numpy's copy of the formula by
 * {@code np.array_equal} (all True), with h5py reporting int16 chunks (T, 1, 1, 1) / (T, 1) and uint8 contiguous.
 */
class Hdf5Test {
  // Fixture sizes and formulas, as in make_fixtures.py.
  private static final int T = 6;
  private static final int Z = 3;
  private static final int Y = 4;
  private static final int X = 5;
  private static final int V = 7;
  private static final int N = 4;
  private static final int H = 5;
  private static final int W = 6;

  @TempDir Path tmp;

  private static int raw4d(int t, int i, int j, int k) {
    return t * 100 + i + 10 * j + 100 * k - 50;
  }

  private static int raw2d(int t, int v) {
    return t * 1000 - 7 * v - 3000;
  }

  private static int pixel(int n, int y, int x, int c) {
    return (n * 64 + y * 17 + x * 5 + c * 80) % 256;
  }

  private static Path fixture(String name) {
    try {
      return Path.of(Hdf5Test.class.getResource("/hdf5/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int nifti(int i, int j, int k) {
    return i + X * (j + Y * k);
  }

  /** Expected readVoxels result for NIfTI (i, j, k) triples, from the formula. */
  private static double[] expected4d(int[][] ijk) {
    double[] e = new double[T * ijk.length];
    for (int v = 0; v < ijk.length; v++) {
      for (int t = 0; t < T; t++) {
        e[t + T * v] = raw4d(t, ijk[v][0], ijk[v][1], ijk[v][2]) / 300.0;
      }
    }
    return e;
  }

  @Test
  void volumeShapeAndGrid() {
    try (NsdBetasHdf5 b = NsdBetasHdf5.open(fixture("betas_4d.hdf5"))) {
      assertEquals(T, b.trials());
      assertArrayEquals(new long[] {X, Y, Z}, b.gridXYZ());
    }
  }

  @Test
  void volumeVoxelsInGivenOrder() {
    // Corners, the middle, unsorted, and one voxel repeated: each position gets its own column.
    int[][] ijk = {
      {X - 1, Y - 1, Z - 1}, {0, 0, 0}, {2, 1, 1}, {X - 1, 0, 0}, {0, Y - 1, 0}, {0, 0, Z - 1}, {3, 2, 1}, {0, 0, 0}
    };
    int[] voxels = new int[ijk.length];
    for (int v = 0; v < ijk.length; v++) {
      voxels[v] = nifti(ijk[v][0], ijk[v][1], ijk[v][2]);
    }
    try (NsdBetasHdf5 b = NsdBetasHdf5.open(fixture("betas_4d.hdf5"))) {
      assertArrayEquals(expected4d(ijk), b.readVoxels(voxels), 0.0);
      assertEquals(0, b.readVoxels(new int[0]).length);
    }
  }

  /** Every voxel, in reverse NIfTI order, and the expected values (0 where {@code sparse} and i + j + k is odd). */
  private static void checkAllVoxels(Path file, boolean sparse) {
    int[][] ijk = new int[X * Y * Z][];
    int[] voxels = new int[ijk.length];
    int v = 0;
    for (int k = Z - 1; k >= 0; k--) {
      for (int j = Y - 1; j >= 0; j--) {
        for (int i = X - 1; i >= 0; i--) {
          ijk[v] = new int[] {i, j, k};
          voxels[v++] = nifti(i, j, k);
        }
      }
    }
    double[] e = expected4d(ijk);
    if (sparse) {
      for (v = 0; v < ijk.length; v++) {
        if ((ijk[v][0] + ijk[v][1] + ijk[v][2]) % 2 != 0) {
          Arrays.fill(e, T * v, T * (v + 1), 0.0);
        }
      }
    }
    try (NsdBetasHdf5 b = NsdBetasHdf5.open(file)) {
      assertEquals(T, b.trials());
      assertArrayEquals(new long[] {X, Y, Z}, b.gridXYZ());
      assertArrayEquals(e, b.readVoxels(voxels), 0.0, file.toString());
    }
  }

  /** The NSD layout and the others a reader may meet: contiguous, multi-voxel and edge chunks, big-endian. */
  @ParameterizedTest
  @ValueSource(strings = {"betas_4d.hdf5", "betas_contiguous.hdf5", "betas_chunks_6232.hdf5",
      "betas_chunks_3232.hdf5", "betas_bigendian.hdf5"})
  void everyLayoutMatchesFormula(String name) {
    checkAllVoxels(fixture(name), false);
  }

  /** Chunks never written are not allocated in the file; they read as the fill value 0 (non-brain voxels). */
  @Test
  void unallocatedChunksReadAsZero() {
    checkAllVoxels(fixture("betas_sparse.hdf5"), true);
  }

  @ParameterizedTest
  @ValueSource(strings = {"betas_surface.hdf5", "betas_surface_contiguous.hdf5"})
  void surfaceVertices(String name) {
    int[] vertices = {V - 1, 3, 5, 3}; // vertex 0 is left out so that the slab starts inside the dataset
    double[] e = new double[T * vertices.length];
    for (int p = 0; p < vertices.length; p++) {
      for (int t = 0; t < T; t++) {
        e[t + T * p] = raw2d(t, vertices[p]) / 300.0;
      }
    }
    try (NsdBetasHdf5 b = NsdBetasHdf5.open(fixture(name))) {
      assertEquals(T, b.trials());
      assertArrayEquals(new long[] {V}, b.gridXYZ());
      assertArrayEquals(e, b.readVoxels(vertices), 0.0);
    }
  }

  /** The released contiguous layout (one direct read per image) and a chunked one (jHDF's slice). */
  @ParameterizedTest
  @ValueSource(strings = {"stimuli.hdf5", "stimuli_chunked.hdf5"})
  void stimuliImages(String name) {
    try (NsdStimuliHdf5 s = NsdStimuliHdf5.open(fixture(name))) {
      assertEquals(N, s.images());
      assertEquals(H, s.height());
      assertEquals(W, s.width());
      for (int n : new int[] {N - 1, 0, 2}) {
        byte[] img = s.image(n);
        assertEquals(H * W * 3, img.length);
        for (int y = 0; y < H; y++) {
          for (int x = 0; x < W; x++) {
            for (int c = 0; c < 3; c++) {
              assertEquals(pixel(n, y, x, c), img[(y * W + x) * 3 + c] & 0xFF, "image " + n);
            }
          }
        }
      }
    }
  }

  @Test
  void betasRoundTrip() {
    short[] data = new short[T * Z * Y * X];
    int o = 0;
    for (int t = 0; t < T; t++) {
      for (int k = 0; k < Z; k++) {
        for (int j = 0; j < Y; j++) {
          for (int i = 0; i < X; i++) {
            data[o++] = (short) raw4d(t, i, j, k);
          }
        }
      }
    }
    data[nifti(1, 2, 0)] = Short.MIN_VALUE; // extremes survive: trial 0 of voxel (1, 2, 0)
    data[T * Z * Y * X - 1] = Short.MAX_VALUE; // last trial of the last voxel
    Path f = tmp.resolve("betas_written.hdf5");
    NsdHdf5Writer.writeBetas(f, data, T, new long[] {X, Y, Z});
    int[][] ijk = {{1, 2, 0}, {X - 1, Y - 1, Z - 1}, {2, 3, 1}};
    double[] e = expected4d(ijk);
    e[0] = Short.MIN_VALUE / 300.0;
    e[T * 2 - 1] = Short.MAX_VALUE / 300.0;
    try (NsdBetasHdf5 b = NsdBetasHdf5.open(f)) {
      assertEquals(T, b.trials());
      assertArrayEquals(new long[] {X, Y, Z}, b.gridXYZ());
      assertArrayEquals(e, b.readVoxels(new int[] {nifti(1, 2, 0), nifti(X - 1, Y - 1, Z - 1), nifti(2, 3, 1)}),
          0.0);
    }
  }

  @Test
  void surfaceRoundTrip() {
    short[] data = new short[T * V];
    for (int t = 0; t < T; t++) {
      for (int v = 0; v < V; v++) {
        data[t * V + v] = (short) raw2d(t, v);
      }
    }
    Path f = tmp.resolve("surface_written.hdf5");
    NsdHdf5Writer.writeBetas(f, data, T, new long[] {V});
    try (NsdBetasHdf5 b = NsdBetasHdf5.open(f)) {
      assertArrayEquals(new long[] {V}, b.gridXYZ());
      double[] got = b.readVoxels(new int[] {5, 0});
      for (int t = 0; t < T; t++) {
        assertEquals(raw2d(t, 5) / 300.0, got[t], 0.0);
        assertEquals(raw2d(t, 0) / 300.0, got[t + T], 0.0);
      }
    }
  }

  @Test
  void stimuliRoundTrip() {
    byte[] data = new byte[N * H * W * 3];
    int o = 0;
    for (int n = 0; n < N; n++) {
      for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
          for (int c = 0; c < 3; c++) {
            data[o++] = (byte) pixel(n, y, x, c);
          }
        }
      }
    }
    Path f = tmp.resolve("stimuli_written.hdf5");
    NsdHdf5Writer.writeStimuli(f, data, N, H, W);
    try (NsdStimuliHdf5 s = NsdStimuliHdf5.open(f)) {
      assertEquals(N, s.images());
      int size = H * W * 3;
      for (int n = 0; n < N; n++) {
        byte[] want = new byte[size];
        System.arraycopy(data, n * size, want, 0, size);
        assertArrayEquals(want, s.image(n), "image " + n);
      }
    }
  }

  @Test
  void writerRejectsWrongLength() {
    assertThrows(IllegalArgumentException.class,
        () -> NsdHdf5Writer.writeBetas(tmp.resolve("a.hdf5"), new short[10], T, new long[] {X, Y, Z}));
    assertThrows(IllegalArgumentException.class,
        () -> NsdHdf5Writer.writeBetas(tmp.resolve("b.hdf5"), new short[T * X * Y], T, new long[] {X, Y}));
    assertThrows(IllegalArgumentException.class,
        () -> NsdHdf5Writer.writeStimuli(tmp.resolve("c.hdf5"), new byte[5], N, H, W));
  }

  @Test
  void writerFailureNamesFile() {
    Path f = tmp.resolve("no_such_dir").resolve("betas.hdf5");
    UncheckedIOException e = assertThrows(UncheckedIOException.class,
        () -> NsdHdf5Writer.writeBetas(f, new short[T], T, new long[] {1}));
    assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
  }

  /** Asserts that {@code call} throws an InvalidInputException whose one-line message names the file and says why. */
  private static void assertInvalid(Path file, String why, Executable call) {
    InvalidInputException e = assertThrows(InvalidInputException.class, call);
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains(why), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  @Test
  void missingBetasDataset() {
    Path f = fixture("no_betas.hdf5");
    assertInvalid(f, "no dataset /betas", () -> NsdBetasHdf5.open(f));
  }

  @Test
  void wrongDtype() {
    Path f = fixture("betas_float32.hdf5");
    assertInvalid(f, "float32; expected int16", () -> NsdBetasHdf5.open(f));
    // The betas file is int16, not the stimuli's uint8, and has no imgBrick.
    Path b = fixture("betas_4d.hdf5");
    assertInvalid(b, "no dataset imgBrick", () -> NsdStimuliHdf5.open(b));
  }

  @Test
  void wrongRank() {
    Path f = fixture("betas_3d.hdf5");
    assertInvalid(f, "shape [6, 4, 5]", () -> NsdBetasHdf5.open(f));
  }

  /**
   * Files cut short are refused on open, before any read: half of the betas file, and the stimuli file without its
   * last 50 bytes (only the last image's data; jHDF alone would read that image as partly zero).
   */
  @ParameterizedTest
  @ValueSource(strings = {"betas_truncated.hdf5", "stimuli_truncated.hdf5"})
  void truncatedFile(String name) {
    Path f = fixture(name);
    assertInvalid(f, "truncated HDF5 file", () -> NsdBetasHdf5.open(f));
    assertInvalid(f, "truncated HDF5 file", () -> NsdStimuliHdf5.open(f));
  }

  @Test
  void corruptFile() throws Exception {
    Path f = tmp.resolve("garbage.hdf5");
    Files.write(f, "this is not an HDF5 file, only text".getBytes(StandardCharsets.US_ASCII));
    assertInvalid(f, "not a readable HDF5 file", () -> NsdBetasHdf5.open(f));
    assertInvalid(f, "not a readable HDF5 file", () -> NsdStimuliHdf5.open(f));
  }

  @Test
  void missingFile() {
    Path f = tmp.resolve("absent.hdf5");
    assertInvalid(f, "no such HDF5 file", () -> NsdBetasHdf5.open(f));
    assertInvalid(f, "no such HDF5 file", () -> NsdStimuliHdf5.open(f));
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, X * Y * Z, Integer.MAX_VALUE})
  void voxelOutOfRange(int bad) {
    Path f = fixture("betas_4d.hdf5");
    try (NsdBetasHdf5 b = NsdBetasHdf5.open(f)) {
      assertInvalid(f, "voxel index " + bad, () -> b.readVoxels(new int[] {0, bad}));
    }
    Path s = fixture("betas_surface.hdf5");
    try (NsdBetasHdf5 b = NsdBetasHdf5.open(s)) {
      assertInvalid(s, "voxel index " + (bad == X * Y * Z ? V : bad),
          () -> b.readVoxels(new int[] {bad == X * Y * Z ? V : bad}));
    }
  }

  @Test
  void imageOutOfRange() {
    Path f = fixture("stimuli.hdf5");
    try (NsdStimuliHdf5 s = NsdStimuliHdf5.open(f)) {
      assertInvalid(f, "nsdId " + N, () -> s.image(N));
      assertInvalid(f, "nsdId -1", () -> s.image(-1));
    }
  }
}
