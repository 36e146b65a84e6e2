package org.clipmsm.stimuli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.clipmsm.InvalidParameterException;
import org.clipmsm.nsd.NsdStimuliHdf5;
import org.clipmsm.nod.NodEvents;

/**
 * The images an {@code --images} argument names, in a fixed order (the rows of {@code embeddings.npy}): a folder of
 * PNG/JPEG files (searched recursively, ordered by relative path, keyed by it), an NSD {@code nsd_stimuli.hdf5}
 * (every row, keyed by nsdId = row), or an NSD-layout dataset root such as a synthetic subject written by
 * {@code clipmsm synth nsd} (its {@code nsddata_stimuli/stimuli/nsd/nsd_stimuli.hdf5}); or NOD's stimuli that a
 * subject's {@code events.tsv} files name ({@link #nodEvents}).
 */
public final class ImageSources {
  /** Where NSD keeps its stimuli under the dataset root. */
  public static final String NSD_STIMULI = "nsddata_stimuli/stimuli/nsd/nsd_stimuli.hdf5";

  private ImageSources() {}

  public static List<ImageRef> list(Path images) {
    if (Files.isRegularFile(images)) {
      String name = images.getFileName().toString().toLowerCase(Locale.ROOT);
      if (name.endsWith(".hdf5") || name.endsWith(".h5")) {
        return hdf5(images);
      }
      if (isImage(images)) {
        return List.of(ImageRef.file(images.getFileName().toString(), images.toString()));
      }
      throw new InvalidParameterException("images", images + ": expected a folder of PNG/JPEG images, an"
          + " nsd_stimuli.hdf5 file or an NSD dataset root");
    }
    if (!Files.isDirectory(images)) {
      throw new InvalidParameterException("images", images + ": no such file or folder");
    }
    if (Files.isRegularFile(images.resolve(NSD_STIMULI))) {
      return hdf5(images.resolve(NSD_STIMULI));
    }
    List<ImageRef> out = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(images)) {
      for (Path f : walk.filter(Files::isRegularFile).filter(ImageSources::isImage)
          .map(images::relativize).map(Path::toString).sorted().map(images::resolve).toList()) {
        out.add(ImageRef.file(images.relativize(f).toString().replace('\\', '/'), f.toString()));
      }
    } catch (IOException | UncheckedIOException e) {
      throw new InvalidParameterException("images", images + ": cannot list the folder (" + e.getMessage() + ")", e);
    }
    if (out.isEmpty()) {
      throw new InvalidParameterException("images", images + ": no .png, .jpg or .jpeg file in the folder");
    }
    return out;
  }

  /**
   * The stimuli that NOD {@code events.tsv} files name ({@link NodEvents}: {@code stim_file} or {@code condition},
   * catch trials left out), each once, ordered and keyed by stimulus name as the NOD readers key them (the file name,
   * e.g. {@code n03131574_8247.JPEG}), found anywhere under {@code stimuli}, NOD's {@code stimuli/} folder. A name
   * with no file is reported when it is read, like any unreadable image.
   */
  public static List<ImageRef> nodEvents(Path stimuli, List<Path> events) {
    if (!Files.isDirectory(stimuli)) {
      throw new InvalidParameterException("images", stimuli + ": no such folder (expected NOD's stimuli folder)");
    }
    java.util.TreeSet<String> names = new java.util.TreeSet<>();
    for (Path tsv : events) {
      names.addAll(NodEvents.stimuli(tsv));
    }
    if (names.isEmpty()) {
      throw new InvalidParameterException("events", events + ": no stimulus named (expected NOD events.tsv files)");
    }
    return named(stimuli, names);
  }

  /**
   * Stimuli by file name, in name order, each found anywhere under {@code stimuli} (NOD's keying); a name with no file
   * is reported when it is read, like any unreadable image.
   */
  public static List<ImageRef> named(Path stimuli, java.util.Collection<String> names) {
    java.util.Map<String, Path> files = new java.util.HashMap<>();
    try (Stream<Path> walk = Files.walk(stimuli)) {
      walk.filter(Files::isRegularFile).forEach(f -> files.putIfAbsent(f.getFileName().toString(), f));
    } catch (IOException | UncheckedIOException e) {
      throw new InvalidParameterException("images", stimuli + ": cannot list the folder (" + e.getMessage() + ")", e);
    }
    List<ImageRef> out = new ArrayList<>(names.size());
    for (String n : new java.util.TreeSet<>(names)) {
      out.add(ImageRef.file(n, files.getOrDefault(n, stimuli.resolve(n)).toString()));
    }
    return out;
  }

  private static boolean isImage(Path f) {
    String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
  }

  private static List<ImageRef> hdf5(Path file) {
    int n;
    try (NsdStimuliHdf5 h = NsdStimuliHdf5.open(file)) {
      n = h.images();
    }
    List<ImageRef> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(ImageRef.hdf5(file.toString(), i));
    }
    return out;
  }
}
