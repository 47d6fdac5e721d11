package dev.ticklake.orchestrator.core.dag;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Loads DAG files: every {@code *.yml} / {@code *.yaml} directly inside a folder (not recursive,
 * hidden files ignored) plus the DAGs shipped in the jar under {@value #SHIPPED_DAGS}.
 *
 * <p>Guarantees: a bad file never stops the others from loading; each problem becomes a {@link
 * DagLoadError} naming the file, the field and the reason. A folder DAG with the same {@code
 * dag_id} as a shipped one replaces it (only when the folder file is valid: a broken override
 * leaves the shipped DAG in place and reports the error). Two folder files with the same {@code
 * dag_id}: the first by file name wins, the other is an error. A missing folder counts as empty.
 * Files are read in name order, so results are deterministic. Thread-safe.
 */
public final class DagLoader {

  /** Classpath folder of the DAGs shipped with TickLake. */
  public static final String SHIPPED_DAGS = "dags";

  private final DagFileParser parser;
  private final ClassLoader classLoader;

  public DagLoader(PipelineRegistry registry) {
    this(registry, DagLoader.class.getClassLoader());
  }

  DagLoader(PipelineRegistry registry, ClassLoader classLoader) {
    this.parser = new DagFileParser(registry);
    this.classLoader = classLoader;
  }

  /** The shipped DAGs, then the folder's (which override by {@code dag_id}). */
  public DagLoadResult load(Optional<Path> folder, boolean includeShipped) {
    List<DagLoadError> errors = new ArrayList<>();
    Map<String, DagDefinition> dags = new TreeMap<>();
    if (includeShipped) {
      for (DagDefinition dag : loadEach(shippedFiles(errors), errors)) {
        dags.put(dag.dagId(), dag);
      }
    }
    if (folder.isPresent()) {
      Map<String, DagDefinition> fromFolder = new LinkedHashMap<>();
      for (DagDefinition dag : loadEach(folderFiles(folder.get(), errors), errors)) {
        DagDefinition first = fromFolder.putIfAbsent(dag.dagId(), dag);
        if (first != null) {
          errors.add(
              new DagLoadError(
                  dag.source(),
                  "dag_id",
                  "'" + dag.dagId() + "' is already defined in " + first.source()));
        }
      }
      dags.putAll(fromFolder);
    }
    return new DagLoadResult(new ArrayList<>(dags.values()), errors);
  }

  /** Parses one file's content; {@code source} names it in errors. */
  public DagLoadResult loadOne(String source, byte[] content) {
    DagFileParser.Parsed parsed = parser.parse(source, content);
    return new DagLoadResult(parsed.dag().stream().toList(), parsed.errors());
  }

  private record DagFile(String source, Path path) {}

  private List<DagDefinition> loadEach(List<DagFile> files, List<DagLoadError> errors) {
    List<DagDefinition> dags = new ArrayList<>();
    for (DagFile file : files) {
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(file.path());
      } catch (IOException | RuntimeException e) {
        errors.add(new DagLoadError(file.source(), null, "cannot read: " + e));
        continue;
      }
      DagFileParser.Parsed parsed = parser.parse(file.source(), bytes);
      errors.addAll(parsed.errors());
      parsed.dag().ifPresent(dags::add);
    }
    return dags;
  }

  private static List<DagFile> folderFiles(Path folder, List<DagLoadError> errors) {
    if (!Files.isDirectory(folder)) {
      if (Files.exists(folder)) {
        errors.add(new DagLoadError(folder.toString(), null, "is not a directory"));
      }
      return List.of();
    }
    try (Stream<Path> entries = Files.list(folder)) {
      return entries
          .filter(DagLoader::isDagFile)
          .sorted(Comparator.comparing(p -> p.getFileName().toString()))
          .map(p -> new DagFile(p.toString(), p))
          .toList();
    } catch (IOException e) {
      errors.add(new DagLoadError(folder.toString(), null, "cannot list the folder: " + e));
      return List.of();
    }
  }

  private List<DagFile> shippedFiles(List<DagLoadError> errors) {
    List<DagFile> files = new ArrayList<>();
    try {
      Enumeration<URL> roots = classLoader.getResources(SHIPPED_DAGS);
      for (URL url : Collections.list(roots)) {
        Path dir = toPath(url.toURI());
        try (Stream<Path> entries = Files.list(dir)) {
          entries
              .filter(DagLoader::isDagFile)
              .sorted(Comparator.comparing(p -> p.getFileName().toString()))
              .forEach(
                  p ->
                      files.add(
                          new DagFile("classpath:" + SHIPPED_DAGS + "/" + p.getFileName(), p)));
        }
      }
    } catch (IOException | URISyntaxException | RuntimeException e) {
      errors.add(
          new DagLoadError("classpath:" + SHIPPED_DAGS, null, "cannot list shipped DAGs: " + e));
    }
    return files;
  }

  /** A folder on disk or inside a jar (the jar's file system stays open for the JVM's life). */
  private static Path toPath(URI uri) throws IOException {
    if (!"jar".equals(uri.getScheme())) {
      return Path.of(uri);
    }
    FileSystem fs;
    try {
      fs = FileSystems.newFileSystem(uri, Map.of());
    } catch (FileSystemAlreadyExistsException e) {
      fs = FileSystems.getFileSystem(uri);
    }
    return fs.provider().getPath(uri);
  }

  private static boolean isDagFile(Path p) {
    String name = p.getFileName().toString();
    return !name.startsWith(".")
        && (name.endsWith(".yml") || name.endsWith(".yaml"))
        && Files.isRegularFile(p);
  }
}
