package org.clipmsm.pipelines;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.clipmsm.InvalidInputException;
import org.clipmsm.InvalidParameterException;
import org.clipmsm.io.BrainMaps;
import org.clipmsm.io.Csv;
import org.clipmsm.io.Npy;
import org.clipmsm.io.NpyHeader;
import org.clipmsm.pipelines.output.OutputFile;

/**
 * Per-voxel results back in the subject's space ({@link BrainMaps}): a NIfTI volume on the grid and affine of a NIfTI
 * {@code like} file (NSD), or a CIFTI dscalar over the brain models of a CIFTI {@code like} (NOD); NaN where no value.
 * A driver-side step.
 *
 * <pre>{@code
 * MapJob.run(new MapJob.Settings(Path.of("dissect/msm.npy"), Path.of("prepared/voxels.csv"),
 *     Path.of("brainmask.nii.gz"), List.of("faces", "bodies", "places", "words", "food"), Path.of("msm.nii.gz")));
 * }</pre>
 */
public final class MapJob {
  private MapJob() {}

  /**
   * @param values {@code (voxels,)} or {@code (voxels, maps)}
   * @param voxels a voxels.csv of prepare: column {@code voxel} (linear NIfTI index) or {@code grayordinate}
   * @param like a file of the subject's space
   * @param names map names, or null for the values' file name (one map) or map0, map1, ...
   * @param out the result, .nii/.nii.gz or .dscalar.nii
   */
  public record Settings(Path values, Path voxels, Path like, List<String> names, Path out) {
    public Settings {
      Objects.requireNonNull(values, "values");
      Objects.requireNonNull(voxels, "voxels");
      Objects.requireNonNull(like, "like");
      Objects.requireNonNull(out, "out");
      names = names == null ? null : List.copyOf(names);
    }
  }

  /** What was written: voxels and maps. */
  public record Summary(int voxels, int maps) {}

  public static Summary run(Settings s) {
    NpyHeader h = Npy.readHeader(s.values());
    int maps = h.ndim() == 1 ? 1 : h.cols();
    int[] rows = voxelColumn(s.voxels(), BrainMaps.size(s.like()), s.like());
    if (rows.length != h.rows()) {
      throw new InvalidInputException(s.values().getFileName() + ": " + h.rows() + " rows, but " + s.voxels()
          + " lists " + rows.length + " voxels (expected one row per voxel)");
    }
    List<String> names = s.names();
    if (names == null) {
      names = new ArrayList<>();
      if (maps == 1) {
        names.add(s.values().getFileName().toString().replaceAll("\\.npy$", ""));
      } else {
        for (int m = 0; m < maps; m++) {
          names.add("map" + m);
        }
      }
    }
    if (names.size() != maps) {
      throw new InvalidParameterException("names", names.size() + " names for " + maps + " maps");
    }
    double[] v = Npy.readMatrix(s.values());
    try (OutputFile out = OutputFile.open(s.out(), List.of(s.values(), s.voxels(), s.like()))) {
      BrainMaps.write(out.staged(), s.like(), rows, v, names);
      out.commit();
    }
    return new Summary(rows.length, maps);
  }

  /** The 'voxel' (or 'grayordinate') column of a voxels.csv, each checked to lie in a space of {@code size}. */
  static int[] voxelColumn(Path csv, int size, Path like) {
    Csv.Table t = Csv.read(csv);
    int col = t.column("voxel", "grayordinate");
    int[] out = new int[t.size()];
    for (int i = 0; i < t.size(); i++) {
      long v = t.getLong(i, col);
      if (v < 0 || v >= size) {
        throw new InvalidInputException(csv + ": line " + t.line(i) + ": " + t.header().get(col) + " " + v
            + " is outside " + like.getFileName() + " (0.." + (size - 1) + ")");
      }
      out[i] = (int) v;
    }
    return out;
  }
}
