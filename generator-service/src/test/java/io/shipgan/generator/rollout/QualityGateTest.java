package io.shipgan.generator.rollout;

import io.shipgan.checkpoint.CheckpointMetadata;
import io.shipgan.generator.testing.GeneratorModels;
import io.shipgan.generator.testing.TestCheckpoints;
import io.shipgan.generator.testing.TestConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QualityGateTest {

    private static final byte[] ONNX = GeneratorModels.dense(1).build();

    private final QualityGate gate = new QualityGate(TestConfig.cpu());

    @Test
    void parsesRelativeAndAbsoluteRules() {
        GateRule fd = GateRule.parse("fd_ship:lower:10%");
        GateRule rate = GateRule.parse(" ship_rate : HIGHER : 0.05 ");

        assertEquals(new GateRule("fd_ship", true, 0.1, true), fd);
        assertEquals(new GateRule("ship_rate", false, 0.05, false), rate);
        assertEquals(44.0, fd.limit(40.0), 1e-12);
        assertEquals(0.45, rate.limit(0.5), 1e-12);
        assertEquals("fd_ship:lower:10%", fd.toString());
        assertEquals("ship_rate:higher:0.05", rate.toString());
    }

    @Test
    void refusesMalformedRulesNamingTheProblem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GateRule.parse("fd_ship:smaller:10%"));
        assertEquals("shipgan.generator.gate.rules: 'fd_ship:smaller:10%' is not a gate rule; direction must be "
                + "'lower' or 'higher' (which way is better)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GateRule.parse("fd_ship:lower"));
        assertThrows(IllegalArgumentException.class, () -> GateRule.parse("fd_ship:lower:-1"));
        assertThrows(IllegalArgumentException.class, () -> GateRule.parse("fd_ship:lower:abc%"));
    }

    @Test
    void rejectsAFrechetDistanceMoreThanTenPercentWorse() {
        Optional<String> failure = gate.checkCandidate(scored(5, Map.of("fd_ship", 44.5)),
                Optional.of(scored(4, Map.of("fd_ship", 40.0))));

        assertEquals(Optional.of("quality gate: fd_ship 44.5 is worse than active model 4's 40 by more than 10% "
                + "(lower is better; limit 44)"), failure);
    }

    @Test
    void passesAFrechetDistanceWithinTheMarginOrBetter() {
        assertTrue(gate.checkCandidate(scored(5, Map.of("fd_ship", 43.9)),
                Optional.of(scored(4, Map.of("fd_ship", 40.0)))).isEmpty());
        assertTrue(gate.checkCandidate(scored(5, Map.of("fd_ship", 12.0)),
                Optional.of(scored(4, Map.of("fd_ship", 40.0)))).isEmpty());
    }

    @Test
    void rejectsAShipRateMoreThanTheAbsoluteMarginLower() {
        Optional<String> failure = gate.checkCandidate(scored(5, Map.of("ship_rate", 0.70)),
                Optional.of(scored(4, Map.of("ship_rate", 0.80))));

        assertEquals(Optional.of("quality gate: ship_rate 0.7 is worse than active model 4's 0.8 by more than 0.05 "
                + "(higher is better; limit 0.75)"), failure);
        assertTrue(gate.checkCandidate(scored(5, Map.of("ship_rate", 0.76)),
                Optional.of(scored(4, Map.of("ship_rate", 0.80)))).isEmpty());
    }

    @Test
    void skipsARuleWhenEitherSideLacksTheScore() {
        assertTrue(gate.checkCandidate(scored(5, Map.of()), Optional.of(scored(4, Map.of("fd_ship", 1.0))))
                .isEmpty());
        assertTrue(gate.checkCandidate(scored(5, Map.of("fd_ship", 99.0)), Optional.of(scored(4, Map.of())))
                .isEmpty());
        assertTrue(gate.checkCandidate(scored(1, Map.of("fd_ship", 99.0)), Optional.empty()).isEmpty(),
                "the first checkpoint has nothing to be compared with");
    }

    @Test
    void rejectsANonFiniteScore() {
        assertTrue(gate.checkCandidate(scored(5, Map.of("fd_ship", Double.NaN)),
                Optional.of(scored(4, Map.of("fd_ship", 40.0)))).isPresent());
    }

    @Test
    void passesEverythingWhenDisabled() {
        TestConfig defaults = TestConfig.cpu();
        TestConfig off = new TestConfig(defaults.device(), 20, new TestConfig.TestGate(false,
                List.of("fd_ship:lower:0")), defaults.canary(), defaults.cache(), defaults.batching(),
                defaults.events());
        QualityGate disabled = new QualityGate(off);

        assertFalse(disabled.enabled());
        assertTrue(disabled.checkCandidate(scored(5, Map.of("fd_ship", 1e9)),
                Optional.of(scored(4, Map.of("fd_ship", 1.0)))).isEmpty());
    }

    private static CheckpointMetadata scored(long version, Map<String, Double> scores) {
        return TestCheckpoints.metadataWithScores(version, ONNX, scores);
    }
}
