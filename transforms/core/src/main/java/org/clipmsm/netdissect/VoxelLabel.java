package org.clipmsm.netdissect;

import java.io.Serializable;

/**
 * A voxel's Network Dissection label: the concept of highest IoU (ties to the lower concept number), its category
 * and IoU, and whether that IoU reaches the threshold. A voxel whose IoU is 0 for every concept (its mask never meets
 * a labelled pixel) gets concept 0 and category -1, and is not interpretable.
 *
 * @param concept the concept number (Broden's label.csv), or 0 when no concept has a positive IoU
 * @param category the concept's category number, or -1
 * @param iou {@code |M AND L| / (|M| + |L| - |M AND L| + 1e-10)} summed over the probe images
 * @param interpretable {@code concept != 0 && iou >= iouThreshold}
 */
public record VoxelLabel(int concept, int category, double iou, boolean interpretable) implements Serializable {}
