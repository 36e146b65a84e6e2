package org.clipmsm.beam;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsRegistrar;

/**
 * A worker failure on purpose, for testing recovery: with {@code --failOnce=STAGE --failOnceMarker=DIR} the first bundle
 * of that stage (fit, score) to start anywhere throws, once: it leaves a marker file in DIR, which every later attempt
 * finds, so the retried bundle (a restart of the job's tasks by Flink's restart strategy,
 * {@code --numberOfExecutionRetries}) runs normally. The marker directory must be shared by the workers (local, on
 * one machine).
 */
public final class FaultInjection {
  private FaultInjection() {}

  /** The options, registered with Beam so that the command line and the workers know them. */
  public interface Options extends PipelineOptions {
    @Description("Testing only: the stage (fit, score) one of whose bundles fails once, to test recovery.")
    String getFailOnce();

    void setFailOnce(String stage);

    @Description("Testing only: a directory shared by the workers where the injected failure leaves its marker.")
    String getFailOnceMarker();

    void setFailOnceMarker(String dir);
  }

  /**
   * Makes {@link Options} known to Beam wherever this module is on the class path (listed in
   * META-INF/services/org.apache.beam.sdk.options.PipelineOptionsRegistrar).
   */
  public static final class Registrar implements PipelineOptionsRegistrar {
    @Override
    public Iterable<Class<? extends PipelineOptions>> getPipelineOptions() {
      return List.of(Options.class);
    }
  }

  /** Called as a bundle of {@code stage} starts: throws once if the options ask for a failure there. */
  public static void atBundleStart(String stage, PipelineOptions options) {
    Options o = options.as(Options.class);
    if (!stage.equals(o.getFailOnce()) || o.getFailOnceMarker() == null) {
      return;
    }
    try {
      Files.createFile(Path.of(o.getFailOnceMarker(), "failed-once-" + stage));
    } catch (FileAlreadyExistsException e) {
      return; // failed already: this is the retry
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalStateException("injected failure (failOnce " + stage + "): a worker failing in the middle of"
        + " the " + stage + " stage");
  }
}
