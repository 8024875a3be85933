package io.shipgan.trainer.rest;

import io.shipgan.trainer.model.TrainingService;
import io.shipgan.trainer.model.TrainingStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the service is up, whatever the run is doing: the status API must stay reachable to say why a run
 * failed. The run's state, step and last version travel as data.
 */
@Readiness
@ApplicationScoped
public class TrainingReadinessCheck implements HealthCheck {

    private final TrainingService training;

    @Inject
    public TrainingReadinessCheck(TrainingService training) {
        this.training = training;
    }

    @Override
    public HealthCheckResponse call() {
        TrainingStatus status = training.status();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("trainer")
                .up()
                .withData("state", status.state().name())
                .withData("step", status.step())
                .withData("latestVersion", status.latestVersion() == null ? 0 : status.latestVersion());
        if (status.error() != null) {
            response.withData("error", status.error());
        }
        return response.build();
    }
}
