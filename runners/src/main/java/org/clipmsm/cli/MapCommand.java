package org.clipmsm.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.clipmsm.InvalidInputException;
import org.clipmsm.io.BrainMaps;
import org.clipmsm.io.Npy;
import org.clipmsm.io.NpyHeader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "map", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Writes per-voxel results back into the subject's space: a NIfTI volume on the grid and affine of",
        "a NIfTI --like (NSD), or a CIFTI dscalar over the brain models of a CIFTI --like (NOD). NaN where no value."})
final class MapCommand implements Callable<Integer> {
  @Option(names = "--values", required = true, paramLabel = "V.npy", description = "(voxels,) or (voxels, maps).")
  String values;

  @Option(names = "--voxels", required = true, paramLabel = "voxels.csv", description = "The voxels of the rows:"
      + " prepare's voxels.csv (column 'voxel' = linear NIfTI index, or 'grayordinate').")
  String voxels;

  @Option(names = "--like", required = true, paramLabel = "SOURCE", description = "A file of the subject's space:"
      + " .nii/.nii.gz (e.g. brainmask.nii.gz) or .dscalar.nii/.dlabel.nii.")
  String like;

  @Option(names = "--names", paramLabel = "a,b,...", description = "Map names (default: the values' file name, or"
      + " map0, map1, ...).")
  String names;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output .nii.gz or .dscalar.nii.")
  String out;

  @Override
  public Integer call() throws IOException {
    Path valuesFile = Path.of(values);
    NpyHeader h = Npy.readHeader(valuesFile);
    int maps = h.ndim() == 1 ? 1 : h.cols();
    double[] v = Npy.readMatrix(valuesFile);
    int[] rows = voxelColumn(Path.of(voxels));
    if (rows.length != h.rows()) {
      throw new InvalidInputException(valuesFile.getFileName() + ": " + h.rows() + " rows, but " + voxels + " lists "
          + rows.length + " voxels (expected one row per voxel)");
    }
    List<String> mapNames = new ArrayList<>();
    if (names != null) {
      mapNames.addAll(Arrays.asList(names.split(",")));
    } else if (maps == 1) {
      mapNames.add(valuesFile.getFileName().toString().replaceAll("\\.npy$", ""));
    } else {
      for (int m = 0; m < maps; m++) {
        mapNames.add("map" + m);
      }
    }
    if (mapNames.size() != maps) {
      throw new InvalidInputException("--names: " + mapNames.size() + " names for " + maps + " maps");
    }
    Path target = Path.of(out).toAbsolutePath();
    // Written beside the target under a hidden name, then moved: never half-written.
    Path staged = target.resolveSibling("." + target.getFileName() + ".partial" + (out.endsWith(".gz") ? ".gz" : ""));
    try {
      BrainMaps.write(staged, Path.of(like), rows, v, mapNames);
      Files.move(staged, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(staged);
    }
    System.out.printf("map: %d voxels x %d maps; wrote %s%n", rows.length, maps, out);
    return 0;
  }

  /** The 'voxel' (or 'grayordinate') column of a voxels.csv. */
  static int[] voxelColumn(Path csv) throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(csv);
    } catch (IOException e) {
      throw new InvalidInputException(csv + ": cannot read (" + e.getMessage() + ")", e);
    }
    if (lines.isEmpty()) {
      throw new InvalidInputException(csv + ": empty (expected a header with a 'voxel' column)");
    }
    List<String> header = Arrays.asList(lines.get(0).split(","));
    int col = header.indexOf("voxel") >= 0 ? header.indexOf("voxel") : header.indexOf("grayordinate");
    if (col < 0) {
      throw new InvalidInputException(csv + ": no 'voxel' or 'grayordinate' column (found " + header + ")");
    }
    int[] out = new int[lines.size() - 1];
    for (int i = 1; i < lines.size(); i++) {
      try {
        out[i - 1] = Integer.parseInt(lines.get(i).split(",")[col].trim());
      } catch (RuntimeException e) {
        throw new InvalidInputException(csv + ": line " + (i + 1) + ": expected a whole number in column "
            + header.get(col));
      }
    }
    return out;
  }
}
