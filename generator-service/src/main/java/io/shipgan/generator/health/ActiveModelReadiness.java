package io.shipgan.generator.health;

import io.shipgan.generator.config.GeneratorConfig;
import io.shipgan.generator.sampling.ActiveModel;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.util.Locale;

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
                .map(model -> withCanary(HealthCheckResponse.named("active-model").up()
                        .withData("version", model.version())
                        .withData("device", model.device())
                        .withData("configuredDevice", configuredDevice()))
                        .build())
                .orElseGet(() -> HealthCheckResponse.named("active-model").down()
                        .withData("waitingFor", "topic " + config.checkpointTopic())
                        .withData("configuredDevice", configuredDevice())
                        .build());
    }

    private HealthCheckResponseBuilder withCanary(HealthCheckResponseBuilder builder) {
        activeModel.canary().ifPresent(canary -> builder.withData("canaryVersion", canary.model().version()));
        return builder;
    }

    private String configuredDevice() {
        return config.device().name().toLowerCase(Locale.ROOT);
    }
}
