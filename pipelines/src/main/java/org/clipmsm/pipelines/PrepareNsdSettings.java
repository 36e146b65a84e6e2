package org.clipmsm.pipelines;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.clipmsm.InvalidParameterException;
import org.clipmsm.beam.ReadVoxelBlocks;
import org.clipmsm.nsd.ResponsePreprocessing;

/**
 * An NSD subject's responses as arrays ({@link PrepareNsdPipeline}).
 *
 * @param nsdRoot the dataset root (nsddata/, nsddata_betas/, nsddata_stimuli/)
 * @param subject 1..8
 * @param rois ROI files under the subject's roi/ (e.g. floc-faces) or paths to masks; their union is read
 * @param zscore z-score each voxel within sessions (the paper's) or runs
 * @param out the result directory
 * @param voxelsPerBlock voxels per unit of parallel work (every block opens every session file, so few large blocks
 *     are fastest)
 */
public record PrepareNsdSettings(Path nsdRoot, int subject, List<String> rois, ResponsePreprocessing.ZScore zscore,
    Path out, int voxelsPerBlock) {
  /** The four fLoc ROIs of NSD. */
  public static final List<String> FLOC_ROIS = List.of("floc-faces", "floc-bodies", "floc-places", "floc-words");
  /** A block of 16,384 voxels x 40 sessions of 750 trials holds about 2.4 GB of float32. */
  public static final int DEFAULT_VOXELS_PER_BLOCK = 16384;
  public static final int DEFAULT_SUBJECT = 1;
  /** The paper's: z-scores within each session. */
  public static final ResponsePreprocessing.ZScore DEFAULT_ZSCORE = ResponsePreprocessing.ZScore.SESSION;

  public PrepareNsdSettings {
    Objects.requireNonNull(nsdRoot, "nsdRoot");
    Objects.requireNonNull(zscore, "zscore");
    Objects.requireNonNull(out, "out");
    rois = List.copyOf(rois);
    InvalidParameterException.require(!rois.isEmpty(), "rois", "expected at least one ROI");
    ReadVoxelBlocks.checkVoxelsPerBlock(voxelsPerBlock);
  }

  /** Subject 1's four fLoc ROIs, z-scored within sessions. */
  public static PrepareNsdSettings of(Path nsdRoot, Path out) {
    return new PrepareNsdSettings(nsdRoot, DEFAULT_SUBJECT, FLOC_ROIS, DEFAULT_ZSCORE, out, DEFAULT_VOXELS_PER_BLOCK);
  }

  public PrepareNsdSettings withSubject(int n) {
    return new PrepareNsdSettings(nsdRoot, n, rois, zscore, out, voxelsPerBlock);
  }

  public PrepareNsdSettings withRois(List<String> r) {
    return new PrepareNsdSettings(nsdRoot, subject, r, zscore, out, voxelsPerBlock);
  }

  public PrepareNsdSettings withZScore(ResponsePreprocessing.ZScore z) {
    return new PrepareNsdSettings(nsdRoot, subject, rois, z, out, voxelsPerBlock);
  }

  public PrepareNsdSettings withVoxelsPerBlock(int n) {
    return new PrepareNsdSettings(nsdRoot, subject, rois, zscore, out, n);
  }
}
