package org.clipmsm.embed;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;

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

  /** Beam coder: key, path and row. */
  public static final class Coder extends AtomicCoder<ImageRef> {
    private static final long serialVersionUID = 1L;
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(ImageRef r, OutputStream out) throws IOException {
      StringUtf8Coder.of().encode(r.key(), out);
      StringUtf8Coder.of().encode(r.path(), out);
      VarIntCoder.of().encode(r.row() + 1, out);
    }

    @Override
    public ImageRef decode(InputStream in) throws IOException {
      return new ImageRef(StringUtf8Coder.of().decode(in), StringUtf8Coder.of().decode(in),
          VarIntCoder.of().decode(in) - 1);
    }

    @Override
    public void verifyDeterministic() {}
  }
}
