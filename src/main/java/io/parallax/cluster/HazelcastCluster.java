package io.parallax.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.XmlConfigBuilder;
import com.hazelcast.core.HazelcastInstance;
import io.parallax.bus.Addresses;
import io.parallax.config.ConfigException;
import io.parallax.config.ParallaxConfig.ClusterSettings;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything Hazelcast: builds its configuration from {@code conf/cluster.xml} and Parallax's cluster
 * settings, and turns its membership events into {@code parallax.internal.cluster.left} on this node.
 */
public final class HazelcastCluster implements Membership {

  private static final Logger LOG = LoggerFactory.getLogger(HazelcastCluster.class);
  static final Path LOCAL_CONFIG = Path.of("conf", "cluster.xml");
  static final String BUILT_IN_CONFIG = "/conf/cluster.xml";
  /** The member attribute where Vert.x's cluster manager keeps the node id. */
  private static final String VERTX_NODE_ID = "__vertx.nodeId";

  /** How long membership must stay still after a departure before jobs are taken over. */
  private static final long SETTLE_MILLIS = 2_000;

  private final HazelcastClusterManager manager;
  private final ClusterSettings settings;
  private final java.util.List<String> departed = new java.util.ArrayList<>();
  private int membersBeforeDepartures;
  private long settleTimer = -1;

  public HazelcastCluster(ClusterSettings settings) {
    this.settings = settings;
    this.manager = new HazelcastClusterManager(hazelcastConfig(settings));
    ensureMemberPortFree(settings);
  }

  /**
   * Hazelcast reports a taken port with pages of stack traces from several threads; checking first lets the
   * node say it in one line.
   */
  private static void ensureMemberPortFree(ClusterSettings settings) {
    try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(settings.host(), settings.memberPort()));
    } catch (IOException taken) {
      throw new IllegalStateException("the cluster member port " + settings.host() + ":" + settings.memberPort()
          + " is not available (" + taken.getMessage() + ")");
    }
  }

  public HazelcastClusterManager manager() {
    return manager;
  }

  /** Where the event bus listens and what it tells other nodes. */
  public EventBusOptions eventBusOptions() {
    EventBusOptions options = new EventBusOptions().setHost(settings.host()).setPort(settings.eventBusPort());
    if (!settings.publicHost().isEmpty()) {
      options.setClusterPublicHost(settings.publicHost());
    }
    if (settings.publicPort() > 0) {
      options.setClusterPublicPort(settings.publicPort());
    }
    return options;
  }

  /** Starts relaying membership events to this node's event bus, and reports which members were not reached. */
  public void watch(Vertx vertx) {
    HazelcastInstance hazelcast = manager.getHazelcastInstance();
    hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        LOG.info("Cluster member joined: {} at {}", nodeIdOf(event.getMember()), event.getMember().getAddress());
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        String node = nodeIdOf(event.getMember());
        LOG.warn("Cluster member left: {} at {}", node, event.getMember().getAddress());
        vertx.eventBus().publish(Addresses.CLUSTER_MEMBER_LEFT, new JsonObject().put("node", node),
            new DeliveryOptions().setLocalOnly(true));
        departure(vertx, node, event.getMembers().size());
      }
    });
    reportUnreachedMembers(hazelcast.getCluster().getMembers());
  }

  /**
   * Collects departures until membership is still for a moment, then lets this side take over the departed
   * nodes' jobs only if it kept at least half of the members: in a network partition the minority side must
   * not run the same jobs as the majority.
   */
  private synchronized void departure(Vertx vertx, String node, int membersNow) {
    if (departed.isEmpty()) {
      membersBeforeDepartures = membersNow + 1;
    }
    departed.add(node);
    if (settleTimer >= 0) {
      vertx.cancelTimer(settleTimer);
    }
    settleTimer = vertx.setTimer(SETTLE_MILLIS, id -> settled(vertx));
  }

  private synchronized void settled(Vertx vertx) {
    int now = manager.getNodes().size();
    if (2 * now >= membersBeforeDepartures) {
      vertx.eventBus().publish(Addresses.CLUSTER_ORPHANS, new JsonObject().put("nodes", new io.vertx.core.json.JsonArray(
          new java.util.ArrayList<>(departed))), new DeliveryOptions().setLocalOnly(true));
    } else {
      LOG.warn("This side of the cluster kept {} of {} members: leaving the departed nodes' jobs to the majority",
          now, membersBeforeDepartures);
    }
    departed.clear();
    settleTimer = -1;
  }

  private static String nodeIdOf(Member member) {
    String nodeId = member.getAttribute(VERTX_NODE_ID);
    return nodeId != null ? nodeId : member.getUuid().toString();
  }

  private void reportUnreachedMembers(Set<Member> members) {
    Set<String> reached = members.stream()
        .flatMap(member -> {
          try {
            return java.util.stream.Stream.of(member.getAddress().getHost() + ":" + member.getAddress().getPort(),
                member.getAddress().getInetAddress().getHostAddress() + ":" + member.getAddress().getPort());
          } catch (java.net.UnknownHostException unresolved) {
            return java.util.stream.Stream.of(member.getAddress().getHost() + ":" + member.getAddress().getPort());
          }
        })
        .collect(Collectors.toSet());
    List<String> unreached = settings.members().stream()
        .filter(member -> !reached.contains(withPort(member)) && !reached.contains(resolved(member)))
        .toList();
    LOG.info("Cluster '{}' has {} member(s){}", settings.name(), members.size(),
        unreached.isEmpty() ? "" : "; not joined: " + String.join(", ", unreached) + " (unreachable so far: merges"
            + " when they appear; or running another cluster name: never joins, as Hazelcast's warning then says)");
  }

  private static String withPort(String member) {
    return member.contains(":") ? member : member + ":5701";
  }

  private static String resolved(String member) {
    String[] hostAndPort = withPort(member).split(":");
    InetSocketAddress address = new InetSocketAddress(hostAndPort[0], Integer.parseInt(hostAndPort[1]));
    return address.isUnresolved() ? withPort(member)
        : address.getAddress().getHostAddress() + ":" + address.getPort();
  }

  @Override
  public String self() {
    return manager.getNodeId();
  }

  @Override
  public List<String> members() {
    return manager.getNodes();
  }

  @Override
  public boolean clustered() {
    return true;
  }

  @Override
  public boolean healthy() {
    HazelcastInstance hazelcast = manager.getHazelcastInstance();
    return hazelcast != null && hazelcast.getLifecycleService().isRunning();
  }

  static Config hazelcastConfig(ClusterSettings settings) {
    Config config;
    try (InputStream xml = openConfig(settings)) {
      config = new XmlConfigBuilder(xml).build();
    } catch (IOException e) {
      throw new ConfigException("cannot read the cluster configuration: " + e.getMessage());
    } catch (RuntimeException invalid) {
      throw new ConfigException("the cluster configuration is not valid Hazelcast XML: " + invalid.getMessage());
    }
    config.setClusterName(settings.name());
    config.getNetworkConfig().setPort(settings.memberPort()).setPortAutoIncrement(false);
    if (!settings.publicHost().isEmpty()) {
      config.getNetworkConfig().setPublicAddress(settings.publicHost() + ":" + settings.memberPort());
    }
    // Bind only where the settings say: Hazelcast would otherwise listen on every interface.
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.getNetworkConfig().getInterfaces().setEnabled(false);
    config.setProperty("hazelcast.local.localAddress", settings.host());
    JoinConfig join = config.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(settings.members());
    return config;
  }

  private static InputStream openConfig(ClusterSettings settings) throws IOException {
    if (!settings.configFile().isEmpty()) {
      return Files.newInputStream(Path.of(settings.configFile()));
    }
    if (Files.isRegularFile(LOCAL_CONFIG)) {
      return Files.newInputStream(LOCAL_CONFIG);
    }
    InputStream builtIn = HazelcastCluster.class.getResourceAsStream(BUILT_IN_CONFIG);
    if (builtIn == null) {
      throw new IOException("the built-in " + BUILT_IN_CONFIG + " is missing from the jar");
    }
    return builtIn;
  }
}
