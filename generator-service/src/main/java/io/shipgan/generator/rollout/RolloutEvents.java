package io.shipgan.generator.rollout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.quarkus.logging.Log;
import io.shipgan.generator.config.GeneratorConfig;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;

/**
 * Publishes rollout events to their topic, keyed by model name, and keeps the recent ones for the models API.
 * Publishing never holds up a rollout: events go to a sender thread that delivers them in order, one at a time,
 * and while the broker is away keeps retrying with backoff, so events of an outage arrive once it is over. Only
 * a queue overflow (beyond {@value #SEND_QUEUE} undelivered events) or a shutdown loses events, said at WARN.
 */
@ApplicationScoped
public class RolloutEvents {

    static final int SEND_QUEUE = 1000;
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(3);
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration RETRY_INITIAL = Duration.ofMillis(500);
    private static final Duration RETRY_MAX = Duration.ofSeconds(5);

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final String modelName;
    private final String replica;
    private final String topic;
    private final boolean enabled;
    private final int historySize;
    private final Map<String, Object> kafkaConfig;
    private final Clock clock = Clock.systemUTC();
    private final Deque<RolloutEvent> recent = new ArrayDeque<>();
    private final LinkedBlockingDeque<RolloutEvent> unsent = new LinkedBlockingDeque<>();
    private final Thread sender;
    private volatile boolean closing;
    private KafkaProducer<String, String> producer;
    private boolean deliveryFailing;

    @Inject
    public RolloutEvents(GeneratorConfig config,
                         @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this(config, kafkaConfig, resolveReplicaId(config));
    }

    public RolloutEvents(GeneratorConfig config, Map<String, Object> kafkaConfig, String replica) {
        this.modelName = config.modelName();
        this.replica = replica;
        this.topic = config.events().topic();
        this.enabled = config.events().enabled();
        this.historySize = Math.max(1, config.events().history());
        this.kafkaConfig = Map.copyOf(kafkaConfig);
        this.sender = new Thread(this::sendEvents, "rollout-events");
        this.sender.setDaemon(true);
        if (enabled) {
            sender.start();
        }
    }

    /** The configured replica id, else {@code <hostname>:<quarkus.http.port>}. */
    public static String resolveReplicaId(GeneratorConfig config) {
        return config.replicaId().filter(id -> !id.isBlank()).orElseGet(() -> {
            int port = ConfigProvider.getConfig().getOptionalValue("quarkus.http.port", Integer.class).orElse(8082);
            return hostname() + ":" + port;
        });
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    public String replica() {
        return replica;
    }

    /** Records the event and queues it for the topic; returns it. */
    public RolloutEvent publish(RolloutEventType type, Long version, String reason) {
        RolloutEvent event = new RolloutEvent(replica, modelName, version, type, reason, clock.instant());
        synchronized (recent) {
            recent.addFirst(event);
            while (recent.size() > historySize) {
                recent.removeLast();
            }
        }
        if (enabled && !closing) {
            queueForTopic(event);
        }
        return event;
    }

    /** The recent events, newest first. */
    public List<RolloutEvent> recent() {
        synchronized (recent) {
            return new ArrayList<>(recent);
        }
    }

    private void queueForTopic(RolloutEvent event) {
        unsent.addLast(event);
        if (unsent.size() > SEND_QUEUE) {
            RolloutEvent lost = unsent.pollFirst();
            if (lost != null) {
                Log.warnf("more than %d rollout events undelivered; event %s of version %s dropped",
                        SEND_QUEUE, lost.event().wireName(), lost.version());
            }
        }
    }

    /** The sender thread: delivers events in order, retrying each until it is delivered or the replica stops. */
    private void sendEvents() {
        Duration wait = RETRY_INITIAL;
        while (!closing || !unsent.isEmpty()) {
            RolloutEvent event;
            try {
                event = unsent.pollFirst(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (event == null) {
                continue;
            }
            while (!deliver(event)) {
                if (closing) {
                    Log.warnf("%d rollout events not delivered before shutdown", unsent.size() + 1);
                    return;
                }
                if (!pause(wait)) {
                    return;
                }
                wait = wait.multipliedBy(2).compareTo(RETRY_MAX) > 0 ? RETRY_MAX : wait.multipliedBy(2);
            }
            wait = RETRY_INITIAL;
        }
    }

    private boolean deliver(RolloutEvent event) {
        try {
            String json = JSON.writeValueAsString(event);
            producer().send(new ProducerRecord<>(topic, modelName, json))
                    .get(DELIVERY_TIMEOUT.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (JsonProcessingException e) {
            Log.errorf(e, "cannot encode rollout event %s of version %s; dropped", event.event().wireName(),
                    event.version());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | java.util.concurrent.TimeoutException | RuntimeException e) {
            reportDeliveryFailure(event, e instanceof ExecutionException ? e.getCause() : e);
            return false;
        }
        if (deliveryFailing) {
            deliveryFailing = false;
            Log.infof("rollout events reach %s again", topic);
        }
        return true;
    }

    private void reportDeliveryFailure(RolloutEvent event, Throwable failure) {
        if (!deliveryFailing) {
            deliveryFailing = true;
            Log.warnf("rollout event %s of version %s not delivered to %s yet (%s); retrying in the background, "
                    + "later failures at DEBUG. Check the broker and kafka.bootstrap.servers",
                    event.event().wireName(), event.version(), topic, failure.getMessage());
        } else {
            Log.debugf("rollout event %s of version %s still not delivered: %s", event.event().wireName(),
                    event.version(), failure.getMessage());
        }
    }

    private static boolean pause(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** Created on the sender thread at the first event, so that a replica without a broker starts just as fast. */
    private KafkaProducer<String, String> producer() {
        if (producer == null) {
            Map<String, Object> properties = new HashMap<>();
            // Only producer settings: the shared kafka.* map also holds consumer keys the producer would warn about.
            kafkaConfig.forEach((key, value) -> {
                if (ProducerConfig.configNames().contains(key)) {
                    properties.put(key, value);
                }
            });
            properties.put(ProducerConfig.ACKS_CONFIG, "all");
            properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
            properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
            properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) DELIVERY_TIMEOUT.toMillis());
            properties.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG,
                    "shipgan-generator-events-" + replica.replaceAll("[^A-Za-z0-9._-]", "_"));
            producer = new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
        }
        return producer;
    }

    /** Delivers what is queued for up to a few seconds, then stops the sender and the producer. */
    @PreDestroy
    public void close() {
        closing = true;
        if (!enabled) {
            return;
        }
        try {
            sender.join(CLOSE_WAIT.toMillis());
            if (sender.isAlive()) {
                sender.interrupt();
                sender.join(CLOSE_WAIT.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(1));
        }
    }
}
