package org.clipmsm.pipelines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.values.PCollection;
import org.apache.commons.csv.CSVPrinter;
import org.clipmsm.InvalidInputException;
import org.clipmsm.InvalidParameterException;
import org.clipmsm.beam.Progress;
import org.clipmsm.beam.ReadNsdSubject;
import org.clipmsm.beam.VoxelBlock;
import org.clipmsm.io.Csv;
import org.clipmsm.io.Nifti;
import org.clipmsm.io.Npy;
import org.clipmsm.nsd.NsdDesign;
import org.clipmsm.nsd.NsdRois;
import org.clipmsm.nsd.NsdSubject;

/**
 * An NSD subject's responses in the ROI union as arrays anyone can use: responses.npy
 * (images x voxels, float32), image_keys.csv (nsdId, cocoId and repetition count per row), voxels.csv (linear index,
 * i, j,
 * k and the label in each ROI per column), ncsnr.npy (where the dataset has it) and floc_&lt;X&gt;.npy for each fLoc
 * t-map found (docs/datasets.md §1).
 */
public final class PrepareNsdPipeline implements StagedPipeline<PCollection<VoxelBlock>,
    PrepareNsdPipeline.Summary> {
  private final PrepareNsdSettings settings;
  private final ReadNsdSubject read;
  private final NsdSubject subject;
  private final Progress progress;

  public record Summary(int images, int voxels, int sessions, long betaBytes) {}

  private PrepareNsdPipeline(PrepareNsdSettings settings, ReadNsdSubject read, Progress progress) {
    this.settings = settings;
    this.read = read;
    this.subject = read.subject();
    this.progress = progress;
  }

  /** Opens the subject: its design, sessions and ROIs are checked before anything runs. */
  public static PrepareNsdPipeline of(PrepareNsdSettings s) {
    ReadNsdSubject read = ReadNsdSubject.from(s.nsdRoot(), s.subject(), s.rois()).withZScore(s.zscore())
        .withVoxelsPerBlock(s.voxelsPerBlock());
    if (read.subject().rois().voxels().length == 0) {
      throw new InvalidParameterException("rois", "the ROIs " + s.rois() + " hold no voxel (expected positive"
          + " labels)");
    }
    return new PrepareNsdPipeline(s, read, Progress.quiet());
  }

  /** Where the reading reports progress. */
  public PrepareNsdPipeline withProgress(Progress p) {
    return new PrepareNsdPipeline(settings, read, p);
  }

  public static Summary run(PipelineOptions options, PrepareNsdSettings s, Progress progress) {
    return PipelineRuns.toDirectory(options, s.out(), of(s).withProgress(progress));
  }

  @Override
  public List<Path> inputs() {
    return List.of(settings.nsdRoot());
  }

  @Override
  public PCollection<VoxelBlock> expand(StageGraph graph, Path out) {
    writeTables(out);
    int voxels = subject.rois().voxels().length;
    return PreparedResponses.write(graph, "Read NSD subject", read, out, subject.design().images().length, voxels,
        progress.stage("prepare nsd", voxels));
  }

  @Override
  public Summary finish(Path out) {
    return new Summary(subject.design().images().length, subject.rois().voxels().length, subject.sessions(),
        subject.betaBytes());
  }

  /** Everything but the responses, which follows from the subject's files alone: written before the pipeline runs. */
  private void writeTables(Path out) {
    Path root = settings.nsdRoot();
    int[] voxels = subject.rois().voxels();
    NsdDesign design = subject.design();
    try {
      writeImageKeys(out.resolve("image_keys.csv"), design,
          root.resolve("nsddata/experiments/nsd/nsd_stim_info_merged.csv"));
      writeVoxels(out.resolve("voxels.csv"), subject.grid(), subject.rois());
      Path betasDir = NsdSubject.betasDir(root, settings.subject());
      if (Files.exists(betasDir.resolve("ncsnr.nii.gz"))) {
        Npy.writeVector(out.resolve("ncsnr.npy"), atVoxels(betasDir.resolve("ncsnr.nii.gz"), voxels, subject),
            Npy.DType.FLOAT64);
      }
      try (Stream<Path> maps = Files.list(NsdSubject.funcDir(root, settings.subject()))) {
        for (Path f : maps.filter(p -> p.getFileName().toString().matches("floc_.+tval\\.nii(\\.gz)?")).sorted()
            .toList()) {
          String name = f.getFileName().toString().replaceAll("tval\\.nii(\\.gz)?$", "");
          Npy.writeVector(out.resolve(name + ".npy"), atVoxels(f, voxels, subject), Npy.DType.FLOAT64);
        }
      }
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
    try (CSVPrinter w = Csv.printer(file, "row", "nsdId", "cocoId", "repetitions")) {
      int[] images = design.images();
      for (int i = 0; i < images.length; i++) {
        Long c = coco.get(images[i]);
        w.printRecord(i, images[i], c == null ? "" : c, design.repetitions(images[i]));
      }
    }
  }

  private static void writeVoxels(Path file, long[] grid, NsdRois.Union rois) throws IOException {
    List<String> header = new java.util.ArrayList<>(List.of("column", "voxel", "i", "j", "k"));
    header.addAll(rois.names());
    try (CSVPrinter w = Csv.printer(file, header.toArray(String[]::new))) {
      int[] v = rois.voxels();
      long nx = grid[0];
      long ny = grid[1];
      for (int c = 0; c < v.length; c++) {
        long lin = v[c];
        List<Object> row = new java.util.ArrayList<>(List.of(c, lin, lin % nx, lin / nx % ny, lin / (nx * ny)));
        for (int[] m : rois.memberships()) {
          row.add(m[c]);
        }
        w.printRecord(row);
      }
    }
  }
}
