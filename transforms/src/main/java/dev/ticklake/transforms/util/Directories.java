package dev.ticklake.transforms.util;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** File-tree helpers shared by main and test code of every module above {@code transforms}. */
public final class Directories {
  private Directories() {}

  /**
   * Deletes {@code dir} and everything under it, deepest entries first. A missing {@code dir}, or
   * an entry that disappears meanwhile, is not an error. Guarantees: on return nothing of the tree
   * is left; otherwise an {@link UncheckedIOException} names the tree and carries the cause, and
   * callers that only clean up on a best-effort basis catch it.
   */
  public static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      // Collect first: deleting while the walk still lists a directory is undefined.
      List<Path> deepestFirst = paths.sorted(Comparator.reverseOrder()).toList();
      for (Path p : deepestFirst) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete " + dir + ": " + e.getMessage(), e);
    }
  }
}
