package dev.ticklake.orchestrator.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * JSON schemas of the kinds in {@code deploy/kubernetes/} (see {@code
 * deploy/kubernetes/schemas/README.md}): the {@code FlinkDeployment} CRD's {@code openAPIV3Schema}
 * from the Flink operator's API jar, ObjectMeta, PodTemplateSpec and PersistentVolumeClaimSpec from
 * the same CRD, the core kinds from {@code core-kinds.json}; all made strict (an object schema that
 * lists properties rejects others, as {@code kubectl --validate=strict}).
 */
final class KubernetesSchemas {
  static final String CRD = "/META-INF/fabric8/flinkdeployments.flink.apache.org-v1.yml";
  private static final String URI = "https://ticklake.dev/deploy/kubernetes-schemas.json";
  private static final String POD_TEMPLATE = "/properties/spec/properties/podTemplate";
  private static final String PVC_SPEC =
      POD_TEMPLATE
          + "/properties/spec/properties/volumes/items/properties/ephemeral/properties"
          + "/volumeClaimTemplate/properties/spec";
  private static final Map<String, String> KINDS =
      Map.of(
          "flink.apache.org/v1beta1 FlinkDeployment", "FlinkDeployment",
          "v1 ConfigMap", "ConfigMap",
          "v1 Secret", "Secret",
          "v1 Service", "Service",
          "apps/v1 Deployment", "Deployment",
          "apps/v1 StatefulSet", "StatefulSet");

  private final SchemaRegistry registry;

  KubernetesSchemas(Path coreKinds) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode doc = (ObjectNode) json.readTree(Files.readString(coreKinds));
    ObjectNode definitions = (ObjectNode) doc.get("definitions");
    ObjectNode flink = flinkDeployment();
    definitions.set("ObjectMeta", flink.at(POD_TEMPLATE + "/properties/metadata").deepCopy());
    definitions.set("PodTemplateSpec", podTemplateSpec(flink));
    definitions.set("PersistentVolumeClaimSpec", flink.at(PVC_SPEC).deepCopy());
    definitions.set("FlinkDeployment", flink);
    strict(doc);
    String text = json.writeValueAsString(doc);
    this.registry =
        SchemaRegistry.withDefaultDialect(
            Dialects.getOpenApi30(), b -> b.schemas(Map.of(URI, text)));
  }

  /** The CRD's schema with the fields every object has (the API server adds them to a CRD's). */
  private static ObjectNode flinkDeployment() throws IOException {
    try (InputStream in = KubernetesSchemas.class.getResourceAsStream(CRD)) {
      if (in == null) {
        throw new IllegalStateException(
            CRD + " not on the class path (flink-kubernetes-operator-api)");
      }
      JsonNode crd = new YAMLMapper().readTree(in);
      ObjectNode schema = (ObjectNode) crd.at("/spec/versions/0/schema/openAPIV3Schema").deepCopy();
      ObjectNode props = (ObjectNode) schema.get("properties");
      props
          .putObject("apiVersion")
          .put("type", "string")
          .putArray("enum")
          .add("flink.apache.org/v1beta1");
      props.putObject("kind").put("type", "string").putArray("enum").add("FlinkDeployment");
      props.putObject("metadata").put("$ref", "#/definitions/ObjectMeta");
      schema.putArray("required").add("apiVersion").add("kind").add("metadata").add("spec");
      return schema;
    }
  }

  /** A pod template: the CRD's pod schema without apiVersion, kind and status. */
  private static ObjectNode podTemplateSpec(ObjectNode flink) {
    ObjectNode pod = flink.at(POD_TEMPLATE).deepCopy();
    ((ObjectNode) pod.get("properties")).remove(List.of("apiVersion", "kind", "status"));
    return pod;
  }

  /** Every object schema that lists properties and says nothing of others rejects them. */
  private static void strict(JsonNode node) {
    if (node.isObject()) {
      ObjectNode o = (ObjectNode) node;
      if (o.has("properties") && o.get("properties").isObject() && !o.has("additionalProperties")) {
        o.put("additionalProperties", false);
      }
    }
    for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
      strict(it.next());
    }
  }

  /**
   * The violations of one manifest document, as {@code "<instance path>: <message>"}; one entry
   * when its apiVersion and kind have no schema here.
   */
  List<String> errors(JsonNode manifest) {
    String key = manifest.path("apiVersion").asText() + " " + manifest.path("kind").asText();
    String definition = KINDS.get(key);
    if (definition == null) {
      return List.of("no schema for " + key + " (known: " + KINDS.keySet() + ")");
    }
    return registry
        .getSchema(SchemaLocation.of(URI + "#/definitions/" + definition))
        .validate(manifest)
        .stream()
        .map(Error::toString)
        .toList();
  }

  /** The documents of a multi-document YAML file, empty ones skipped. */
  static List<JsonNode> documents(Path file) {
    try {
      return new YAMLMapper()
          .readerFor(JsonNode.class).<JsonNode>readValues(Files.readString(file)).readAll().stream()
              .filter(d -> d != null && !d.isNull() && !d.isMissingNode())
              .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": " + e.getMessage(), e);
    }
  }
}
