package io.shipgan.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the single-host set-up must keep: a KRaft broker of the official image, topics created with the checkpoint
 * configs, only the gateway published and only on the loopback, no network path from the gateway to Kafka, health
 * checks and memory and CPU limits on every long-running service, the GPU generator behind the gpu profile with a
 * device reservation, and the training data mounted read-only.
 */
final class ComposeRules {

    private ComposeRules() {
    }

    static List<String> check(JsonNode config) {
        List<String> problems = new ArrayList<>();
        JsonNode services = config.path("services");
        for (Map.Entry<String, JsonNode> entry : iterable(services)) {
            checkService(entry.getKey(), entry.getValue(), problems);
        }
        checkKafka(services, problems);
        checkTopics(services.path("kafka-topics"), problems);
        checkTrainer(services.path("trainer"), problems);
        checkGenerators(services, problems);
        checkGateway(services, problems);
        return problems;
    }

    private static void checkService(String name, JsonNode service, List<String> problems) {
        if (service.has("ports") && !name.equals("gateway")) {
            problems.add(name + ": publishes ports; only the gateway may");
        }
        for (JsonNode port : service.path("ports")) {
            String hostIp = port.isTextual() ? port.asText().split(":")[0] : port.path("host_ip").asText();
            if (!hostIp.equals("127.0.0.1")) {
                problems.add(name + ": publishes " + port + " beyond the host's loopback");
            }
        }
        boolean oneShot = service.path("restart").asText().equals("no");
        if (!oneShot && !service.path("healthcheck").has("test")) {
            problems.add(name + ": needs a healthcheck");
        }
        if (!service.has("mem_limit") || !service.has("cpus")) {
            problems.add(name + ": needs mem_limit and cpus");
        }
        if (devices(service).size() > 0 && !name.equals("generator-gpu")) {
            problems.add(name + ": reserves a device; only generator-gpu may");
        }
    }

    private static void checkKafka(JsonNode services, List<String> problems) {
        JsonNode kafka = services.path("kafka");
        if (!kafka.path("image").asText().startsWith("apache/kafka:")) {
            problems.add("kafka: must use the official apache/kafka image, uses " + kafka.path("image"));
        }
        String roles = env(kafka, "KAFKA_PROCESS_ROLES");
        if (!roles.contains("broker") || !roles.contains("controller")) {
            problems.add("kafka: must run KRaft as broker and controller, KAFKA_PROCESS_ROLES is " + roles);
        }
    }

    private static void checkTopics(JsonNode topics, List<String> problems) {
        if (!env(topics, "CHECKPOINT_TOPIC").equals(KafkaRules.CHECKPOINT_TOPIC)) {
            problems.add("kafka-topics: must create " + KafkaRules.CHECKPOINT_TOPIC);
        }
        Set<String> config = Set.of(env(topics, "CHECKPOINT_TOPIC_CONFIG").split(","));
        if (!config.contains("cleanup.policy=compact")
                || !config.contains("max.message.bytes=" + KafkaRules.MAX_RECORD_BYTES)) {
            problems.add("kafka-topics: " + KafkaRules.CHECKPOINT_TOPIC + " needs cleanup.policy=compact and "
                    + "max.message.bytes=" + KafkaRules.MAX_RECORD_BYTES + ", has " + config);
        }
        if (!env(topics, "ROLLOUT_TOPIC").equals(KafkaRules.ROLLOUT_TOPIC)) {
            problems.add("kafka-topics: must create " + KafkaRules.ROLLOUT_TOPIC);
        }
        if (!topics.path("depends_on").path("kafka").path("condition").asText().equals("service_healthy")) {
            problems.add("kafka-topics: must wait for a healthy broker");
        }
    }

    private static void checkTrainer(JsonNode trainer, List<String> problems) {
        boolean readOnlyData = false;
        for (JsonNode volume : trainer.path("volumes")) {
            readOnlyData |= volume.isTextual() ? volume.asText().endsWith(":/data:ro")
                    : volume.path("target").asText().equals("/data") && volume.path("read_only").asBoolean();
        }
        if (!readOnlyData) {
            problems.add("trainer: needs the training data mounted read-only at /data");
        }
        if (!env(trainer, "SHIPGAN_TRAINER_SIGNING_PRIVATE_KEY_FILE").startsWith("/run/secrets/")) {
            problems.add("trainer: must sign checkpoints with a key from a compose secret");
        }
        waitsForTopics("trainer", trainer, problems);
    }

    private static void checkGenerators(JsonNode services, List<String> problems) {
        JsonNode cpu = services.path("generator");
        JsonNode gpu = services.path("generator-gpu");
        if (cpu.has("profiles") || !env(cpu, PlacementRules.DEVICE).equals("cpu")) {
            problems.add("generator: must run by default (no profile) on cpu");
        }
        if (!text(gpu.path("profiles")).contains("gpu") || !env(gpu, PlacementRules.DEVICE).equals("cuda")
                || !gpu.path("image").asText().endsWith("-gpu")) {
            problems.add("generator-gpu: must be the -gpu image on cuda, in the gpu profile");
        }
        boolean reservesGpu = devices(gpu).stream().anyMatch(d -> text(d.path("capabilities")).contains("gpu"));
        if (!reservesGpu) {
            problems.add("generator-gpu: needs a device reservation with the gpu capability");
        }
        for (String name : List.of("generator", "generator-gpu")) {
            if (!env(services.path(name), "SHIPGAN_GENERATOR_TRUST_PUBLIC_KEY_FILE").startsWith("/run/secrets/")) {
                problems.add(name + ": must trust only the trainer's public key, from a compose secret");
            }
        }
        waitsForTopics("generator", cpu, problems);
        waitsForTopics("generator-gpu", gpu, problems);
    }

    private static void checkGateway(JsonNode services, List<String> problems) {
        JsonNode gateway = services.path("gateway");
        Set<String> kafkaNetworks = networks(services.path("kafka"));
        Set<String> shared = networks(gateway);
        shared.retainAll(kafkaNetworks);
        if (!shared.isEmpty()) {
            problems.add("gateway: shares networks " + shared + " with Kafka; it must have no path to the broker");
        }
        if (!gateway.path("environment").has("SHIPGAN_GATEWAY_API_KEYS")) {
            problems.add("gateway: needs SHIPGAN_GATEWAY_API_KEYS from its env file");
        }
        if (!gateway.path("environment").has("SHIPGAN_GATEWAY_AUTH_KEYS_FILE")) {
            problems.add("gateway: needs SHIPGAN_GATEWAY_AUTH_KEYS_FILE (shipgan.gateway.auth.keys-file)");
        }
    }

    private static void waitsForTopics(String name, JsonNode service, List<String> problems) {
        String condition = service.path("depends_on").path("kafka-topics").path("condition").asText();
        if (!condition.equals("service_completed_successfully")) {
            problems.add(name + ": must start after kafka-topics has completed");
        }
    }

    private static List<JsonNode> devices(JsonNode service) {
        List<JsonNode> devices = new ArrayList<>();
        service.path("deploy").path("resources").path("reservations").path("devices").forEach(devices::add);
        return devices;
    }

    private static Set<String> networks(JsonNode service) {
        Set<String> networks = new HashSet<>();
        JsonNode node = service.path("networks");
        if (node.isArray()) {
            node.forEach(n -> networks.add(n.asText()));
        } else {
            node.fieldNames().forEachRemaining(networks::add);
        }
        return networks;
    }

    private static String env(JsonNode service, String name) {
        return service.path("environment").path(name).asText("");
    }

    private static List<String> text(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode object) {
        return object::fields;
    }
}
