package org.clipmsm.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.clipmsm.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checks the reader against files numpy wrote (src/test/resources/npy, made by make_fixtures.py) and the writer
 * against numpy's bytes. Expected values are recomputed here from the formulas in make_fixtures.py, never taken
 * from the reader.
 */
class NpyTest {
  /** Windows for NpyReader/NpyWriter: smaller than one item, not a multiple of the item size, tiny, default. */
  private static final int[] WINDOWS = {1, 3, 7, 8, 64, 100, NpyReader.DEFAULT_WINDOW_BYTES};

  @TempDir Path tmp;

  private interface Cell {
    double at(int i, int j);
  }

  /** Column-major rows x cols matrix of f(i, j). */
  private static double[] colMajor(int rows, int cols, Cell f) {
    double[] out = new double[rows * cols];
    for (int j = 0; j < cols; j++) {
      for (int i = 0; i < rows; i++) {
        out[i + j * rows] = f.at(i, j);
      }
    }
    return out;
  }

  private static Path fixture(String name) {
    try {
      return Path.of(NpyTest.class.getResource("/npy/" + name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new AssertionError("missing fixture " + name, e);
    }
  }

  /** A v1.0 .npy file with the given header dict, padded as the format asks, then the data bytes. */
  private Path rawNpy(String name, String dict, byte[] data) throws IOException {
    int unpadded = 10 + dict.length() + 1;
    String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
    ByteBuffer b = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
    b.putShort((short) header.length()).put(header.getBytes(StandardCharsets.ISO_8859_1)).put(data);
    Path file = tmp.resolve(name);
    Files.write(file, b.array());
    return file;
  }

  /** f(i, j) stored in Fortran order as little-endian float64. */
  private static byte[] fortranF64(int rows, int cols, Cell f) {
    ByteBuffer b = ByteBuffer.allocate(rows * cols * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : colMajor(rows, cols, f)) {
      b.putDouble(v);
    }
    return b.array();
  }

  private static <T extends Throwable> T assertFails(Class<T> type, Path file, Executable call, String... parts) {
    T e = assertThrows(type, call);
    String message = e.getMessage();
    assertTrue(message.contains(file.getFileName().toString()), () -> "names the file: " + message);
    assertFalse(message.contains("\n"), () -> "one line: " + message);
    for (String part : parts) {
      assertTrue(message.contains(part), () -> "mentions '" + part + "': " + message);
    }
    return e;
  }

  // ---- reading numpy's files ----

  @Test
  void readsFloat64COrderWithSpecialValues() {
    Path file = fixture("f64_c.npy");
    NpyHeader h = Npy.readHeader(file);
    assertEquals("<f8", h.descr());
    assertFalse(h.fortranOrder());
    assertArrayEquals(new long[] {3, 5}, h.shape());
    assertEquals(128, h.dataOffset());
    assertEquals(3, h.rows());
    assertEquals(5, h.cols());
    assertEquals(2, h.ndim());
    assertEquals(8, h.itemSize());
    assertEquals("float64", h.dtypeName());

    double[] expected = colMajor(3, 5, (i, j) -> (i * 5 + j - 6) * 0.375);
    expected[0 + 1 * 3] = -0.0;
    expected[1 + 2 * 3] = Double.NaN;
    expected[2 + 3 * 3] = Double.POSITIVE_INFINITY;
    expected[2 + 4 * 3] = Double.NEGATIVE_INFINITY;
    // assertArrayEquals(double[]) compares bit patterns: -0.0 != 0.0 and NaN == NaN.
    assertArrayEquals(expected, Npy.readMatrix(file));
  }

  @Test
  void readsFloat64FortranOrder() {
    Path file = fixture("f64_f.npy");
    assertTrue(Npy.readHeader(file).fortranOrder());
    assertArrayEquals(colMajor(4, 3, (i, j) -> (i * 3 + j) * 0.1 - 0.55), Npy.readMatrix(file));
  }

  @Test
  void readsFloat32InBothOrders() {
    assertArrayEquals(colMajor(5, 4, (i, j) -> (float) ((i * 4 + j) * 0.1 - 0.7)),
        Npy.readMatrix(fixture("f32_c.npy")));
    NpyHeader h = Npy.readHeader(fixture("f32_f.npy"));
    assertEquals("float32", h.dtypeName());
    assertEquals(4, h.itemSize());
    assertTrue(h.fortranOrder());
    assertArrayEquals(colMajor(3, 7, (i, j) -> (float) ((i * 7 + j) * 0.25 - 2)),
        Npy.readMatrix(fixture("f32_f.npy")));
  }

  @Test
  void readsBigEndian() {
    assertEquals(">f8", Npy.readHeader(fixture("f8_be.npy")).descr());
    assertArrayEquals(colMajor(2, 3, (i, j) -> (i * 3 + j) * 1.5 - 4), Npy.readMatrix(fixture("f8_be.npy")));
    double[] expected = new double[5];
    for (int k = 0; k < 5; k++) {
      expected[k] = (float) (k * 0.3 - 1);
    }
    assertArrayEquals(expected, Npy.readVector(fixture("f4_be_vec.npy")));
    assertArrayEquals(new long[] {-131074, -65537, 0, 65537}, Npy.readLongVector(fixture("i32_be_vec.npy")));
  }

  @Test
  void readsVectorRangesThroughAnyWindow() {
    double[] whole = Npy.readVector(fixture("f4_be_vec.npy"));
    for (int window : new int[] {1, 4, 7, 1 << 20}) {
      NpyReader reader = new NpyReader(window);
      for (int first = 0; first <= whole.length; first++) {
        for (int count = 0; first + count <= whole.length; count++) {
          assertArrayEquals(Arrays.copyOfRange(whole, first, first + count),
              reader.readVectorRange(fixture("f4_be_vec.npy"), first, count), "window " + window);
        }
      }
    }
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> Npy.readVectorRange(fixture("f4_be_vec.npy"), 3, 3));
    assertTrue(e.getMessage().contains("f4_be_vec.npy") && e.getMessage().contains("[3, 6) out of range"),
        e.getMessage());
  }

  @Test
  void readsIntegerVectors() {
    long[] i64 = new long[7];
    double[] i64AsDouble = new double[7];
    for (int k = 0; k < 7; k++) {
      i64[k] = (k - 3) * (1L << 40) + k;
      i64AsDouble[k] = i64[k];
    }
    assertArrayEquals(i64, Npy.readLongVector(fixture("i64_vec.npy")));
    assertArrayEquals(i64AsDouble, Npy.readVector(fixture("i64_vec.npy")));
    assertEquals("int64", Npy.readHeader(fixture("i64_vec.npy")).dtypeName());

    long[] i32 = new long[6];
    for (int k = 0; k < 6; k++) {
      i32[k] = (k - 2) * 100000L - 7;
    }
    assertArrayEquals(i32, Npy.readLongVector(fixture("i32_vec.npy")));
    assertArrayEquals(new long[] {-100, -50, 0, 50, 100}, Npy.readLongVector(fixture("i8_vec.npy")));
    assertArrayEquals(new long[] {-24690, -12345, 0, 12345}, Npy.readLongVector(fixture("i16_vec.npy")));
    // 40005 and 60005 do not fit in a signed 16-bit integer: read as unsigned.
    assertArrayEquals(new long[] {5, 20005, 40005, 60005}, Npy.readLongVector(fixture("u16_vec.npy")));
  }

  @Test
  void readsBoolVector() {
    boolean[] expected = new boolean[9];
    double[] asDouble = new double[9];
    for (int k = 0; k < 9; k++) {
      expected[k] = k % 3 == 0;
      asDouble[k] = expected[k] ? 1 : 0;
    }
    NpyHeader h = Npy.readHeader(fixture("bool_vec.npy"));
    assertEquals("|b1", h.descr());
    assertEquals("bool", h.dtypeName());
    assertArrayEquals(expected, Npy.readBoolVector(fixture("bool_vec.npy")));
    assertArrayEquals(asDouble, Npy.readVector(fixture("bool_vec.npy")));
  }

  @Test
  void readsUint8Matrix() {
    assertEquals("uint8", Npy.readHeader(fixture("u8_mat.npy")).dtypeName());
    assertArrayEquals(colMajor(3, 4, (i, j) -> ((i * 4 + j) * 23) % 256), Npy.readMatrix(fixture("u8_mat.npy")));
  }

  @Test
  void readsClipFeaturesShapedN1D() {
    Path file = fixture("clip_n1d.npy");
    NpyHeader h = Npy.readHeader(file);
    assertArrayEquals(new long[] {4, 1, 6}, h.shape());
    assertEquals(3, h.ndim());
    assertEquals(4, h.rows());
    assertEquals(6, h.cols());
    double[] expected = colMajor(4, 6, (i, d) -> (float) ((i * 6 + d) * 0.01 - 0.1));
    assertArrayEquals(expected, Npy.readMatrix(file));
    assertArrayEquals(Arrays.copyOfRange(expected, 2 * 4, 5 * 4), Npy.readColumns(file, 2, 3));
  }

  @Test
  void readsVersion2Header() throws IOException {
    Path file = fixture("v2_header.npy");
    assertEquals(2, Files.readAllBytes(file)[6], "fixture has a 2.0 header");
    NpyHeader h = Npy.readHeader(file);
    assertEquals(128, h.dataOffset());
    assertArrayEquals(colMajor(2, 3, (i, j) -> i * 3 + j + 0.5), Npy.readMatrix(file));
  }

  @Test
  void readsOneDimensionalAsColumnMatrix() {
    NpyHeader h = Npy.readHeader(fixture("f4_be_vec.npy"));
    assertEquals(5, h.rows());
    assertEquals(1, h.cols());
    assertArrayEquals(Npy.readVector(fixture("f4_be_vec.npy")), Npy.readMatrix(fixture("f4_be_vec.npy")));
  }

  @Test
  void parsesHeadersNumpyDidNotWrite() throws IOException {
    // Keys in another order, double quotes, Python 2 long suffixes, extra spaces, no trailing comma.
    ByteBuffer data = ByteBuffer.allocate(6 * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (int k = 0; k < 6; k++) {
      data.putLong(10L * k - 25);
    }
    Path file = rawNpy("odd_header.npy", "{\"shape\" : ( 2L , 3L ),'fortran_order':False, 'descr':\"<i8\"}",
        data.array());
    NpyHeader h = Npy.readHeader(file);
    assertArrayEquals(new long[] {2, 3}, h.shape());
    assertEquals("int64", h.dtypeName());
    assertArrayEquals(colMajor(2, 3, (i, j) -> 10 * (i * 3 + j) - 25), Npy.readMatrix(file));

    // '=' is native order; a 0-size dimension parses.
    ByteBuffer native8 = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putDouble(1.25).putDouble(-2);
    Path nativeFile = rawNpy("native.npy", "{'descr': '=f8', 'fortran_order': False, 'shape': (2,), }",
        native8.array());
    assertArrayEquals(new double[] {1.25, -2}, Npy.readVector(nativeFile));
    Path empty = rawNpy("empty.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 4), }", new byte[0]);
    assertArrayEquals(new long[] {0, 4}, Npy.readHeader(empty).shape());
  }

  // ---- writing as numpy does ----

  @Test
  void writesBytesNumpyWrites() throws IOException {
    for (int window : WINDOWS) {
      NpyWriter writer = new NpyWriter(window);
      double[] m = colMajor(3, 4, (i, j) -> (i * 4 + j) * 0.1 - 0.3);
      m[0 + 3 * 3] = -0.0;
      Path f64 = tmp.resolve("f64_mat.npy");
      writer.writeMatrix(f64, m, 3, 4, ElementType.FLOAT64);
      assertBytes("expected_f64_mat.npy", f64, window);

      Path f32 = tmp.resolve("f32_mat.npy");
      writer.writeMatrix(f32, colMajor(3, 5, (i, j) -> (i * 5 + j) * 0.1 - 0.7), 3, 5, ElementType.FLOAT32);
      assertBytes("expected_f32_mat.npy", f32, window);

      double[] v = new double[7];
      long[] longs = new long[7];
      for (int k = 0; k < 7; k++) {
        v[k] = k / 3.0 - 1;
        longs[k] = (k - 3) * (1L << 40) + k;
      }
      Path f32v = tmp.resolve("f32_vec.npy");
      writer.writeVector(f32v, v, ElementType.FLOAT32);
      assertBytes("expected_f32_vec.npy", f32v, window);
      Path f64v = tmp.resolve("f64_vec.npy");
      writer.writeVector(f64v, v, ElementType.FLOAT64);
      assertBytes("expected_f64_vec.npy", f64v, window);

      Path i64 = tmp.resolve("i64_vec.npy");
      writer.writeLongVector(i64, longs);
      assertBytes("expected_i64_vec.npy", i64, window);
      Path i32 = tmp.resolve("i32_vec.npy");
      writer.writeIntVector(i32, new int[] {-200007, -100007, -7, 99993, 199993, 299993});
      assertBytes("expected_i32_vec.npy", i32, window);
      Path bools = tmp.resolve("bool_vec.npy");
      boolean[] mask = new boolean[9];
      for (int k = 0; k < 9; k++) {
        mask[k] = k % 3 == 0;
      }
      writer.writeBoolVector(bools, mask);
      assertBytes("expected_bool_vec.npy", bools, window);
      Path emptyLongs = tmp.resolve("i64_empty.npy");
      writer.writeLongVector(emptyLongs, new long[0]);
      assertBytes("expected_i64_empty.npy", emptyLongs, window);
    }
  }

  @Test
  void publicWritersMatchNumpy() throws IOException {
    double[] m = colMajor(3, 4, (i, j) -> (i * 4 + j) * 0.1 - 0.3);
    m[0 + 3 * 3] = -0.0;
    Path file = tmp.resolve("m.npy");
    Npy.writeMatrix(file, m, 3, 4, Npy.DType.FLOAT64);
    assertBytes("expected_f64_mat.npy", file, NpyReader.DEFAULT_WINDOW_BYTES);
    Npy.writeMatrix(file, colMajor(3, 5, (i, j) -> (i * 5 + j) * 0.1 - 0.7), 3, 5, Npy.DType.FLOAT32);
    assertBytes("expected_f32_mat.npy", file, NpyReader.DEFAULT_WINDOW_BYTES);
    Npy.writeBoolVector(file, new boolean[] {true, false, false, true, false, false, true, false, false});
    assertBytes("expected_bool_vec.npy", file, NpyReader.DEFAULT_WINDOW_BYTES);
  }

  private static void assertBytes(String expectedFixture, Path actual, int window) throws IOException {
    assertArrayEquals(Files.readAllBytes(fixture(expectedFixture)), Files.readAllBytes(actual),
        () -> expectedFixture + " with window " + window);
  }

  @Test
  void encodesHeadersAsNumpyForLargeShapes() throws IOException {
    List<String> lines = Files.readAllLines(fixture("headers_v1.txt"));
    assertEquals(16, lines.size());
    for (String line : lines) {
      String[] parts = line.split("\t");
      long[] shape = Arrays.stream(parts[1].split(",")).mapToLong(Long::parseLong).toArray();
      byte[] expected = HexFormat.of().parseHex(parts[2]);
      NpyHeader h = NpyHeader.forWriting(ElementType.fromDescr(parts[0]), shape, "x.npy");
      assertArrayEquals(expected, h.encode(), line);
      assertEquals(expected.length, h.dataOffset());
      assertEquals(0, h.dataOffset() % 64);
    }
  }

  // ---- round trips and column blocks ----

  @Test
  void roundTripsThroughWriterAndReader() {
    double[] values = colMajor(17, 9, (i, j) -> Math.sin(i * 9 + j) * 1e3 - j);
    Path f64 = tmp.resolve("rt64.npy");
    Npy.writeMatrix(f64, values, 17, 9, Npy.DType.FLOAT64);
    assertArrayEquals(values, Npy.readMatrix(f64));

    Path f32 = tmp.resolve("rt32.npy");
    Npy.writeMatrix(f32, values, 17, 9, Npy.DType.FLOAT32);
    double[] rounded = colMajor(17, 9, (i, j) -> (float) (Math.sin(i * 9 + j) * 1e3 - j));
    assertArrayEquals(rounded, Npy.readMatrix(f32));

    Path vec = tmp.resolve("v.npy");
    Npy.writeVector(vec, Arrays.copyOf(values, 23), Npy.DType.FLOAT64);
    assertArrayEquals(Arrays.copyOf(values, 23), Npy.readVector(vec));
    long[] longs = {Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE};
    Npy.writeLongVector(vec, longs);
    assertArrayEquals(longs, Npy.readLongVector(vec));
    int[] ints = {Integer.MIN_VALUE, -1, 0, 1, Integer.MAX_VALUE};
    Npy.writeIntVector(vec, ints);
    assertArrayEquals(Arrays.stream(ints).asLongStream().toArray(), Npy.readLongVector(vec));
    Npy.writeIntVector(vec, new int[] {0, 1, 1, 0});
    assertArrayEquals(new boolean[] {false, true, true, false}, Npy.readBoolVector(vec));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 8, 64, 100, 1000})
  void readsEveryColumnBlockOfCOrder(int window) {
    Cell f = (i, j) -> (i * 11 + j) * 0.5 - 30;
    Path file = tmp.resolve("c.npy");
    Npy.writeMatrix(file, colMajor(13, 11, f), 13, 11, Npy.DType.FLOAT64);
    assertEveryBlock(new NpyReader(window), file, 13, 11, f);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 8, 64, 100, 1000})
  void readsEveryColumnBlockOfFortranOrder(int window) throws IOException {
    Cell f = (i, j) -> (i * 11 + j) * 0.5 - 30;
    Path file = rawNpy("f.npy", "{'descr': '<f8', 'fortran_order': True, 'shape': (13, 11), }",
        fortranF64(13, 11, f));
    assertEveryBlock(new NpyReader(window), file, 13, 11, f);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 64, 5000, NpyReader.DEFAULT_WINDOW_BYTES})
  void readsColumnBlocksOfWideRowsOneRowAtATime(int window) {
    // Rows of 1500 float64 (12 KB): a gap over NpyReader.MERGE_GAP_BYTES between slices of a few columns.
    Cell f = (i, j) -> i * 10000 + j;
    Path file = tmp.resolve("wide.npy");
    Npy.writeMatrix(file, colMajor(3, 1500, f), 3, 1500, Npy.DType.FLOAT32);
    NpyReader reader = new NpyReader(window);
    for (int[] block : new int[][] {{0, 1}, {7, 5}, {700, 300}, {1499, 1}, {0, 1500}, {1, 1499}}) {
      assertArrayEquals(expectedBlock(3, block[0], block[1], f), reader.readColumns(file, block[0], block[1]),
          () -> Arrays.toString(block) + " window " + window);
    }
  }

  @Test
  void readsSingleRowAndSingleColumnMatrices() {
    Cell f = (i, j) -> i - 2.5 * j;
    for (int[] shape : new int[][] {{1, 9}, {9, 1}}) {
      Path file = tmp.resolve("thin.npy");
      Npy.writeMatrix(file, colMajor(shape[0], shape[1], f), shape[0], shape[1], Npy.DType.FLOAT64);
      for (int window : WINDOWS) {
        assertEveryBlock(new NpyReader(window), file, shape[0], shape[1], f);
      }
    }
  }

  private static void assertEveryBlock(NpyReader reader, Path file, int rows, int cols, Cell f) {
    assertArrayEquals(colMajor(rows, cols, f), reader.readMatrix(file));
    for (int first = 0; first < cols; first++) {
      for (int n = 0; first + n <= cols; n++) {
        int a = first;
        int b = n;
        assertArrayEquals(expectedBlock(rows, first, n, f), reader.readColumns(file, first, n),
            () -> "columns " + a + " + " + b);
      }
    }
  }

  private static double[] expectedBlock(int rows, int firstCol, int numCols, Cell f) {
    return colMajor(rows, numCols, (i, j) -> f.at(i, firstCol + j));
  }

  @Test
  void readsColumnsConcurrently() throws Exception {
    Cell f = (i, j) -> (float) (i * 0.001 - j * 7);
    Path file = tmp.resolve("shared.npy");
    Npy.writeMatrix(file, colMajor(200, 120, f), 200, 120, Npy.DType.FLOAT32);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<double[]>> blocks = new ArrayList<>();
      for (int b = 0; b < 12; b++) {
        int first = b * 10;
        blocks.add(pool.submit(() -> new NpyReader(256).readColumns(file, first, 10)));
      }
      for (int b = 0; b < 12; b++) {
        assertArrayEquals(expectedBlock(200, b * 10, 10, f), blocks.get(b).get());
      }
    } finally {
      pool.shutdown();
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 7, 64, 1000, NpyReader.DEFAULT_WINDOW_BYTES})
  void createAndWriteColumnsFromTwoThreadsEqualsWriteMatrix(int window) throws Exception {
    int rows = 23;
    int cols = 19;
    double[] m = colMajor(rows, cols, (i, j) -> Math.cos(i + 0.1 * j) - i);
    for (Npy.DType dtype : Npy.DType.values()) {
      Path whole = tmp.resolve("whole.npy");
      Npy.writeMatrix(whole, m, rows, cols, dtype);
      Path pieces = tmp.resolve("pieces.npy");
      Files.write(pieces, new byte[5000]); // createMatrix must truncate what was there
      NpyRanges.createMatrix(pieces, rows, cols, dtype);
      assertEquals(Files.size(whole), Files.size(pieces));

      // Two writers, interleaved blocks of 1..5 columns each.
      int[][] blocks = {{0, 3}, {3, 1}, {4, 5}, {9, 2}, {11, 4}, {15, 4}};
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
          int parity = t;
          done.add(pool.submit(() -> {
            NpyWriter writer = new NpyWriter(window);
            for (int b = parity; b < blocks.length; b += 2) {
              int first = blocks[b][0];
              int n = blocks[b][1];
              writer.writeColumns(pieces, first, Arrays.copyOfRange(m, first * rows, (first + n) * rows), n);
            }
          }));
        }
        for (Future<?> d : done) {
          d.get();
        }
      } finally {
        pool.shutdown();
      }
      assertArrayEquals(Files.readAllBytes(whole), Files.readAllBytes(pieces), dtype + " window " + window);
    }
  }

  @Test
  void writesAllColumnsAtOnceIntoCreatedMatrix() throws IOException {
    double[] m = colMajor(6, 4, (i, j) -> i * 4 + j);
    Path whole = tmp.resolve("whole.npy");
    Npy.writeMatrix(whole, m, 6, 4, Npy.DType.FLOAT64);
    Path created = tmp.resolve("created.npy");
    NpyRanges.createMatrix(created, 6, 4, Npy.DType.FLOAT64);
    assertArrayEquals(new double[24], Npy.readMatrix(created), "created data are zero");
    new NpyWriter(64).writeColumns(created, 0, m, 4);
    assertArrayEquals(Files.readAllBytes(whole), Files.readAllBytes(created));
  }

  // ---- bad input ----

  @Test
  void rejectsBadMagic() throws IOException {
    Path file = tmp.resolve("X.npy");
    Files.writeString(file, "not numpy at all, just text");
    assertFails(InvalidInputException.class, file, () -> Npy.readMatrix(file), "bad magic");
    Path tiny = tmp.resolve("tiny.npy");
    Files.write(tiny, new byte[] {(byte) 0x93});
    assertFails(InvalidInputException.class, tiny, () -> Npy.readHeader(tiny), "bad magic");
  }

  @Test
  void rejectsTruncatedData() throws IOException {
    byte[] bytes = Files.readAllBytes(fixture("f64_c.npy"));
    Path file = tmp.resolve("short.npy");
    Files.write(file, Arrays.copyOf(bytes, bytes.length - 8));
    assertFails(InvalidInputException.class, file, () -> Npy.readMatrix(file),
        "truncated: header says 120 bytes of data, file has 112");
    Path header = tmp.resolve("cut_header.npy");
    Files.write(header, Arrays.copyOf(bytes, 60));
    assertFails(InvalidInputException.class, header, () -> Npy.readHeader(header), "truncated");
  }

  @Test
  void rejectsUnsupportedDtype() {
    Path file = fixture("c16_vec.npy");
    assertFails(InvalidInputException.class, file, () -> Npy.readVector(file),
        "unsupported dtype '<c16' (expected float32, float64, int8/16/32/64, uint8/16, bool)");
  }

  @Test
  void rejectsStructuredDtypeAndMalformedHeaders() throws IOException {
    Path structured = rawNpy("rec.npy", "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }",
        new byte[4]);
    assertFails(InvalidInputException.class, structured, () -> Npy.readHeader(structured),
        "unsupported dtype [('a', '<f4')]");
    Path missingKey = rawNpy("nokey.npy", "{'descr': '<f4', 'shape': (1,), }", new byte[4]);
    assertFails(InvalidInputException.class, missingKey, () -> Npy.readHeader(missingKey), "malformed");
    Path garbage = rawNpy("garbage.npy", "{'descr': '<f4', 'fortran_order': Nope, 'shape': (1,), }", new byte[4]);
    assertFails(InvalidInputException.class, garbage, () -> Npy.readHeader(garbage), "malformed");
    Path badShape = rawNpy("shape.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }", new byte[4]);
    assertFails(InvalidInputException.class, badShape, () -> Npy.readHeader(badShape), "'shape' is (-1,)");
  }

  @Test
  void rejectsUnknownVersion() throws IOException {
    byte[] bytes = Files.readAllBytes(fixture("f64_c.npy"));
    bytes[6] = 4;
    Path file = tmp.resolve("v4.npy");
    Files.write(file, bytes);
    assertFails(InvalidInputException.class, file, () -> Npy.readHeader(file), "version 4.0");
  }

  @Test
  void rejectsThreeDimensionalShapeOtherThanN1D() {
    Path file = fixture("f64_3d.npy");
    assertFails(InvalidInputException.class, file, () -> Npy.readMatrix(file), "found shape (2, 3, 4)");
    assertFails(InvalidInputException.class, file, () -> Npy.readHeader(file).rows(), "(2, 3, 4)");
  }

  @Test
  void rejectsMatrixWhereVectorExpectedAndEmptyMatrix() throws IOException {
    Path matrix = fixture("f64_c.npy");
    assertFails(InvalidInputException.class, matrix, () -> Npy.readVector(matrix), "found shape (3, 5)");
    Path empty = rawNpy("empty.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 4), }", new byte[0]);
    assertFails(InvalidInputException.class, empty, () -> Npy.readMatrix(empty), "non-empty", "(0, 4)");
  }

  @Test
  void rejectsMissingFileAndDirectory() {
    Path missing = tmp.resolve("nowhere.npy");
    assertFails(InvalidInputException.class, missing, () -> Npy.readMatrix(missing), "no such file");
    assertFails(InvalidInputException.class, tmp, () -> Npy.readHeader(tmp), "cannot read");
  }

  @Test
  void rejectsFloatForLongVectorAndNonBinaryForBoolVector() {
    Path floats = fixture("f4_be_vec.npy");
    assertFails(InvalidInputException.class, floats, () -> Npy.readLongVector(floats),
        "expected an integer dtype, found float32");
    assertFails(InvalidInputException.class, floats, () -> Npy.readBoolVector(floats), "found float32");
    Path ints = fixture("i8_vec.npy");
    assertFails(InvalidInputException.class, ints, () -> Npy.readBoolVector(ints), "found -100 at index 0");
    Path bools = fixture("bool_vec.npy");
    assertFails(InvalidInputException.class, bools, () -> Npy.readLongVector(bools), "found bool");
  }

  @Test
  void rejectsColumnsOutOfRange() {
    Path file = fixture("f32_c.npy");
    assertFails(InvalidInputException.class, file, () -> Npy.readColumns(file, 3, 2), "[3, 5) out of range");
    assertFails(InvalidInputException.class, file, () -> Npy.readColumns(file, -1, 1), "out of range");
  }

  @Test
  void writeColumnsRejectsRangeAndFilesItDidNotCreate() throws IOException {
    Path file = tmp.resolve("target.npy");
    NpyRanges.createMatrix(file, 4, 6, Npy.DType.FLOAT32);
    assertFails(InvalidInputException.class, file, () -> NpyRanges.writeColumns(file, 5, new double[8], 2),
        "[5, 7) out of range for shape (4, 6)");
    assertFails(InvalidInputException.class, file, () -> NpyRanges.writeColumns(file, 0, new double[9], 2),
        "9 values", "4 rows x 2 columns");
    Path fortran = rawNpy("fortran.npy", "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 2), }",
        new byte[32]);
    assertFails(InvalidInputException.class, fortran, () -> NpyRanges.writeColumns(fortran, 0, new double[2], 1),
        "expected a 2-D C-order");
    Path ints = tmp.resolve("ints.npy");
    Npy.writeIntVector(ints, new int[] {1, 2});
    assertFails(InvalidInputException.class, ints, () -> NpyRanges.writeColumns(ints, 0, new double[2], 1),
        "expected a 2-D C-order");
    Path missing = tmp.resolve("absent.npy");
    assertFails(UncheckedIOException.class, missing, () -> NpyRanges.writeColumns(missing, 0, new double[2], 1),
        "no such file");
  }

  @Test
  void writeMatrixRejectsWrongLength() {
    Path file = tmp.resolve("w.npy");
    assertFails(IllegalArgumentException.class, file, () -> Npy.writeMatrix(file, new double[5], 2, 3,
        Npy.DType.FLOAT64), "5 values", "2 x 3");
  }
}
