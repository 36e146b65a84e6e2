package org.clipmsm.pipelines;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.ParDo;
import org.clipmsm.InvalidInputException;
import org.clipmsm.beam.ReadNodSubject;
import org.clipmsm.io.Cifti;
import org.clipmsm.io.CiftiXml;
import org.clipmsm.io.Npy;
import org.clipmsm.nod.NodLayout;
import org.clipmsm.nod.NodPrepare;
import org.clipmsm.nod.NodRun;
import org.clipmsm.nod.NodSubject;
import org.clipmsm.nsd.NsdRois;

/**
 * {@code clipmsm prepare nod}: a NOD subject's responses in the union of its fLoc ROIs as arrays anyone can use:
 * responses.npy (images x grayordinates, float32; ImageNet rows z-scored per run, then COCO rows z-scored per run and
 * averaged), image_keys.csv (stimulus, task and repetition count per row), voxels.csv (grayordinate, brain structure,
 * surface vertex or voxel i/j/k, and the label in each fLoc ROI per column), and floc_&lt;map&gt;.npy for each map of
 * the fLoc betas (Character, Body, Face, Place, Object) where the subject has them. NOD has no ncsnr file. Staged,
 * then moved into place.
 */
public final class PrepareNodPipeline {
  private PrepareNodPipeline() {}

  public record Summary(int images, int voxels, int runs, long betaBytes) {}

  public static Summary run(PrepareNodOptions o) {
    Path root = Path.of(o.getNodRoot());
    ReadNodSubject read = ReadNodSubject.from(root, o.getSubject()).withVoxelsPerBlock(o.getVoxelsPerBlock());
    NodSubject subject = read.subject();
    int[] voxels = subject.rois().voxels();
    if (voxels.length == 0) {
      throw new InvalidInputException(NodLayout.of(root, o.getSubject()).flocRoi("faces").getParent()
          + ": the fLoc ROIs hold no grayordinate (expected positive label keys)");
    }
    NodPrepare.Rows rows = NodPrepare.rows(subject);
    CiftiXml space = Cifti.readXml(subject.imagenetRuns().get(0).betas());
    try (OutputDirectory out = OutputDirectory.open(Path.of(o.getOut()), "prepare")) {
      Npy.createMatrix(out.file("responses.npy"), rows.stimuli().size(), voxels.length, Npy.DType.FLOAT32);
      Pipeline pipeline = Pipeline.create(o);
      pipeline.apply("Read NOD subject", read)
          .apply("Write responses", ParDo.of(new WriteResponseColumns(out.file("responses.npy"), "prepare nod",
              voxels.length)));
      pipeline.run().waitUntilFinish();
      writeImageKeys(out.file("image_keys.csv"), rows);
      writeVoxels(out.file("voxels.csv"), space, subject.rois());
      Path flocBetas = NodLayout.of(root, o.getSubject()).flocBetas();
      if (Files.exists(flocBetas)) {
        writeFlocMaps(out, flocBetas, voxels, subject.grayordinates());
      }
      out.commit();
      long bytes = 0;
      for (NodRun r : subject.runs()) {
        bytes += Files.size(r.betas());
      }
      return new Summary(rows.stimuli().size(), voxels.length, subject.runs().size(), bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Each map of the fLoc betas at the ROI grayordinates, as floc_&lt;map name in lower case&gt;.npy. */
  private static void writeFlocMaps(OutputDirectory out, Path file, int[] voxels, int grayordinates) {
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
      Npy.writeVector(out.file("floc_" + safe + ".npy"), v, Npy.DType.FLOAT64);
    }
  }

  private static void writeImageKeys(Path file, NodPrepare.Rows rows) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file)) {
      w.write("row,stimulus,task,repetitions\n");
      for (int i = 0; i < rows.stimuli().size(); i++) {
        w.write(i + "," + csvField(rows.stimuli().get(i)) + "," + rows.tasks().get(i) + ","
            + rows.repetitions().get(i) + "\n");
      }
    }
  }

  private static void writeVoxels(Path file, CiftiXml space, NsdRois.Union rois) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file)) {
      w.write("column,grayordinate,structure,vertex,i,j,k");
      for (String n : rois.names()) {
        w.write("," + n);
      }
      w.write("\n");
      int[] v = rois.voxels();
      List<CiftiXml.BrainModel> models = space.brainModels();
      for (int c = 0; c < v.length; c++) {
        CiftiXml.BrainModel m = modelOf(models, v[c]);
        int at = v[c] - m.indexOffset();
        String where = m.isSurface()
            ? (m.vertexIndices() != null ? m.vertexIndices()[at] : at) + ",,,"
            : "," + m.voxelIjk()[at][0] + "," + m.voxelIjk()[at][1] + "," + m.voxelIjk()[at][2];
        w.write(c + "," + v[c] + "," + m.brainStructure().replace("CIFTI_STRUCTURE_", "") + "," + where);
        for (int[] member : rois.memberships()) {
          w.write("," + member[c]);
        }
        w.write("\n");
      }
    }
  }

  /** RFC 4180 quoting where needed (a label line kept whole may hold commas or quotes). */
  private static String csvField(String s) {
    return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
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
