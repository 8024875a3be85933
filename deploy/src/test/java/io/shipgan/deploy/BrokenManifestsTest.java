package io.shipgan.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves the checks catch what they are for: each test breaks one thing in a copy of deploy/k8s and expects the
 * render, the schema reading or the deployment policy to report exactly that.
 */
class BrokenManifestsTest {

    @TempDir
    Path copy;

    @BeforeEach
    void copyManifests() throws IOException {
        Path source = Repository.kubernetes();
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path target = copy.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }

    @Test
    void theUnbrokenCopyPassesEveryCheck() {
        assertEquals(List.of(), policyViolations(Accelerator.CPU));
        assertEquals(List.of(), policyViolations(Accelerator.GPU));
    }

    @Test
    void reportsAResourceFileThatIsMissing() throws IOException {
        Files.delete(copy.resolve("base/generator/pdb.yaml"));

        DeploymentCheckException failure = assertThrows(DeploymentCheckException.class, () -> render(Accelerator.CPU));

        assertTrue(failure.getMessage().contains("cannot render"), failure.getMessage());
        assertTrue(failure.problems().get(0).contains("generator/pdb.yaml"), failure.getMessage());
    }

    @Test
    void rejectsAFieldTheKindDoesNotHave() {
        edit("base/generator/deployment.yaml", "          resources:\n            requests:\n              cpu: \"1\"",
                "          resource:\n            requests:\n              cpu: \"1\"");

        assertSchemaProblem(Accelerator.CPU, "Deployment/generator-service: at .spec.template.spec.containers[0]"
                + ".resource: Unrecognized field \"resource\"");
    }

    @Test
    void rejectsANumberWhereKubernetesWantsAString() {
        edit("base/gateway/deployment.yaml", "prometheus.io/port: \"8080\"", "prometheus.io/port: 8080");

        assertSchemaProblem(Accelerator.CPU, "Deployment/gateway: at .spec.template.metadata.annotations"
                + ".prometheus.io/port: Cannot coerce Integer value (8080) to `java.lang.String`");
    }

    @Test
    void rejectsAStrimziFieldTheKindDoesNotHave() {
        edit("base/kafka/topics.yaml", "  replicas: 3\n  config:\n    # Keep the newest",
                "  replica: 3\n  config:\n    # Keep the newest");

        assertSchemaProblem(Accelerator.CPU, "KafkaTopic/shipgan-checkpoints: at .spec.replica: Unrecognized field");
    }

    @Test
    void rejectsAStrimziPropertyThatIsNotInTheV1Api() {
        edit("base/kafka/users.yaml", "          patternType: literal\n        operations:\n          - Describe\n"
                + "          - Read\n", "          patternType: literal\n        operation: Read\n");

        assertSchemaProblem(Accelerator.CPU, "KafkaUser/generator-service: .spec.authorization.acls[0].operation is "
                + "not part of the v1 API");
    }

    @Test
    void rejectsAnAclOperationThatDoesNotExist() {
        edit("base/kafka/users.yaml", "          - Write\n          - Read\n", "          - Writ\n          - Read\n");

        assertSchemaProblem(Accelerator.CPU, "KafkaUser/trainer-service: at .spec.authorization.acls[0].operations[2]");
    }

    @Test
    void rejectsAKafkaListenerNameOutsideStrimzisPattern() {
        edit("base/kafka/kafka.yaml", "      - name: tls\n", "      - name: tls-clients\n");

        assertSchemaProblem(Accelerator.CPU, ".spec.kafka.listeners[0].name is 'tls-clients', which does not match");
    }

    @Test
    void reportsAGpuRequestInTheCpuOverlay() {
        write("overlays/cpu/gpu-request.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: generator-service
                spec:
                  template:
                    spec:
                      containers:
                        - name: generator-service
                          resources:
                            limits:
                              nvidia.com/gpu: "1"
                """);
        edit("overlays/cpu/kustomization.yaml", "images:", "patches:\n  - path: gpu-request.yaml\n\nimages:");

        assertViolation(Accelerator.CPU, "container generator-service: requests a GPU, which only the gpu overlay's "
                + "generators get");
    }

    @Test
    void reportsAGpuGeneratorThatDoesNotTolerateTheGpuTaint() {
        edit("overlays/gpu/generator-gpu.yaml", "      tolerations:\n        - key: nvidia.com/gpu\n",
                "      tolerations:\n        - key: dedicated\n");

        assertViolation(Accelerator.GPU,
                "Deployment/generator-service: needs a toleration for the nvidia.com/gpu taint");
    }

    @Test
    void reportsAGpuGeneratorWithoutItsGpu() {
        edit("overlays/gpu/generator-gpu.yaml", "              nvidia.com/gpu: \"1\"\n            limits:",
                "            limits:");

        assertViolation(Accelerator.GPU, "container generator-service: needs nvidia.com/gpu 1 in both requests and "
                + "limits");
    }

    @Test
    void reportsACheckpointTopicThatIsNotCompactedOrTooSmall() {
        edit("base/kafka/topics.yaml", "    cleanup.policy: compact\n", "    cleanup.policy: delete\n");
        edit("base/kafka/topics.yaml", "max.message.bytes: 16777216", "max.message.bytes: 1048576");

        List<String> violations = policyViolations(Accelerator.CPU);

        assertContains(violations, "shipgan.checkpoints: cleanup.policy must be compact");
        assertContains(violations, "shipgan.checkpoints: max.message.bytes must be 16777216");
    }

    @Test
    void reportsAGeneratorAllowedToWriteCheckpoints() {
        edit("base/kafka/users.yaml", "          - Describe\n          - Read\n        host: \"*\"\n      # Each",
                "          - Describe\n          - Read\n          - Write\n        host: \"*\"\n      # Each");

        assertViolation(Accelerator.CPU, "users that may change shipgan.checkpoints: [generator-service, "
                + "trainer-service]; only trainer-service may write checkpoints");
    }

    @Test
    void reportsAContainerWithoutLimits() {
        edit("base/gateway/deployment.yaml",
                "            limits:\n              cpu: \"1\"\n              memory: 768Mi\n", "");

        assertViolation(Accelerator.CPU, "Deployment/gateway container gateway: needs both a request and a limit "
                + "for cpu");
    }

    @Test
    void reportsAMissingReadinessProbe() {
        edit("base/trainer/statefulset.yaml", "          readinessProbe:\n            httpGet:\n"
                + "              path: /q/health/ready\n", "          livenessProbe:\n            httpGet:\n"
                + "              path: /q/health/ready\n");

        assertThrows(DeploymentCheckException.class, () -> render(Accelerator.CPU),
                "a second livenessProbe key is a duplicate the reader rejects");
        edit("base/trainer/statefulset.yaml", "          livenessProbe:\n            httpGet:\n"
                + "              path: /q/health/ready\n", "          startupProbe:\n            httpGet:\n"
                + "              path: /q/health/ready\n");
        List<String> violations = assertThrows(DeploymentCheckException.class, () -> render(Accelerator.CPU))
                .problems();
        assertContains(violations, "startupProbe");
    }

    @Test
    void reportsAServiceExposedBeyondTheIngress() {
        edit("base/generator/service.yaml", "  type: ClusterIP", "  type: LoadBalancer");

        assertViolation(Accelerator.CPU, "Service/generator-service: is of type LoadBalancer");
    }

    @Test
    void reportsAnIngressToAnythingButTheGateway() {
        edit("base/gateway/ingress.yaml", "                name: gateway\n", "                name: trainer-service\n");

        List<String> violations = policyViolations(Accelerator.CPU);

        assertContains(violations, "Ingresses lead to [trainer-service]; exactly the gateway must be exposed");
    }

    @Test
    void reportsTheGatewayHoldingKafkaCredentials() {
        edit("base/gateway/deployment.yaml", "          env:\n", """
                          env:
                            - name: KAFKA_SASL_JAAS_CONFIG
                              valueFrom:
                                secretKeyRef:
                                  name: trainer-service
                                  key: sasl.jaas.config
                """);

        assertViolation(Accelerator.CPU, "Deployment/gateway: has Kafka credentials or its CA but does not use Kafka");
    }

    @Test
    void reportsASecretThatNothingCreates() {
        edit("base/generator/deployment.yaml", "secretName: shipgan-cluster-ca-cert", "secretName: shipgan-ca-cert");

        assertViolation(Accelerator.CPU, "Deployment/generator-service volume kafka-ca: Secret shipgan-ca-cert does "
                + "not exist");
    }

    @Test
    void reportsAModelCacheOnTheReadOnlyRootFilesystem() {
        edit("base/generator/deployment.yaml",
                "            - name: models\n              mountPath: /var/lib/shipgan/models\n", "");

        assertViolation(Accelerator.CPU, "Deployment/generator-service container generator-service: "
                + "SHIPGAN_GENERATOR_CACHE_DIR=/var/lib/shipgan/models is on the read-only root filesystem");
    }

    @Test
    void reportsAGeneratorRolloutThatDropsCapacity() {
        edit("base/generator/deployment.yaml", "      maxUnavailable: 0\n", "      maxUnavailable: 1\n");

        assertViolation(Accelerator.CPU, "rollouts must keep capacity");
    }

    private Rendered render(Accelerator accelerator) {
        return Rendered.kustomization(copy.resolve("overlays").resolve(accelerator.overlay()));
    }

    private List<String> policyViolations(Accelerator accelerator) {
        return DeploymentPolicy.violations(render(accelerator), accelerator);
    }

    private void assertSchemaProblem(Accelerator accelerator, String expected) {
        DeploymentCheckException failure = assertThrows(DeploymentCheckException.class, () -> render(accelerator));
        assertContains(failure.problems(), expected);
    }

    private void assertViolation(Accelerator accelerator, String expected) {
        assertContains(policyViolations(accelerator), expected);
    }

    private static void assertContains(List<String> problems, String expected) {
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected)),
                "expected a problem containing <" + expected + "> in " + problems);
    }

    private void write(String file, String content) {
        try {
            Files.writeString(copy.resolve(file), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replaces text in one file of the copy; the text must be there, so a test cannot pass by editing nothing. */
    private void edit(String file, String text, String replacement) {
        Path path = copy.resolve(file);
        try {
            String content = Files.readString(path);
            assertTrue(content.contains(text), file + " no longer contains <" + text + ">");
            Files.writeString(path, content.replace(text, replacement));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
