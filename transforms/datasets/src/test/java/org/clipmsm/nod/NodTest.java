package org.clipmsm.nod;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.clipmsm.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodTest {
  @TempDir
  Path root;

  private Path runDir(int subject, String name) throws Exception {
    Path d = root.resolve(String.format("derivatives/ciftify/sub-%02d/results", subject)).resolve(name);
    Files.createDirectories(d);
    Files.writeString(d.resolve(name + "_beta.dscalar.nii"), "placeholder");
    return d;
  }

  @Test
  void runsAreDiscoveredAndOrdered() throws Exception {
    runDir(3, "ses-imagenet02_task-imagenet_run-1");
    runDir(3, "ses-imagenet01_task-imagenet_run-10");
    runDir(3, "ses-imagenet01_task-imagenet_run-2");
    runDir(3, "ses-coco_task-coco_run-1");
    Files.createDirectories(root.resolve("derivatives/ciftify/sub-03/results/ses-floc_task-floc"));
    List<NodRun> runs = NodLayout.of(root, 3).runs("imagenet");
    assertEquals(List.of("imagenet01/2", "imagenet01/10", "imagenet02/1"),
        runs.stream().map(r -> r.session() + "/" + r.run()).toList());
    assertEquals(1, NodLayout.of(root, 3).runs("coco").size());
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> NodLayout.of(root, 4));
    assertTrue(e.getMessage().contains("sub-04"), e.getMessage());
  }

  @Test
  void aRunWithoutBetasIsAnError() throws Exception {
    Path d = runDir(1, "ses-imagenet01_task-imagenet_run-1");
    Files.delete(d.resolve("ses-imagenet01_task-imagenet_run-1_beta.dscalar.nii"));
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> NodLayout.of(root, 1).runs("imagenet"));
    assertTrue(e.getMessage().contains("_beta.dscalar.nii: missing"), e.getMessage());
  }

  @Test
  void labelsInTheFormatsSeen() throws Exception {
    Path f = root.resolve("l.txt");
    Files.writeString(f, "imagenet/n03131574/n03131574_8247.JPEG\n\n0\tn01440764_1.JPEG\n"
        + "'coco/000000124419.jpg'\nplain-name\n");
    assertEquals(List.of("n03131574_8247.JPEG", "n01440764_1.JPEG", "000000124419.jpg", "plain-name"),
        NodLabels.read(f, 4));
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> NodLabels.read(f, 5));
    assertTrue(e.getMessage().contains("4 labels, but the betas have 5 maps"), e.getMessage());
    assertEquals("n1_2.JPEG", NodLabels.stimulusName("imagenet/n1/n1_2.JPEG"));
  }

  @Test
  void eventsNameTheStimuliAndSkipCatchTrials() throws Exception {
    Path imagenet = root.resolve("in.tsv");
    Files.writeString(imagenet, "onset\tduration\ttrial_type\tresponse\tresponse_time\tstim_file\n"
        + "0\t0.5\t12\tn/a\tn/a\timagenet/n03131574/n03131574_8247.JPEG\n"
        + "9\t0.5\t3\t1\t0.6\timagenet/n01440764/n01440764_1.JPEG\n");
    assertEquals(List.of("n03131574_8247.JPEG", "n01440764_1.JPEG"), NodEvents.stimuli(imagenet));
    Path coco = root.resolve("coco.tsv");
    Files.writeString(coco, "onset\tduration\ttrial_type\tcondition\n0\t0.5\t1\tcoco/000000124419.jpg\n"
        + "3\t0.5\t2000\tn/a\n6\t0.5\t2\tcoco/000000000139.jpg\n");
    assertEquals(List.of("000000124419.jpg", "000000000139.jpg"), NodEvents.stimuli(coco));
    Path bad = root.resolve("bad.tsv");
    Files.writeString(bad, "onset\tduration\n1\t2\n");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> NodEvents.stimuli(bad));
    assertTrue(e.getMessage().contains("bad.tsv: no stim_file or condition column"), e.getMessage());
  }

  @Test
  void eventsAreReadAsTsv() throws Exception {
    // A BOM, CRLF line ends, blank lines, a quoted field holding a tab, a short row (no stimulus: skipped, as before).
    Path f = root.resolve("crlf.tsv");
    Files.writeString(f, "\uFEFFonset\tduration\ttrial_type\tstim_file\r\n\r\n0\t1\t1\timagenet/n1/n1_1.JPEG\r\n"
        + "4\t1\t2\t\"odd\tname.JPEG\"\r\n8\t1\r\n   \r\n12\t1\t3\tN/A\r\n16\t1\t4\t n2_2.JPEG \r\n");
    assertEquals(List.of("n1_1.JPEG", "odd\tname.JPEG", "n2_2.JPEG"), NodEvents.stimuli(f));

    Path open = root.resolve("open.tsv");
    Files.writeString(open, "onset\tstim_file\n0\ta.JPEG\n4\t\"b.JPEG\n8\tc.JPEG\n");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> NodEvents.stimuli(open));
    assertTrue(e.getMessage().startsWith(open + ": line 3: unterminated quoted field"), e.getMessage());

    Path empty = root.resolve("empty.tsv");
    Files.writeString(empty, "\n");
    e = assertThrows(InvalidInputException.class, () -> NodEvents.stimuli(empty));
    assertEquals(empty + ": empty (expected a header line)", e.getMessage());
  }

  @Test
  void zScorePerRunAndCocoAveraging() {
    // One grayordinate, run of 4 maps: 1, 2, 3, 6 -> mean 3, population sd sqrt(3.5).
    double[] run = {1, 2, 3, 6};
    NodPreprocessing.zScoreRun(run, 4, 1);
    double sd = Math.sqrt(3.5);
    assertArrayEquals(new double[] {-2 / sd, -1 / sd, 0, 3 / sd}, run, 1e-12);
    double[] constant = {5, 5, 5};
    NodPreprocessing.zScoreRun(constant, 3, 1);
    assertArrayEquals(new double[] {0, 0, 0}, constant, 0);
    // Run 1 shows a, b, c (0, 1, 5: mean 2, sd sqrt(14/3)); run 2 shows c, a (2, 4: z = -1, 1); b only once.
    List<String> images = new ArrayList<>();
    double[] avg = NodPreprocessing.cocoAverage(List.of(new double[] {0, 1, 5}, new double[] {2, 4}),
        List.of(List.of("a", "b", "c"), List.of("c", "a")), 1, images);
    assertEquals(List.of("a", "b", "c"), images);
    double s1 = Math.sqrt(14.0 / 3);
    assertArrayEquals(new double[] {(-2 / s1 + 1) / 2, -1 / s1, (3 / s1 - 1) / 2}, avg, 1e-12);
  }
}
