package io.shipgan.deploy;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Only the gateway is reachable from outside the cluster: Services stay ClusterIP, the Ingress leads to the gateway
 * alone, ingress is closed by default, and only policies for the gateway let in traffic from beyond the namespace
 * (Prometheus' namespace aside, which may scrape everything).
 */
final class ExposureRules {

    static final String PUBLIC_WORKLOAD = "gateway";
    static final String PROMETHEUS_NAMESPACE = "monitoring";

    private ExposureRules() {
    }

    static List<String> check(Rendered rendered) {
        List<String> problems = new ArrayList<>();
        checkServices(rendered, problems);
        checkIngresses(rendered, problems);
        checkNetworkPolicies(rendered, problems);
        return problems;
    }

    private static void checkServices(Rendered rendered, List<String> problems) {
        for (Service service : rendered.all(Service.class)) {
            String at = "Service/" + service.getMetadata().getName();
            String type = Objects.requireNonNullElse(service.getSpec().getType(), "ClusterIP");
            if (!type.equals("ClusterIP")) {
                problems.add(at + ": is of type " + type + "; only the Ingress exposes anything, so use ClusterIP");
            }
            List<Workload> selected = service.getSpec().getSelector() == null
                    ? List.of() : rendered.selectedBy(service.getSpec().getSelector());
            if (selected.isEmpty()) {
                problems.add(at + ": its selector matches no pods");
            }
            for (ServicePort port : service.getSpec().getPorts()) {
                IntOrString target = port.getTargetPort() != null ? port.getTargetPort()
                        : new IntOrString(port.getPort());
                boolean declared = selected.stream().flatMap(w -> w.containers().stream())
                        .anyMatch(c -> WorkloadRules.declaresPort(c, target));
                if (!selected.isEmpty() && !declared) {
                    problems.add(at + ": targetPort " + target.getValue() + " is not a port of the pods it selects");
                }
            }
        }
    }

    /** The workloads an Ingress leads to. */
    static Set<String> exposedWorkloads(Rendered rendered) {
        Set<String> exposed = new TreeSet<>();
        for (Ingress ingress : rendered.all(Ingress.class)) {
            for (IngressServiceBackend backend : backends(ingress)) {
                rendered.find(Service.class, backend.getName())
                        .filter(s -> s.getSpec().getSelector() != null)
                        .ifPresent(s -> rendered.selectedBy(s.getSpec().getSelector())
                                .forEach(w -> exposed.add(w.name())));
            }
        }
        return exposed;
    }

    private static void checkIngresses(Rendered rendered, List<String> problems) {
        for (Ingress ingress : rendered.all(Ingress.class)) {
            String at = "Ingress/" + ingress.getMetadata().getName();
            for (IngressServiceBackend backend : backends(ingress)) {
                Service service = rendered.find(Service.class, backend.getName()).orElse(null);
                if (service == null) {
                    problems.add(at + ": leads to Service " + backend.getName() + ", which does not exist");
                    continue;
                }
                boolean portExists = service.getSpec().getPorts().stream().anyMatch(p ->
                        backend.getPort().getName() != null ? backend.getPort().getName().equals(p.getName())
                                : Objects.equals(backend.getPort().getNumber(), p.getPort()));
                if (!portExists) {
                    problems.add(at + ": Service " + backend.getName() + " has no such port");
                }
            }
        }
        Set<String> exposed = exposedWorkloads(rendered);
        if (!exposed.equals(Set.of(PUBLIC_WORKLOAD))) {
            problems.add("Ingresses lead to " + exposed + "; exactly the " + PUBLIC_WORKLOAD + " must be exposed");
        }
    }

    private static List<IngressServiceBackend> backends(Ingress ingress) {
        List<IngressServiceBackend> backends = new ArrayList<>();
        if (ingress.getSpec().getDefaultBackend() != null) {
            backends.add(ingress.getSpec().getDefaultBackend().getService());
        }
        for (IngressRule rule : Objects.requireNonNullElse(ingress.getSpec().getRules(), List.<IngressRule>of())) {
            if (rule.getHttp() != null) {
                for (HTTPIngressPath path : rule.getHttp().getPaths()) {
                    backends.add(path.getBackend().getService());
                }
            }
        }
        return backends.stream().filter(Objects::nonNull).toList();
    }

    private static void checkNetworkPolicies(Rendered rendered, List<String> problems) {
        boolean defaultDeny = false;
        for (NetworkPolicy policy : rendered.all(NetworkPolicy.class)) {
            String at = "NetworkPolicy/" + policy.getMetadata().getName();
            LabelSelector podSelector = policy.getSpec().getPodSelector();
            boolean selectsAll = isEmpty(podSelector);
            List<String> policyTypes = Objects.requireNonNullElse(policy.getSpec().getPolicyTypes(), List.of());
            List<NetworkPolicyIngressRule> ingress = Objects.requireNonNullElse(policy.getSpec().getIngress(),
                    List.of());
            if (selectsAll && policyTypes.contains("Ingress") && ingress.isEmpty()) {
                defaultDeny = true;
            }
            List<Workload> selected = rendered.selectedBy(podSelector);
            if (!selectsAll && selected.isEmpty()) {
                problems.add(at + ": its podSelector matches no pods");
            }
            boolean opensToOutside = ingress.stream().anyMatch(ExposureRules::admitsOutsiders);
            boolean onlyPublic = !selectsAll && selected.stream().allMatch(w -> w.name().equals(PUBLIC_WORKLOAD));
            if (opensToOutside && !onlyPublic) {
                problems.add(at + ": lets traffic from outside the namespace reach "
                        + (selectsAll ? "every pod" : selected.stream().map(Workload::name).toList())
                        + "; only the " + PUBLIC_WORKLOAD + " may be reached from outside");
            }
        }
        if (!defaultDeny) {
            problems.add("no NetworkPolicy closes ingress to every pod of the namespace by default");
        }
    }

    /** A rule that admits anything beyond the namespace's own pods and Prometheus. */
    private static boolean admitsOutsiders(NetworkPolicyIngressRule rule) {
        List<NetworkPolicyPeer> from = rule.getFrom();
        if (from == null || from.isEmpty()) {
            return true;
        }
        return from.stream().anyMatch(peer -> peer.getIpBlock() != null || peer.getNamespaceSelector() != null
                && !PROMETHEUS_NAMESPACE.equals(namespaceName(peer.getNamespaceSelector())));
    }

    private static String namespaceName(LabelSelector selector) {
        Map<String, String> labels = selector.getMatchLabels();
        return labels == null ? null : labels.get("kubernetes.io/metadata.name");
    }

    static boolean isEmpty(LabelSelector selector) {
        return selector == null || (selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty())
                && (selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty());
    }
}
