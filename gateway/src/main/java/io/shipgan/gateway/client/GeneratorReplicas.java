package io.shipgan.gateway.client;

import io.quarkus.logging.Log;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.shipgan.gateway.config.RoutingConfig;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.stork.Stork;
import io.smallrye.stork.api.Service;
import io.smallrye.stork.api.ServiceInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

import java.net.URI;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The generator replicas as the gateway routes to them: Stork lists them (service {@code generator}: a static address
 * list locally, DNS in a cluster) and its load balancer picks where a read starts; each replica has its own REST
 * client and its own circuit breaker.
 * <p>
 * Why not the REST client on {@code stork://generator} with {@code @Retry} and {@code @CircuitBreaker}: those
 * annotations keep one breaker per method, so one dead replica would open the breaker for all of them, and a retry
 * may land on the same dead replica again. Stork's failure-aware {@code least-response-time} balancer only scores a
 * failing replica down and keeps probing it with live requests. A breaker per replica (SmallRye Fault Tolerance's
 * programmatic {@link TypedGuard}) keeps a dead replica out after a few failures while the others serve, and walking
 * the replicas in order guarantees a retried read goes to a different one. Rollout operations must reach every
 * replica, which a client that picks one replica per call cannot do at all.
 */
@ApplicationScoped
public class GeneratorReplicas {

    /** Stork's name of the generator service: {@code quarkus.stork.generator.*}. */
    public static final String SERVICE = "generator";

    @Inject
    RoutingConfig config;

    private final Map<String, Replica> replicas = new ConcurrentHashMap<>();

    /** One replica: where it is (for logs only, never for answers), its client and its breaker. */
    record Replica(String address, GeneratorClient client, TypedGuard<Response> breaker) {
    }

    /**
     * What one replica answered to a rollout operation: its response, or null when it could not be reached.
     *
     * @param response the replica's whole answer; the caller reads or closes it
     */
    public record ReplicaAnswer(Response response) {

        public boolean reached() {
            return response != null;
        }
    }

    /** The outcome of a read that no replica could serve with a model. */
    public static final class NoReplicaAnswered extends RuntimeException {

        private final transient Response lastUnavailable;

        NoReplicaAnswered(String reason, Response lastUnavailable) {
            super(reason, null, false, false);
            this.lastUnavailable = lastUnavailable;
        }

        /** The last replica's own 503 answer (no model yet), or null when none was reached. */
        public Response lastUnavailable() {
            return lastUnavailable;
        }
    }

    /**
     * An idempotent read: starts at the replica Stork's load balancer picks and moves on to the next one when a
     * replica cannot be reached (refused, reset, timed out), its breaker is open, or it has no model yet (503).
     *
     * @throws NoReplicaAnswered when no replica answered with anything but 503
     */
    public Response read(Function<GeneratorClient, Response> call) {
        List<Replica> order = inReadOrder();
        int attempts = 0;
        Response lastUnavailable = null;
        for (Replica replica : order) {
            if (attempts == config.maxAttempts()) {
                break;
            }
            Response answer;
            try {
                answer = replica.breaker().call(() -> call.apply(replica.client()));
            } catch (CircuitBreakerOpenException e) {
                Log.debugf("generator replica %s skipped: its breaker is open", replica.address());
                continue;
            } catch (ProcessingException e) {
                attempts++;
                Log.warnf("generator replica %s unreachable (%s); trying the next", replica.address(),
                        e.getMessage());
                continue;
            } catch (Exception e) {
                throw new IllegalStateException("calling generator replica " + replica.address() + " failed", e);
            }
            attempts++;
            if (answer.getStatus() != Response.Status.SERVICE_UNAVAILABLE.getStatusCode()) {
                return answer;
            }
            if (lastUnavailable != null) {
                lastUnavailable.close();
            }
            lastUnavailable = answer;
        }
        throw new NoReplicaAnswered(lastUnavailable == null
                ? "none of " + order.size() + " generator replicas reachable"
                : "no reachable generator replica has an active model", lastUnavailable);
    }

    /**
     * A rollout operation for every replica Stork lists, one after the other, each once: a state change is never
     * retried, and an open breaker counts as not reached.
     */
    public List<ReplicaAnswer> everyReplica(Function<GeneratorClient, Response> call) {
        List<ReplicaAnswer> answers = new ArrayList<>();
        for (Replica replica : discover()) {
            try {
                answers.add(new ReplicaAnswer(replica.breaker().call(() -> call.apply(replica.client()))));
            } catch (CircuitBreakerOpenException | ProcessingException e) {
                Log.warnf("generator replica %s missed a rollout operation: %s", replica.address(), e.getMessage());
                answers.add(new ReplicaAnswer(null));
            } catch (Exception e) {
                throw new IllegalStateException("calling generator replica " + replica.address() + " failed", e);
            }
        }
        return answers;
    }

    /** Every replica, starting with the one Stork's load balancer picks, then the others in list order. */
    private List<Replica> inReadOrder() {
        List<ServiceInstance> instances = instances();
        if (instances.isEmpty()) {
            return List.of();
        }
        int first = instances.indexOf(service().selectInstance(instances));
        List<Replica> order = new ArrayList<>(instances.size());
        for (int i = 0; i < instances.size(); i++) {
            order.add(replicaOf(instances.get((Math.max(first, 0) + i) % instances.size())));
        }
        return order;
    }

    private List<Replica> discover() {
        return instances().stream().map(this::replicaOf).toList();
    }

    /** The replicas Stork lists now; none when discovery fails or is slow, so the caller answers 503. */
    private List<ServiceInstance> instances() {
        List<ServiceInstance> instances;
        try {
            instances = service().getInstances().await().atMost(config.discoveryTimeout());
        } catch (RuntimeException e) {
            Log.warnf("listing the generator replicas failed (%s); check the Stork discovery of service %s",
                    e.getMessage(), SERVICE);
            return List.of();
        }
        forgetReplicasNotIn(instances);
        return instances;
    }

    private static Service service() {
        return Stork.getInstance().getService(SERVICE);
    }

    private Replica replicaOf(ServiceInstance instance) {
        return replicas.computeIfAbsent(addressOf(instance), this::newReplica);
    }

    private Replica newReplica(String address) {
        GeneratorClient client = QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(address))
                .connectTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(config.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                // A replica's error answer (a 503 without a model, say) is passed on, not thrown.
                .property("microprofile.rest.client.disable.default.mapper", true)
                .build(GeneratorClient.class);
        RoutingConfig.Breaker breaker = config.breaker();
        TypedGuard<Response> guard = TypedGuard.create(Response.class)
                .withCircuitBreaker()
                .requestVolumeThreshold(breaker.requestVolume())
                .failureRatio(breaker.failureRatio())
                .delay(breaker.delay().toMillis(), ChronoUnit.MILLIS)
                .successThreshold(1)
                .failOn(ProcessingException.class)
                .onStateChange(state -> Log.infof("generator replica %s: breaker %s", address, state))
                .done()
                .build();
        Log.infof("generator replica %s joined the routing", address);
        return new Replica(address, client, guard);
    }

    /** Replicas that discovery no longer lists (a scaled-down pod, say) lose their client and breaker. */
    private void forgetReplicasNotIn(List<ServiceInstance> instances) {
        Set<String> listed = instances.stream().map(GeneratorReplicas::addressOf).collect(Collectors.toSet());
        replicas.keySet().removeIf(address -> {
            if (listed.contains(address)) {
                return false;
            }
            Log.infof("generator replica %s left the routing", address);
            closeQuietly(replicas.get(address));
            return true;
        });
    }

    private static void closeQuietly(Replica replica) {
        if (replica != null && replica.client() instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                Log.debugf("closing the client of generator replica %s: %s", replica.address(), e.getMessage());
            }
        }
    }

    private static String addressOf(ServiceInstance instance) {
        return (instance.isSecure() ? "https://" : "http://") + instance.getHost() + ":" + instance.getPort();
    }
}
