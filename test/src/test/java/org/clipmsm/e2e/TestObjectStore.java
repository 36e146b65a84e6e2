package org.clipmsm.e2e;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystem;
import org.apache.beam.sdk.io.FileSystemRegistrar;
import org.apache.beam.sdk.io.fs.CreateOptions;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * A Beam filesystem with an object store's semantics, for tests: scheme {@code teststore://}, objects kept as files
 * under {@link #root} (no directories: a prefix with nothing under it does not exist; rename is per object), and a
 * fault to inject: after {@link #renamesBeforeFailure} more renames, one rename fails. Registered through
 * META-INF/services, as a real filesystem module (gs, s3, hdfs) would be.
 */
public final class TestObjectStore extends FileSystem<TestObjectStore.Id> {
  static final String SCHEME = "teststore";
  static volatile Path root;
  static final AtomicInteger renamesBeforeFailure = new AtomicInteger(Integer.MAX_VALUE);

  /** A key: "bucket/a/b" (an object), or "bucket/a/" (a prefix). */
  record Id(String key, boolean directory) implements ResourceId {
    @Override
    public ResourceId resolve(String other, ResolveOptions how) {
      if (!directory) {
        throw new IllegalStateException("resolve against an object: " + this);
      }
      boolean dir = how == ResolveOptions.StandardResolveOptions.RESOLVE_DIRECTORY;
      String k = key + other;
      return new Id(dir && !k.endsWith("/") ? k + "/" : k, dir);
    }

    @Override
    public ResourceId getCurrentDirectory() {
      if (directory) {
        return this;
      }
      int slash = key.lastIndexOf('/');
      return slash < 0 ? null : new Id(key.substring(0, slash + 1), true);
    }

    @Override
    public String getScheme() {
      return SCHEME;
    }

    @Override
    public String getFilename() {
      String k = directory ? key.substring(0, key.length() - 1) : key;
      return k.substring(k.lastIndexOf('/') + 1);
    }

    @Override
    public boolean isDirectory() {
      return directory;
    }

    @Override
    public String toString() {
      return SCHEME + "://" + key;
    }

    Path file() {
      return root.resolve(key);
    }
  }

  /** Registers the store with Beam's FileSystems. */
  public static final class Registrar implements FileSystemRegistrar {
    @Override
    public Iterable<FileSystem<?>> fromOptions(PipelineOptions options) {
      return List.of(new TestObjectStore());
    }
  }

  private static Id parse(String spec, boolean directory) {
    String key = spec.substring((SCHEME + "://").length());
    return new Id(directory && !key.endsWith("/") ? key + "/" : key, directory);
  }

  @Override
  protected List<MatchResult> match(List<String> specs) throws IOException {
    List<MatchResult> out = new ArrayList<>();
    for (String spec : specs) {
      if (spec.endsWith("/**")) {
        Id prefix = parse(spec.substring(0, spec.length() - 2), true);
        List<MatchResult.Metadata> found = new ArrayList<>();
        if (Files.isDirectory(prefix.file())) {
          try (Stream<Path> s = Files.walk(prefix.file())) {
            for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
              found.add(metadata(new Id(prefix.key() + prefix.file().relativize(f).toString(), false)));
            }
          }
        }
        out.add(MatchResult.create(MatchResult.Status.OK, found));
      } else {
        Id id = parse(spec, false);
        out.add(Files.isRegularFile(id.file()) ? MatchResult.create(MatchResult.Status.OK, List.of(metadata(id)))
            : MatchResult.create(MatchResult.Status.NOT_FOUND, new FileNotFoundException(spec)));
      }
    }
    return out;
  }

  private static MatchResult.Metadata metadata(Id id) throws IOException {
    return MatchResult.Metadata.builder().setResourceId(id).setSizeBytes(Files.size(id.file()))
        .setIsReadSeekEfficient(true).setLastModifiedMillis(0).build();
  }

  @Override
  protected WritableByteChannel create(Id id, CreateOptions options) throws IOException {
    Files.createDirectories(id.file().getParent());
    return FileChannel.open(id.file(), StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE);
  }

  @Override
  protected ReadableByteChannel open(Id id) throws IOException {
    return FileChannel.open(id.file(), StandardOpenOption.READ);
  }

  @Override
  protected void copy(List<Id> from, List<Id> to) throws IOException {
    for (int i = 0; i < from.size(); i++) {
      Files.createDirectories(to.get(i).file().getParent());
      Files.copy(from.get(i).file(), to.get(i).file(), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Override
  protected void rename(List<Id> from, List<Id> to, MoveOptions... options) throws IOException {
    boolean ignoreMissing = Arrays.asList(options).contains(MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
    for (int i = 0; i < from.size(); i++) {
      if (renamesBeforeFailure.getAndDecrement() == 0) {
        throw new IOException("injected rename failure at " + from.get(i));
      }
      if (!Files.exists(from.get(i).file()) && ignoreMissing) {
        continue;
      }
      Files.createDirectories(to.get(i).file().getParent());
      Files.move(from.get(i).file(), to.get(i).file(), StandardCopyOption.REPLACE_EXISTING);
      pruneEmptyParents(from.get(i).file());
    }
  }

  @Override
  protected void delete(Collection<Id> ids) throws IOException {
    for (Id id : ids) {
      Files.deleteIfExists(id.file());
      pruneEmptyParents(id.file());
    }
  }

  /** An object store has no directories: a prefix disappears with its last object. */
  private static void pruneEmptyParents(Path f) throws IOException {
    for (Path d = f.getParent(); d != null && d.startsWith(root) && !d.equals(root); d = d.getParent()) {
      try (Stream<Path> s = Files.list(d)) {
        if (s.findAny().isPresent()) {
          return;
        }
      }
      Files.delete(d);
    }
  }

  @Override
  protected Id matchNewResource(String spec, boolean isDirectory) {
    return parse(spec, isDirectory);
  }

  @Override
  protected String getScheme() {
    return SCHEME;
  }
}
