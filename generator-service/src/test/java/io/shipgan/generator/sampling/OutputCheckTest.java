package io.shipgan.generator.sampling;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class OutputCheckTest {

    @Test
    void tanhRoundingJustPastOneIsNoViolation() {
        // What ONNX Runtime's CPU tanh returns for a saturated input: one float step above 1.
        float roundedUp = Math.nextUp(1f);

        assertNull(OutputCheck.findViolation(new float[] {-1f, 0f, roundedUp, Math.nextDown(-1f)}));
    }

    @Test
    void valuesClearlyOutsideOrNotFiniteAreViolations() {
        assertEquals(1, OutputCheck.firstViolationIndex(new float[] {0f, 1.001f}));
        assertEquals(0, OutputCheck.firstViolationIndex(new float[] {-1.001f}));
        assertEquals(2, OutputCheck.firstViolationIndex(new float[] {0f, 0f, Float.NaN}));
        assertEquals("gave 1.5 at value 0, outside [-1, 1]", OutputCheck.findViolation(new float[] {1.5f}));
    }

    @Test
    void clampKeepsServedValuesExactlyInRange() {
        float[] values = {Math.nextUp(1f), -1.00001f, 0.25f};

        OutputCheck.clamp(values);

        assertArrayEquals(new float[] {1f, -1f, 0.25f}, values);
    }
}
