package org.clipmsm.pipelines.study;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVPrinter;
import org.clipmsm.io.Csv;
import org.clipmsm.pipelines.PreparedVoxels;

/**
 * The dissection's voxel sets of a prepared subject: one set per ROI column of voxels.csv, holding the voxels whose
 * label there is > 0 (the dissection adds their union).
 */
final class VoxelSetsFromRois {
  private VoxelSetsFromRois() {}

  /** Writes {@code set,voxel} rows, ROIs in the columns' order, voxels (rows of voxels.csv) increasing. */
  static void write(Path voxelsCsv, Path out) {
    Csv.Table t = Csv.read(voxelsCsv);
    List<String> header = t.header();
    try (CSVPrinter w = Csv.printer(out, "set", "voxel")) {
      for (int c = 0; c < header.size(); c++) {
        if (PreparedVoxels.FIXED_COLUMNS.contains(header.get(c))) {
          continue;
        }
        for (int v = 0; v < t.size(); v++) {
          if (Double.parseDouble(t.get(v, c)) > 0) {
            w.printRecord(header.get(c), v);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
