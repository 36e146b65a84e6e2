package org.clipmsm.beam;

import java.io.Serializable;
import org.clipmsm.netdissect.ConceptTable;
import org.clipmsm.netdissect.MapGeometry;
import org.clipmsm.netdissect.NetDissect;

/**
 * The probe images of a Network Dissection as a worker opens them ({@link DissectNetwork}): their dense features,
 * their annotations and the concepts they are annotated with. Implementations are small serializable descriptions
 * (file names, an index) that read the data where they run; {@link BrodenProbeSource} reads a Broden set.
 */
public interface ProbeSource extends Serializable {
  /** {@code h, w, D} of the dense features. */
  MapGeometry geometry();

  ConceptTable concepts();

  /** Opens the images for one chunk of voxels; every call reads them again (they are not kept between chunks). */
  NetDissect.Probes open();
}
