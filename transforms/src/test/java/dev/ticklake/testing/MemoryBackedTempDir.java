package dev.ticklake.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

/**
 * A {@code @TempDir(factory = MemoryBackedTempDir.class)} in {@code /dev/shm} (tmpfs) when the
 * machine has it, else in the usual temporary folder: for tests that create hundreds of thousands
 * of small files, where each file operation on a disk costs about a millisecond.
 */
public final class MemoryBackedTempDir implements TempDirFactory {

  private static final Path SHM = Path.of("/dev/shm");

  @Override
  public Path createTempDirectory(
      AnnotatedElementContext elementContext, ExtensionContext extensionContext) throws Exception {
    String prefix = "junit-" + extensionContext.getRequiredTestClass().getSimpleName() + "-";
    if (Files.isDirectory(SHM) && Files.isWritable(SHM)) {
      return Files.createTempDirectory(SHM, prefix);
    }
    return Files.createTempDirectory(prefix);
  }
}
