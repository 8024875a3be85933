package io.shipgan.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.acl.AclOperation;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The local broker's secured mode (kafka/kafka.sh, SHIPGAN_KAFKA_SECURITY=scram) grants exactly the ACLs of the
 * cluster's KafkaUsers, so that a change to users.yaml that kafka.sh does not follow fails here.
 */
class LocalKafkaAclsTest {

    /** {@code name=value} or {@code name="${VARIABLE:-value}"} assignments of kafka.sh. */
    private static final Pattern ASSIGNMENT =
            Pattern.compile("^(\\w+)=(?:\"\\$\\{\\w+:-([^}]+)}\"|([A-Za-z0-9._-]+))$", Pattern.MULTILINE);
    /** {@code allow "$user" "$topic" Operation...} lines of kafka.sh. */
    private static final Pattern ALLOW =
            Pattern.compile("^\\s*allow \"\\$(\\w+)\" \"\\$(\\w+)\" ([A-Za-z ]+)$", Pattern.MULTILINE);

    @Test
    void localBrokerGrantsExactlyTheAclsOfTheClustersKafkaUsers() throws IOException {
        Rendered cluster = Rendered.overlay(Accelerator.CPU.overlay());
        Map<String, Map<String, Set<String>>> expected = new TreeMap<>();
        Set<String> topics = Set.of(KafkaRules.CHECKPOINT_TOPIC, KafkaRules.ROLLOUT_TOPIC);
        for (KafkaUser user : cluster.all(KafkaUser.class)) {
            for (String topic : topics) {
                Set<String> operations = KafkaRules.operationsOn(user, topic).stream()
                        .map(AclOperation::name).collect(Collectors.toCollection(TreeSet::new));
                if (!operations.isEmpty()) {
                    expected.computeIfAbsent(user.getMetadata().getName(), u -> new TreeMap<>()).put(topic, operations);
                }
            }
        }

        Map<String, Map<String, Set<String>>> local = localAcls();

        assertFalse(expected.isEmpty(), "the cluster has KafkaUsers with topic ACLs");
        assertEquals(expected, local);
    }

    /** User → topic → operations, as kafka.sh's {@code allow} lines grant them. */
    private static Map<String, Map<String, Set<String>>> localAcls() throws IOException {
        String script = Files.readString(Repository.root().resolve("kafka/kafka.sh"));
        Map<String, String> variables = new HashMap<>();
        Matcher assignment = ASSIGNMENT.matcher(script);
        while (assignment.find()) {
            variables.put(assignment.group(1), assignment.group(2) != null ? assignment.group(2) : assignment.group(3));
        }
        Map<String, Map<String, Set<String>>> acls = new TreeMap<>();
        Matcher allow = ALLOW.matcher(script);
        while (allow.find()) {
            Set<String> operations = Arrays.stream(allow.group(3).trim().split(" +"))
                    .map(operation -> operation.toUpperCase(Locale.ROOT))
                    .collect(Collectors.toCollection(TreeSet::new));
            acls.computeIfAbsent(variables.get(allow.group(1)), u -> new TreeMap<>())
                    .merge(variables.get(allow.group(2)), operations, (a, b) -> {
                        a.addAll(b);
                        return a;
                    });
        }
        return acls;
    }
}
