package io.shipgan.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How the services are placed and scaled: one trainer with its own claim, generators that keep capacity through
 * rollouts and disruptions and scale with an autoscaler, and GPUs exactly where the gpu overlay puts them.
 */
final class PlacementRules {

    static final String GPU = "nvidia.com/gpu";
    static final String DEVICE = "SHIPGAN_GENERATOR_DEVICE";

    private PlacementRules() {
    }

    static List<String> check(Rendered rendered, Accelerator accelerator) {
        List<String> problems = new ArrayList<>();
        checkTrainer(rendered, problems);
        checkGenerator(rendered, problems);
        checkGpus(rendered, accelerator, problems);
        return problems;
    }

    private static void checkTrainer(Rendered rendered, List<String> problems) {
        StatefulSet trainer = rendered.find(StatefulSet.class, KafkaRules.TRAINER).orElse(null);
        if (trainer == null) {
            problems.add("the trainer must be a StatefulSet named " + KafkaRules.TRAINER);
            return;
        }
        if (!Objects.equals(trainer.getSpec().getReplicas(), 1)) {
            problems.add("StatefulSet/" + KafkaRules.TRAINER + ": runs " + trainer.getSpec().getReplicas()
                    + " replicas; exactly one trainer may publish checkpoints");
        }
        Workload workload = rendered.workload(KafkaRules.TRAINER);
        if (workload.claimTemplates().isEmpty()) {
            problems.add("StatefulSet/" + KafkaRules.TRAINER + ": needs a volumeClaimTemplate for its state");
        }
        boolean readOnlyData = Objects.requireNonNullElse(workload.pod().getVolumes(), List.<Volume>of()).stream()
                .anyMatch(v -> v.getPersistentVolumeClaim() != null
                        && Boolean.TRUE.equals(v.getPersistentVolumeClaim().getReadOnly()));
        if (!readOnlyData) {
            problems.add("StatefulSet/" + KafkaRules.TRAINER + ": needs the training data on a read-only claim");
        }
    }

    private static void checkGenerator(Rendered rendered, List<String> problems) {
        Deployment generator = rendered.find(Deployment.class, KafkaRules.GENERATOR).orElse(null);
        if (generator == null) {
            problems.add("no Deployment " + KafkaRules.GENERATOR);
            return;
        }
        String at = "Deployment/" + KafkaRules.GENERATOR;
        DeploymentStrategy strategy = generator.getSpec().getStrategy();
        if (strategy == null || !"RollingUpdate".equals(strategy.getType()) || strategy.getRollingUpdate() == null
                || !isZero(strategy.getRollingUpdate().getMaxUnavailable())
                || isZero(strategy.getRollingUpdate().getMaxSurge())) {
            problems.add(at + ": rollouts must keep capacity: RollingUpdate with maxUnavailable 0 and maxSurge > 0");
        }
        HorizontalPodAutoscaler hpa = rendered.all(HorizontalPodAutoscaler.class).stream()
                .filter(h -> "Deployment".equals(h.getSpec().getScaleTargetRef().getKind())
                        && KafkaRules.GENERATOR.equals(h.getSpec().getScaleTargetRef().getName()))
                .findFirst().orElse(null);
        if (hpa == null) {
            problems.add(at + ": needs a HorizontalPodAutoscaler");
            return;
        }
        if (generator.getSpec().getReplicas() != null) {
            problems.add(at + ": sets replicas, which every apply would reset under the autoscaler");
        }
        int min = Objects.requireNonNullElse(hpa.getSpec().getMinReplicas(), 1);
        if (min < 2 || hpa.getSpec().getMaxReplicas() < min) {
            problems.add("HorizontalPodAutoscaler/" + hpa.getMetadata().getName() + ": needs minReplicas >= 2 and "
                    + "maxReplicas >= minReplicas, has " + min + ".." + hpa.getSpec().getMaxReplicas());
        }
        Workload workload = rendered.workload(KafkaRules.GENERATOR);
        PodDisruptionBudget budget = rendered.all(PodDisruptionBudget.class).stream()
                .filter(p -> Rendered.matches(p.getSpec().getSelector(), workload.podLabels()))
                .findFirst().orElse(null);
        IntOrString minAvailable = budget == null ? null : budget.getSpec().getMinAvailable();
        if (minAvailable == null || minAvailable.getIntVal() == null || minAvailable.getIntVal() < 1
                || minAvailable.getIntVal() >= min) {
            problems.add(at + ": needs a PodDisruptionBudget with minAvailable from 1 to below minReplicas " + min);
        }
    }

    private static void checkGpus(Rendered rendered, Accelerator accelerator, List<String> problems) {
        for (Workload workload : rendered.workloads()) {
            boolean generator = workload.name().equals(KafkaRules.GENERATOR);
            for (Container container : workload.containers()) {
                String at = workload.where() + " container " + container.getName();
                Quantity request = resource(container.getResources(), true);
                Quantity limit = resource(container.getResources(), false);
                boolean wantsGpu = accelerator == Accelerator.GPU && generator;
                if (!wantsGpu && (request != null || limit != null)) {
                    problems.add(at + ": requests a GPU, which only the gpu overlay's generators get");
                }
                if (wantsGpu && (!isOne(request) || !isOne(limit))) {
                    problems.add(at + ": needs " + GPU + " 1 in both requests and limits, has " + request + " / "
                            + limit);
                }
                if (generator) {
                    checkGeneratorDevice(at, container, accelerator, problems);
                }
            }
            if (accelerator == Accelerator.GPU && generator) {
                checkGpuScheduling(workload.where(), workload.pod(), problems);
            }
        }
    }

    private static void checkGeneratorDevice(String at, Container container, Accelerator accelerator,
            List<String> problems) {
        String device = Workload.env(container, DEVICE);
        String expected = accelerator == Accelerator.GPU ? "cuda" : "cpu";
        if (!expected.equals(device)) {
            problems.add(at + ": " + DEVICE + " is " + device + ", must be " + expected);
        }
        boolean gpuImage = container.getImage() != null && container.getImage().endsWith("-gpu");
        if (gpuImage != (accelerator == Accelerator.GPU)) {
            problems.add(at + ": image " + container.getImage() + " is not the " + accelerator.overlay() + " image");
        }
    }

    private static void checkGpuScheduling(String at, PodSpec pod, List<String> problems) {
        Map<String, String> nodeSelector = Objects.requireNonNullElse(pod.getNodeSelector(), Map.of());
        if (nodeSelector.keySet().stream().noneMatch(k -> k.startsWith("nvidia.com/"))) {
            problems.add(at + ": needs a nodeSelector for GPU nodes (an nvidia.com/ label)");
        }
        boolean tolerates = Objects.requireNonNullElse(pod.getTolerations(), List.<io.fabric8.kubernetes.api.model
                .Toleration>of()).stream().anyMatch(t -> GPU.equals(t.getKey()));
        if (!tolerates) {
            problems.add(at + ": needs a toleration for the " + GPU + " taint of GPU nodes");
        }
    }

    private static Quantity resource(ResourceRequirements resources, boolean request) {
        if (resources == null) {
            return null;
        }
        Map<String, Quantity> values = request ? resources.getRequests() : resources.getLimits();
        return values == null ? null : values.get(GPU);
    }

    private static boolean isOne(Quantity quantity) {
        return quantity != null && Quantity.getAmountInBytes(quantity).compareTo(java.math.BigDecimal.ONE) == 0;
    }

    private static boolean isZero(IntOrString value) {
        return value != null && (Objects.equals(value.getIntVal(), 0) || "0%".equals(value.getStrVal()));
    }
}
