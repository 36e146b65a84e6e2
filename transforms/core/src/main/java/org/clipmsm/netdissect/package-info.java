/**
 * Network Dissection (Bau et al. 2017) of encoding-model voxels, as NetDissect-Lite computes it (docs/method.md §5),
 * as plain kernels for a pipeline to compose; no Beam, no image decoding.
 *
 * <ol>
 *   <li>{@link org.clipmsm.netdissect.ActivationMaps#compute}: a batch of images' dense features {@code (n, h, w, D)}
 *       times a chunk of voxels' weights {@code D x m} gives their float maps, positions x voxels, the same to the
 *       bit for any chunking and image order (fixed-shape dgemm tiles).
 *   <li>{@link org.clipmsm.netdissect.UpperQuantiles}: per chunk of voxels, {@code add} the maps of every image once
 *       (any order, any split; {@code merge} partial accumulators, as a CombineFn would), then {@code thresholds()}:
 *       {@code T_v}, NumPy's linear quantile at {@code 1 - quantile}, exact in bounded memory.
 *   <li>{@link org.clipmsm.netdissect.ConceptTally}: per chunk of voxels, {@code create(table, thresholds, rule)},
 *       {@code add} each image's maps (computed again, or kept) with its {@link
 *       org.clipmsm.netdissect.ProbeAnnotation}; {@code merge} tallies of other images; then {@code iou}, {@code
 *       label}, {@code labels(iouThreshold)}.
 * </ol>
 *
 * <p>The Broden reader provides a {@link org.clipmsm.netdissect.ConceptTable} (label.csv's numbers and each label's
 * primary category) and one {@link org.clipmsm.netdissect.ProbeAnnotation} per image (label planes, image-level
 * concepts, annotated categories). The parameters are a {@link org.clipmsm.netdissect.NetDissection}; {@link
 * org.clipmsm.netdissect.NetDissect#dissect} composes the three steps in memory, chunk by chunk. Every count is an
 * integer and every threshold an exact quantile, so the results depend only on the inputs and the parameters.
 */
package org.clipmsm.netdissect;
