package dev.ticklake.orchestrator.core.exec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Where a subprocess try's child JVM writes its output as it runs: one file per try under the
 * executor's work folder, at a path derived from (run, task, try) alone, so that a restarted
 * service finds the output of a try whose service died (the log endpoint serves it until the try's
 * log is stored). The executor deletes the file once the try's log is stored.
 */
public final class TryOutputs {

  private final Path root;

  public TryOutputs(Path workDir) {
    this.root = workDir.resolve("ticklake-try-output");
  }

  /** The output file of one try (its folder is created). */
  Path create(String runId, String taskId, int tryNumber) throws IOException {
    Path file = file(runId, taskId, tryNumber);
    Files.createDirectories(file.getParent());
    return file;
  }

  /** The tail of a try's output file, when it exists (the try runs, or its service died). */
  public Optional<String> read(String runId, String taskId, int tryNumber) {
    Path file = file(runId, taskId, tryNumber);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(tail(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the try output " + file, e);
    }
  }

  /** At most {@link SubprocessExecutor#MAX_OUTPUT_BYTES} of the file's end, with a note if cut. */
  static String tail(Path file) throws IOException {
    long size = Files.size(file);
    try (InputStream in = Files.newInputStream(file)) {
      long cut = Math.max(0, size - SubprocessExecutor.MAX_OUTPUT_BYTES);
      in.skipNBytes(cut);
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return cut > 0 ? "(first " + cut + " bytes cut)\n" + text : text;
    }
  }

  // Run and task ids are user-visible strings: hex-encoded, they never form a path of their own.
  private Path file(String runId, String taskId, int tryNumber) {
    HexFormat hex = HexFormat.of();
    return root.resolve(hex.formatHex(runId.getBytes(StandardCharsets.UTF_8)))
        .resolve(
            hex.formatHex(taskId.getBytes(StandardCharsets.UTF_8)) + "-try-" + tryNumber + ".log");
  }
}
