package org.clipmsm.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.clipmsm.InvalidInputException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files written by numpy (src/test/resources/npy/make_fixtures.py) read back, and our files equal numpy's bytes. */
class NpyTest {
  @TempDir
  Path tmp;

  @AfterEach
  void restoreWindow() {
    Npy.windowBytes = 1 << 30;
  }

  private static Path fixture(String name) throws Exception {
    return Path.of(NpyTest.class.getResource("/npy/" + name).toURI());
  }

  /** The fixtures' formula, v(i, j) = (i - 2) * 1.5 + j / 4, column-major. */
  private static double[] grid(int rows, int cols) {
    double[] out = new double[rows * cols];
    for (int j = 0; j < cols; j++) {
      for (int i = 0; i < rows; i++) {
        out[i + j * rows] = (i - 2) * 1.5 + j / 4.0;
      }
    }
    return out;
  }

  @Test
  void readsEveryLayoutNumpyWrites() throws Exception {
    double[] expected = grid(5, 3);
    for (String f : new String[] {"f8_c.npy", "f4_c.npy", "f8_fortran.npy", "f8_big.npy", "f8_v2.npy"}) {
      assertArrayEquals(expected, Npy.readMatrix(fixture(f)), 0, f);
      NpyHeader h = Npy.readHeader(fixture(f));
      assertEquals(5, h.rows());
      assertEquals(3, h.cols());
    }
    assertArrayEquals(grid(4, 6), Npy.readMatrix(fixture("f4_n1d.npy")), 0);
    assertArrayEquals(new double[] {0, 120, 40, 160, 80, 200}, Npy.readMatrix(fixture("u1_c.npy")), 0);
    assertArrayEquals(new long[] {0, -5, 1L << 40, 9}, Npy.readLongVector(fixture("i8_vector.npy")));
    assertArrayEquals(new long[] {4, 0, -3}, Npy.readLongVector(fixture("i4_vector.npy")));
    assertArrayEquals(new long[] {3, -1, 7, 1 << 30}, Npy.readLongVector(fixture("i4_big_vector.npy")));
    assertArrayEquals(new boolean[] {true, false, true}, Npy.readBoolVector(fixture("bool_vector.npy")));
    double[] special = Npy.readVector(fixture("special_f8.npy"));
    assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(special[0]));
    assertTrue(Double.isNaN(special[1]));
    assertEquals(Double.POSITIVE_INFINITY, special[2]);
    assertEquals(Double.NEGATIVE_INFINITY, special[3]);
    assertEquals(1e-310, special[4], 0);
  }

  @Test
  void columnRangesEqualSlicesOfTheWhole() throws Exception {
    for (String f : new String[] {"f8_c.npy", "f8_fortran.npy", "f4_c.npy", "f8_big.npy"}) {
      double[] all = Npy.readMatrix(fixture(f));
      assertArrayEquals(Arrays.copyOfRange(all, 5, 15), Npy.readColumns(fixture(f), 1, 2), 0, f);
    }
  }

  @Test
  void smallMapWindowsGiveTheSameColumns() {
    Random rnd = new Random(1);
    int rows = 37;
    int cols = 23;
    double[] m = new double[rows * cols];
    for (int i = 0; i < m.length; i++) {
      m[i] = rnd.nextGaussian();
    }
    Path f = tmp.resolve("m.npy");
    Npy.writeMatrix(f, m, rows, cols, Npy.DType.FLOAT64);
    Npy.windowBytes = 64; // a window is smaller than a row: one row per map
    assertArrayEquals(Arrays.copyOfRange(m, 5 * rows, 12 * rows), Npy.readColumns(f, 5, 7), 0);
    Npy.windowBytes = 200; // a few rows per window, boundaries fall mid-file
    assertArrayEquals(m, Npy.readMatrix(f), 0);
  }

  @Test
  void writesTheBytesNumpyWrites() throws Exception {
    Path f = tmp.resolve("a.npy");
    Npy.writeMatrix(f, grid(3, 4), 3, 4, Npy.DType.FLOAT64);
    assertArrayEquals(Files.readAllBytes(fixture("written_f8_matrix.npy")), Files.readAllBytes(f));
    Npy.writeVector(f, new double[] {0.5, -2.25, 3.0}, Npy.DType.FLOAT32);
    assertArrayEquals(Files.readAllBytes(fixture("written_f4_vector.npy")), Files.readAllBytes(f));
    Npy.writeLongVector(f, new long[] {7, -1, 12345678901L});
    assertArrayEquals(Files.readAllBytes(fixture("written_i8_vector.npy")), Files.readAllBytes(f));
    Npy.writeBoolVector(f, new boolean[] {true, false, false, true});
    assertArrayEquals(Files.readAllBytes(fixture("written_bool_vector.npy")), Files.readAllBytes(f));
  }

  @Test
  void columnsWrittenConcurrentlyEqualOneWrite() throws Exception {
    int rows = 50;
    int cols = 31;
    double[] m = grid(rows, cols);
    Path whole = tmp.resolve("whole.npy");
    Path parts = tmp.resolve("parts.npy");
    Npy.writeMatrix(whole, m, rows, cols, Npy.DType.FLOAT32);
    Npy.createMatrix(parts, rows, cols, Npy.DType.FLOAT32);
    Thread a = new Thread(() -> Npy.writeColumns(parts, 0, Arrays.copyOfRange(m, 0, 13 * rows), 13));
    Thread b = new Thread(() -> Npy.writeColumns(parts, 13, Arrays.copyOfRange(m, 13 * rows, cols * rows), 18));
    a.start();
    b.start();
    a.join();
    b.join();
    assertArrayEquals(Files.readAllBytes(whole), Files.readAllBytes(parts));
  }

  private static void assertRejected(String mustContain, org.junit.jupiter.api.function.Executable e) {
    InvalidInputException x = assertThrows(InvalidInputException.class, e);
    assertTrue(x.getMessage().contains(mustContain), x.getMessage());
    assertEquals(1, x.getMessage().lines().count());
  }

  @Test
  void badFilesNameTheFileAndTheProblem() throws Exception {
    Path junk = tmp.resolve("junk.npy");
    Files.writeString(junk, "hello, not numpy at all");
    assertRejected("junk.npy: not a NumPy .npy file", () -> Npy.readHeader(junk));
    Path cut = tmp.resolve("cut.npy");
    byte[] full = Files.readAllBytes(fixture("f8_c.npy"));
    Files.write(cut, Arrays.copyOf(full, full.length - 8));
    assertRejected("cut.npy: truncated: header says 120 bytes of data, file has 112", () -> Npy.readMatrix(cut));
    Path complex = tmp.resolve("complex.npy");
    Files.write(complex, new String(full, java.nio.charset.StandardCharsets.ISO_8859_1).replace("<f8", "<c8")
        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    assertRejected("complex.npy: unsupported dtype '<c8'", () -> Npy.readMatrix(complex));
    assertRejected("missing.npy: no such file", () -> Npy.readMatrix(tmp.resolve("missing.npy")));
    assertRejected("special_f8.npy: expected an integer array, found float64",
        () -> Npy.readLongVector(fixture("special_f8.npy")));
    assertRejected("f8_c.npy: expected a 1-D array", () -> Npy.readVector(fixture("f8_c.npy")));
    Path cube = tmp.resolve("cube.npy");
    Files.write(cube, new String(full, java.nio.charset.StandardCharsets.ISO_8859_1).replace("(5, 3)", "(5, 3, 1)")
        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    assertRejected("cube.npy: expected a 2-D array", () -> Npy.readMatrix(cube));
    Path made = tmp.resolve("made.npy");
    Npy.createMatrix(made, 4, 3, Npy.DType.FLOAT64);
    assertThrows(IllegalArgumentException.class, () -> Npy.writeColumns(made, 2, new double[8], 2));
  }
}
