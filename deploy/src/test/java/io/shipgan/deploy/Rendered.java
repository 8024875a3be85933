package io.shipgan.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The typed objects one kustomization renders to, with the look-ups the deployment rules share. */
final class Rendered {

    private final List<HasMetadata> resources;

    Rendered(List<HasMetadata> resources) {
        this.resources = List.copyOf(resources);
    }

    /** Renders the kustomization in that folder and reads the result strictly (see {@link ManifestReader}). */
    static Rendered kustomization(Path folder) {
        return new Rendered(ManifestReader.read(Kustomize.render(folder)));
    }

    static Rendered overlay(String name) {
        return kustomization(Repository.overlay(name));
    }

    List<HasMetadata> resources() {
        return resources;
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
        return all(type).stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst();
    }

    <T extends HasMetadata> T get(Class<T> type, String name) {
        return find(type, name).orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    /** Every Deployment and StatefulSet, as the pod template the rules look at. */
    List<Workload> workloads() {
        List<Workload> workloads = new ArrayList<>();
        for (Deployment d : all(Deployment.class)) {
            workloads.add(new Workload("Deployment/" + d.getMetadata().getName(), d.getMetadata().getName(),
                    d.getSpec().getSelector(), d.getSpec().getTemplate(), List.of()));
        }
        for (StatefulSet s : all(StatefulSet.class)) {
            workloads.add(new Workload("StatefulSet/" + s.getMetadata().getName(), s.getMetadata().getName(),
                    s.getSpec().getSelector(), s.getSpec().getTemplate(),
                    s.getSpec().getVolumeClaimTemplates() == null ? List.of() : s.getSpec().getVolumeClaimTemplates()));
        }
        return workloads;
    }

    Workload workload(String name) {
        return workloads().stream().filter(w -> w.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no workload " + name));
    }

    /** The workloads whose pods the selector picks. */
    List<Workload> selectedBy(LabelSelector selector) {
        return workloads().stream().filter(w -> matches(selector, w.podLabels())).toList();
    }

    List<Workload> selectedBy(Map<String, String> matchLabels) {
        return workloads().stream().filter(w -> matches(matchLabels, w.podLabels())).toList();
    }

    /** Kubernetes label selector semantics: matchLabels and matchExpressions must all hold; empty selects all. */
    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        if (!matches(selector.getMatchLabels(), labels)) {
            return false;
        }
        List<LabelSelectorRequirement> expressions = selector.getMatchExpressions();
        return expressions == null || expressions.stream().allMatch(e -> matches(e, labels));
    }

    static boolean matches(Map<String, String> matchLabels, Map<String, String> labels) {
        return matchLabels == null || matchLabels.entrySet().stream()
                .allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    private static boolean matches(LabelSelectorRequirement requirement, Map<String, String> labels) {
        String value = labels.get(requirement.getKey());
        List<String> values = requirement.getValues() == null ? List.of() : requirement.getValues();
        return switch (requirement.getOperator()) {
            case "In" -> value != null && values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            default -> throw new AssertionError("unknown selector operator " + requirement.getOperator());
        };
    }
}
