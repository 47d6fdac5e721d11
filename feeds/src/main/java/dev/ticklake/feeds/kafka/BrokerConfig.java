package dev.ticklake.feeds.kafka;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The settings of {@link EmbeddedKafka}'s single combined node; see its class documentation. */
final class BrokerConfig {
  static final String BROKER_LISTENER = "BROKER";
  static final String CONTROLLER_LISTENER = "CONTROLLER";
  static final int NODE_ID = 1;

  private BrokerConfig() {}

  static Map<String, String> of(Path directory, int brokerPort, int controllerPort) {
    Map<String, String> props = new HashMap<>();
    props.put("process.roles", "broker,controller");
    props.put("node.id", String.valueOf(NODE_ID));
    props.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
    props.put(
        "listeners",
        BROKER_LISTENER
            + "://127.0.0.1:"
            + brokerPort
            + ","
            + CONTROLLER_LISTENER
            + "://127.0.0.1:"
            + controllerPort);
    props.put("advertised.listeners", BROKER_LISTENER + "://127.0.0.1:" + brokerPort);
    props.put(
        "listener.security.protocol.map",
        BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    props.put("inter.broker.listener.name", BROKER_LISTENER);
    props.put("controller.listener.names", CONTROLLER_LISTENER);
    props.put("log.dirs", directory.toString());
    // One node: internal topics cannot have more replicas than there are brokers.
    props.put("offsets.topic.replication.factor", "1");
    props.put("offsets.topic.num.partitions", "5");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("transaction.state.log.num.partitions", "5");
    // Without this the first consumer group waits 3 s for more members that never come.
    props.put("group.initial.rebalance.delay.ms", "0");
    props.put("num.partitions", "1");
    props.put("auto.create.topics.enable", "false");
    props.put("log.retention.hours", "168");
    props.put("log.segment.bytes", String.valueOf(64 * 1024 * 1024));
    props.put("message.max.bytes", String.valueOf(4 * 1024 * 1024));
    // Two cores shared with the rest of the JVM: few threads, small cleaner buffer (default 128
    // MiB).
    props.put("num.network.threads", "2");
    props.put("num.io.threads", "2");
    props.put("background.threads", "2");
    props.put("num.recovery.threads.per.data.dir", "1");
    props.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
    // The broker is unfenced on a heartbeat after it caught up: beat often so startup is quick.
    props.put("broker.heartbeat.interval.ms", "200");
    return props;
  }
}
