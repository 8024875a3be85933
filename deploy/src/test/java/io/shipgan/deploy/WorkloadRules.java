package io.shipgan.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What every ShipGAN pod must have: requests and limits, health probes on Quarkus' /q/health, a Prometheus scrape
 * of /q/metrics, a locked-down security context, and references (volumes, Secrets, ConfigMaps, claims, ports)
 * that resolve within the rendered objects or to the Secrets Strimzi writes.
 */
final class WorkloadRules {

    static final String READY = "/q/health/ready";
    static final String LIVE = "/q/health/live";
    static final String METRICS = "/q/metrics";

    /** The keys of the Secrets Strimzi's User Operator writes for SCRAM users, and of the cluster CA's. */
    private static final Set<String> SCRAM_USER_KEYS = Set.of("password", "sasl.jaas.config");
    private static final Set<String> CLUSTER_CA_KEYS = Set.of("ca.crt", "ca.p12", "ca.password");

    /**
     * The checkpoint signing pair, which the operator creates once and keeps out of git (deploy/README.md,
     * "Checkpoint signing"): a Secret for the trainer's private key, a ConfigMap for the generators' public key.
     */
    static final Map<String, Set<String>> OPERATOR_SECRETS = Map.of("trainer-signing-key",
            Set.of("trainer-signing.pem"));
    static final Map<String, Set<String>> OPERATOR_CONFIG_MAPS = Map.of("trainer-signing-public-key",
            Set.of("trainer-signing.pub.pem"));

    /**
     * Environment variables that name a folder the service writes to (the generator's model cache, the trainer's
     * state). With a read-only root filesystem, each must lie on a writable volume mount.
     */
    static final Set<String> WRITABLE_DIR_VARIABLES = Set.of("SHIPGAN_GENERATOR_CACHE_DIR",
            "SHIPGAN_TRAINER_STATE_DIR");

    private WorkloadRules() {
    }

    static List<String> check(Rendered rendered) {
        List<String> problems = new ArrayList<>();
        Map<String, Set<String>> secrets = secretKeys(rendered);
        Map<String, Set<String>> configMaps = new HashMap<>(OPERATOR_CONFIG_MAPS);
        configMaps.putAll(rendered.all(ConfigMap.class).stream().collect(Collectors.toMap(
                c -> c.getMetadata().getName(), c -> keys(c.getData(), c.getBinaryData()))));
        Set<String> claims = rendered.all(PersistentVolumeClaim.class).stream()
                .map(c -> c.getMetadata().getName()).collect(Collectors.toSet());
        for (Workload workload : rendered.workloads()) {
            if (!Rendered.matches(workload.selector(), workload.podLabels())) {
                problems.add(workload.where() + ": its selector does not match its pod template's labels");
            }
            checkPod(workload, problems);
            checkMetrics(workload, problems);
            checkVolumes(workload, secrets, configMaps, claims, problems);
            for (Container container : workload.containers()) {
                String at = workload.where() + " container " + container.getName();
                checkResources(at, container.getResources(), problems);
                checkProbes(at, container, problems);
                checkSecurity(at, container, problems);
                checkEnvironment(at, container, secrets, configMaps, problems);
                checkWritableDirectories(at, container, problems);
            }
        }
        return problems;
    }

    /** Requests and limits for CPU and memory, valid quantities, no limit below its request. */
    static void checkResources(String at, ResourceRequirements resources, List<String> problems) {
        for (String resource : List.of("cpu", "memory")) {
            Quantity request = resources == null || resources.getRequests() == null
                    ? null : resources.getRequests().get(resource);
            Quantity limit = resources == null || resources.getLimits() == null
                    ? null : resources.getLimits().get(resource);
            if (request == null || limit == null) {
                problems.add(at + ": needs both a request and a limit for " + resource);
                continue;
            }
            BigDecimal requested = amount(at, resource, request, problems);
            BigDecimal limited = amount(at, resource, limit, problems);
            if (requested != null && limited != null && limited.compareTo(requested) < 0) {
                problems.add(at + ": " + resource + " limit " + limit + " is below its request " + request);
            }
        }
    }

    private static BigDecimal amount(String at, String resource, Quantity quantity, List<String> problems) {
        try {
            return Quantity.getAmountInBytes(quantity);
        } catch (IllegalArgumentException e) {
            problems.add(at + ": " + resource + " '" + quantity + "' is not a quantity");
            return null;
        }
    }

    private static void checkProbes(String at, Container container, List<String> problems) {
        checkProbe(at, "readinessProbe", container.getReadinessProbe(), READY, container, problems);
        checkProbe(at, "livenessProbe", container.getLivenessProbe(), LIVE, container, problems);
        if (container.getStartupProbe() != null) {
            checkProbe(at, "startupProbe", container.getStartupProbe(), LIVE, container, problems);
        }
    }

    private static void checkProbe(String at, String kind, Probe probe, String path, Container container,
            List<String> problems) {
        if (probe == null || probe.getHttpGet() == null) {
            problems.add(at + ": needs an HTTP " + kind + " on " + path);
            return;
        }
        if (!path.equals(probe.getHttpGet().getPath())) {
            problems.add(at + ": " + kind + " asks " + probe.getHttpGet().getPath() + ", not " + path);
        }
        if (!declaresPort(container, probe.getHttpGet().getPort())) {
            problems.add(at + ": " + kind + " port " + probe.getHttpGet().getPort().getValue()
                    + " is not a port of the container");
        }
    }

    static boolean declaresPort(Container container, IntOrString port) {
        List<ContainerPort> ports = Objects.requireNonNullElse(container.getPorts(), List.of());
        return port != null && ports.stream().anyMatch(p -> port.getStrVal() != null
                ? port.getStrVal().equals(p.getName())
                : Objects.equals(port.getIntVal(), p.getContainerPort()));
    }

    private static void checkMetrics(Workload workload, List<String> problems) {
        Map<String, String> annotations = workload.podAnnotations();
        if (!"true".equals(annotations.get("prometheus.io/scrape"))
                || !METRICS.equals(annotations.get("prometheus.io/path"))) {
            problems.add(workload.where() + ": pods need prometheus.io/scrape \"true\" and prometheus.io/path "
                    + METRICS);
        }
        String port = annotations.get("prometheus.io/port");
        boolean declared = port != null && port.matches("\\d+") && workload.containers().stream()
                .anyMatch(c -> declaresPort(c, new IntOrString(Integer.parseInt(port))));
        if (!declared) {
            problems.add(workload.where() + ": prometheus.io/port " + port + " is not a container port");
        }
    }

    private static void checkPod(Workload workload, List<String> problems) {
        PodSecurityContext security = workload.pod().getSecurityContext();
        if (security == null || !Boolean.TRUE.equals(security.getRunAsNonRoot())) {
            problems.add(workload.where() + ": pods need securityContext.runAsNonRoot true");
        }
        if (security == null || security.getSeccompProfile() == null
                || !"RuntimeDefault".equals(security.getSeccompProfile().getType())) {
            problems.add(workload.where() + ": pods need the RuntimeDefault seccomp profile");
        }
        if (Boolean.TRUE.equals(workload.pod().getHostNetwork()) || Boolean.TRUE.equals(workload.pod().getHostPID())
                || Boolean.TRUE.equals(workload.pod().getHostIPC())) {
            problems.add(workload.where() + ": pods must not share the node's network, PID or IPC namespace");
        }
        if (!Boolean.FALSE.equals(workload.pod().getAutomountServiceAccountToken())) {
            problems.add(workload.where() + ": pods call no Kubernetes API; set automountServiceAccountToken false");
        }
    }

    private static void checkSecurity(String at, Container container, List<String> problems) {
        SecurityContext security = container.getSecurityContext();
        boolean locked = security != null
                && Boolean.FALSE.equals(security.getAllowPrivilegeEscalation())
                && Boolean.TRUE.equals(security.getReadOnlyRootFilesystem())
                && !Boolean.TRUE.equals(security.getPrivileged())
                && security.getCapabilities() != null && security.getCapabilities().getDrop() != null
                && security.getCapabilities().getDrop().contains("ALL");
        if (!locked) {
            problems.add(at + ": needs allowPrivilegeEscalation false, readOnlyRootFilesystem true, "
                    + "no privileged mode and capabilities drop ALL");
        }
        Stream.ofNullable(container.getPorts()).flatMap(List::stream)
                .filter(p -> p.getHostPort() != null)
                .forEach(p -> problems.add(at + ": port " + p.getContainerPort() + " must not take a host port"));
    }

    private static void checkEnvironment(String at, Container container, Map<String, Set<String>> secrets,
            Map<String, Set<String>> configMaps, List<String> problems) {
        for (EnvVar env : Objects.requireNonNullElse(container.getEnv(), List.<EnvVar>of())) {
            if (env.getValueFrom() == null) {
                continue;
            }
            if (env.getValueFrom().getSecretKeyRef() != null) {
                var ref = env.getValueFrom().getSecretKeyRef();
                checkKey(at + " env " + env.getName(), "Secret", secrets, ref.getName(), ref.getKey(), problems);
            }
            if (env.getValueFrom().getConfigMapKeyRef() != null) {
                var ref = env.getValueFrom().getConfigMapKeyRef();
                checkKey(at + " env " + env.getName(), "ConfigMap", configMaps, ref.getName(), ref.getKey(),
                        problems);
            }
        }
        for (EnvFromSource source : Objects.requireNonNullElse(container.getEnvFrom(), List.<EnvFromSource>of())) {
            if (source.getConfigMapRef() != null && !configMaps.containsKey(source.getConfigMapRef().getName())) {
                problems.add(at + ": envFrom ConfigMap " + source.getConfigMapRef().getName() + " does not exist");
            }
            if (source.getSecretRef() != null && !secrets.containsKey(source.getSecretRef().getName())) {
                problems.add(at + ": envFrom Secret " + source.getSecretRef().getName() + " does not exist");
            }
        }
    }

    /** Each folder named in {@link #WRITABLE_DIR_VARIABLES} lies under a mount that is not read-only. */
    private static void checkWritableDirectories(String at, Container container, List<String> problems) {
        List<VolumeMount> mounts = Objects.requireNonNullElse(container.getVolumeMounts(), List.of());
        for (EnvVar env : Objects.requireNonNullElse(container.getEnv(), List.<EnvVar>of())) {
            if (!WRITABLE_DIR_VARIABLES.contains(env.getName()) || env.getValue() == null) {
                continue;
            }
            Path dir = Path.of(env.getValue()).normalize();
            boolean writable = mounts.stream()
                    .filter(mount -> !Boolean.TRUE.equals(mount.getReadOnly()))
                    .anyMatch(mount -> dir.startsWith(Path.of(mount.getMountPath()).normalize()));
            if (!writable) {
                problems.add(at + ": " + env.getName() + "=" + env.getValue() + " is on the read-only root "
                        + "filesystem; mount a writable volume (emptyDir or claim) there");
            }
        }
    }

    private static void checkVolumes(Workload workload, Map<String, Set<String>> secrets,
            Map<String, Set<String>> configMaps, Set<String> claims, List<String> problems) {
        List<Volume> volumes = Objects.requireNonNullElse(workload.pod().getVolumes(), List.of());
        Set<String> names = Stream.concat(volumes.stream().map(Volume::getName),
                workload.claimTemplates().stream().map(c -> c.getMetadata().getName())).collect(Collectors.toSet());
        for (Container container : workload.containers()) {
            for (VolumeMount mount : Objects.requireNonNullElse(container.getVolumeMounts(), List.<VolumeMount>of())) {
                if (!names.contains(mount.getName())) {
                    problems.add(workload.where() + " container " + container.getName() + ": mounts volume "
                            + mount.getName() + ", which the pod does not have");
                }
            }
        }
        for (Volume volume : volumes) {
            String at = workload.where() + " volume " + volume.getName();
            if (volume.getSecret() != null) {
                String secret = volume.getSecret().getSecretName();
                checkItems(at, "Secret", secrets, secret, volume.getSecret().getItems(), problems);
            }
            if (volume.getConfigMap() != null) {
                String configMap = volume.getConfigMap().getName();
                checkItems(at, "ConfigMap", configMaps, configMap, volume.getConfigMap().getItems(), problems);
            }
            if (volume.getPersistentVolumeClaim() != null
                    && !claims.contains(volume.getPersistentVolumeClaim().getClaimName())) {
                problems.add(at + ": PersistentVolumeClaim " + volume.getPersistentVolumeClaim().getClaimName()
                        + " does not exist");
            }
        }
    }

    private static void checkItems(String at, String kind, Map<String, Set<String>> known, String name,
            List<KeyToPath> items, List<String> problems) {
        if (!known.containsKey(name)) {
            problems.add(at + ": " + kind + " " + name + " does not exist");
            return;
        }
        for (KeyToPath item : Objects.requireNonNullElse(items, List.<KeyToPath>of())) {
            checkKey(at, kind, known, name, item.getKey(), problems);
        }
    }

    private static void checkKey(String at, String kind, Map<String, Set<String>> known, String name, String key,
            List<String> problems) {
        if (!known.containsKey(name)) {
            problems.add(at + ": " + kind + " " + name + " does not exist");
        } else if (!known.get(name).contains(key)) {
            problems.add(at + ": " + kind + " " + name + " has no key " + key);
        }
    }

    /**
     * Secrets in the rendering, plus those Strimzi writes (one per KafkaUser and the cluster CA certificate) and
     * the operator's signing key.
     */
    private static Map<String, Set<String>> secretKeys(Rendered rendered) {
        Map<String, Set<String>> secrets = new HashMap<>(OPERATOR_SECRETS);
        for (Secret secret : rendered.all(Secret.class)) {
            secrets.put(secret.getMetadata().getName(), keys(secret.getData(), secret.getStringData()));
        }
        for (KafkaUser user : rendered.all(KafkaUser.class)) {
            secrets.put(user.getMetadata().getName(), SCRAM_USER_KEYS);
        }
        for (Kafka kafka : rendered.all(Kafka.class)) {
            secrets.put(kafka.getMetadata().getName() + "-cluster-ca-cert", CLUSTER_CA_KEYS);
        }
        return secrets;
    }

    private static Set<String> keys(Map<String, String> first, Map<String, String> second) {
        return Stream.of(first, second).filter(Objects::nonNull).flatMap(m -> m.keySet().stream())
                .collect(Collectors.toSet());
    }
}
