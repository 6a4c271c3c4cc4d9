package io.parallax.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Builds the {@link ParallaxConfig} from four layers, later ones winning: the built-in defaults (the
 * {@code conf/config.json} packed in the jar), a config file, environment variables, command-line flags.
 *
 * <p>The config file is {@code --conf FILE} when given (it must exist), else {@code conf/config.json} in the
 * working directory when present. Every problem is reported as one {@link ConfigException} line naming the
 * key and where its value came from.
 */
public final class ConfigLoader {

  public static final String DEFAULTS_RESOURCE = "/conf/config.json";
  public static final Path LOCAL_CONFIG = Path.of("conf", "config.json");

  private final Function<String, String> environment;
  private final int processors;

  public ConfigLoader(Function<String, String> environment, int processors) {
    this.environment = environment;
    this.processors = processors;
  }

  /** A loader reading the real environment and processor count. */
  public static ConfigLoader system() {
    return new ConfigLoader(System::getenv, Runtime.getRuntime().availableProcessors());
  }

  /**
   * @param configFile the {@code --conf} file, or null
   * @param flags values given on the command line, as typed
   */
  public ParallaxConfig load(Path configFile, Map<Setting, String> flags) {
    Map<Setting, Sourced> values = new EnumMap<>(Setting.class);
    JsonObject defaults = readDefaults();
    overlay(values, defaults, "built-in defaults");
    Path file = configFile != null ? configFile : (Files.isRegularFile(LOCAL_CONFIG) ? LOCAL_CONFIG : null);
    if (file != null) {
      overlay(values, readFile(file), file.toString());
    }
    for (Setting setting : Setting.values()) {
      String value = environment.apply(setting.env());
      if (value != null && !value.isBlank()) {
        values.put(setting, new Sourced(value.trim(), "environment variable " + setting.env()));
      }
    }
    flags.forEach((setting, value) -> values.put(setting, new Sourced(value, "flag " + setting.flag())));
    return build(values);
  }

  private record Sourced(Object value, String source) {
  }

  private ParallaxConfig build(Map<Setting, Sourced> values) {
    int workers = count(values, Setting.WORKERS, processors);
    ParallaxConfig config = new ParallaxConfig(
        host(values, Setting.HTTP_HOST),
        (int) integer(values, Setting.HTTP_PORT),
        count(values, Setting.HTTP_INSTANCES, processors),
        integer(values, Setting.HTTP_MAX_BODY_BYTES),
        workers,
        count(values, Setting.MAX_QUEUED, 4 * workers),
        integer(values, Setting.TASK_TIMEOUT_MS),
        integer(values, Setting.TASK_MAX_TIMEOUT_MS),
        new ParallaxConfig.JobLimits(
            (int) integer(values, Setting.JOBS_MAX_RUNNING),
            (int) integer(values, Setting.JOBS_MAX_QUEUED),
            (int) integer(values, Setting.JOBS_MAX_QUEUED_CHUNKS),
            integer(values, Setting.JOBS_CHUNK_TIMEOUT_MS),
            (int) integer(values, Setting.JOBS_CHUNK_RETRIES),
            integer(values, Setting.JOBS_RETENTION_MS),
            (int) integer(values, Setting.JOBS_MAX_FINISHED)),
        new ParallaxConfig.ClusterSettings(
            bool(values, Setting.CLUSTER),
            clusterName(values),
            members(values),
            host(values, Setting.CLUSTER_HOST),
            text(values, Setting.CLUSTER_PUBLIC_HOST),
            (int) integer(values, Setting.CLUSTER_MEMBER_PORT),
            (int) integer(values, Setting.CLUSTER_PORT),
            (int) integer(values, Setting.CLUSTER_PUBLIC_PORT),
            text(values, Setting.CLUSTER_CONFIG)),
        new ParallaxConfig.BridgeSettings(
            permissions(values, Setting.BRIDGE_INBOUND),
            permissions(values, Setting.BRIDGE_OUTBOUND),
            text(values, Setting.BRIDGE_TOKEN),
            bool(values, Setting.BRIDGE_TCP),
            host(values, Setting.BRIDGE_HOST),
            (int) integer(values, Setting.BRIDGE_PORT),
            bool(values, Setting.BRIDGE_SOCKJS),
            text(values, Setting.BRIDGE_ALLOWED_ORIGIN),
            integer(values, Setting.BRIDGE_SOCKJS_IDLE_TIMEOUT_MS),
            (int) integer(values, Setting.BRIDGE_MAX_FRAME_BYTES),
            (int) integer(values, Setting.BRIDGE_MAX_CONNECTIONS),
            (int) integer(values, Setting.BRIDGE_MAX_IN_FLIGHT),
            (int) integer(values, Setting.BRIDGE_MAX_REGISTRATIONS)),
        integer(values, Setting.SHUTDOWN_GRACE_MS));
    if (config.taskTimeoutMillis() > config.maxTaskTimeoutMillis()) {
      throw new ConfigException(Setting.TASK_TIMEOUT_MS.key() + " (" + config.taskTimeoutMillis()
          + ") must not exceed " + Setting.TASK_MAX_TIMEOUT_MS.key() + " (" + config.maxTaskTimeoutMillis() + ")");
    }
    return config;
  }

  private static void overlay(Map<Setting, Sourced> values, JsonObject json, String source) {
    for (Setting setting : Setting.values()) {
      String[] path = setting.key().split("\\.");
      Object node = json;
      for (String part : path) {
        node = node instanceof JsonObject object ? object.getValue(part) : null;
      }
      if (node != null) {
        values.put(setting, new Sourced(node, source));
      }
    }
  }

  private static long integer(Map<Setting, Sourced> values, Setting setting) {
    Sourced sourced = require(values, setting);
    long value = parseLong(sourced.value(), setting, sourced);
    if (value < setting.min() || value > setting.max()) {
      throw invalid(setting, sourced, "must be between " + setting.min() + " and " + setting.max());
    }
    return value;
  }

  private static int count(Map<Setting, Sourced> values, Setting setting, int auto) {
    Sourced sourced = require(values, setting);
    if ("auto".equals(sourced.value())) {
      return (int) Math.max(setting.min(), Math.min(setting.max(), auto));
    }
    long value = parseLong(sourced.value(), setting, sourced);
    if (value < setting.min() || value > setting.max()) {
      throw invalid(setting, sourced, "must be \"auto\" or between " + setting.min() + " and " + setting.max());
    }
    return (int) value;
  }

  private static boolean bool(Map<Setting, Sourced> values, Setting setting) {
    Sourced sourced = require(values, setting);
    Object raw = sourced.value();
    if (raw instanceof Boolean value) {
      return value;
    }
    if (raw instanceof String text && (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false"))) {
      return Boolean.parseBoolean(text);
    }
    throw invalid(setting, sourced, "must be true or false");
  }

  private static String text(Map<Setting, Sourced> values, Setting setting) {
    Sourced sourced = require(values, setting);
    if (!(sourced.value() instanceof String text)) {
      throw invalid(setting, sourced, "must be a string");
    }
    if (text.length() < setting.min() || text.length() > setting.max()) {
      throw invalid(setting, sourced, "must be " + setting.min() + " to " + setting.max() + " characters long");
    }
    return text.trim();
  }

  /** A JSON array (in the file) or JSON text (environment, flags) of {"address"} / {"addressRegex"} objects. */
  private static io.vertx.core.json.JsonArray permissions(Map<Setting, Sourced> values, Setting setting) {
    Sourced sourced = require(values, setting);
    io.vertx.core.json.JsonArray array;
    try {
      array = sourced.value() instanceof io.vertx.core.json.JsonArray json ? json
          : new io.vertx.core.json.JsonArray(String.valueOf(sourced.value()));
    } catch (RuntimeException notJson) {
      throw invalid(setting, sourced, "must be a JSON array of {\"address\"} or {\"addressRegex\"} objects");
    }
    for (Object entry : array) {
      if (!(entry instanceof io.vertx.core.json.JsonObject permission)
          || permission.size() != 1
          || !(permission.getValue("address") instanceof String || permission.getValue("addressRegex") instanceof String)) {
        throw invalid(setting, sourced, "must be a JSON array of {\"address\"} or {\"addressRegex\"} objects");
      }
      if (permission.containsKey("addressRegex")) {
        try {
          java.util.regex.Pattern.compile(permission.getString("addressRegex"));
        } catch (java.util.regex.PatternSyntaxException badRegex) {
          throw invalid(setting, sourced, "has an invalid regex " + permission.getString("addressRegex"));
        }
      }
    }
    return array;
  }

  private static String clusterName(Map<Setting, Sourced> values) {
    String name = text(values, Setting.CLUSTER_NAME);
    if (!name.matches("[A-Za-z0-9._-]+")) {
      throw invalid(Setting.CLUSTER_NAME, values.get(Setting.CLUSTER_NAME),
          "may hold only letters, digits, '.', '_' and '-'");
    }
    return name;
  }

  private static java.util.List<String> members(Map<Setting, Sourced> values) {
    String raw = text(values, Setting.CLUSTER_MEMBERS);
    java.util.List<String> members = java.util.Arrays.stream(raw.split(",")).map(String::trim)
        .filter(member -> !member.isEmpty()).toList();
    for (String member : members) {
      if (!member.matches("[A-Za-z0-9.\\-]+(:[0-9]{1,5})?")) {
        throw invalid(Setting.CLUSTER_MEMBERS, values.get(Setting.CLUSTER_MEMBERS),
            "must be comma-separated host or host:port entries");
      }
    }
    if (members.isEmpty()) {
      throw invalid(Setting.CLUSTER_MEMBERS, values.get(Setting.CLUSTER_MEMBERS), "must name at least one member");
    }
    return members;
  }

  private static String host(Map<Setting, Sourced> values, Setting setting) {
    Sourced sourced = require(values, setting);
    if (!(sourced.value() instanceof String host) || host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
      throw invalid(setting, sourced, "must be a host name or IP address");
    }
    return host;
  }

  private static long parseLong(Object raw, Setting setting, Sourced sourced) {
    if (raw instanceof Integer || raw instanceof Long) {
      return ((Number) raw).longValue();
    }
    if (raw instanceof String text) {
      try {
        return Long.parseLong(text.trim());
      } catch (NumberFormatException notANumber) {
        // reported below
      }
    }
    throw invalid(setting, sourced, "must be an integer");
  }

  private static Sourced require(Map<Setting, Sourced> values, Setting setting) {
    Sourced sourced = values.get(setting);
    if (sourced == null) {
      throw new ConfigException(setting.key() + " is missing from the configuration");
    }
    return sourced;
  }

  private static ConfigException invalid(Setting setting, Sourced sourced, String problem) {
    String shown = setting == Setting.BRIDGE_TOKEN ? "a secret" : render(sourced.value());
    return new ConfigException(setting.key() + " " + problem + " (got " + shown + " from "
        + sourced.source() + ")");
  }

  private static String render(Object value) {
    return value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
  }

  private static JsonObject readDefaults() {
    try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the built-in defaults " + DEFAULTS_RESOURCE + " are missing from the jar");
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the built-in defaults", e);
    }
  }

  private static JsonObject readFile(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + describe(e));
    }
    try {
      return new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw new ConfigException("config file " + file + " is not a JSON object: " + firstLine(e.getMessage()));
    }
  }

  private static String describe(IOException e) {
    String kind = e.getClass().getSimpleName();
    return switch (kind) {
      case "NoSuchFileException" -> "no such file";
      case "AccessDeniedException" -> "permission denied";
      default -> e.getMessage() == null ? kind : e.getMessage();
    };
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "malformed JSON";
    }
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
