package org.clipmsm.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.clipmsm.pipelines.MapJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "map", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Writes per-voxel results back into the subject's space as a brain map.",
        "A NIfTI volume on the grid and affine of a NIfTI --like (NSD), or a CIFTI dscalar over the brain models of a",
        "CIFTI --like (NOD). NaN where no value."})
final class MapCommand implements Callable<Integer> {
  @Option(names = "--values", required = true, paramLabel = "V.npy", description = "(voxels,) or (voxels, maps).")
  Path values;

  @Option(names = "--voxels", required = true, paramLabel = "voxels.csv", description = "The voxels of the rows:"
      + " prepare's voxels.csv (column 'voxel' = linear NIfTI index, or 'grayordinate').")
  Path voxels;

  @Option(names = "--like", required = true, paramLabel = "SOURCE", description = "A file of the subject's space:"
      + " .nii/.nii.gz (e.g. brainmask.nii.gz) or .dscalar.nii/.dlabel.nii.")
  Path like;

  @Option(names = "--names", split = ",", paramLabel = "a,b,...", description = "Map names (default: the values' file"
      + " name, or map0, map1, ...).")
  List<String> names;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output .nii.gz or .dscalar.nii.")
  Path out;

  @Override
  public Integer call() {
    MapJob.Summary s = MapJob.run(new MapJob.Settings(values, voxels, like, names, out));
    System.out.printf("map: %d voxels x %d maps; wrote %s%n", s.voxels(), s.maps(), out);
    return 0;
  }
}
