package dev.ticklake.transforms.delta.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.delta.storage.HadoopFileSystemLogStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Delta log store for tables on the local file system ({@code file:} paths), registered for
 * that scheme in every Hadoop configuration TickLake opens a table with ({@link HadoopConf}).
 *
 * <p>Why: optimistic concurrency is only correct if writing commit {@code N.json} fails when
 * another writer already wrote it. delta-standalone's default store for {@code file:} ({@code
 * HDFSLogStore} over Hadoop's {@code LocalFs}) checks that the file does not exist and then renames
 * its temporary file onto it, and a rename on a local disk silently replaces the target. Two
 * writers that do not share one {@code DeltaLog} object (two processes, such as subprocess executor
 * tries or a CLI backfill next to the server, or two logs opened in one JVM) can both pass the
 * check and both "commit" version N: one commit's data is lost, and the other's checksum file no
 * longer matches, so the table's next read fails with a {@code ChecksumException}.
 *
 * <p>Here a commit is written and flushed to disk under a temporary name, then published with a
 * hard link, which the operating system creates atomically or refuses when the name exists: exactly
 * one writer of version N succeeds, the others get {@link FileAlreadyExistsException} and go
 * through delta-standalone's conflict check like any losing writer. Readers never see a partly
 * written commit. Overwrites (delta-standalone's {@code _last_checkpoint}) are an atomic rename.
 *
 * <p>On a file system without hard links (some network and FUSE mounts) commits fall back to a
 * check and a rename under one JVM-wide lock: safe between writers of one process, not between
 * processes; a warning says so once.
 */
public final class AtomicLocalLogStore extends HadoopFileSystemLogStore {
  private static final Logger LOG = LoggerFactory.getLogger(AtomicLocalLogStore.class);

  /** The Hadoop setting that makes delta-standalone use this store for {@code file:} paths. */
  public static final String SETTING = "delta.logStore.file.impl";

  private static final Object FALLBACK_LOCK = new Object();
  private static final AtomicBoolean FALLBACK_WARNED = new AtomicBoolean();

  public AtomicLocalLogStore(Configuration initHadoopConf) {
    super(initHadoopConf);
  }

  @Override
  public void write(Path path, Iterator<String> actions, Boolean overwrite, Configuration conf)
      throws IOException {
    java.nio.file.Path target = local(path, conf);
    java.nio.file.Path temp =
        target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      writeDurably(temp, actions);
      if (overwrite) {
        Files.move(
            temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } else {
        publishUnlessPresent(temp, target);
      }
      syncDirectory(target.getParent());
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  @Override
  public Boolean isPartialWriteVisible(Path path, Configuration conf) {
    return false;
  }

  private static java.nio.file.Path local(Path path, Configuration conf) throws IOException {
    Path qualified = path.getFileSystem(conf).makeQualified(path);
    if (!"file".equals(qualified.toUri().getScheme())) {
      throw new IllegalArgumentException(
          AtomicLocalLogStore.class.getSimpleName()
              + " writes local files only, not "
              + qualified
              + "; register it for the file scheme only ("
              + SETTING
              + ")");
    }
    return java.nio.file.Path.of(qualified.toUri());
  }

  private static void writeDurably(java.nio.file.Path temp, Iterator<String> actions)
      throws IOException {
    StringBuilder text = new StringBuilder();
    actions.forEachRemaining(action -> text.append(action).append('\n'));
    ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(UTF_8));
    try (FileChannel out =
        FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      while (bytes.hasRemaining()) {
        out.write(bytes);
      }
      out.force(true); // a commit that was acknowledged survives a power cut
    }
  }

  /** Makes the new name durable too; skipped where a directory cannot be opened for it. */
  private static void syncDirectory(java.nio.file.Path directory) {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException e) {
      LOG.debug("{}: directory not synced ({})", directory, e.toString());
    }
  }

  private static void publishUnlessPresent(java.nio.file.Path temp, java.nio.file.Path target)
      throws IOException {
    try {
      Files.createLink(target, temp);
    } catch (FileAlreadyExistsException e) {
      throw e;
    } catch (UnsupportedOperationException | FileSystemException e) {
      if (FALLBACK_WARNED.compareAndSet(false, true)) {
        LOG.warn(
            "Hard links are not available at {} ({}): Delta commits there are protected against"
                + " concurrent writers in this process only, not in other processes",
            target.getParent(),
            e.toString());
      }
      synchronized (FALLBACK_LOCK) {
        if (Files.exists(target)) {
          throw new FileAlreadyExistsException(target.toString());
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      }
    }
  }
}
