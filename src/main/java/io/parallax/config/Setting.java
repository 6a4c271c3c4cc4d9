package io.parallax.config;

/**
 * Every configuration key, with its environment variable, command-line flag and bounds. The defaults live
 * in {@code conf/config.json}; the README's configuration table mirrors this enum.
 */
public enum Setting {
  HTTP_HOST("http.host", "PARALLAX_HTTP_HOST", "--http-host", Kind.HOST, 0, 0,
      "address the HTTP server binds to"),
  HTTP_PORT("http.port", "PARALLAX_HTTP_PORT", "--http-port", Kind.INTEGER, 0, 65_535,
      "HTTP port (0 picks a free port)"),
  HTTP_INSTANCES("http.instances", "PARALLAX_INSTANCES", "--instances", Kind.COUNT_OR_AUTO, 1, 256,
      "HTTP verticle instances; auto = available processors"),
  HTTP_MAX_BODY_BYTES("http.maxBodyBytes", "PARALLAX_MAX_BODY_BYTES", "--max-body-bytes", Kind.INTEGER, 1,
      64L * 1024 * 1024, "largest accepted request body"),
  WORKERS("workers.count", "PARALLAX_WORKERS", "--workers", Kind.COUNT_OR_AUTO, 1, 256,
      "worker verticle instances (threads of the compute pool); auto = available processors"),
  MAX_QUEUED("workers.maxQueued", "PARALLAX_MAX_QUEUED", "--max-queued", Kind.COUNT_OR_AUTO, 1, 1_000_000,
      "tasks queued or running on this node before 503 QUEUE_FULL; auto = 4 × workers"),
  TASK_TIMEOUT_MS("tasks.timeoutMs", "PARALLAX_TASK_TIMEOUT_MS", "--task-timeout", Kind.INTEGER, 1, 3_600_000,
      "a task's timeout (queue wait plus run) when the request sets none"),
  TASK_MAX_TIMEOUT_MS("tasks.maxTimeoutMs", "PARALLAX_TASK_MAX_TIMEOUT_MS", "--task-max-timeout", Kind.INTEGER, 1,
      3_600_000, "largest timeout a request may ask for"),
  JOBS_MAX_RUNNING("jobs.maxRunning", "PARALLAX_JOBS_MAX_RUNNING", "--jobs-max-running", Kind.INTEGER, 1, 1_000,
      "jobs running at once on this node; more wait as QUEUED"),
  JOBS_MAX_QUEUED("jobs.maxQueued", "PARALLAX_JOBS_MAX_QUEUED", "--jobs-max-queued", Kind.INTEGER, 0, 100_000,
      "jobs waiting to run before 503 QUEUE_FULL"),
  JOBS_MAX_QUEUED_CHUNKS("jobs.maxQueuedChunks", "PARALLAX_JOBS_MAX_QUEUED_CHUNKS", "--jobs-max-queued-chunks",
      Kind.INTEGER, 1, 10_000_000, "chunks of all running and queued jobs not yet computed before 503 QUEUE_FULL"),
  JOBS_CHUNK_TIMEOUT_MS("jobs.chunkTimeoutMs", "PARALLAX_JOBS_CHUNK_TIMEOUT_MS", "--jobs-chunk-timeout", Kind.INTEGER,
      1, 3_600_000, "one chunk's run time before it counts as failed"),
  JOBS_CHUNK_RETRIES("jobs.chunkRetries", "PARALLAX_JOBS_CHUNK_RETRIES", "--jobs-chunk-retries", Kind.INTEGER, 0, 10,
      "further attempts for a failed chunk, on another worker where one exists"),
  JOBS_RETENTION_MS("jobs.retentionMs", "PARALLAX_JOBS_RETENTION_MS", "--jobs-retention", Kind.INTEGER, 1_000,
      7L * 24 * 3_600_000, "how long a finished job and its result are kept"),
  JOBS_MAX_FINISHED("jobs.maxFinished", "PARALLAX_JOBS_MAX_FINISHED", "--jobs-max-finished", Kind.INTEGER, 1,
      1_000_000, "finished jobs kept at most; the oldest go first"),
  CLUSTER("cluster.enabled", "PARALLAX_CLUSTER", "--cluster", Kind.BOOLEAN, 0, 0,
      "join a cluster with Hazelcast (standalone otherwise)"),
  CLUSTER_NAME("cluster.name", "PARALLAX_CLUSTER_NAME", "--cluster-name", Kind.TEXT, 1, 64,
      "only nodes with the same cluster name join each other"),
  CLUSTER_MEMBERS("cluster.members", "PARALLAX_CLUSTER_MEMBERS", "--cluster-members", Kind.TEXT, 1, 4096,
      "comma-separated host[:port] of members to join (TCP-IP; port defaults to 5701)"),
  CLUSTER_HOST("cluster.host", "PARALLAX_CLUSTER_HOST", "--cluster-host", Kind.HOST, 0, 0,
      "address the cluster member and the event bus bind to"),
  CLUSTER_PUBLIC_HOST("cluster.publicHost", "PARALLAX_CLUSTER_PUBLIC_HOST", "--cluster-public-host", Kind.TEXT, 0,
      255, "address other nodes use to reach this one (NAT, containers); empty = cluster.host"),
  CLUSTER_MEMBER_PORT("cluster.memberPort", "PARALLAX_CLUSTER_MEMBER_PORT", "--cluster-member-port", Kind.INTEGER,
      1, 65_535, "Hazelcast member port"),
  CLUSTER_PORT("cluster.port", "PARALLAX_CLUSTER_PORT", "--cluster-port", Kind.INTEGER, 0, 65_535,
      "event-bus port (0 picks a free port)"),
  CLUSTER_PUBLIC_PORT("cluster.publicPort", "PARALLAX_CLUSTER_PUBLIC_PORT", "--cluster-public-port", Kind.INTEGER, 0,
      65_535, "event-bus port other nodes use to reach this one; 0 = cluster.port"),
  CLUSTER_CONFIG("cluster.config", "PARALLAX_CLUSTER_CONFIG", "--cluster-config", Kind.TEXT, 0, 4096,
      "Hazelcast XML; empty = conf/cluster.xml when present, else the built-in copy"),
  BRIDGE_INBOUND("bridge.inbound", "PARALLAX_BRIDGE_INBOUND", "--bridge-inbound", Kind.PERMISSIONS, 0, 1_000,
      "addresses clients may send or publish to: JSON array of {\"address\"} or {\"addressRegex\"}"),
  BRIDGE_OUTBOUND("bridge.outbound", "PARALLAX_BRIDGE_OUTBOUND", "--bridge-outbound", Kind.PERMISSIONS, 0, 1_000,
      "addresses clients may receive from (register): JSON array of {\"address\"} or {\"addressRegex\"}"),
  BRIDGE_TOKEN("bridge.token", "PARALLAX_TOKEN", "--token", Kind.TEXT, 0, 1_024,
      "when set, every entrance but /hello, /health, /ready requires it (Bearer header, frame headers.auth)"),
  BRIDGE_TCP("bridge.tcp", "PARALLAX_BRIDGE_TCP", "--bridge-tcp", Kind.BOOLEAN, 0, 0, "serve the TCP event-bus bridge"),
  BRIDGE_HOST("bridge.host", "PARALLAX_BRIDGE_HOST", "--bridge-host", Kind.HOST, 0, 0,
      "address the TCP bridge binds to"),
  BRIDGE_PORT("bridge.port", "PARALLAX_BRIDGE_PORT", "--bridge-port", Kind.INTEGER, 0, 65_535,
      "TCP bridge port (0 picks a free port)"),
  BRIDGE_SOCKJS("bridge.sockjs", "PARALLAX_BRIDGE_SOCKJS", "--bridge-sockjs", Kind.BOOLEAN, 0, 0,
      "serve the SockJS bridge at /eventbus on the HTTP port"),
  BRIDGE_ALLOWED_ORIGIN("bridge.allowedOrigin", "PARALLAX_BRIDGE_ORIGIN", "--bridge-origin", Kind.TEXT, 0, 1_024,
      "the one web origin whose pages may use the SockJS bridge; empty = any origin"),
  BRIDGE_SOCKJS_IDLE_TIMEOUT_MS("bridge.sockjsIdleTimeoutMs", "PARALLAX_BRIDGE_SOCKJS_IDLE_TIMEOUT_MS",
      "--bridge-sockjs-idle-timeout", Kind.INTEGER, 1_000, 3_600_000,
      "a SockJS connection that sends nothing (not even a ping) for this long is closed"),
  BRIDGE_MAX_FRAME_BYTES("bridge.maxFrameBytes", "PARALLAX_BRIDGE_MAX_FRAME_BYTES", "--bridge-max-frame-bytes",
      Kind.INTEGER, 64, 64L * 1024 * 1024, "largest TCP bridge frame"),
  BRIDGE_MAX_CONNECTIONS("bridge.maxConnections", "PARALLAX_BRIDGE_MAX_CONNECTIONS", "--bridge-max-connections",
      Kind.INTEGER, 1, 1_000_000, "connections per bridge"),
  BRIDGE_MAX_IN_FLIGHT("bridge.maxInFlight", "PARALLAX_BRIDGE_MAX_IN_FLIGHT", "--bridge-max-in-flight", Kind.INTEGER,
      1, 100_000, "requests awaiting a reply per connection"),
  BRIDGE_MAX_REGISTRATIONS("bridge.maxRegistrations", "PARALLAX_BRIDGE_MAX_REGISTRATIONS",
      "--bridge-max-registrations", Kind.INTEGER, 1, 100_000, "registered addresses per connection"),
  SHUTDOWN_GRACE_MS("shutdown.graceMs", "PARALLAX_SHUTDOWN_GRACE_MS", "--shutdown-grace", Kind.INTEGER, 0,
      3_600_000, "how long a stopping node lets in-flight tasks finish");

  /** How a setting's value is written. */
  public enum Kind { INTEGER, COUNT_OR_AUTO, HOST, TEXT, BOOLEAN, PERMISSIONS }

  private final String key;
  private final String env;
  private final String flag;
  private final Kind kind;
  private final long min;
  private final long max;
  private final String description;

  Setting(String key, String env, String flag, Kind kind, long min, long max, String description) {
    this.key = key;
    this.env = env;
    this.flag = flag;
    this.kind = kind;
    this.min = min;
    this.max = max;
    this.description = description;
  }

  public String key() {
    return key;
  }

  public String env() {
    return env;
  }

  public String flag() {
    return flag;
  }

  public Kind kind() {
    return kind;
  }

  public long min() {
    return min;
  }

  public long max() {
    return max;
  }

  public String description() {
    return description;
  }
}
