package org.clipmsm.nsd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.clipmsm.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.types.MatFile;
import us.hebi.matlab.mat.types.Matrix;

/**
 * Checks both design readers against the fixtures of src/test/resources/nsd (made by make_fixtures.py). Expected
 * image ids and repetition counts come from expected.txt, which numpy computed from the design it wrote; session,
 * row and run numbers are worked out here by hand from the 750-trial sessions and the 63/62 runs.
 */
class NsdDesignTest {
  @TempDir Path tmp;

  static Path fixture(String name) {
    try {
      return Path.of(NsdDesignTest.class.getResource("/nsd/" + name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("missing test fixture nsd/" + name, e);
    }
  }

  private static final Path MAT = fixture("nsd_expdesign.mat");
  private static final Path CSV = fixture("nsd_stim_info_merged.csv");

  /** The lines of expected.txt starting with the given word, split into numbers (the word dropped). */
  private static List<int[]> facts(String kind) throws IOException {
    List<int[]> out = new ArrayList<>();
    for (String line : Files.readAllLines(fixture("expected.txt"))) {
      String[] f = line.trim().split(" ");
      if (f[0].equals(kind)) {
        out.add(Arrays.stream(f, 1, f.length).mapToInt(Integer::parseInt).toArray());
      }
    }
    assertFalse(out.isEmpty(), "expected.txt has no '" + kind + "' lines");
    return out;
  }

  @Test
  void runOfFollowsThe63_62Pattern() {
    // Runs: 1 = rows 0..62, 2 = 63..124, 3 = 125..187, ..., 11 = 625..687, 12 = 688..749.
    int[] firstRow = new int[13];
    int row = 0;
    for (int run = 1; run <= 12; run++) {
      firstRow[run] = row;
      row += run % 2 == 1 ? 63 : 62;
    }
    assertEquals(750, row);
    for (int r = 0; r < 750; r++) {
      int expected = 1;
      while (expected < 12 && r >= firstRow[expected + 1]) {
        expected++;
      }
      assertEquals(expected, NsdDesign.runOf(r), "row " + r);
    }
    assertEquals(1, NsdDesign.runOf(62));
    assertEquals(2, NsdDesign.runOf(63));
    assertEquals(2, NsdDesign.runOf(124));
    assertEquals(3, NsdDesign.runOf(125));
    assertEquals(12, NsdDesign.runOf(749));
    assertThrows(IllegalArgumentException.class, () -> NsdDesign.runOf(750));
    assertThrows(IllegalArgumentException.class, () -> NsdDesign.runOf(-1));
  }

  @Test
  void handPickedTrialsMapToSessionRowRunAndImage() throws IOException {
    // {trial, session, rowInSession, run}
    int[][] mapping = {
      {0, 1, 0, 1}, {62, 1, 62, 1}, {63, 1, 63, 2}, {125, 1, 125, 3}, {749, 1, 749, 12},
      {750, 2, 0, 1}, {22499, 30, 749, 12}, {29999, 40, 749, 12}
    };
    int checked = 0;
    for (int subject : new int[] {1, 2, 4}) {
      NsdDesign d = NsdDesign.fromExpDesignMat(MAT, subject, 40);
      assertEquals(30000, d.trials().size());
      for (int[] m : mapping) {
        NsdTrial t = d.trials().get(m[0]);
        assertEquals(m[0], t.trial());
        assertEquals(m[1], t.session(), "session of trial " + m[0]);
        assertEquals(m[2], t.rowInSession(), "row of trial " + m[0]);
        assertEquals(m[3], t.run(), "run of trial " + m[0]);
      }
      for (int[] f : facts("trial")) {
        if (f[0] == subject) {
          assertEquals(f[2], d.trials().get(f[1]).nsdId(), "subject " + subject + " trial " + f[1]);
          checked++;
        }
      }
    }
    assertEquals(24, checked);
  }

  @Test
  void subjectsSeeDifferentImagesOnTheSameTrial() throws IOException {
    // Trial 125 shows a subject-specific image in the fixture (expected.txt): a reader ignoring the subject fails.
    NsdDesign s1 = NsdDesign.fromExpDesignMat(MAT, 1, 1);
    NsdDesign s2 = NsdDesign.fromExpDesignMat(MAT, 2, 1);
    assertTrue(s1.trials().get(125).nsdId() != s2.trials().get(125).nsdId());
    assertEquals(s1.trials().get(0).nsdId(), s2.trials().get(0).nsdId());
  }

  @Test
  void imagesAndRepetitionsMatchNumpy() throws IOException {
    for (int[] f : facts("counts")) {
      NsdDesign d = NsdDesign.fromExpDesignMat(MAT, f[0], f[1]);
      String what = "subject " + f[0] + ", " + f[1] + " sessions";
      assertEquals(f[1] * 750, d.trials().size(), what);
      int[] images = d.images();
      assertEquals(f[2], images.length, what);
      int[] byCount = new int[4];
      for (int i = 0; i < images.length; i++) {
        if (i > 0) {
          assertTrue(images[i] > images[i - 1], "images() ascending and distinct");
        }
        byCount[d.repetitions(images[i])]++;
      }
      assertEquals(0, byCount[0], what);
      assertArrayEquals(new int[] {f[3], f[4], f[5]}, Arrays.copyOfRange(byCount, 1, 4), what + ": 1/2/3 reps");
    }
    for (int[] f : facts("reps")) {
      NsdDesign d = NsdDesign.fromExpDesignMat(MAT, f[0], f[1]);
      assertEquals(f[3], d.repetitions(f[2]), "subject " + f[0] + " nsdId " + f[2]);
      assertEquals(f[3] > 0, d.imageIndex(f[2]) >= 0);
    }
  }

  @Test
  void raggedSubjectDropsTrialsBeyondItsSessions() throws IOException {
    assertEquals(30, NsdDesign.sessionsAvailable(4));
    NsdDesign full = NsdDesign.fromExpDesignMat(MAT, 4, 40);
    NsdDesign ragged = NsdDesign.fromExpDesignMat(MAT, 4, NsdDesign.sessionsAvailable(4));
    assertEquals(22500, ragged.trials().size());
    assertEquals(30, ragged.trials().get(22499).session());
    assertEquals(full.trials().subList(0, 22500), ragged.trials());
    int fewer = 0;
    for (int id : ragged.images()) {
      int r = ragged.repetitions(id);
      assertTrue(r >= 1 && r <= full.repetitions(id));
      if (r < 3) {
        fewer++;
      }
    }
    assertTrue(fewer > 0, "some images of subject 4 have fewer than 3 repetitions in 30 sessions");
    assertTrue(ragged.images().length < full.images().length, "images seen only after session 30 are dropped");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
  void matAndCsvReadersAgree(int subject) {
    // The reduced CSV holds the images of session 1 only.
    NsdDesign mat = NsdDesign.fromExpDesignMat(MAT, subject, 1);
    NsdDesign csv = NsdDesign.fromStimInfoCsv(CSV, subject, 1);
    assertEquals(mat.trials(), csv.trials());
    assertArrayEquals(mat.images(), csv.images());
    for (int id : mat.images()) {
      assertEquals(mat.repetitions(id), csv.repetitions(id));
    }
    assertEquals(mat, csv);
    assertEquals(750, csv.trials().size());
  }

  @Test
  void csvReaderReadsColumnsByNameAndQuotedFields() throws IOException {
    // 250 images, nsdId 1000 + i, shown to subject 2 at trials 3i+1, 3i+2, 3i+3 (rep2 in the first column):
    // columns shuffled, a BOM, CRLF line ends, quoted fields with commas and doubled quotes.
    StringBuilder s = new StringBuilder("\uFEFFsubject2_rep2,cropBox,\"nsdId\",subject2_rep0,junk,subject2_rep1\r\n");
    int[] expected = new int[750];
    for (int i = 0; i < 250; i++) {
      int id = 1000 + i;
      int a = 3 * i + 1;
      int b = 3 * i + 2;
      int c = 3 * i + 3;
      s.append(c).append(",\"(0, 0.1671875, 0, 0)\",").append(id).append(',').append(a)
          .append(",\"say \"\"hi\"\", ok\",").append(b).append("\r\n");
      expected[a - 1] = id;
      expected[b - 1] = id;
      expected[c - 1] = id;
    }
    s.append("0,\"(0, 0, 0, 0)\",9,0,x,0\r\n"); // never shown
    Path f = tmp.resolve("shuffled.csv");
    Files.writeString(f, s, StandardCharsets.UTF_8);
    NsdDesign d = NsdDesign.fromStimInfoCsv(f, 2, 1);
    for (int t = 0; t < 750; t++) {
      assertEquals(expected[t], d.trials().get(t).nsdId(), "trial " + t);
    }
    assertEquals(250, d.images().length);
    assertEquals(3, d.repetitions(1000));
    assertEquals(0, d.repetitions(9));
  }

  @Test
  void csvMissingColumnNamesFileAndColumn() {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> NsdDesign.fromStimInfoCsv(fixture("missing_rep_columns.csv"), 3, 1));
    assertTrue(e.getMessage().contains("missing_rep_columns.csv"), e.getMessage());
    assertTrue(e.getMessage().contains("subject3_rep0"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void csvNotCoveringTheSessionsIsAnError() {
    // The reduced CSV lists the images of session 1 only, so trial 751 of session 2 is in no rep column.
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> NsdDesign.fromStimInfoCsv(CSV, 1, 2));
    assertTrue(e.getMessage().contains("nsd_stim_info_merged.csv"), e.getMessage());
    assertTrue(e.getMessage().contains("trial "), e.getMessage());
  }

  @Test
  void csvBadValuesAndDuplicatesAreErrors() throws IOException {
    Path dup = tmp.resolve("dup.csv");
    Files.writeString(dup, "nsdId,subject1_rep0,subject1_rep1,subject1_rep2\n5,1,2,3\n6,3,4,5\n");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> NsdDesign.fromStimInfoCsv(dup, 1, 1));
    assertTrue(e.getMessage().contains("dup.csv line 3") && e.getMessage().contains("trial 3"), e.getMessage());

    Path bad = tmp.resolve("bad.csv");
    Files.writeString(bad, "nsdId,subject1_rep0,subject1_rep1,subject1_rep2\n5,1,two,3\n");
    e = assertThrows(InvalidInputException.class, () -> NsdDesign.fromStimInfoCsv(bad, 1, 1));
    assertTrue(e.getMessage().contains("bad.csv line 2") && e.getMessage().contains("subject1_rep1"),
        e.getMessage());

    Path range = tmp.resolve("range.csv");
    Files.writeString(range, "nsdId,subject1_rep0,subject1_rep1,subject1_rep2\n5,1,30001,3\n");
    e = assertThrows(InvalidInputException.class, () -> NsdDesign.fromStimInfoCsv(range, 1, 1));
    assertTrue(e.getMessage().contains("30001"), e.getMessage());

    Path ragged = tmp.resolve("ragged.csv");
    Files.writeString(ragged, "nsdId,subject1_rep0,subject1_rep1,subject1_rep2\n5,1,2\n");
    e = assertThrows(InvalidInputException.class, () -> NsdDesign.fromStimInfoCsv(ragged, 1, 1));
    assertTrue(e.getMessage().contains("ragged.csv line 2"), e.getMessage());

    Path quote = tmp.resolve("quote.csv");
    Files.writeString(quote, "nsdId,subject1_rep0,subject1_rep1,subject1_rep2\n5,\"1,2,3\n");
    e = assertThrows(InvalidInputException.class, () -> NsdDesign.fromStimInfoCsv(quote, 1, 1));
    assertTrue(e.getMessage().contains("quote.csv") && e.getMessage().contains("unterminated"), e.getMessage());
  }

  @Test
  void csvErrorLinesCountBlankLinesAndLineBreaksInQuotedFields() throws IOException {
    // Line 2 is blank, the record on line 3 spans lines 3-4 (a quoted line break), so the repeated trial is on line 5.
    Path dup = tmp.resolve("multiline.csv");
    Files.writeString(dup, "nsdId,note,subject1_rep0,subject1_rep1,subject1_rep2\n\n5,\"two\nlines\",1,2,3\n"
        + "6,x,3,4,5\n");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> NsdDesign.fromStimInfoCsv(dup, 1, 1));
    assertTrue(e.getMessage().startsWith(dup + " line 5: subject1_rep0: trial 3 is already listed"), e.getMessage());

    Path quote = tmp.resolve("quote.csv");
    Files.writeString(quote, "nsdId,subject1_rep0,subject1_rep1,subject1_rep2\n5,1,2,3\n6,\"4,5,6\n7,8,9,10\n");
    e = assertThrows(InvalidInputException.class, () -> NsdDesign.fromStimInfoCsv(quote, 1, 1));
    assertEquals(quote + ": line 3: unterminated quoted field (its opening quote is on this line)", e.getMessage());

    Path after = tmp.resolve("after.csv");
    Files.writeString(after, "nsdId,subject1_rep0,subject1_rep1,subject1_rep2\n5,\"1\"2,2,3\n");
    e = assertThrows(InvalidInputException.class, () -> NsdDesign.fromStimInfoCsv(after, 1, 1));
    assertTrue(e.getMessage().startsWith(after + ": line 2: text after a closing quote"), e.getMessage());

    Path empty = tmp.resolve("empty.csv");
    Files.writeString(empty, "\uFEFF\r\n");
    e = assertThrows(InvalidInputException.class, () -> NsdDesign.cocoIds(empty));
    assertEquals(empty + ": empty (expected a header line)", e.getMessage());
  }

  @Test
  void cocoIdsFromTheStimInfoCsv() throws IOException {
    Path f = tmp.resolve("coco.csv");
    Files.writeString(f, "\uFEFF,cocoId,cropBox,nsdId\r\n0,532481,\"(0, 0.1, 0, 0)\",0\r\n1,245764.0,\"(0, 0, 0, 0)\",7\r\n");
    assertEquals(java.util.Map.of(0, 532481L, 7, 245764L), NsdDesign.cocoIds(f));
  }

  @Test
  void corruptMatIsAnError() {
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> NsdDesign.fromExpDesignMat(fixture("corrupt.mat"), 1, 40));
    assertTrue(e.getMessage().contains("corrupt.mat"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  @Test
  void matV73AndNonMatFilesAreErrors() throws IOException {
    Path v73 = tmp.resolve("v73.mat");
    Files.writeString(v73, "MATLAB 7.3 MAT-file, Platform: GLNXA64, Created on: x HDF5 schema 1.00 .");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> NsdDesign.fromExpDesignMat(v73, 1, 1));
    assertTrue(e.getMessage().contains("v73.mat") && e.getMessage().contains("7.3"), e.getMessage());
    e = assertThrows(InvalidInputException.class, () -> NsdDesign.fromExpDesignMat(CSV, 1, 1));
    assertTrue(e.getMessage().contains("nsd_stim_info_merged.csv"), e.getMessage());
    Path missing = tmp.resolve("nope.mat");
    e = assertThrows(InvalidInputException.class, () -> NsdDesign.fromExpDesignMat(missing, 1, 1));
    assertTrue(e.getMessage().contains("nope.mat"), e.getMessage());
  }

  /** Writes a MAT file with the given masterordering and subjectim (either may be null: left out). */
  private Path writeMat(String name, Matrix order, Matrix subjectim) throws IOException {
    Path f = tmp.resolve(name);
    MatFile mat = Mat5.newMatFile();
    if (order != null) {
      mat.addArray("masterordering", order);
    }
    if (subjectim != null) {
      mat.addArray("subjectim", subjectim);
    }
    Mat5.writeToFile(mat, f.toFile());
    return f;
  }

  private static Matrix validOrder() {
    Matrix m = Mat5.newMatrix(1, 30000);
    for (int t = 0; t < 30000; t++) {
      m.setDouble(t, t % 10000 + 1);
    }
    return m;
  }

  private static Matrix validSubjectim() {
    Matrix m = Mat5.newMatrix(8, 10000, us.hebi.matlab.mat.types.MatlabType.Int32);
    for (int s = 0; s < 8; s++) {
      for (int k = 0; k < 10000; k++) {
        m.setInt(s, k, s * 9000 + k + 1);
      }
    }
    return m;
  }

  @Test
  void matFromJavaWithIntegerClassIsRead() throws IOException {
    // subjectim as int32, masterordering as double: any numeric class is accepted.
    NsdDesign d = NsdDesign.fromExpDesignMat(writeMat("int.mat", validOrder(), validSubjectim()), 3, 2);
    assertEquals(1500, d.trials().size());
    // trial 1234: k = 1235, id73k = 2*9000 + 1234 + 1, nsdId = id73k - 1
    assertEquals(2 * 9000 + 1234, d.trials().get(1234).nsdId());
    assertEquals(1500, d.images().length);
  }

  @Test
  void matMissingOrMalformedVariablesNameFileAndVariable() throws IOException {
    Path noSubjectim = writeMat("nosubj.mat", validOrder(), null);
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> NsdDesign.fromExpDesignMat(noSubjectim, 1, 1));
    assertTrue(e.getMessage().contains("nosubj.mat") && e.getMessage().contains("'subjectim'"), e.getMessage());

    Path shortOrder = writeMat("short.mat", Mat5.newMatrix(1, 750), validSubjectim());
    e = assertThrows(InvalidInputException.class, () -> NsdDesign.fromExpDesignMat(shortOrder, 1, 1));
    assertTrue(e.getMessage().contains("short.mat") && e.getMessage().contains("masterordering"), e.getMessage());

    Path transposed = writeMat("transposed.mat", validOrder(), Mat5.newMatrix(10000, 8));
    e = assertThrows(InvalidInputException.class, () -> NsdDesign.fromExpDesignMat(transposed, 1, 1));
    assertTrue(e.getMessage().contains("subjectim") && e.getMessage().contains("10000x8"), e.getMessage());

    Matrix fractional = validOrder();
    fractional.setDouble(7, 2.5);
    Path frac = writeMat("frac.mat", fractional, validSubjectim());
    e = assertThrows(InvalidInputException.class, () -> NsdDesign.fromExpDesignMat(frac, 1, 1));
    assertTrue(e.getMessage().contains("frac.mat") && e.getMessage().contains("2.5"), e.getMessage());

    Matrix zeroId = validSubjectim();
    zeroId.setInt(0, 0, 0); // 73k ids are 1-based
    Path zero = writeMat("zero.mat", validOrder(), zeroId);
    e = assertThrows(InvalidInputException.class, () -> NsdDesign.fromExpDesignMat(zero, 1, 1));
    assertTrue(e.getMessage().contains("zero.mat") && e.getMessage().contains("subjectim"), e.getMessage());
  }

  @Test
  void badSubjectOrSessionsAreErrors() {
    assertThrows(InvalidInputException.class, () -> NsdDesign.fromExpDesignMat(MAT, 0, 40));
    assertThrows(InvalidInputException.class, () -> NsdDesign.fromExpDesignMat(MAT, 9, 40));
    assertThrows(InvalidInputException.class, () -> NsdDesign.fromExpDesignMat(MAT, 1, 41));
    assertThrows(InvalidInputException.class, () -> NsdDesign.fromStimInfoCsv(CSV, 1, 0));
    assertThrows(InvalidInputException.class, () -> NsdDesign.sessionsAvailable(9));
    assertArrayEquals(new int[] {40, 40, 32, 30, 40, 32, 40, 30},
        java.util.stream.IntStream.rangeClosed(1, 8).map(NsdDesign::sessionsAvailable).toArray());
  }
}
