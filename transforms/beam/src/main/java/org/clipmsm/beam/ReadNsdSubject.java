package org.clipmsm.beam;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.clipmsm.nsd.NsdPrepare;
import org.clipmsm.nsd.NsdSubject;
import org.clipmsm.nsd.ResponsePreprocessing;

/**
 * An NSD subject's responses (images x ROI voxels: z-scored within session or run, repetitions averaged) as
 * {@link VoxelBlock}s, voxel j being the j-th voxel of the ROI union (ascending NIfTI index). Each worker reads only
 * its block's voxels from every session file. The subject is checked when the pipeline is built.
 *
 * <pre>{@code
 * PCollection<VoxelBlock> responses = pipeline.apply(
 *     ReadNsdSubject.from(Path.of("/data/nsd"), 1, List.of("floc-faces", "floc-bodies", "floc-places", "floc-words")));
 * PCollection<RidgeBlockResult> fits = responses.apply(FitEncodingModels.withFeatures(features));
 * }</pre>
 */
public final class ReadNsdSubject extends PTransform<PBegin, PCollection<VoxelBlock>> {
  private static final long serialVersionUID = 1L;

  private final NsdSubject subject;
  private final ResponsePreprocessing.ZScore zscore;
  private final int voxelsPerBlock;

  private ReadNsdSubject(NsdSubject subject, ResponsePreprocessing.ZScore zscore, int voxelsPerBlock) {
    this.subject = subject;
    this.zscore = zscore;
    this.voxelsPerBlock = voxelsPerBlock;
  }

  public static ReadNsdSubject from(Path nsdRoot, int subject, List<String> rois) {
    return new ReadNsdSubject(NsdSubject.open(nsdRoot, subject, rois), ResponsePreprocessing.ZScore.SESSION,
        ReadVoxelBlocks.DEFAULT_VOXELS_PER_BLOCK);
  }

  public ReadNsdSubject withZScore(ResponsePreprocessing.ZScore mode) {
    return new ReadNsdSubject(subject, mode, voxelsPerBlock);
  }

  public ReadNsdSubject withVoxelsPerBlock(int n) {
    return new ReadNsdSubject(subject, zscore, ReadVoxelBlocks.checkVoxelsPerBlock(n));
  }

  /** The subject as opened (design, ROI union, session files). */
  public NsdSubject subject() {
    return subject;
  }

  @Override
  public PCollection<VoxelBlock> expand(PBegin begin) {
    int voxels = subject.rois().voxels().length;
    return ReadVoxelBlocks.spreadRanges(begin, voxels, voxelsPerBlock)
        .apply("Prepare voxel blocks", ParDo.of(new PrepareBlock(subject, zscore)))
        .setCoder(VoxelBlock.Coder.of());
  }

  private static final class PrepareBlock extends DoFn<KV<Long, Integer>, VoxelBlock> {
    private static final long serialVersionUID = 1L;
    private final NsdSubject subject;
    private final ResponsePreprocessing.ZScore zscore;

    PrepareBlock(NsdSubject subject, ResponsePreprocessing.ZScore zscore) {
      this.subject = subject;
      this.zscore = zscore;
    }

    @ProcessElement
    public void process(@Element KV<Long, Integer> range, OutputReceiver<VoxelBlock> out) {
      int first = range.getKey().intValue();
      int[] voxels = Arrays.copyOfRange(subject.rois().voxels(), first, first + range.getValue());
      out.output(new VoxelBlock(first, NsdPrepare.block(subject, voxels, zscore)));
    }
  }
}
