package org.clipmsm.pipelines;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.clipmsm.InvalidInputException;
import org.clipmsm.beam.VoxelSet;

/**
 * The {@code --voxel-sets} file: CSV with the header {@code set,voxel}, then one line per (set, voxel), the voxel a
 * 0-based column of the activations (or weights). A voxel may belong to several sets. Sets come in order of first
 * appearance; when there are two or more, their union is added as a set named {@code union} (unless a set has that
 * name), since the paper dissects each ROI and the whole selective region. Set names become directory names:
 * letters, digits, '.', '_' and '-' only.
 */
public final class VoxelSetsCsv {
  public static final String UNION = "union";

  private VoxelSetsCsv() {}

  public static List<VoxelSet> read(Path file, long voxels, String voxelsSource) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InvalidInputException(file + ": cannot read (" + e.getMessage() + ")", e);
    }
    if (lines.isEmpty() || !lines.get(0).strip().replace(" ", "").equals("set,voxel")) {
      throw new InvalidInputException(file + ": expected the header line 'set,voxel'");
    }
    Map<String, TreeSet<Long>> sets = new LinkedHashMap<>();
    for (int n = 1; n < lines.size(); n++) {
      String line = lines.get(n).strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] f = line.split(",", -1);
      if (f.length != 2) {
        throw new InvalidInputException(file + ": line " + (n + 1) + ": expected 'set,voxel', got '" + line + "'");
      }
      String name = f[0].strip();
      if (!name.matches("[A-Za-z0-9._-]+") || name.equals(".") || name.equals("..")) {
        throw new InvalidInputException(file + ": line " + (n + 1) + ": set name '" + name
            + "' (expected letters, digits, '.', '_' or '-')");
      }
      long v;
      try {
        v = Long.parseLong(f[1].strip());
      } catch (NumberFormatException e) {
        throw new InvalidInputException(file + ": line " + (n + 1) + ": expected a voxel index, got '" + f[1].strip()
            + "'");
      }
      if (v < 0 || v >= voxels) {
        throw new InvalidInputException(file + ": line " + (n + 1) + ": voxel " + v + " out of range ("
            + voxelsSource + " has " + voxels + " voxels)");
      }
      if (!sets.computeIfAbsent(name, k -> new TreeSet<>()).add(v)) {
        throw new InvalidInputException(file + ": line " + (n + 1) + ": voxel " + v + " listed twice in set " + name);
      }
    }
    if (sets.isEmpty()) {
      throw new InvalidInputException(file + ": no voxel sets (expected lines 'set,voxel' after the header)");
    }
    List<VoxelSet> out = new ArrayList<>();
    TreeSet<Long> union = new TreeSet<>();
    sets.forEach((name, v) -> {
      out.add(new VoxelSet(name, v.stream().mapToLong(Long::longValue).toArray()));
      union.addAll(v);
    });
    if (out.size() >= 2 && !sets.containsKey(UNION)) {
      out.add(new VoxelSet(UNION, union.stream().mapToLong(Long::longValue).toArray()));
    }
    return out;
  }
}
