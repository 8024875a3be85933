package io.shipgan.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.KafkaClusterSpec;
import io.strimzi.api.kafka.model.kafka.entityoperator.EntityOperatorSpec;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.nodepool.ProcessRoles;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.acl.AclOperation;
import io.strimzi.api.kafka.model.user.acl.AclResourcePatternType;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The Kafka side: one KRaft cluster with controller and broker pools, the checkpoint topic compacted and sized for
 * 16 MiB records, users whose ACLs let only the trainer write checkpoints and the generators only read them, and
 * no way to Kafka for anyone else (credentials, listener peers, egress).
 */
final class KafkaRules {

    static final String CHECKPOINT_TOPIC = "shipgan.checkpoints";
    static final String ROLLOUT_TOPIC = "shipgan.rollout-events";
    static final String MAX_RECORD_BYTES = "16777216";
    static final String TRAINER = "trainer-service";
    static final String GENERATOR = "generator-service";
    /** The workloads that need Kafka; no other may have a way to it. */
    static final Set<String> KAFKA_CLIENTS = Set.of(TRAINER, GENERATOR);

    private static final String CLUSTER_LABEL = "strimzi.io/cluster";
    private static final Set<AclOperation> READ_ONLY =
            Set.of(AclOperation.READ, AclOperation.DESCRIBE, AclOperation.DESCRIBECONFIGS);

    private KafkaRules() {
    }

    static List<String> check(Rendered rendered) {
        List<String> problems = new ArrayList<>();
        List<Kafka> clusters = rendered.all(Kafka.class);
        if (clusters.size() != 1) {
            problems.add("expected exactly one Kafka cluster, found " + clusters.size());
            return problems;
        }
        Kafka kafka = clusters.get(0);
        checkClusterReferences(rendered, kafka.getMetadata().getName(), problems);
        int brokers = checkNodePools(rendered, problems);
        checkCluster(kafka, problems);
        checkTopics(rendered, brokers, problems);
        checkUsers(rendered, kafka, problems);
        checkClients(rendered, kafka, problems);
        return problems;
    }

    private static void checkClusterReferences(Rendered rendered, String cluster, List<String> problems) {
        Stream.of(KafkaNodePool.class, KafkaTopic.class, KafkaUser.class)
                .flatMap(type -> rendered.all(type).stream())
                .filter(r -> !cluster.equals(label(r, CLUSTER_LABEL)))
                .forEach(r -> problems.add(r.getKind() + "/" + r.getMetadata().getName() + ": label "
                        + CLUSTER_LABEL + " is " + label(r, CLUSTER_LABEL) + ", not the cluster " + cluster));
    }

    /** Checks the pools and returns how many brokers they make. */
    private static int checkNodePools(Rendered rendered, List<String> problems) {
        int controllers = 0;
        int brokers = 0;
        for (KafkaNodePool pool : rendered.all(KafkaNodePool.class)) {
            List<ProcessRoles> roles = Objects.requireNonNullElse(pool.getSpec().getRoles(), List.of());
            controllers += roles.contains(ProcessRoles.CONTROLLER) ? pool.getSpec().getReplicas() : 0;
            brokers += roles.contains(ProcessRoles.BROKER) ? pool.getSpec().getReplicas() : 0;
            WorkloadRules.checkResources("KafkaNodePool/" + pool.getMetadata().getName(), pool.getSpec().getResources(),
                    problems);
        }
        if (controllers < 1 || controllers % 2 == 0) {
            problems.add("KRaft needs an odd number of controllers (a quorum), the node pools have " + controllers);
        }
        if (brokers < 1) {
            problems.add("the node pools have no broker");
        }
        return brokers;
    }

    private static void checkCluster(Kafka kafka, List<String> problems) {
        String at = "Kafka/" + kafka.getMetadata().getName();
        KafkaClusterSpec spec = kafka.getSpec().getKafka();
        if (spec.getAuthorization() == null || !"simple".equals(spec.getAuthorization().getType())) {
            problems.add(at + ": needs simple authorization, or the users' ACLs are not enforced");
        }
        for (GenericKafkaListener listener : spec.getListeners()) {
            if (listener.getAuth() == null) {
                problems.add(at + ": listener " + listener.getName() + " lets clients in without authentication");
            }
            if (!listener.isTls()) {
                problems.add(at + ": listener " + listener.getName() + " sends checkpoints unencrypted");
            }
        }
        Set<String> forbidden = split(KafkaClusterSpec.FORBIDDEN_PREFIXES);
        Set<String> exceptions = split(KafkaClusterSpec.FORBIDDEN_PREFIX_EXCEPTIONS);
        for (String key : Objects.requireNonNullElse(spec.getConfig(), Map.<String, Object>of()).keySet()) {
            if (!exceptions.contains(key) && forbidden.stream().anyMatch(key::startsWith)) {
                problems.add(at + ": config " + key + " is managed by Strimzi and may not be set");
            }
        }
        EntityOperatorSpec operators = kafka.getSpec().getEntityOperator();
        if (operators == null || operators.getTopicOperator() == null || operators.getUserOperator() == null) {
            problems.add(at + ": needs the Topic and User Operators (entityOperator) for its topics and users");
        } else {
            WorkloadRules.checkResources(at + " topicOperator", operators.getTopicOperator().getResources(), problems);
            WorkloadRules.checkResources(at + " userOperator", operators.getUserOperator().getResources(), problems);
        }
    }

    private static void checkTopics(Rendered rendered, int brokers, List<String> problems) {
        Map<String, KafkaTopic> topics = topics(rendered);
        for (KafkaTopic topic : rendered.all(KafkaTopic.class)) {
            String at = "KafkaTopic/" + topic.getMetadata().getName();
            String name = topicName(topic);
            if (!name.matches("[a-zA-Z0-9._-]{1,249}")) {
                problems.add(at + ": '" + name + "' is not a valid Kafka topic name");
            }
            Integer replicas = topic.getSpec().getReplicas();
            if (replicas == null || replicas > brokers) {
                problems.add(at + ": replicas " + replicas + " must be set and at most the " + brokers + " brokers");
            }
            Object minIsr = config(topic, "min.insync.replicas");
            if (replicas != null && (minIsr == null || Integer.parseInt(minIsr.toString()) >= replicas)) {
                problems.add(at + ": min.insync.replicas " + minIsr + " must be set and below replicas " + replicas
                        + ", or one broker down stops the trainer publishing");
            }
        }
        KafkaTopic checkpoints = topics.get(CHECKPOINT_TOPIC);
        if (checkpoints == null) {
            problems.add("no KafkaTopic for " + CHECKPOINT_TOPIC);
        } else {
            if (!"compact".equals(String.valueOf(config(checkpoints, "cleanup.policy")))) {
                problems.add(CHECKPOINT_TOPIC + ": cleanup.policy must be compact (the newest checkpoint per model "
                        + "must survive), is " + config(checkpoints, "cleanup.policy"));
            }
            if (!MAX_RECORD_BYTES.equals(String.valueOf(config(checkpoints, "max.message.bytes")))) {
                problems.add(CHECKPOINT_TOPIC + ": max.message.bytes must be " + MAX_RECORD_BYTES
                        + " (16 MiB checkpoint records), is " + config(checkpoints, "max.message.bytes"));
            }
        }
        if (!topics.containsKey(ROLLOUT_TOPIC)) {
            problems.add("no KafkaTopic for " + ROLLOUT_TOPIC);
        }
    }

    private static void checkUsers(Rendered rendered, Kafka kafka, List<String> problems) {
        Set<String> topics = topics(rendered).keySet();
        Set<String> listenerAuthentication = kafka.getSpec().getKafka().getListeners().stream()
                .filter(l -> l.getAuth() != null).map(l -> l.getAuth().getType()).collect(Collectors.toSet());
        for (KafkaUser user : rendered.all(KafkaUser.class)) {
            String at = "KafkaUser/" + user.getMetadata().getName();
            if (user.getSpec().getAuthentication() == null
                    || !listenerAuthentication.contains(user.getSpec().getAuthentication().getType())) {
                problems.add(at + ": authenticates in a way no listener accepts " + listenerAuthentication);
            }
            for (AclRule acl : acls(user)) {
                if (acl.getResource() instanceof AclRuleTopicResource topic
                        && topic.getPatternType() != AclResourcePatternType.PREFIX
                        && !"*".equals(topic.getName()) && !topics.contains(topic.getName())) {
                    problems.add(at + ": has an ACL for topic " + topic.getName() + ", which no KafkaTopic creates");
                }
            }
        }
        Set<String> writers = new TreeSet<>();
        for (KafkaUser user : rendered.all(KafkaUser.class)) {
            Set<AclOperation> operations = operationsOn(user, CHECKPOINT_TOPIC);
            if (!READ_ONLY.containsAll(operations)) {
                writers.add(user.getMetadata().getName());
            }
        }
        if (!writers.equals(Set.of(TRAINER))) {
            problems.add("users that may change " + CHECKPOINT_TOPIC + ": " + writers + "; only " + TRAINER
                    + " may write checkpoints");
        }
        KafkaUser generator = rendered.find(KafkaUser.class, GENERATOR).orElse(null);
        if (generator == null || !operationsOn(generator, CHECKPOINT_TOPIC).contains(AclOperation.READ)) {
            problems.add(GENERATOR + " needs a KafkaUser that may read " + CHECKPOINT_TOPIC);
        }
        rendered.all(KafkaUser.class).stream().map(u -> u.getMetadata().getName())
                .filter(name -> !KAFKA_CLIENTS.contains(name))
                .forEach(name -> problems.add("KafkaUser/" + name + ": only " + KAFKA_CLIENTS + " use Kafka"));
    }

    /** Allowed operations of a user on a topic name, by literal, prefix and wildcard ACLs. */
    static Set<AclOperation> operationsOn(KafkaUser user, String topicName) {
        Set<AclOperation> operations = new TreeSet<>();
        for (AclRule acl : acls(user)) {
            if (acl.getType() == AclRuleType.DENY || !(acl.getResource() instanceof AclRuleTopicResource topic)) {
                continue;
            }
            boolean applies = "*".equals(topic.getName()) || topic.getPatternType() == AclResourcePatternType.PREFIX
                    ? topicName.startsWith(topic.getName().replace("*", "")) : topicName.equals(topic.getName());
            if (applies) {
                operations.addAll(Objects.requireNonNullElse(acl.getOperations(), List.of()));
            }
        }
        return operations;
    }

    private static List<AclRule> acls(KafkaUser user) {
        return user.getSpec().getAuthorization() instanceof KafkaUserAuthorizationSimple simple
                ? Objects.requireNonNullElse(simple.getAcls(), List.of()) : List.of();
    }

    /** Who has a way to Kafka: credentials, the listener's network policy peers, egress. */
    private static void checkClients(Rendered rendered, Kafka kafka, List<String> problems) {
        Set<String> users = rendered.all(KafkaUser.class).stream().map(u -> u.getMetadata().getName())
                .collect(Collectors.toSet());
        String clusterCa = kafka.getMetadata().getName() + "-cluster-ca-cert";
        for (Workload workload : rendered.workloads()) {
            Set<String> credentials = secretsUsed(workload);
            credentials.retainAll(users);
            boolean client = KAFKA_CLIENTS.contains(workload.name());
            if (!client && (!credentials.isEmpty() || secretsUsed(workload).contains(clusterCa))) {
                problems.add(workload.where() + ": has Kafka credentials or its CA but does not use Kafka");
            }
            if (client && !credentials.equals(Set.of(workload.name()))) {
                problems.add(workload.where() + ": must use exactly its own Kafka user's credentials, uses "
                        + credentials);
            }
        }
        Set<String> peers = new TreeSet<>();
        for (GenericKafkaListener listener : kafka.getSpec().getKafka().getListeners()) {
            List<NetworkPolicyPeer> listenerPeers = Objects.requireNonNullElse(listener.getNetworkPolicyPeers(),
                    List.of());
            if (listenerPeers.isEmpty()) {
                problems.add("Kafka listener " + listener.getName() + " admits every pod; name its clients in "
                        + "networkPolicyPeers");
            }
            for (NetworkPolicyPeer peer : listenerPeers) {
                if (peer.getNamespaceSelector() != null || peer.getIpBlock() != null) {
                    problems.add("Kafka listener " + listener.getName() + " admits pods of other namespaces");
                }
                rendered.selectedBy(peer.getPodSelector()).forEach(w -> peers.add(w.name()));
            }
        }
        if (!peers.equals(KAFKA_CLIENTS)) {
            problems.add("Kafka listeners admit " + peers + "; exactly " + KAFKA_CLIENTS + " need Kafka");
        }
        for (Workload workload : rendered.workloads()) {
            if (!KAFKA_CLIENTS.contains(workload.name()) && !egressClosedToKafka(rendered, workload)) {
                problems.add(workload.where() + ": needs an egress NetworkPolicy that leaves it no path to Kafka");
            }
        }
    }

    /** Whether egress policies select the workload and none of their rules may reach Strimzi's pods. */
    private static boolean egressClosedToKafka(Rendered rendered, Workload workload) {
        List<NetworkPolicy> egress = rendered.all(NetworkPolicy.class).stream()
                .filter(p -> Objects.requireNonNullElse(p.getSpec().getPolicyTypes(), List.<String>of())
                        .contains("Egress"))
                .filter(p -> Rendered.matches(p.getSpec().getPodSelector(), workload.podLabels()))
                .toList();
        List<NetworkPolicyEgressRule> rules = egress.stream()
                .flatMap(p -> Objects.requireNonNullElse(p.getSpec().getEgress(), List.<NetworkPolicyEgressRule>of())
                        .stream())
                .toList();
        return !egress.isEmpty() && rules.stream().noneMatch(KafkaRules::mayReachKafka);
    }

    /** Whether an egress rule could admit Strimzi's pods: anything broader than named non-Strimzi pods or DNS. */
    private static boolean mayReachKafka(NetworkPolicyEgressRule rule) {
        if (rule.getTo() == null || rule.getTo().isEmpty()) {
            return true;
        }
        for (NetworkPolicyPeer peer : rule.getTo()) {
            if (peer.getIpBlock() != null) {
                return true;
            }
            if (peer.getPodSelector() == null) {
                String namespace = peer.getNamespaceSelector().getMatchLabels() == null ? null
                        : peer.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name");
                if (!"kube-system".equals(namespace)) {
                    return true;
                }
            } else if (ExposureRules.isEmpty(peer.getPodSelector()) || peer.getPodSelector().getMatchLabels() == null
                    || peer.getPodSelector().getMatchLabels().keySet().stream()
                            .anyMatch(k -> k.startsWith("strimzi.io/"))) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> secretsUsed(Workload workload) {
        Set<String> secrets = new TreeSet<>();
        for (Volume volume : Objects.requireNonNullElse(workload.pod().getVolumes(), List.<Volume>of())) {
            if (volume.getSecret() != null) {
                secrets.add(volume.getSecret().getSecretName());
            }
        }
        for (Container container : workload.containers()) {
            for (EnvVar env : Objects.requireNonNullElse(container.getEnv(), List.<EnvVar>of())) {
                if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
                    secrets.add(env.getValueFrom().getSecretKeyRef().getName());
                }
            }
            Objects.requireNonNullElse(container.getEnvFrom(), List.<io.fabric8.kubernetes.api.model.EnvFromSource>of())
                    .stream().filter(e -> e.getSecretRef() != null)
                    .forEach(e -> secrets.add(e.getSecretRef().getName()));
        }
        return secrets;
    }

    static Map<String, KafkaTopic> topics(Rendered rendered) {
        Map<String, KafkaTopic> topics = new HashMap<>();
        rendered.all(KafkaTopic.class).forEach(t -> topics.put(topicName(t), t));
        return topics;
    }

    static String topicName(KafkaTopic topic) {
        return topic.getSpec().getTopicName() != null ? topic.getSpec().getTopicName() : topic.getMetadata().getName();
    }

    static Object config(KafkaTopic topic, String key) {
        return topic.getSpec().getConfig() == null ? null : topic.getSpec().getConfig().get(key);
    }

    private static String label(HasMetadata resource, String key) {
        return resource.getMetadata().getLabels() == null ? null : resource.getMetadata().getLabels().get(key);
    }

    private static Set<String> split(String list) {
        return Stream.of(list.split(",")).map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }
}
