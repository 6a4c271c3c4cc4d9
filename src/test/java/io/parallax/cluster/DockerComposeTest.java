package io.parallax.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallax.config.Setting;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** No Docker engine runs here: the compose file is parsed and checked for what can be checked. */
@DisplayName("docker-compose.yml")
class DockerComposeTest {

  private static Map<String, Map<String, Object>> services;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void parse() throws Exception {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(50);
    try (Reader reader = Files.newBufferedReader(Path.of("docker-compose.yml"))) {
      Map<String, Object> compose = new Yaml(options).load(reader);
      services = (Map<String, Map<String, Object>>) compose.get("services");
    }
  }

  @Test
  @DisplayName("runs three nodes of the built jar on a stock JRE 17 image, with conf/ mounted")
  void threeNodesFromTheJar() {
    assertThat(services).containsOnlyKeys("node1", "node2", "node3");
    services.forEach((name, service) -> {
      assertThat(service.get("image")).as(name).isEqualTo("eclipse-temurin:17-jre");
      assertThat((List<String>) service.get("volumes")).as(name)
          .contains("./target/parallax.jar:/app/parallax.jar:ro", "./conf:/app/conf:ro");
      List<String> command = (List<String>) service.get("command");
      assertThat(command).as(name).startsWith("java").contains("-jar", "/app/parallax.jar");
      assertThat(Path.of("conf", "cluster.xml")).exists();
    });
  }

  @Test
  @DisplayName("joins by TCP-IP through the service names, each node naming itself as its public host")
  void membersAreConsistent() {
    Set<String> expectedMembers = new HashSet<>();
    services.keySet().forEach(name -> expectedMembers.add(name + ":5701"));
    services.forEach((name, service) -> {
      Map<String, Object> env = environment(service);
      assertThat(env.get("PARALLAX_CLUSTER")).as(name).isEqualTo("true");
      assertThat(Set.copyOf(Arrays.asList(env.get("PARALLAX_CLUSTER_MEMBERS").toString().split(","))))
          .as(name).isEqualTo(expectedMembers);
      assertThat(env.get("PARALLAX_CLUSTER_HOST")).as(name).isEqualTo(name);
      assertThat(env.get("PARALLAX_CLUSTER_PUBLIC_HOST")).as(name).isEqualTo(name);
      assertThat(service.get("hostname")).as(name).isEqualTo(name);
      assertThat(env.get("PARALLAX_HTTP_HOST")).as(name).isEqualTo("0.0.0.0");
    });
  }

  @Test
  @DisplayName("uses only environment variables Parallax knows")
  void knownEnvironment() {
    Set<String> known = new HashSet<>();
    for (Setting setting : Setting.values()) {
      known.add(setting.env());
    }
    services.forEach((name, service) -> assertThat(known).as(name).containsAll(environment(service).keySet()));
  }

  @Test
  @DisplayName("publishes each node's HTTP port on a host port of its own and checks /ready")
  void portsAndHealth() {
    Set<String> hostPorts = new HashSet<>();
    services.forEach((name, service) -> {
      List<String> ports = (List<String>) service.get("ports");
      assertThat(ports).as(name).hasSize(1);
      String[] mapping = ports.get(0).split(":");
      assertThat(mapping[1]).as(name).isEqualTo("8080");
      hostPorts.add(mapping[0]);
      Map<String, Object> health = (Map<String, Object>) service.get("healthcheck");
      assertThat(String.join(" ", (List<String>) health.get("test"))).as(name).contains("/ready", "8080");
    });
    assertThat(hostPorts).hasSize(3);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> environment(Map<String, Object> service) {
    return (Map<String, Object>) service.get("environment");
  }
}
