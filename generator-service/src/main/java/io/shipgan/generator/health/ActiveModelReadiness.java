package io.shipgan.generator.health;

import io.shipgan.generator.config.GeneratorConfig;
import io.shipgan.generator.sampling.ActiveModel;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only with an active model: a replica without one can only answer 503. */
@Readiness
@ApplicationScoped
public class ActiveModelReadiness implements HealthCheck {

    private final ActiveModel activeModel;
    private final GeneratorConfig config;

    public ActiveModelReadiness(ActiveModel activeModel, GeneratorConfig config) {
        this.activeModel = activeModel;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        return activeModel.current()
                .map(model -> HealthCheckResponse.named("active-model").up()
                        .withData("version", model.version())
                        .withData("device", model.device())
                        .build())
                .orElseGet(() -> HealthCheckResponse.named("active-model").down()
                        .withData("waitingFor", "topic " + config.checkpointTopic())
                        .build());
    }
}
