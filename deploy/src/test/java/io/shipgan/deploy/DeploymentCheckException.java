package io.shipgan.deploy;

import java.util.List;

/** A deployment check found something wrong: {@link #problems()} lists every finding, one line each. */
final class DeploymentCheckException extends RuntimeException {

    private final List<String> problems;

    DeploymentCheckException(String summary, List<String> problems) {
        super(summary + ":\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    List<String> problems() {
        return problems;
    }
}
