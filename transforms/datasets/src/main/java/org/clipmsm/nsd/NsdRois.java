package org.clipmsm.nsd;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.clipmsm.InvalidInputException;
import org.clipmsm.InvalidParameterException;

/**
 * NSD's ROI volumes ({@code roi/<name>.nii.gz}: -1 non-cortical, 0 cortical outside the ROI, k > 0 a label) and the
 * selective ROI the paper analyses: the union of the chosen ROI files, each voxel keeping its label in every one
 * of them. Label codes and names follow the NSD manual; a user-supplied mask (e.g. the food-selective region of
 * Jain et al. 2023, not in the NSD release) takes any positive value as membership, named by its file.
 */
public final class NsdRois {
  /** Label names of the NSD ROI files, index = label code. */
  public static final Map<String, List<String>> LABELS = Map.of(
      "floc-faces", List.of("", "OFA", "FFA-1", "FFA-2", "mTL-faces", "aTL-faces"),
      "floc-bodies", List.of("", "EBA", "FBA-1", "FBA-2", "mTL-bodies"),
      "floc-places", List.of("", "OPA", "PPA", "RSC"),
      "floc-words", List.of("", "OWFA", "VWFA-1", "VWFA-2", "mfs-words", "mTL-words"),
      "prf-visualrois", List.of("", "V1v", "V1d", "V2v", "V2d", "V3v", "V3d", "hV4"),
      "nsdgeneral", List.of("", "nsdgeneral"));

  /** The paper's selective ROI: the four fLoc category files (food is added as a user mask). */
  public static final List<String> SELECTIVE = List.of("floc-faces", "floc-bodies", "floc-places", "floc-words");

  private NsdRois() {}

  /**
   * The voxels (linear indices, ascending) with a positive label in any of the ROI volumes, and for each voxel its
   * label in each volume (0 where outside): memberships[roi][k] for the k-th voxel.
   */
  public record Union(int[] voxels, List<String> names, int[][] memberships) implements java.io.Serializable {}

  public static Union union(Map<String, int[]> labelVolumes) {
    if (labelVolumes.isEmpty()) {
      throw new InvalidParameterException("rois", "expected at least one ROI");
    }
    Map<String, int[]> rois = new LinkedHashMap<>(labelVolumes);
    int size = -1;
    for (Map.Entry<String, int[]> e : rois.entrySet()) {
      if (size >= 0 && e.getValue().length != size) {
        throw new InvalidInputException(e.getKey() + ": " + e.getValue().length + " voxels, but the other ROI volumes"
            + " have " + size + " (expected the same grid)");
      }
      size = e.getValue().length;
    }
    List<Integer> voxels = new ArrayList<>();
    for (int v = 0; v < size; v++) {
      for (int[] labels : rois.values()) {
        if (labels[v] > 0) {
          voxels.add(v);
          break;
        }
      }
    }
    int[] vx = voxels.stream().mapToInt(Integer::intValue).toArray();
    List<String> names = new ArrayList<>(rois.keySet());
    int[][] member = new int[names.size()][vx.length];
    for (int r = 0; r < names.size(); r++) {
      int[] labels = rois.get(names.get(r));
      for (int k = 0; k < vx.length; k++) {
        member[r][k] = Math.max(0, labels[vx[k]]);
      }
    }
    return new Union(vx, names, member);
  }

  /** The name of a label code in an NSD ROI file ("floc-faces", 2 -> "FFA-2"); a user mask's name for k > 0. */
  public static String labelName(String roi, int code) {
    if (code <= 0) {
      return "";
    }
    List<String> names = LABELS.get(roi);
    return names != null && code < names.size() ? names.get(code) : roi;
  }
}
