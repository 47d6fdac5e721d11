package dev.ticklake.orchestrator.cli;

import dev.ticklake.orchestrator.TickLakeConfiguration;
import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.jetty.ConnectorFactory;
import io.dropwizard.jetty.HttpConnectorFactory;
import java.util.ArrayList;
import java.util.List;

/** The ports {@code server} and {@code demo} listen on, each with the setting that moves it. */
final class ServicePorts {

  private ServicePorts() {}

  static List<StartupFailure.Port> of(TickLakeConfiguration configuration) {
    List<StartupFailure.Port> ports = new ArrayList<>();
    if (configuration.getServerFactory() instanceof DefaultServerFactory server) {
      add(
          ports,
          "API",
          "applicationConnectors",
          "TICKLAKE_HTTP_PORT",
          server.getApplicationConnectors());
      add(
          ports,
          "admin port",
          "adminConnectors",
          "TICKLAKE_ADMIN_PORT",
          server.getAdminConnectors());
    }
    if (configuration.isDemoMode()) {
      ports.add(
          new StartupFailure.Port(
              "demo's Kafka broker",
              "127.0.0.1",
              configuration.getDemo().kafkaPort,
              "demo.kafkaPort",
              "TICKLAKE_DEMO_KAFKA_PORT"));
    }
    return ports;
  }

  private static void add(
      List<StartupFailure.Port> ports,
      String what,
      String list,
      String firstEnvironment,
      List<ConnectorFactory> connectors) {
    for (int i = 0; i < connectors.size(); i++) {
      if (connectors.get(i) instanceof HttpConnectorFactory http) {
        String setting = "server." + list + "[" + i + "].port";
        ports.add(
            new StartupFailure.Port(
                what,
                http.getBindHost(),
                http.getPort(),
                setting,
                i == 0 ? firstEnvironment : setting));
      }
    }
  }
}
