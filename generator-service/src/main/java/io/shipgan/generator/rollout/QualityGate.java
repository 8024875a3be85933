package io.shipgan.generator.rollout;

import io.shipgan.checkpoint.CheckpointMetadata;
import io.shipgan.generator.config.GeneratorConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;

/**
 * Keeps a candidate from serving when one of its scores is worse than the active model's by more than the rule
 * allows. A rule whose score either side lacks is skipped: the gate judges only what both were measured on, and
 * the first checkpoint, with nothing to compare against, passes.
 */
@ApplicationScoped
public class QualityGate {

    private final boolean enabled;
    private final List<GateRule> rules;

    public QualityGate(GeneratorConfig config) {
        this.enabled = config.gate().enabled();
        this.rules = config.gate().rules().stream().filter(rule -> !rule.isBlank()).map(GateRule::parse).toList();
    }

    public boolean enabled() {
        return enabled;
    }

    public List<GateRule> rules() {
        return rules;
    }

    /**
     * Checks the candidate against the active model.
     *
     * @param active the active model's metadata; empty when nothing serves yet
     * @return why the candidate fails, or empty when it passes
     */
    public Optional<String> checkCandidate(CheckpointMetadata candidate, Optional<CheckpointMetadata> active) {
        if (!enabled || active.isEmpty()) {
            return Optional.empty();
        }
        for (GateRule rule : rules) {
            Double candidateScore = candidate.scores().get(rule.score());
            Double activeScore = active.get().scores().get(rule.score());
            if (candidateScore == null || activeScore == null || !Double.isFinite(activeScore)) {
                continue;
            }
            if (rule.fails(candidateScore, activeScore)) {
                return Optional.of(String.format("quality gate: %s %s is worse than active model %d's %s by more "
                                + "than %s (%s is better; limit %s)", rule.score(), GateRule.format(candidateScore),
                        active.get().version(), GateRule.format(activeScore), marginText(rule),
                        rule.lowerIsBetter() ? "lower" : "higher", GateRule.format(rule.limit(activeScore))));
            }
        }
        return Optional.empty();
    }

    private static String marginText(GateRule rule) {
        return rule.relative() ? GateRule.format(rule.margin() * 100) + "%" : GateRule.format(rule.margin());
    }
}
