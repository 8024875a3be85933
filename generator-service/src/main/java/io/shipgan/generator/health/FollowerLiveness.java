package io.shipgan.generator.health;

import io.shipgan.generator.checkpoint.CheckpointFollower;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Up while the service runs. A broker outage is no reason to restart a replica that keeps serving its active
 * model, so the follower's state is shown as data only.
 */
@Liveness
@ApplicationScoped
public class FollowerLiveness implements HealthCheck {

    private final CheckpointFollower follower;

    public FollowerLiveness(CheckpointFollower follower) {
        this.follower = follower;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("generator").up()
                .withData("checkpointFollower", follower.state().name().toLowerCase())
                .build();
    }
}
