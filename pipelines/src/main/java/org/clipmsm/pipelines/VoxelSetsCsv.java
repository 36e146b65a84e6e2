package org.clipmsm.pipelines;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.commons.csv.CSVRecord;
import org.clipmsm.InvalidInputException;
import org.clipmsm.beam.VoxelSet;
import org.clipmsm.io.Csv;

/**
 * A voxel-sets file: CSV with the header {@code set,voxel}, then one line per (set, voxel), the voxel a
 * 0-based column of the activations (or weights). A voxel may belong to several sets. Sets come in order of first
 * appearance; when there are two or more, their union is added as a set named {@code union} (unless a set has that
 * name), since the paper dissects each ROI and the whole selective region. Set names become directory names:
 * letters, digits, '.', '_' and '-' only, not starting with '.', and not the names of the summary files.
 */
public final class VoxelSetsCsv {
  public static final String UNION = "union";
  /** Names of the files beside the sets' directories: a set may not take them. */
  static final java.util.Set<String> RESERVED = java.util.Set.of(DissectPipeline.COUNTS, DissectPipeline.PROBES);

  private VoxelSetsCsv() {}

  public static List<VoxelSet> read(Path file, long voxels, String voxelsSource) {
    Csv.Table t = Csv.read(file);
    if (!t.header().equals(List.of("set", "voxel"))) {
      throw new InvalidInputException(file + ": expected the header line 'set,voxel'");
    }
    Map<String, TreeSet<Long>> sets = new LinkedHashMap<>();
    for (int n = 0; n < t.size(); n++) {
      CSVRecord r = t.records().get(n);
      long line = t.line(n);
      if (r.size() != 2) {
        throw new InvalidInputException(file + ": line " + line + ": expected 'set,voxel', got " + r.size()
            + " fields");
      }
      String name = r.get(0).strip();
      if (!name.matches("[A-Za-z0-9_-][A-Za-z0-9._-]*") || RESERVED.contains(name)) {
        throw new InvalidInputException(file + ": line " + line + ": set name '" + name
            + "' (expected letters, digits, '.', '_' or '-', not starting with '.', and not " + RESERVED + ")");
      }
      long v;
      try {
        v = Long.parseLong(r.get(1).strip());
      } catch (NumberFormatException e) {
        throw new InvalidInputException(file + ": line " + line + ": expected a voxel index, got '" + r.get(1).strip()
            + "'");
      }
      if (v < 0 || v >= voxels) {
        throw new InvalidInputException(file + ": line " + line + ": voxel " + v + " out of range ("
            + voxelsSource + " has " + voxels + " voxels)");
      }
      if (!sets.computeIfAbsent(name, k -> new TreeSet<>()).add(v)) {
        throw new InvalidInputException(file + ": line " + line + ": voxel " + v + " listed twice in set " + name);
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
