package org.clipmsm.pipelines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.values.PCollection;
import org.apache.commons.csv.CSVPrinter;
import org.clipmsm.InvalidInputException;
import org.clipmsm.beam.Progress;
import org.clipmsm.beam.ReadNodSubject;
import org.clipmsm.beam.VoxelBlock;
import org.clipmsm.io.Cifti;
import org.clipmsm.io.CiftiXml;
import org.clipmsm.io.Csv;
import org.clipmsm.io.Npy;
import org.clipmsm.nod.NodLayout;
import org.clipmsm.nod.NodPrepare;
import org.clipmsm.nod.NodRun;
import org.clipmsm.nod.NodSubject;
import org.clipmsm.nsd.NsdRois;

/**
 * A NOD subject's responses in the union of its fLoc ROIs as arrays anyone can use:
 * responses.npy (images x grayordinates, float32; ImageNet rows z-scored per run, then COCO rows z-scored per run and
 * averaged), image_keys.csv (stimulus, task and repetition count per row), voxels.csv (grayordinate, brain structure,
 * surface vertex or voxel i/j/k, and the label in each fLoc ROI per column), and floc_&lt;map&gt;.npy for each map of
 * the fLoc betas (Character, Body, Face, Place, Object) where the subject has them. NOD has no ncsnr file
 * (docs/datasets.md §2).
 */
public final class PrepareNodPipeline implements StagedPipeline<PCollection<VoxelBlock>,
    PrepareNodPipeline.Summary> {
  private final PrepareNodSettings settings;
  private final ReadNodSubject read;
  private final NodSubject subject;
  private final NodPrepare.Rows rows;
  private final CiftiXml space;
  private final Progress progress;

  public record Summary(int images, int voxels, int runs, long betaBytes) {}

  private PrepareNodPipeline(PrepareNodSettings settings, ReadNodSubject read, NodPrepare.Rows rows, CiftiXml space,
      Progress progress) {
    this.settings = settings;
    this.read = read;
    this.subject = read.subject();
    this.rows = rows;
    this.space = space;
    this.progress = progress;
  }

  /** Opens the subject: its runs, events and ROIs are checked before anything runs. */
  public static PrepareNodPipeline of(PrepareNodSettings s) {
    ReadNodSubject read = ReadNodSubject.from(s.nodRoot(), s.subject()).withVoxelsPerBlock(s.voxelsPerBlock());
    NodSubject subject = read.subject();
    if (subject.rois().voxels().length == 0) {
      throw new InvalidInputException(NodLayout.of(s.nodRoot(), s.subject()).flocRoi("faces").getParent()
          + ": the fLoc ROIs hold no grayordinate (expected positive label keys)");
    }
    return new PrepareNodPipeline(s, read, NodPrepare.rows(subject),
        Cifti.readXml(subject.imagenetRuns().get(0).betas()), Progress.quiet());
  }

  /** Where the reading reports progress. */
  public PrepareNodPipeline withProgress(Progress p) {
    return new PrepareNodPipeline(settings, read, rows, space, p);
  }

  public static Summary run(PipelineOptions options, PrepareNodSettings s, Progress progress) {
    return PipelineRuns.toDirectory(options, s.out(), of(s).withProgress(progress));
  }

  @Override
  public List<Path> inputs() {
    return List.of(settings.nodRoot());
  }

  @Override
  public PCollection<VoxelBlock> expand(StageGraph graph, Path out) {
    writeTables(out);
    int voxels = subject.rois().voxels().length;
    return PreparedResponses.write(graph, "Read NOD subject", read, out, rows.stimuli().size(), voxels,
        progress.stage("prepare nod", voxels));
  }

  @Override
  public Summary finish(Path out) {
    long bytes = 0;
    try {
      for (NodRun r : subject.runs()) {
        bytes += Files.size(r.betas());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Summary(rows.stimuli().size(), subject.rois().voxels().length, subject.runs().size(), bytes);
  }

  /** Everything but the responses, which follows from the subject's files alone: written before the pipeline runs. */
  private void writeTables(Path out) {
    int[] voxels = subject.rois().voxels();
    try {
      writeImageKeys(out.resolve("image_keys.csv"), rows);
      writeVoxels(out.resolve("voxels.csv"), space, subject.rois());
      Path flocBetas = NodLayout.of(settings.nodRoot(), settings.subject()).flocBetas();
      if (Files.exists(flocBetas)) {
        writeFlocMaps(out, flocBetas, voxels, subject.grayordinates());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Each map of the fLoc betas at the ROI grayordinates, as floc_&lt;map name in lower case&gt;.npy. */
  private static void writeFlocMaps(Path out, Path file, int[] voxels, int grayordinates) {
    Cifti.Dense d = Cifti.read(file);
    if (d.grayordinates() != grayordinates) {
      throw new InvalidInputException(file + ": " + d.grayordinates() + " grayordinates, but the betas have "
          + grayordinates + " (expected the betas' brain models)");
    }
    List<CiftiXml.NamedMap> maps = d.xml().maps();
    for (int m = 0; m < d.maps(); m++) {
      String name = m < maps.size() && !maps.get(m).name().isBlank() ? maps.get(m).name() : "map" + (m + 1);
      double[] v = new double[voxels.length];
      for (int c = 0; c < voxels.length; c++) {
        v[c] = d.data()[m + d.maps() * voxels[c]];
      }
      String safe = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
      Npy.writeVector(out.resolve("floc_" + safe + ".npy"), v, Npy.DType.FLOAT64);
    }
  }

  private static void writeImageKeys(Path file, NodPrepare.Rows rows) throws IOException {
    try (CSVPrinter w = Csv.printer(file, "row", "stimulus", "task", "repetitions")) {
      for (int i = 0; i < rows.stimuli().size(); i++) {
        w.printRecord(i, rows.stimuli().get(i), rows.tasks().get(i), rows.repetitions().get(i));
      }
    }
  }

  private static void writeVoxels(Path file, CiftiXml space, NsdRois.Union rois) throws IOException {
    List<String> header = new ArrayList<>(List.of("column", "grayordinate", "structure", "vertex", "i", "j", "k"));
    header.addAll(rois.names());
    try (CSVPrinter w = Csv.printer(file, header.toArray(String[]::new))) {
      int[] v = rois.voxels();
      List<CiftiXml.BrainModel> models = space.brainModels();
      for (int c = 0; c < v.length; c++) {
        CiftiXml.BrainModel m = modelOf(models, v[c]);
        int at = v[c] - m.indexOffset();
        List<Object> row = new ArrayList<>(List.of(c, v[c], m.brainStructure().replace("CIFTI_STRUCTURE_", "")));
        if (m.isSurface()) {
          row.addAll(List.of(m.vertexIndices() != null ? m.vertexIndices()[at] : at, "", "", ""));
        } else {
          row.addAll(List.of("", m.voxelIjk()[at][0], m.voxelIjk()[at][1], m.voxelIjk()[at][2]));
        }
        for (int[] member : rois.memberships()) {
          row.add(member[c]);
        }
        w.printRecord(row);
      }
    }
  }

  private static CiftiXml.BrainModel modelOf(List<CiftiXml.BrainModel> models, int grayordinate) {
    for (CiftiXml.BrainModel m : models) {
      if (grayordinate >= m.indexOffset() && grayordinate < m.indexOffset() + m.indexCount()) {
        return m;
      }
    }
    throw new IllegalStateException("grayordinate " + grayordinate + " is in no brain model");
  }
}
