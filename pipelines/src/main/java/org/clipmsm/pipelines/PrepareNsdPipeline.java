package org.clipmsm.pipelines;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.ParDo;
import org.clipmsm.InvalidInputException;
import org.clipmsm.beam.ReadNsdSubject;
import org.clipmsm.io.Nifti;
import org.clipmsm.io.Npy;
import org.clipmsm.nsd.NsdDesign;
import org.clipmsm.nsd.NsdRois;
import org.clipmsm.nsd.NsdSubject;
import org.clipmsm.nsd.ResponsePreprocessing;

/**
 * {@code clipmsm prepare nsd}: an NSD subject's responses in the ROI union as arrays anyone can use: responses.npy
 * (images x voxels, float32), image_keys.csv (nsdId, cocoId and repetition count per row), voxels.csv (linear index, i, j,
 * k and the label in each ROI per column), ncsnr.npy (where the dataset has it) and floc_&lt;X&gt;.npy for each fLoc
 * t-map found. Staged, then moved into place.
 */
public final class PrepareNsdPipeline {
  private PrepareNsdPipeline() {}

  public record Summary(int images, int voxels, int sessions, long betaBytes) {}

  public static Summary run(PrepareNsdOptions o) {
    ResponsePreprocessing.ZScore mode = switch (o.getZscore()) {
      case "session" -> ResponsePreprocessing.ZScore.SESSION;
      case "run" -> ResponsePreprocessing.ZScore.RUN;
      default -> throw new InvalidInputException("--zscore: expected session or run, got " + o.getZscore());
    };
    List<String> rois = Arrays.stream(o.getRois().split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    Path root = Path.of(o.getNsdRoot());
    ReadNsdSubject read = ReadNsdSubject.from(root, o.getSubject(), rois).withZScore(mode)
        .withVoxelsPerBlock(o.getVoxelsPerBlock());
    NsdSubject subject = read.subject();
    NsdDesign design = subject.design();
    int[] voxels = subject.rois().voxels();
    if (voxels.length == 0) {
      throw new InvalidInputException("--rois: the ROIs " + rois + " hold no voxel (expected positive labels)");
    }
    int images = design.images().length;
    try (OutputDirectory out = OutputDirectory.open(Path.of(o.getOut()), "prepare")) {
      Npy.createMatrix(out.file("responses.npy"), images, voxels.length, Npy.DType.FLOAT32);
      Pipeline pipeline = Pipeline.create(o);
      pipeline.apply("Read NSD subject", read)
          .apply("Write responses", ParDo.of(new WriteResponseColumns(out.file("responses.npy"), "prepare nsd",
              voxels.length)));
      pipeline.run().waitUntilFinish();
      writeImageKeys(out.file("image_keys.csv"), design,
          root.resolve("nsddata/experiments/nsd/nsd_stim_info_merged.csv"));
      writeVoxels(out.file("voxels.csv"), subject.grid(), subject.rois());
      Path betasDir = NsdSubject.betasDir(root, o.getSubject());
      if (Files.exists(betasDir.resolve("ncsnr.nii.gz"))) {
        Npy.writeVector(out.file("ncsnr.npy"), atVoxels(betasDir.resolve("ncsnr.nii.gz"), voxels, subject),
            Npy.DType.FLOAT64);
      }
      try (Stream<Path> maps = Files.list(NsdSubject.funcDir(root, o.getSubject()))) {
        for (Path f : maps.filter(p -> p.getFileName().toString().matches("floc_.+tval\\.nii(\\.gz)?")).sorted()
            .toList()) {
          String name = f.getFileName().toString().replaceAll("tval\\.nii(\\.gz)?$", "");
          Npy.writeVector(out.file(name + ".npy"), atVoxels(f, voxels, subject), Npy.DType.FLOAT64);
        }
      }
      out.commit();
      return new Summary(images, voxels.length, subject.sessions(), subject.betaBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A 3-D map's values at the voxels, checked to be on the betas' grid. */
  private static double[] atVoxels(Path file, int[] voxels, NsdSubject subject) {
    long[] dims = Nifti.readHeader(file).dims();
    if (!Arrays.equals(Arrays.copyOf(dims, Math.min(3, dims.length)), subject.grid())) {
      throw new InvalidInputException(file + ": grid " + Arrays.toString(dims) + ", but the betas are on "
          + Arrays.toString(subject.grid()) + " (expected the betas' grid)");
    }
    return Nifti.readMasked(file, voxels);
  }

  /** nsdId, cocoId (where nsd_stim_info_merged.csv is present; empty otherwise) and repetition count per row. */
  private static void writeImageKeys(Path file, NsdDesign design, Path stimInfo) throws IOException {
    java.util.Map<Integer, Long> coco = Files.exists(stimInfo) ? NsdDesign.cocoIds(stimInfo) : java.util.Map.of();
    try (BufferedWriter w = Files.newBufferedWriter(file)) {
      w.write("row,nsdId,cocoId,repetitions\n");
      int[] images = design.images();
      for (int i = 0; i < images.length; i++) {
        Long c = coco.get(images[i]);
        w.write(i + "," + images[i] + "," + (c == null ? "" : c) + "," + design.repetitions(images[i]) + "\n");
      }
    }
  }

  private static void writeVoxels(Path file, long[] grid, NsdRois.Union rois) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file)) {
      w.write("column,voxel,i,j,k");
      for (String n : rois.names()) {
        w.write("," + n);
      }
      w.write("\n");
      int[] v = rois.voxels();
      long nx = grid[0];
      long ny = grid[1];
      for (int c = 0; c < v.length; c++) {
        long lin = v[c];
        w.write(c + "," + lin + "," + lin % nx + "," + lin / nx % ny + "," + lin / (nx * ny));
        for (int[] m : rois.memberships()) {
          w.write("," + m[c]);
        }
        w.write("\n");
      }
    }
  }
}
