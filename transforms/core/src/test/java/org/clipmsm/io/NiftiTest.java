package org.clipmsm.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.clipmsm.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checks the reader against files nibabel wrote (src/test/resources/nifti, made by make_fixtures.py with nibabel
 * 5.0) and the writer by round trips. Voxel values are recomputed here from the formula in make_fixtures.py, and
 * affines come from nibabel's {@code img.affine} as recorded in expected.txt, never from the reader.
 *
 * <p>Files written by {@link Nifti#write} and {@link Nifti#write2} were also loaded with nibabel 5.0 once, when this
 * test was written (CI has no Python, so that check is not repeated here): a 5x4x3x2 float32 .nii.gz written like
 * int16_scaled.nii, and the same data as a NIfTI-2 float64 file (read with {@code Nifti2Image.from_filename}) with an
 * ecode-32 extension and intent 3006, came back with equal data (order='F'), affine, qform (atol 1e-5), codes 1/2,
 * zooms (2, 2.5, 3, 1), intent code, and the extension (which nibabel parsed as a Cifti2Header); a 5x4x3 float64
 * file written with {@code like == null} came back with the base affine asserted in
 * {@link #nullLikeGivesCodeZeroAndNibabelBaseAffine}.
 */
class NiftiTest {
  @TempDir Path tmp;

  private static Path fixture(String name) {
    try {
      return Path.of(NiftiTest.class.getResource("/nifti/" + name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("missing fixture " + name, e);
    }
  }

  /** expected.txt: "file key values..." lines. */
  private static Map<String, double[]> expected() throws IOException {
    Map<String, double[]> m = new HashMap<>();
    for (String line : Files.readAllLines(fixture("expected.txt"))) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 2) {
        m.put(f[0] + " " + f[1], Arrays.stream(f, 2, f.length).mapToDouble(Double::parseDouble).toArray());
      }
    }
    return m;
  }

  /** The formula of make_fixtures.py: i + 10j + 100k + 1000t - 50, column-major. */
  private static double[] grid(long... dims) {
    int x = (int) dims[0];
    int y = (int) dims[1];
    int z = (int) dims[2];
    int t = dims.length > 3 ? (int) dims[3] : 1;
    double[] out = new double[x * y * z * t];
    for (int l = 0; l < t; l++) {
      for (int k = 0; k < z; k++) {
        for (int j = 0; j < y; j++) {
          for (int i = 0; i < x; i++) {
            out[i + x * (j + y * (k + z * l))] = i + 10 * j + 100 * k + 1000 * l - 50;
          }
        }
      }
    }
    return out;
  }

  private static double[] flat(double[][] m) {
    return Arrays.stream(m).flatMapToDouble(Arrays::stream).toArray();
  }

  private static void assertMessage(InvalidInputException e, Path file, String part) {
    String m = e.getMessage();
    assertTrue(m.startsWith(file.toString() + ": "), m);
    assertTrue(m.contains(part), m);
    assertFalse(m.contains("\n"), m);
  }

  @ParameterizedTest
  @ValueSource(strings = {"int16_scaled.nii", "int16_scaled.nii.gz"})
  void readsScaledInt16WithSform(String name) throws IOException {
    Path f = fixture(name);
    Map<String, double[]> exp = expected();
    NiftiHeader h = Nifti.readHeader(f);
    assertEquals(1, h.version());
    assertArrayEquals(new long[] {5, 4, 3}, h.dims());
    assertEquals(4, h.datatype());
    assertEquals("int16", h.datatypeName());
    assertEquals(0.5, h.sclSlope());
    assertEquals(1.0, h.sclInter());
    assertEquals(1, h.qformCode());
    assertEquals(2, h.sformCode());
    assertEquals(352, h.voxOffset());
    assertArrayEquals(exp.get(name + " pixdim"), h.pixdim(), 1e-6);
    assertArrayEquals(exp.get(name + " affine"), flat(h.affine()), 1e-6);
    assertArrayEquals(exp.get(name + " qform"), flat(h.qformAffine()), 1e-5);
    double[] q = exp.get(name + " quatern");
    assertArrayEquals(Arrays.copyOf(q, 6), h.quatern(), 1e-7);
    assertEquals(q[6], h.qfac());
    double[] raw = grid(5, 4, 3);
    assertArrayEquals(raw, Nifti.readRawData(f));
    double[] scaled = Arrays.stream(raw).map(v -> v * 0.5 + 1).toArray();
    assertArrayEquals(scaled, Nifti.readData(f));
  }

  @Test
  void reads4dFloat32WithQformOnlyAndNegativeQfac() throws IOException {
    String name = "float32_4d.nii";
    Path f = fixture(name);
    NiftiHeader h = Nifti.readHeader(f);
    assertArrayEquals(new long[] {4, 3, 2, 5}, h.dims());
    assertEquals("float32", h.datatypeName());
    assertEquals(0, h.sformCode());
    assertEquals(-1.0, h.qfac());
    Map<String, double[]> exp = expected();
    assertArrayEquals(exp.get(name + " affine"), flat(h.affine()), 1e-5);
    assertArrayEquals(exp.get(name + " pixdim"), h.pixdim(), 1e-6);
    assertArrayEquals(grid(4, 3, 2, 5), Nifti.readData(f));
  }

  /** Runs of 100 values out of 700, across 64 KB read chunks (run 163 spans values 16300..16399), any order. */
  @ParameterizedTest
  @ValueSource(strings = {"runs.nii", "runs.nii.gz"})
  void readsChosenRunsLikeTheWholeData(String name) {
    Path f = tmp.resolve(name);
    double[] data = new double[100 * 700];
    java.util.Random rnd = new java.util.Random(5);
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) rnd.nextGaussian();
    }
    Nifti.write(f, new long[] {100, 700}, data, 16, null);
    int[] runs = {5, 699, 0, 163, 5, 164, 163};
    double[] got = Nifti.readRuns(f, 100, runs);
    for (int p = 0; p < runs.length; p++) {
      assertArrayEquals(Arrays.copyOfRange(data, runs[p] * 100, runs[p] * 100 + 100),
          Arrays.copyOfRange(got, p * 100, p * 100 + 100), 0, "run " + runs[p]);
    }
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Nifti.readRuns(f, 100, new int[] {700}));
    assertTrue(e.getMessage().contains(name) && e.getMessage().contains("outside"), e.getMessage());
    e = assertThrows(InvalidInputException.class, () -> Nifti.readRuns(f, 300, new int[] {0}));
    assertTrue(e.getMessage().contains("do not split into runs of 300"), e.getMessage());
  }

  @Test
  void readsBigEndian() throws IOException {
    String name = "int32_be.nii";
    Path f = fixture(name);
    NiftiHeader h = Nifti.readHeader(f);
    assertEquals("int32", h.datatypeName());
    assertEquals(4, h.sformCode());
    assertArrayEquals(expected().get(name + " affine"), flat(h.affine()), 1e-6);
    assertArrayEquals(grid(5, 4, 3), Nifti.readData(f));
  }

  @Test
  void readsNifti2WithExtension() throws IOException {
    String name = "float64_v2.nii";
    Path f = fixture(name);
    NiftiHeader h = Nifti.readHeader(f);
    assertEquals(2, h.version());
    assertEquals("float64", h.datatypeName());
    assertArrayEquals(new long[] {3, 2, 2}, h.dims());
    assertEquals(576, h.voxOffset());
    assertArrayEquals(expected().get(name + " affine"), flat(h.affine()), 1e-12);
    assertEquals(1, h.extensions().size());
    NiftiExtension e = h.extensions().get(0);
    assertEquals(32, e.code());
    // 20 bytes of XML, zero-padded so that 8 + payload is a multiple of 16.
    byte[] xml = "<CIFTI Version=\"2\"/>".getBytes(StandardCharsets.US_ASCII);
    assertArrayEquals(Arrays.copyOf(xml, 24), e.payload());
    assertArrayEquals(Arrays.stream(grid(3, 2, 2)).map(v -> v + 0.25).toArray(), Nifti.readData(f));
  }

  @Test
  void readsMaskLabels() {
    Path f = fixture("mask_int16.nii");
    double[] expected = new double[60];
    for (int k = 0; k < 3; k++) {
      for (int j = 0; j < 4; j++) {
        for (int i = 0; i < 5; i++) {
          expected[i + 5 * (j + 4 * k)] = (i + j + k) % 7 - 1;
        }
      }
    }
    assertArrayEquals(expected, Nifti.readData(f));
    assertEquals(3, Nifti.readHeader(f).dims().length);
  }

  @ParameterizedTest
  @ValueSource(strings = {"int16_scaled.nii", "int16_scaled.nii.gz", "float32_4d.nii"})
  void readMaskedPicksFromReadData(String name) {
    Path f = fixture(name);
    long[] dims = Nifti.readHeader(f).dims();
    int spatial = (int) (dims[0] * dims[1] * dims[2]);
    int volumes = dims.length > 3 ? (int) dims[3] : 1;
    int[] idx = {7, 0, spatial - 1, 3, 7, 11}; // unsorted, repeated, both ends
    double[] all = Nifti.readData(f);
    double[] masked = Nifti.readMasked(f, idx);
    assertEquals(idx.length * volumes, masked.length);
    for (int t = 0; t < volumes; t++) {
      for (int v = 0; v < idx.length; v++) {
        assertEquals(all[idx[v] + spatial * t], masked[v + idx.length * t], name + " v=" + v + " t=" + t);
      }
    }
    // And independently of readData, for the 4-D formula file.
    if (volumes > 1) {
      double[] g = grid(dims);
      assertEquals(g[11 + spatial * 4], masked[5 + idx.length * 4]);
    }
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Nifti.readMasked(f, new int[] {spatial}));
    assertMessage(e, f, "mask index " + spatial);
  }

  @ParameterizedTest
  @ValueSource(strings = {"out.nii", "out.nii.gz"})
  void roundTripNifti1(String name) {
    NiftiHeader like = Nifti.readHeader(fixture("int16_scaled.nii"));
    Path f = tmp.resolve(name);
    long[] dims = {5, 4, 3, 2};
    double[] data = Arrays.stream(grid(dims)).map(v -> v / 4).toArray();
    Nifti.write(f, dims, data, 16, like);
    NiftiHeader h = Nifti.readHeader(f);
    assertEquals(1, h.version());
    assertArrayEquals(dims, h.dims());
    assertEquals(16, h.datatype());
    assertArrayEquals(flat(like.affine()), flat(h.affine()));
    assertArrayEquals(flat(like.qformAffine()), flat(h.qformAffine()));
    assertEquals(like.qformCode(), h.qformCode());
    assertEquals(like.sformCode(), h.sformCode());
    assertArrayEquals(new double[] {2, 2.5, 3, 1}, h.pixdim());
    assertArrayEquals(data, Nifti.readData(f));
    assertEquals(name.endsWith(".gz"), isGzip(f));
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 4, 16, 64, 256, 512, 768, 8, 1024})
  void roundTripEachDatatype(int datatype) {
    Path f = tmp.resolve("t" + datatype + ".nii");
    long[] dims = {3, 2, 2};
    boolean signed = datatype == 4 || datatype == 16 || datatype == 64 || datatype == 256 || datatype == 8
        || datatype == 1024;
    double[] data = Arrays.stream(grid(dims)).map(v -> signed ? v : v + 50).toArray();
    Nifti.write(f, dims, data, datatype, null);
    assertEquals(datatype, Nifti.readHeader(f).datatype());
    assertArrayEquals(data, Nifti.readData(f));
  }

  @Test
  void nullLikeGivesCodeZeroAndNibabelBaseAffine() {
    Path f = tmp.resolve("plain.nii");
    Nifti.write(f, new long[] {5, 4, 3}, grid(5, 4, 3), 64, null);
    NiftiHeader h = Nifti.readHeader(f);
    assertEquals(0, h.qformCode());
    assertEquals(0, h.sformCode());
    assertArrayEquals(new double[][] {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}}, h.sform());
    // nibabel 5.0 loads this file with affine [[-1,0,0,2],[0,1,0,-1.5],[0,0,1,-1],[0,0,0,1]] (get_base_affine).
    assertArrayEquals(new double[] {-1, 0, 0, 2, 0, 1, 0, -1.5, 0, 0, 1, -1, 0, 0, 0, 1}, flat(h.affine()));
  }

  @Test
  void roundTripNifti2WithExtensions() {
    NiftiHeader like = Nifti.readHeader(fixture("float32_4d.nii"));
    Path f = tmp.resolve("cifti.nii");
    long[] dims = {1, 1, 1, 1, 6, 3};
    double[] data = {1.5, -2, 3e10, 4, 5, 6, 7, 8, 9, 10, 11, Math.PI, 13, 14, 15, 16, 17, 18};
    byte[] xml = "<CIFTI Version=\"2\"><Matrix/></CIFTI>".getBytes(StandardCharsets.UTF_8);
    List<NiftiExtension> ext = List.of(new NiftiExtension(32, xml), new NiftiExtension(4, new byte[] {1, 2, 3}));
    Nifti.write2(f, dims, data, 64, like, ext, 3006);
    NiftiHeader h = Nifti.readHeader(f);
    assertEquals(2, h.version());
    assertArrayEquals(dims, h.dims());
    assertEquals(3006, h.intentCode());
    assertEquals(544 + 48 + 16, h.voxOffset());
    assertEquals(2, h.extensions().size());
    assertEquals(32, h.extensions().get(0).code());
    assertArrayEquals(Arrays.copyOf(xml, 40), h.extensions().get(0).payload());
    assertArrayEquals(Arrays.copyOf(new byte[] {1, 2, 3}, 8), h.extensions().get(1).payload());
    assertArrayEquals(flat(like.affine()), flat(h.affine()), 1e-6);
    assertArrayEquals(data, Nifti.readData(f));
  }

  private static boolean isGzip(Path f) {
    try {
      byte[] b = Files.readAllBytes(f);
      return (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---- bad input ----

  private Path copyCut(String name, int keep) throws IOException {
    byte[] b = Files.readAllBytes(fixture(name));
    Path f = tmp.resolve("cut-" + name);
    Files.write(f, Arrays.copyOf(b, keep));
    return f;
  }

  @Test
  void truncatedGzip() throws IOException {
    Path f = copyCut("int16_scaled.nii.gz", (int) Files.size(fixture("int16_scaled.nii.gz")) - 30);
    assertMessage(assertThrows(InvalidInputException.class, () -> Nifti.readData(f)), f, "truncated gzip stream");
  }

  @Test
  void truncatedData() throws IOException {
    Path f = copyCut("int16_scaled.nii", 352 + 100);
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Nifti.readData(f));
    assertMessage(e, f, "truncated data");
    assertMessage(assertThrows(InvalidInputException.class, () -> Nifti.readMasked(f, new int[] {59})), f,
        "truncated data");
    Path g = copyCut("int16_scaled.nii", 200);
    assertMessage(assertThrows(InvalidInputException.class, () -> Nifti.readHeader(g)), g, "truncated header");
  }

  @Test
  void wrongSizeofHdr() throws IOException {
    byte[] b = Files.readAllBytes(fixture("int16_scaled.nii"));
    b[0] = 123;
    b[1] = 0;
    Path f = tmp.resolve("x.nii");
    Files.write(f, b);
    assertMessage(assertThrows(InvalidInputException.class, () -> Nifti.readHeader(f)), f,
        "not a NIfTI file (sizeof_hdr is 123, expected 348 or 540)");
  }

  @Test
  void pairMagicRejected() throws IOException {
    byte[] b = Files.readAllBytes(fixture("int16_scaled.nii"));
    b[345] = 'i';
    Path f = tmp.resolve("pair.nii");
    Files.write(f, b);
    assertMessage(assertThrows(InvalidInputException.class, () -> Nifti.readHeader(f)), f, ".hdr/.img pair");
  }

  @Test
  void unsupportedDatatype() {
    Path f = fixture("complex64.nii");
    assertMessage(assertThrows(InvalidInputException.class, () -> Nifti.readData(f)), f,
        "unsupported datatype 32 (expected uint8, int8, int16, uint16, int32, uint32, int64, float32, float64)");
  }

  @Test
  void missingFile() {
    Path f = tmp.resolve("nope.nii.gz");
    assertMessage(assertThrows(InvalidInputException.class, () -> Nifti.readHeader(f)), f, "no such file");
  }

  @Test
  void writerLeavesNoFileOnFailure() throws IOException {
    Path f = tmp.resolve("bad.nii.gz");
    assertThrows(IllegalArgumentException.class, () -> Nifti.write(f, new long[] {2, 2, 2}, new double[7], 16, null));
    // Fails mid-way: the last value does not fit uint8, after the header and most data were written.
    double[] data = new double[20000];
    data[19999] = 256;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Nifti.write(f, new long[] {100, 200}, data, 2, null));
    assertTrue(e.getMessage().contains("index 19999"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Nifti.write(f, new long[] {2}, new double[] {0.5, 1}, 4, null));
    try (Stream<Path> s = Files.list(tmp)) {
      assertEquals(List.of(), s.toList());
    }
  }
}
