package org.ccbridge.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.ccbridge.broker.BrokerTopology;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The Kubernetes manifests in deploy/kubernetes, parsed and checked where a mistake would only
 * show in a cluster: probes on the health groups the service has, the environment the prod
 * profile reads, resources, the routes mount, the scaling triggers on the queues the workers
 * drain. No schema validator installs here without a cluster's network, so this test is the check.
 */
class KubernetesManifestsTests {

    private static final Path DIR = Path.of("deploy/kubernetes");
    private static final List<Map<String, Object>> DOCUMENTS = new ArrayList<>();

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws IOException {
        Map<String, Object> kustomization = new Yaml().load(Files.readString(DIR.resolve("kustomization.yaml")));
        for (String resource : (List<String>) kustomization.get("resources")) {
            for (Object document : new Yaml().loadAll(Files.readString(DIR.resolve(resource)))) {
                DOCUMENTS.add((Map<String, Object>) document);
            }
        }
    }

    @Test
    void everyDocumentNamesItsKindAndItself() {
        assertThat(DOCUMENTS).extracting(document -> document.get("kind")).contains("Deployment", "Service",
                "PodDisruptionBudget", "ScaledObject", "TriggerAuthentication");
        assertThat(DOCUMENTS).allSatisfy(document -> {
            assertThat(document.get("apiVersion")).isNotNull();
            assertThat(at(document, "metadata", "name")).isNotNull();
        });
    }

    @Test
    void probesAskTheHealthGroupsOnTheContainersPort() {
        Map<String, Object> container = container();
        assertThat(at(container, "readinessProbe", "httpGet", "path")).isEqualTo("/actuator/health/readiness");
        assertThat(at(container, "livenessProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
        assertThat(at(container, "startupProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
        assertThat(at(container, "readinessProbe", "httpGet", "port")).isEqualTo("http");
        assertThat(list(container, "ports")).anySatisfy(port -> {
            assertThat(port.get("name")).isEqualTo("http");
            assertThat(port.get("containerPort")).isEqualTo(8080);
        });
    }

    @Test
    void resourcesAreRequestedAndLimited() {
        Map<String, Object> container = container();
        for (String bound : List.of("requests", "limits")) {
            assertThat(at(container, "resources", bound, "cpu")).as(bound + " cpu").isNotNull();
            assertThat(at(container, "resources", bound, "memory")).as(bound + " memory").isNotNull();
        }
    }

    @Test
    void theEnvironmentIsWhatTheProdProfileReadsAndSecretsComeFromTheSecret() throws IOException {
        String prodProfile = Files.readString(Path.of("src/main/resources/application-prod.yml"));
        for (Map<String, Object> variable : list(container(), "env")) {
            String name = (String) variable.get("name");
            if (!name.startsWith("CCBRIDGE_") && !name.startsWith("SPRING_")) {
                assertThat(prodProfile).as("application-prod.yml reads %s", name).contains("${" + name + ":");
            }
            if (variable.containsKey("valueFrom")) {
                assertThat(at(variable, "valueFrom", "secretKeyRef", "name")).isEqualTo("ccbridge-secrets");
            }
        }
        assertThat(list(container(), "env")).anySatisfy(variable -> {
            assertThat(variable.get("name")).isEqualTo("SPRING_PROFILES_ACTIVE");
            assertThat(variable.get("value")).isEqualTo("prod");
        });
    }

    @Test
    void theRoutesConfigMapIsMountedWhereTheServiceLooksForRoutes() {
        String routesDir = list(container(), "env").stream().filter(v -> "CCBRIDGE_ROUTESDIR".equals(v.get("name")))
                .map(v -> (String) v.get("value")).findFirst().orElseThrow();
        assertThat(list(container(), "volumeMounts")).anySatisfy(mount -> {
            assertThat(mount.get("name")).isEqualTo("routes");
            assertThat(mount.get("mountPath")).isEqualTo(routesDir);
        });
        assertThat(list(podSpec(), "volumes")).anySatisfy(volume -> {
            assertThat(volume.get("name")).isEqualTo("routes");
            assertThat(at(volume, "configMap", "name")).isEqualTo("ccbridge-routes");
        });
    }

    @Test
    void kedaScalesTheDeploymentOnTheDepthOfEveryLaneAndOnThePublishRate() {
        Map<String, Object> scaled = kind("ScaledObject");
        assertThat(at(scaled, "spec", "scaleTargetRef", "name")).isEqualTo(at(kind("Deployment"), "metadata", "name"));
        List<Map<String, Object>> triggers = list(scaled, "spec", "triggers");
        for (String queue : List.of(BrokerTopology.VOICE_QUEUE, BrokerTopology.DIGITAL_QUEUE, BrokerTopology.CRM_QUEUE)) {
            assertThat(triggers).as("depth trigger on %s", queue).anySatisfy(trigger -> {
                assertThat(trigger.get("type")).isEqualTo("rabbitmq");
                assertThat(at(trigger, "metadata", "queueName")).isEqualTo(queue);
                assertThat(at(trigger, "metadata", "mode")).isEqualTo("QueueLength");
            });
        }
        assertThat(triggers).anySatisfy(trigger -> assertThat(at(trigger, "metadata", "mode")).isEqualTo("MessageRate"));
        assertThat(triggers).allSatisfy(trigger ->
                assertThat(at(trigger, "authenticationRef", "name")).isEqualTo(at(kind("TriggerAuthentication"), "metadata", "name")));
    }

    @Test
    void aDrainKeepsOnePodAndTheServiceAndBudgetSelectThePods() {
        Object labels = at(kind("Deployment"), "spec", "template", "metadata", "labels");
        assertThat(at(kind("Deployment"), "spec", "selector", "matchLabels")).isEqualTo(labels);
        assertThat(at(kind("PodDisruptionBudget"), "spec", "selector", "matchLabels")).isEqualTo(labels);
        assertThat(at(kind("Service"), "spec", "selector")).isEqualTo(labels);
        int floor = (Integer) at(kind("ScaledObject"), "spec", "minReplicaCount");
        int minAvailable = (Integer) at(kind("PodDisruptionBudget"), "spec", "minAvailable");
        assertThat(floor).as("replicas above the budget's floor, or no node could be drained").isGreaterThan(minAvailable);
    }

    private static Map<String, Object> kind(String kind) {
        return DOCUMENTS.stream().filter(document -> kind.equals(document.get("kind"))).findFirst().orElseThrow();
    }

    private static Map<String, Object> podSpec() {
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) at(kind("Deployment"), "spec", "template", "spec");
        return spec;
    }

    private static Map<String, Object> container() {
        return list(podSpec(), "containers").get(0);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> node, String... path) {
        return (List<Map<String, Object>>) at(node, path);
    }

    @SuppressWarnings("unchecked")
    private static Object at(Map<String, Object> node, String... path) {
        Object current = node;
        for (String key : path) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = ((Map<String, Object>) map).get(key);
        }
        return current;
    }
}
