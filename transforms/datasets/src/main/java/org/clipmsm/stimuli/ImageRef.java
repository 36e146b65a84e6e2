package org.clipmsm.stimuli;

import java.io.Serializable;

/**
 * One image to embed: its key (the id its embedding is keyed by: a file's path relative to the folder, or an
 * nsdId) and where its pixels are, an image file ({@code row < 0}) or row {@code row} of an NSD-style
 * {@code nsd_stimuli.hdf5}. Workers read the pixels themselves, so only references travel between steps.
 */
public record ImageRef(String key, String path, int row) implements Serializable {
  public static ImageRef file(String key, String path) {
    return new ImageRef(key, path, -1);
  }

  public static ImageRef hdf5(String path, int row) {
    return new ImageRef(Integer.toString(row), path, row);
  }

  public boolean isHdf5() {
    return row >= 0;
  }

  /** What a message names: the file, and the row for HDF5. */
  public String describe() {
    return isHdf5() ? path + " row " + row : path;
  }
}
