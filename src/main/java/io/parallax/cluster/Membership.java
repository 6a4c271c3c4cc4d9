package io.parallax.cluster;

import java.util.List;

/** Who is in the cluster: just this node when standalone, the Hazelcast members when clustered. */
public interface Membership {

  String self();

  /** Node ids of the current members, this node included. */
  List<String> members();

  boolean clustered();

  /** Whether this node is a working member (always, standalone). */
  default boolean healthy() {
    return true;
  }

  /** A standalone node is its own cluster of one. */
  static Membership standalone(String nodeId) {
    return new Membership() {
      @Override
      public String self() {
        return nodeId;
      }

      @Override
      public List<String> members() {
        return List.of(nodeId);
      }

      @Override
      public boolean clustered() {
        return false;
      }
    };
  }
}
