package io.shipgan.deploy;

import java.util.ArrayList;
import java.util.List;

/** Every rule a rendered ShipGAN overlay must meet; an empty list means it does. */
final class DeploymentPolicy {

    private DeploymentPolicy() {
    }

    static List<String> violations(Rendered rendered, Accelerator accelerator) {
        List<String> problems = new ArrayList<>();
        problems.addAll(WorkloadRules.check(rendered));
        problems.addAll(ExposureRules.check(rendered));
        problems.addAll(KafkaRules.check(rendered));
        problems.addAll(PlacementRules.check(rendered, accelerator));
        return problems;
    }
}
