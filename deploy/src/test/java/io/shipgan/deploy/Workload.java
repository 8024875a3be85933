package io.shipgan.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A Deployment or StatefulSet, seen through its pod template. */
record Workload(String where, String name, LabelSelector selector, PodTemplateSpec template,
        List<PersistentVolumeClaim> claimTemplates) {

    PodSpec pod() {
        return template.getSpec();
    }

    Map<String, String> podLabels() {
        Map<String, String> labels = template.getMetadata() == null ? null : template.getMetadata().getLabels();
        return labels == null ? Map.of() : labels;
    }

    Map<String, String> podAnnotations() {
        Map<String, String> annotations =
                template.getMetadata() == null ? null : template.getMetadata().getAnnotations();
        return annotations == null ? Map.of() : annotations;
    }

    /** Init containers first, then the others. */
    List<Container> containers() {
        List<Container> containers = new ArrayList<>();
        if (pod().getInitContainers() != null) {
            containers.addAll(pod().getInitContainers());
        }
        containers.addAll(Objects.requireNonNullElse(pod().getContainers(), List.of()));
        return containers;
    }

    Container container(String name) {
        return containers().stream().filter(c -> c.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(where + " has no container " + name));
    }

    /** The value of an environment variable given literally, or null. */
    static String env(Container container, String name) {
        return container.getEnv() == null ? null : container.getEnv().stream()
                .filter(e -> e.getName().equals(name))
                .map(e -> e.getValue())
                .findFirst().orElse(null);
    }
}
