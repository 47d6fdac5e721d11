package dev.ticklake.orchestrator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The example manifests of {@code deploy/kubernetes/} are valid against the schemas of their kinds
 * ({@link KubernetesSchemas}), and a broken copy is not.
 */
class KubernetesManifestsTest {
  // Surefire runs in the module's folder; the manifests live at the repository's root.
  private static final Path MANIFESTS = Path.of("..", "deploy", "kubernetes");
  private static KubernetesSchemas schemas;

  @BeforeAll
  static void loadSchemas() throws Exception {
    schemas = new KubernetesSchemas(MANIFESTS.resolve("schemas/core-kinds.json"));
  }

  @Test
  void everyExampleManifestIsValid() throws Exception {
    List<String> kinds = new ArrayList<>();
    try (Stream<Path> files = Files.list(MANIFESTS)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        for (JsonNode doc : KubernetesSchemas.documents(file)) {
          kinds.add(doc.path("kind").asText());
          assertThat(schemas.errors(doc))
              .as(
                  "%s: %s %s",
                  file.getFileName(), doc.path("kind").asText(), doc.at("/metadata/name"))
              .isEmpty();
        }
      }
    }
    assertThat(kinds)
        .containsExactlyInAnyOrder(
            "FlinkDeployment",
            "Deployment",
            "Service",
            "StatefulSet",
            "Service",
            "ConfigMap",
            "Secret");
  }

  @Test
  void aBrokenCopyFailsWithEveryMistakeNamed() throws Exception {
    Path broken = Path.of(getClass().getResource("/deploy/broken-manifests.yaml").toURI());
    List<JsonNode> docs = KubernetesSchemas.documents(broken);
    assertThat(docs).hasSize(4);

    assertThat(String.join("\n", schemas.errors(docs.get(0)))) // FlinkDeployment
        .contains("/spec/mode")
        .contains("/spec/flinkConfiguration/taskmanager.numberOfTaskSlots")
        .contains("/spec/taskManager/replicas")
        .contains("paralellism");
    assertThat(String.join("\n", schemas.errors(docs.get(1)))) // Deployment
        .contains("/spec/replicas")
        .contains("/spec/template/spec/containers/0")
        .contains("imagePullPolicies");
    assertThat(String.join("\n", schemas.errors(docs.get(2)))) // Service
        .contains("/spec/ports/0/port")
        .contains("/spec/type");
    assertThat(schemas.errors(docs.get(3)))
        .singleElement()
        .asString()
        .startsWith("no schema for networking.k8s.io/v1 Ingress");
  }

  @Test
  void theCrdComesFromTheOperatorJar() throws URISyntaxException {
    assertThat(KubernetesSchemas.class.getResource(KubernetesSchemas.CRD).toURI().toString())
        .contains("flink-kubernetes-operator-api-1.10.0.jar");
  }
}
