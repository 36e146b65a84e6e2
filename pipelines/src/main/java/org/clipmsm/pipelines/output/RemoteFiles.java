package org.clipmsm.pipelines.output;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.CreateOptions;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.PipelineOptions;
import org.clipmsm.InvalidInputException;

/**
 * Inputs and results at locations of Beam's {@link FileSystems} other than local paths ({@code gs://}, {@code s3://},
 * {@code hdfs://}, whatever filesystem modules are on the classpath): an input is copied to a local directory before
 * the run, a result is made locally and then published to its location. Publishing keeps the local commit's promise
 * as far as an object store allows: the files are uploaded under a hidden staging prefix beside the target, and only
 * when all are there does the earlier result (a clipmsm result, marked by {@link OutputDirectory#MARKER}) move aside
 * and the new one move into place, its manifest last; a failure before that leaves the target as it was, a failure
 * while moving puts the earlier result back. Object stores rename object by object, so a reader that lists the
 * target during those renames can see a mix; a complete result is the one with a {@code manifest.json}.
 */
public final class RemoteFiles {
  /** A location with a scheme ({@code gs://bucket/x}); {@code file:} URIs and plain paths are local. */
  private static final Pattern REMOTE = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*)://.*");
  private static final int COPY_BUFFER = 8 << 20;

  private RemoteFiles() {}

  private static volatile boolean configured;

  /** Registers the filesystems on the classpath, configured by these options (credentials, regions). */
  public static void configure(PipelineOptions options) {
    FileSystems.setDefaultPipelineOptions(options);
    configured = true;
  }

  /** Registers the filesystems with default options, unless {@link #configure} already did. */
  public static void configureIfNeeded(PipelineOptions defaults) {
    if (!configured) {
      configure(defaults);
    }
  }

  /** Whether a file, or anything under a directory prefix, is at {@code location}. */
  public static boolean exists(String location) {
    String spec = trimSlash(location);
    return !match(spec, location).isEmpty() || !match(spec + "/**", location).isEmpty();
  }

  /** Whether {@code location} names a remote location rather than a local path. */
  public static boolean isRemote(String location) {
    var m = REMOTE.matcher(location);
    return m.matches() && !m.group(1).equalsIgnoreCase("file");
  }

  /**
   * Copies an input (one file, or every file under a directory prefix) to {@code localDir}, under the input's own
   * name, and returns the local copy. A location with nothing there is bad input naming it.
   */
  public static Path download(String location, Path localDir, Consumer<String> progress) {
    String spec = trimSlash(location);
    List<MatchResult.Metadata> file = match(spec, location);
    Path local = localDir.resolve(name(spec));
    try {
      if (!file.isEmpty() && !file.get(0).resourceId().isDirectory()) {
        copyDown(file.get(0), local, location, progress);
        return local;
      }
      List<MatchResult.Metadata> under = match(spec + "/**", location);
      if (under.isEmpty()) {
        throw new InvalidInputException(location + ": no such file or directory");
      }
      String prefix = directory(spec).toString();
      for (MatchResult.Metadata m : under) {
        String rel = relative(m.resourceId(), prefix, location);
        if (!m.resourceId().isDirectory() && !rel.isEmpty()) {
          copyDown(m, local.resolve(rel), location, progress);
        }
      }
      Files.createDirectories(local);
      return local;
    } catch (IOException e) {
      throw new InvalidInputException(location + ": cannot read (" + e.getMessage() + ")", e);
    }
  }

  /**
   * Refuses a target that holds something other than a clipmsm result (the local rule of {@link OutputDirectory}),
   * before anything runs.
   */
  public static void checkTarget(String target) {
    String spec = trimSlash(target);
    parent(spec); // a bucket's root cannot be a result: say so now, not after the run
    List<MatchResult.Metadata> under = match(spec + "/**", target);
    if (under.isEmpty()) {
      return; // nothing there, or one file (a file result replaces it, as locally)
    }
    // As locally: only a directory whose own marker says it is a clipmsm result may be replaced.
    if (match(directory(spec).resolve(OutputDirectory.MARKER, StandardResolveOptions.RESOLVE_FILE).toString(), target)
        .isEmpty()) {
      throw new InvalidInputException(target + ": exists and is not a clipmsm result (no " + OutputDirectory.MARKER
          + " in it); choose another location or remove it");
    }
  }

  /** Publishes a committed local result (a directory, or one file and its manifest) at {@code target}. */
  public static void publish(Path result, String target, Consumer<String> progress) {
    String spec = trimSlash(target);
    checkTarget(target);
    String hidden = ".clipmsm-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 12)
        + "-" + name(spec);
    ResourceId parent = parent(spec);
    ResourceId staging = parent.resolve(hidden, StandardResolveOptions.RESOLVE_DIRECTORY);
    ResourceId previous = parent.resolve(hidden + ".previous", StandardResolveOptions.RESOLVE_DIRECTORY);
    // What to upload (local file -> final location), and what the earlier result there is (moved aside, restored on
    // failure, deleted on success).
    List<Path> locals = new ArrayList<>();
    List<ResourceId> finals = new ArrayList<>();
    List<ResourceId> oldIds = new ArrayList<>();
    List<ResourceId> oldAside = new ArrayList<>();
    if (Files.isDirectory(result)) {
      ResourceId dir = directory(spec);
      for (String rel : relativeFiles(result)) {
        locals.add(result.resolve(rel));
        finals.add(dir.resolve(rel, StandardResolveOptions.RESOLVE_FILE));
      }
      for (MatchResult.Metadata m : files(spec)) {
        oldIds.add(m.resourceId());
        oldAside.add(previous.resolve(relative(m.resourceId(), dir.toString(), target),
            StandardResolveOptions.RESOLVE_FILE));
      }
    } else {
      Path manifest = Manifest.of(result, false);
      for (Path local : Files.exists(manifest) ? List.of(result, manifest) : List.of(result)) {
        String at = parent.toString() + local.getFileName();
        locals.add(local);
        finals.add(FileSystems.matchNewResource(at, false));
        for (MatchResult.Metadata m : match(at, target)) {
          oldIds.add(m.resourceId());
          oldAside.add(previous.resolve(m.resourceId().getFilename(), StandardResolveOptions.RESOLVE_FILE));
        }
      }
    }
    List<ResourceId> staged = new ArrayList<>();
    try {
      for (int i = 0; i < locals.size(); i++) {
        staged.add(staging.resolve(Integer.toString(i), StandardResolveOptions.RESOLVE_FILE));
        copyUp(locals.get(i), staged.get(i));
      }
      progress.accept("uploaded " + locals.size() + " files to " + staging);
    } catch (IOException | RuntimeException e) {
      deleteQuietly(staged);
      throw failure(target, e);
    }
    List<Integer> order = manifestLast(finals);
    int moved = 0;
    try {
      rename(oldIds, oldAside);
      for (int i : order) {
        rename(List.of(staged.get(i)), List.of(finals.get(i)));
        moved++;
      }
    } catch (IOException | RuntimeException e) {
      try {
        List<ResourceId> from = new ArrayList<>();
        List<ResourceId> back = new ArrayList<>();
        for (int k = 0; k < moved; k++) {
          from.add(finals.get(order.get(k)));
          back.add(staged.get(order.get(k)));
        }
        rename(from, back);
        rename(oldAside, oldIds); // those not moved aside are skipped as missing
      } catch (IOException | RuntimeException restore) {
        deleteQuietly(staged);
        throw new UncheckedIOException(new IOException(target + ": could not publish the result (" + e.getMessage()
            + "), nor put the earlier one back (" + restore.getMessage() + "); what was not moved back is under "
            + previous));
      }
      deleteQuietly(staged);
      throw failure(target, e);
    }
    deleteQuietly(oldAside);
    progress.accept("published " + target);
  }

  private static RuntimeException failure(String target, Exception e) {
    // The reason in the message, not as a cause: the command line prints the innermost cause's message.
    return new UncheckedIOException(new IOException(target + ": could not publish the result, left as it was ("
        + e.getMessage() + ")"));
  }

  /** Indices of the final locations, the manifest's last: a listing that holds it holds the whole result. */
  private static List<Integer> manifestLast(List<ResourceId> finals) {
    List<Integer> order = new ArrayList<>();
    int manifest = -1;
    for (int i = 0; i < finals.size(); i++) {
      String n = finals.get(i).getFilename();
      if (n.equals(Manifest.FILE) || n.endsWith(".manifest.json")) {
        manifest = i;
      } else {
        order.add(i);
      }
    }
    if (manifest >= 0) {
      order.add(manifest);
    }
    return order;
  }

  private static void rename(List<ResourceId> from, List<ResourceId> to) throws IOException {
    if (!from.isEmpty()) {
      FileSystems.rename(from, to, MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
    }
  }

  private static void deleteQuietly(List<ResourceId> ids) {
    try {
      FileSystems.delete(ids, MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
    } catch (IOException | RuntimeException e) {
      // what is left is hidden, and named for its process
    }
  }

  /** The files of a result at {@code spec}: the file itself, or every file under it as a directory prefix. */
  private static List<MatchResult.Metadata> files(String spec) {
    List<MatchResult.Metadata> out = new ArrayList<>();
    for (MatchResult.Metadata m : match(spec, spec)) {
      if (!m.resourceId().isDirectory()) {
        out.add(m);
      }
    }
    for (MatchResult.Metadata m : match(spec + "/**", spec)) {
      // Some filesystems (HDFS) list the directory itself, not marked as one.
      if (!m.resourceId().isDirectory() && !trimSlash(m.resourceId().toString()).equals(spec)) {
        out.add(m);
      }
    }
    return out;
  }

  /** The path of {@code id} under the directory {@code prefix}; a listing that names it otherwise is refused. */
  private static String relative(ResourceId id, String prefix, String location) {
    String s = id.toString();
    if (!s.startsWith(prefix)) {
      throw new InvalidInputException(location + ": listed " + s + ", which is not under " + prefix);
    }
    return s.substring(prefix.length());
  }

  private static List<MatchResult.Metadata> match(String spec, String location) {
    try {
      MatchResult r = FileSystems.match(spec, EmptyMatchTreatment.ALLOW);
      if (r.status() == MatchResult.Status.NOT_FOUND) {
        return Collections.emptyList();
      }
      return r.metadata(); // an ERROR status throws its IOException here
    } catch (IllegalArgumentException e) {
      throw noFilesystem(location, e);
    } catch (IOException e) {
      throw new InvalidInputException(location + ": cannot list (" + e.getMessage() + ")", e);
    }
  }

  private static InvalidInputException noFilesystem(String location, IllegalArgumentException e) {
    return new InvalidInputException(location + ": no filesystem for this scheme on the classpath (" + e.getMessage()
        + "); build with the matching Beam filesystem module, see README.md, \"Files on other filesystems\"", e);
  }

  private static ResourceId directory(String spec) {
    try {
      return FileSystems.matchNewResource(spec, true);
    } catch (IllegalArgumentException e) {
      throw noFilesystem(spec, e);
    }
  }

  private static ResourceId parent(String spec) {
    ResourceId p = FileSystems.matchNewResource(spec, false).getCurrentDirectory();
    if (p == null) {
      throw new InvalidInputException(spec + ": expected a location inside a bucket or directory");
    }
    return p;
  }

  private static String name(String spec) {
    return spec.substring(spec.lastIndexOf('/') + 1);
  }

  private static String trimSlash(String location) {
    String s = location;
    while (s.endsWith("/") && s.indexOf("://") + 3 < s.length()) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }

  private static List<String> relativeFiles(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString().replace('\\', '/')).sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void copyDown(MatchResult.Metadata m, Path local, String location, Consumer<String> progress)
      throws IOException {
    long t0 = System.nanoTime();
    Files.createDirectories(local.getParent());
    try (ReadableByteChannel in = FileSystems.open(m.resourceId());
        InputStream is = Channels.newInputStream(in);
        OutputStream os = Files.newOutputStream(local)) {
      is.transferTo(os);
    }
    double s = (System.nanoTime() - t0) / 1e9;
    progress.accept(String.format("downloaded %s (%.1f MB, %.0f MB/s)", m.resourceId(), m.sizeBytes() / 1e6,
        m.sizeBytes() / 1e6 / Math.max(s, 1e-3)));
  }

  private static void copyUp(Path local, ResourceId target) throws IOException {
    try (WritableByteChannel out = FileSystems.create(target, CreateOptions.StandardCreateOptions.builder()
            .setMimeType("application/octet-stream").build());
        OutputStream os = Channels.newOutputStream(out);
        InputStream is = Files.newInputStream(local)) {
      byte[] buf = new byte[COPY_BUFFER];
      for (int n; (n = is.read(buf)) > 0; ) {
        os.write(buf, 0, n);
      }
    }
  }
}
