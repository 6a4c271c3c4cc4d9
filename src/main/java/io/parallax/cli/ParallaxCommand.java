package io.parallax.cli;

import io.parallax.NodeInfo;
import io.parallax.ParallaxNode;
import io.parallax.compute.TaskRegistry;
import io.parallax.config.ConfigException;
import io.parallax.config.ConfigLoader;
import io.parallax.config.ParallaxConfig;
import io.parallax.config.Setting;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * {@code java -jar parallax.jar}: starts a node and runs it until SIGTERM or SIGINT, then drains and exits 0.
 *
 * <p>Exit codes: 0 after a clean stop, 1 when the node cannot start (a port in use, say), 2 for invalid
 * configuration or usage.
 */
@Command(name = "parallax", mixinStandardHelpOptions = true, versionProvider = ParallaxCommand.Version.class,
    sortOptions = false, usageHelpAutoWidth = true,
    description = {"Runs a Parallax node: HTTP on every core, CPU-heavy tasks on worker verticles.",
        "Subcommands send and submit talk to a running node's TCP bridge."},
    footer = {"", "Precedence: flags > environment variables > config file > built-in defaults."})
public final class ParallaxCommand implements Callable<Integer> {

  public static final int EXIT_OK = 0;
  public static final int EXIT_START_FAILED = 1;
  public static final int EXIT_USAGE = 2;

  @Option(names = "--conf", paramLabel = "FILE",
      description = "config file (default: conf/config.json in the working directory when present)")
  private Path configFile;

  private CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    if (System.getProperty("io.netty.jfr.enabled") == null) {
      // Netty's Flight Recorder events for its buffer allocator are not used by Parallax, and registering them
      // costs about 60 ms of start-up; -Dio.netty.jfr.enabled=true brings them back.
      System.setProperty("io.netty.jfr.enabled", "false");
    }
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    ParallaxCommand command = new ParallaxCommand();
    CommandLine commandLine = new CommandLine(command);
    command.spec = commandLine.getCommandSpec();
    for (Setting setting : Setting.values()) {
      OptionSpec.Builder option = OptionSpec.builder(setting.flag())
          .paramLabel(switch (setting.kind()) {
            case HOST -> "HOST";
            case TEXT -> "TEXT";
            case BOOLEAN -> "true|false";
            default -> "N";
          })
          .type(String.class)
          .description(setting.description() + " (" + setting.key() + ", $" + setting.env() + ")");
      if (setting.kind() == Setting.Kind.BOOLEAN) {
        option.arity("0..1").fallbackValue("true");
      }
      command.spec.addOption(option.build());
    }
    commandLine.addSubcommand("send", new SendCommand());
    commandLine.addSubcommand("submit", new SubmitCommand());
    commandLine.getSubcommands().values().forEach(sub -> sub.setParameterExceptionHandler(ParallaxCommand::usageError));
    return commandLine.setParameterExceptionHandler(ParallaxCommand::usageError);
  }

  private static int usageError(CommandLine.ParameterException problem, String[] args) {
    PrintWriter err = problem.getCommandLine().getErr();
    err.println("parallax: " + problem.getMessage() + " (see --help)");
    err.flush();
    return EXIT_USAGE;
  }

  @Override
  public Integer call() throws InterruptedException {
    ParallaxConfig config;
    try {
      config = ConfigLoader.system().load(configFile, flagValues());
    } catch (ConfigException invalid) {
      return fail(EXIT_USAGE, "invalid configuration: " + invalid.getMessage());
    }
    ParallaxNode node;
    try {
      node = ParallaxNode.start(config, TaskRegistry.load()).get();
    } catch (ExecutionException startFailure) {
      return fail(EXIT_START_FAILED, "cannot start: " + describe(startFailure.getCause()));
    } catch (ConfigException invalid) {
      return fail(EXIT_USAGE, "invalid configuration: " + invalid.getMessage());
    } catch (IllegalStateException brokenTask) {
      return fail(EXIT_START_FAILED, "cannot start: " + brokenTask.getMessage());
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runnable stopAndRelease = () -> {
      awaitStop(node);
      stopped.countDown();
    };
    // Handling the signals ourselves (instead of relying on shutdown hooks) lets a drained node exit 0.
    Signal.handle(new Signal("TERM"), signal -> stopAndRelease.run());
    Signal.handle(new Signal("INT"), signal -> stopAndRelease.run());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> awaitStop(node), "parallax-shutdown"));
    stopped.await();
    return EXIT_OK;
  }

  private static void awaitStop(ParallaxNode node) {
    try {
      node.stop()
          .get(node.config().shutdownGraceMillis() + 15_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException ignored) {
      // Stopping is best effort past the grace period; the process exits regardless.
    }
  }

  private Map<Setting, String> flagValues() {
    Map<Setting, String> flags = new EnumMap<>(Setting.class);
    for (Setting setting : Setting.values()) {
      String value = spec.findOption(setting.flag()).getValue();
      if (value != null) {
        flags.put(setting, value);
      }
    }
    return flags;
  }

  private int fail(int code, String message) {
    PrintWriter err = spec.commandLine().getErr();
    err.println("parallax: " + message);
    err.flush();
    return code;
  }

  private static String describe(Throwable cause) {
    String message = cause.getMessage();
    return message == null ? cause.getClass().getSimpleName() : firstLine(message);
  }

  private static String firstLine(String text) {
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }

  /** Reads the version Maven wrote into the jar. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"Parallax " + NodeInfo.buildVersion()};
    }
  }
}
