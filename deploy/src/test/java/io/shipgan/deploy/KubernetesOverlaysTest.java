package io.shipgan.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.nodepool.ProcessRoles;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.acl.AclOperation;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Renders the cpu and gpu overlays with kustomize, reads every object into the Kubernetes and Strimzi models
 * strictly, and checks the deployment policy and the values that matter most.
 */
class KubernetesOverlaysTest {

    private static final Map<Accelerator, Rendered> OVERLAYS = new EnumMap<>(Accelerator.class);

    @BeforeAll
    static void renderOverlays() {
        for (Accelerator accelerator : Accelerator.values()) {
            OVERLAYS.put(accelerator, Rendered.overlay(accelerator.overlay()));
        }
    }

    @ParameterizedTest
    @EnumSource(Accelerator.class)
    void rendersEveryKindShipganDeploys(Accelerator accelerator) {
        Set<String> kinds = OVERLAYS.get(accelerator).resources().stream().map(HasMetadata::getKind)
                .collect(Collectors.toSet());

        assertEquals(Set.of("Namespace", "ConfigMap", "Secret", "Service", "PersistentVolumeClaim", "Deployment",
                "StatefulSet", "HorizontalPodAutoscaler", "PodDisruptionBudget", "Ingress", "NetworkPolicy",
                "Kafka", "KafkaNodePool", "KafkaTopic", "KafkaUser"), kinds);
        assertTrue(OVERLAYS.get(accelerator).resources().stream()
                .filter(r -> !r.getKind().equals("Namespace"))
                .allMatch(r -> "shipgan".equals(r.getMetadata().getNamespace())), "everything in namespace shipgan");
    }

    @ParameterizedTest
    @EnumSource(Accelerator.class)
    void meetsTheDeploymentPolicy(Accelerator accelerator) {
        List<String> violations = DeploymentPolicy.violations(OVERLAYS.get(accelerator), accelerator);

        assertEquals(List.of(), violations);
    }

    @ParameterizedTest
    @EnumSource(Accelerator.class)
    void checkpointTopicIsCompactedAndSizedFor16MiBRecords(Accelerator accelerator) {
        KafkaTopic topic = KafkaRules.topics(OVERLAYS.get(accelerator)).get("shipgan.checkpoints");

        assertEquals("compact", topic.getSpec().getConfig().get("cleanup.policy"));
        assertEquals(16777216, topic.getSpec().getConfig().get("max.message.bytes"));
        assertEquals(3, topic.getSpec().getReplicas());
        assertEquals(2, topic.getSpec().getConfig().get("min.insync.replicas"));
        assertEquals("delete", KafkaRules.topics(OVERLAYS.get(accelerator)).get("shipgan.rollout-events")
                .getSpec().getConfig().get("cleanup.policy"));
    }

    @ParameterizedTest
    @EnumSource(Accelerator.class)
    void kafkaRunsKraftWithControllerAndBrokerPools(Accelerator accelerator) {
        Rendered rendered = OVERLAYS.get(accelerator);
        Kafka kafka = rendered.get(Kafka.class, "shipgan");

        assertEquals(List.of(ProcessRoles.CONTROLLER),
                rendered.get(KafkaNodePool.class, "controller").getSpec().getRoles());
        assertEquals(List.of(ProcessRoles.BROKER), rendered.get(KafkaNodePool.class, "broker").getSpec().getRoles());
        assertEquals("simple", kafka.getSpec().getKafka().getAuthorization().getType());
        assertEquals("scram-sha-512", kafka.getSpec().getKafka().getListeners().get(0).getAuth().getType());
    }

    @ParameterizedTest
    @EnumSource(Accelerator.class)
    void onlyTheTrainerMayWriteCheckpointsAndGeneratorsOnlyRead(Accelerator accelerator) {
        Rendered rendered = OVERLAYS.get(accelerator);
        KafkaUser trainer = rendered.get(KafkaUser.class, "trainer-service");
        KafkaUser generator = rendered.get(KafkaUser.class, "generator-service");

        assertTrue(KafkaRules.operationsOn(trainer, "shipgan.checkpoints").contains(AclOperation.WRITE));
        assertEquals(Set.of(AclOperation.READ, AclOperation.DESCRIBE),
                KafkaRules.operationsOn(generator, "shipgan.checkpoints"));
        assertEquals(Set.of(), KafkaRules.operationsOn(trainer, "shipgan.rollout-events"));
        assertEquals(Set.of("trainer-service", "generator-service"), rendered.all(KafkaUser.class).stream()
                .map(u -> u.getMetadata().getName()).collect(Collectors.toSet()), "the gateway has no Kafka user");
    }

    @ParameterizedTest
    @EnumSource(Accelerator.class)
    void onlyTheGatewayIsExposed(Accelerator accelerator) {
        Rendered rendered = OVERLAYS.get(accelerator);

        assertEquals(Set.of("gateway"), ExposureRules.exposedWorkloads(rendered));
        assertEquals(List.of("gateway"), rendered.all(Ingress.class).stream().map(i -> i.getMetadata().getName())
                .toList());
        assertTrue(rendered.all(Service.class).stream().allMatch(s -> "ClusterIP".equals(s.getSpec().getType())));
    }

    @Test
    void gpuOverlayGivesEachGeneratorOneGpuOnGpuNodes() {
        Workload generator = OVERLAYS.get(Accelerator.GPU).workload("generator-service");
        Container container = generator.container("generator-service");

        assertEquals(new Quantity("1"), container.getResources().getRequests().get("nvidia.com/gpu"));
        assertEquals(new Quantity("1"), container.getResources().getLimits().get("nvidia.com/gpu"));
        assertEquals("true", generator.pod().getNodeSelector().get("nvidia.com/gpu.present"));
        assertEquals("nvidia.com/gpu", generator.pod().getTolerations().get(0).getKey());
        assertEquals("shipgan/generator-service:0.1.0-gpu", container.getImage());
        assertEquals("cuda", Workload.env(container, "SHIPGAN_GENERATOR_DEVICE"));
    }

    @Test
    void cpuOverlayRequestsNoGpuAnywhere() {
        Rendered rendered = OVERLAYS.get(Accelerator.CPU);

        for (Workload workload : rendered.workloads()) {
            for (Container container : workload.containers()) {
                assertFalse(container.getResources().getRequests().containsKey("nvidia.com/gpu"), workload.where());
                assertFalse(container.getResources().getLimits().containsKey("nvidia.com/gpu"), workload.where());
            }
            assertTrue(workload.pod().getTolerations() == null || workload.pod().getTolerations().isEmpty(),
                    workload.where());
        }
        assertEquals("shipgan/generator-service:0.1.0",
                rendered.workload("generator-service").container("generator-service").getImage());
    }

    @ParameterizedTest
    @EnumSource(Accelerator.class)
    void generatorRolloutsKeepCapacityAndReadinessWaitsForAModel(Accelerator accelerator) {
        Rendered rendered = OVERLAYS.get(accelerator);
        Deployment generator = rendered.get(Deployment.class, "generator-service");
        Container container = rendered.workload("generator-service").container("generator-service");
        HorizontalPodAutoscaler hpa = rendered.get(HorizontalPodAutoscaler.class, "generator-service");

        assertEquals(new IntOrString(0), generator.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable());
        assertEquals("/q/health/ready", container.getReadinessProbe().getHttpGet().getPath());
        assertEquals("/q/health/live", container.getLivenessProbe().getHttpGet().getPath());
        assertEquals(2, hpa.getSpec().getMinReplicas());
        assertEquals(accelerator == Accelerator.GPU ? 4 : 10, hpa.getSpec().getMaxReplicas());
    }

    @ParameterizedTest
    @EnumSource(Accelerator.class)
    void trainerIsOneReplicaWithItsOwnClaim(Accelerator accelerator) {
        StatefulSet trainer = OVERLAYS.get(accelerator).get(StatefulSet.class, "trainer-service");

        assertEquals(1, trainer.getSpec().getReplicas());
        assertEquals("state", trainer.getSpec().getVolumeClaimTemplates().get(0).getMetadata().getName());
    }
}
