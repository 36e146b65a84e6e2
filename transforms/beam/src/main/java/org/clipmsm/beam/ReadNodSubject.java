package org.clipmsm.beam;

import java.nio.file.Path;
import java.util.Arrays;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.clipmsm.nod.NodPrepare;
import org.clipmsm.nod.NodSubject;

/**
 * A NOD subject's responses as {@link VoxelBlock}s, the paper's way (ImageNet runs z-scored per run and stacked, COCO
 * runs z-scored per run and averaged over runs; rows as {@link NodPrepare#rows}), voxel j being the j-th grayordinate
 * of the union of the fLoc ROIs (ascending). Runs and their counts are discovered from the ciftify tree when the
 * pipeline is built, and every file is checked then.
 *
 * <pre>{@code
 * PCollection<VoxelBlock> responses = pipeline.apply(ReadNodSubject.from(Path.of("/data/nod"), 1));
 * PCollection<RidgeBlockResult> fits = responses.apply(FitEncodingModels.withFeatures(features));
 * }</pre>
 */
public final class ReadNodSubject extends PTransform<PBegin, PCollection<VoxelBlock>> {
  private static final long serialVersionUID = 1L;

  private final NodSubject subject;
  private final int voxelsPerBlock;

  private ReadNodSubject(NodSubject subject, int voxelsPerBlock) {
    this.subject = subject;
    this.voxelsPerBlock = voxelsPerBlock;
  }

  public static ReadNodSubject from(Path nodRoot, int subject) {
    return new ReadNodSubject(NodSubject.open(nodRoot, subject), ReadVoxelBlocks.DEFAULT_VOXELS_PER_BLOCK);
  }

  /** Grayordinates per block; every block reads every run's file, so few large blocks are fastest. */
  public ReadNodSubject withVoxelsPerBlock(int n) {
    return new ReadNodSubject(subject, ReadVoxelBlocks.checkVoxelsPerBlock(n));
  }

  /** The subject as opened (runs, ROI union, brain models). */
  public NodSubject subject() {
    return subject;
  }

  @Override
  public PCollection<VoxelBlock> expand(PBegin begin) {
    int voxels = subject.rois().voxels().length;
    return ReadVoxelBlocks.spreadRanges(begin, voxels, voxelsPerBlock)
        .apply("Prepare voxel blocks", ParDo.of(new PrepareBlock(subject)))
        .setCoder(VoxelBlock.Coder.of());
  }

  private static final class PrepareBlock extends DoFn<KV<Long, Integer>, VoxelBlock> {
    private static final long serialVersionUID = 1L;
    private final NodSubject subject;

    PrepareBlock(NodSubject subject) {
      this.subject = subject;
    }

    @ProcessElement
    public void process(@Element KV<Long, Integer> range, OutputReceiver<VoxelBlock> out) {
      int first = range.getKey().intValue();
      int[] voxels = Arrays.copyOfRange(subject.rois().voxels(), first, first + range.getValue());
      out.output(new VoxelBlock(first, NodPrepare.block(subject, voxels)));
    }
  }
}
