package dev.ticklake.benchmarks;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.slf4j.LoggerFactory;

/**
 * {@code ticklake bench [--suites=...] [--out=...] ...}: runs the benchmark suites of {@link
 * OrchestratorBenchmark} (default: all) and writes one JSON file. Every option of {@link
 * BenchOptions} is a flag of the same name ({@code --name=value}); the flags are derived from that
 * interface, so the pipeline suites' options stay in step with {@code
 * dev.ticklake.benchmarks.pipelines.Benchmark}. Log level: {@code -Dticklake.bench.logLevel}
 * (default warn).
 */
public final class BenchCommand extends Command {

  public BenchCommand() {
    super(
        "bench",
        "Runs the benchmark suites ("
            + String.join(", ", OrchestratorBenchmark.SUITES)
            + ") and writes one JSON file");
  }

  /** The options of {@link BenchOptions} (TickLake's own, not Beam's), by name. */
  static List<Method> optionGetters() {
    return Arrays.stream(BenchOptions.class.getMethods())
        .filter(m -> m.getDeclaringClass().getName().startsWith("dev.ticklake."))
        .filter(m -> m.getParameterCount() == 0)
        .filter(m -> m.getName().startsWith("get") || m.getName().startsWith("is"))
        .sorted(Comparator.comparing(BenchCommand::optionName))
        .toList();
  }

  static String optionName(Method getter) {
    String n = getter.getName().substring(getter.getName().startsWith("get") ? 3 : 2);
    return n.substring(0, 1).toLowerCase(Locale.ROOT) + n.substring(1);
  }

  @Override
  public void configure(Subparser subparser) {
    for (Method m : optionGetters()) {
      String name = optionName(m);
      Description d = m.getAnnotation(Description.class);
      String help = d == null ? "" : d.value();
      String def = defaultText(m);
      if (name.equals("suites")) {
        def = String.join(",", OrchestratorBenchmark.SUITES);
      }
      if (def != null) {
        help += " (default: " + def + ")";
      }
      subparser.addArgument("--" + name).dest(name).metavar("VALUE").help(help);
    }
  }

  private static String defaultText(Method m) {
    if (m.getAnnotation(Default.String.class) != null) {
      return m.getAnnotation(Default.String.class).value();
    }
    if (m.getAnnotation(Default.Integer.class) != null) {
      return Integer.toString(m.getAnnotation(Default.Integer.class).value());
    }
    if (m.getAnnotation(Default.Long.class) != null) {
      return Long.toString(m.getAnnotation(Default.Long.class).value());
    }
    if (m.getAnnotation(Default.Double.class) != null) {
      return Double.toString(m.getAnnotation(Default.Double.class).value());
    }
    return null;
  }

  /** The Beam-style arguments for the parsed flags; all suites unless {@code --suites} is set. */
  static String[] toOptionArgs(Namespace namespace) {
    List<String> args = new ArrayList<>();
    for (Method m : optionGetters()) {
      String name = optionName(m);
      Object v = namespace.get(name);
      if (v != null) {
        args.add("--" + name + "=" + v);
      }
    }
    if (namespace.get("suites") == null) {
      args.add("--suites=" + String.join(",", OrchestratorBenchmark.SUITES));
    }
    return args.toArray(String[]::new);
  }

  @Override
  public void run(Bootstrap<?> bootstrap, Namespace namespace) throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(System.getProperty("ticklake.bench.logLevel", "warn"), Level.WARN));
    BenchOptions options =
        PipelineOptionsFactory.fromArgs(toOptionArgs(namespace))
            .withValidation()
            .as(BenchOptions.class);
    List<String> tables = new ArrayList<>();
    Map<String, Object> doc = OrchestratorBenchmark.run(options, tables);
    System.out.println();
    for (String t : tables) {
      System.out.println(t);
      System.out.println();
    }
    System.out.println("JSON: " + Path.of(options.getOut()).toAbsolutePath() + " " + doc.keySet());
  }
}
