package org.clipmsm.stimuli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.clipmsm.image.RgbImage;
import org.clipmsm.nsd.NsdStimuliHdf5;

/** Reads the pixels of {@link ImageRef}s, keeping each HDF5 file open until closed. One per thread. */
public final class ImageReader implements AutoCloseable {
  private final Map<String, NsdStimuliHdf5> open = new HashMap<>();

  /**
   * @throws org.clipmsm.InvalidInputException naming the file (and row) if the image cannot be read
   */
  public RgbImage read(ImageRef ref) {
    if (!ref.isHdf5()) {
      return RgbImage.read(Path.of(ref.path()));
    }
    NsdStimuliHdf5 h = open.computeIfAbsent(ref.path(), p -> NsdStimuliHdf5.open(Path.of(p)));
    return new RgbImage(h.width(), h.height(), h.image(ref.row()));
  }

  @Override
  public void close() {
    for (NsdStimuliHdf5 h : open.values()) {
      h.close();
    }
    open.clear();
  }
}
