package io.shipgan.gateway;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.List;
import java.util.Map;

/**
 * Two stand-in generator replicas for the gateway's routing tests, listed for Stork in this order, with timeouts and
 * breakers small enough for a test: a 500 ms read timeout, a breaker judging the last 4 calls that stays open 5 s
 * (long enough for a test's requests on a loaded machine).
 */
public class TwoGeneratorReplicasResource implements QuarkusTestResourceLifecycleManager {

    static final String ADDRESSES = "quarkus.stork.generator.service-discovery.address-list";

    private List<FakeGeneratorReplica> replicas = List.of();

    @Override
    public Map<String, String> start() {
        replicas = List.of(new FakeGeneratorReplica(), new FakeGeneratorReplica());
        return Map.of(
                ADDRESSES, replicas.get(0).address() + "," + replicas.get(1).address(),
                "shipgan.gateway.routing.read-timeout", "500ms",
                "shipgan.gateway.routing.breaker.request-volume", "4",
                "shipgan.gateway.routing.breaker.failure-ratio", "0.5",
                "shipgan.gateway.routing.breaker.delay", "5s");
    }

    @Override
    public void stop() {
        replicas.forEach(FakeGeneratorReplica::stop);
    }
}
