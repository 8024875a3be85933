package io.shipgan.generator.checkpoint;

import ai.onnx.proto.OnnxMl.TensorProto;
import io.shipgan.checkpoint.CheckpointMetadata;
import io.shipgan.checkpoint.CheckpointRecord;
import io.shipgan.checkpoint.InvalidCheckpointException;
import io.shipgan.generator.sampling.Latents;
import io.shipgan.generator.sampling.LoadedModel;
import io.shipgan.generator.sampling.ModelInterface;
import io.shipgan.generator.testing.GeneratorModels;
import io.shipgan.generator.testing.GeneratorParts;
import io.shipgan.generator.testing.TestCheckpoints;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Validation against the real ONNX Runtime with generated models, each broken in one way. */
class CheckpointValidatorTest {

    private static GeneratorParts parts;

    @BeforeAll
    static void wireParts() {
        parts = GeneratorParts.onCpu();
    }

    @Test
    void acceptsAGoodGeneratorAndReadsItsInterface() {
        byte[] onnx = GeneratorModels.dcgan(1).build();
        LoadedModel model = parts.validator.validateCandidate(TestCheckpoints.metadata(3, onnx), onnx);
        try {
            assertEquals(3, model.version());
            assertEquals("cpu", model.device());
            assertEquals(100, model.modelInterface().latentSize());
            assertEquals(0, model.modelInterface().fixedBatch());
            assertEquals(List.of(3, 80, 80), model.modelInterface().sampleShape());
        } finally {
            model.release();
        }
        assertTrue(model.isClosed());
    }

    @Test
    void rejectsCheckpointWithWrongSha256() {
        byte[] onnx = GeneratorModels.dcgan(1).build();
        String wrong = "ab12cd34ef56" + "0".repeat(52);
        CheckpointMetadata metadata = TestCheckpoints.metadata(3, onnx, wrong, List.of(3, 80, 80));

        String reason = rejectionOf(metadata, onnx);

        assertTrue(reason.startsWith("SHA-256 mismatch (expected ab12cd34ef56…, got "), reason);
    }

    @Test
    void rejectsCheckpointWhoseSizeDiffersFromTheMetadata() {
        byte[] onnx = GeneratorModels.dcgan(1).build();
        byte[] truncated = Arrays.copyOf(onnx, onnx.length - 10);

        String reason = rejectionOf(TestCheckpoints.metadata(3, onnx), truncated);

        assertEquals("size mismatch (metadata says " + onnx.length + " bytes, record holds "
                + truncated.length + ")", reason);
    }

    @Test
    void rejectsCorruptBytesThatOnnxRuntimeCannotLoad() {
        byte[] garbage = new byte[4096];
        new Random(9).nextBytes(garbage);

        String reason = rejectionOf(TestCheckpoints.metadata(3, garbage), garbage);

        assertTrue(reason.startsWith("ONNX Runtime cannot load it: "), reason);
    }

    @Test
    void rejectsGeneratorWithWrongOutputShape() {
        byte[] onnx = GeneratorModels.dense(1).sampleShape(3, 64, 64).build();

        String reason = rejectionOf(TestCheckpoints.metadata(3, onnx), onnx);

        assertEquals("output 'image' has shape [-1, 3, 64, 64], expected [N, 3, 80, 80]", reason);
    }

    @Test
    void rejectsMetadataThatDeclaresAnotherOutputShape() {
        byte[] onnx = GeneratorModels.dcgan(1).build();
        CheckpointMetadata metadata = TestCheckpoints.metadata(3, onnx,
                CheckpointRecord.sha256Hex(onnx), List.of(1, 80, 80));

        String reason = rejectionOf(metadata, onnx);

        assertEquals("metadata output shape [1, 80, 80] is not the generator interface's [3, 80, 80]", reason);
    }

    @Test
    void rejectsGeneratorThatGivesNanForAQuarterOfTheLatentSpace() {
        // The first latent value is above 0.6 for about 27 % of requests; probe sample 8 is the first such one.
        byte[] onnx = GeneratorModels.dcgan(1).nanWhenFirstLatentAbove(0.6f).build();

        String reason = rejectionOf(TestCheckpoints.metadata(3, onnx), onnx);

        assertEquals("probe run gave NaN at value " + 8 * 3 * 80 * 80 + "; images must be finite", reason);
    }

    @Test
    void rejectsGeneratorWhoseOutputIsNan() {
        byte[] onnx = GeneratorModels.dcgan(1).nanOutput().build();

        String reason = rejectionOf(TestCheckpoints.metadata(3, onnx), onnx);

        assertEquals("probe run gave NaN at value 0; images must be finite", reason);
    }

    @Test
    void rejectsGeneratorWithValuesOutsideMinusOneToOne() {
        byte[] onnx = GeneratorModels.dense(1).withoutTanh().weightScale(50).build();

        String reason = rejectionOf(TestCheckpoints.metadata(3, onnx), onnx);

        assertTrue(reason.startsWith("probe run gave ") && reason.endsWith(", outside [-1, 1]"), reason);
    }

    @Test
    void rejectsGeneratorWithAnotherInputName() {
        byte[] onnx = GeneratorModels.dcgan(1).inputName("z").build();

        String reason = rejectionOf(TestCheckpoints.metadata(3, onnx), onnx);

        assertEquals("graph inputs [z] are not ['latent']", reason);
    }

    @Test
    void rejectsGeneratorWithoutImageOutput() {
        byte[] onnx = GeneratorModels.dcgan(1).outputName("pixels").build();

        String reason = rejectionOf(TestCheckpoints.metadata(3, onnx), onnx);

        assertEquals("graph has no output 'image' (outputs [pixels])", reason);
    }

    @Test
    void servesAGraphWithFixedBatchSizeInRunsOfThatSize() {
        byte[] dynamic = GeneratorModels.dense(4).build();
        byte[] fixed = GeneratorModels.dense(4).fixedBatch(2).build();
        LoadedModel dynamicModel = parts.validator.validateCandidate(TestCheckpoints.metadata(1, dynamic), dynamic);
        LoadedModel fixedModel = parts.validator.validateCandidate(TestCheckpoints.metadata(2, fixed), fixed);
        try {
            assertEquals(2, fixedModel.modelInterface().fixedBatch());
            float[] latents = Latents.forRequest(77L, 3, 100);

            float[] fromDynamic = parts.runner.runGenerator(dynamicModel, latents, null, 3);
            float[] fromFixed = parts.runner.runGenerator(fixedModel, latents, null, 3);

            assertEquals(3 * 3 * 80 * 80, fromFixed.length);
            assertArrayEquals(fromDynamic, fromFixed, 1e-5f);
        } finally {
            dynamicModel.release();
            fixedModel.release();
        }
    }

    @Test
    void acceptsAConditionalGeneratorWhoseImagesDependOnTheLabel() {
        byte[] onnx = GeneratorModels.dcgan(1).conditional().build();
        LoadedModel model = parts.validator.validateCandidate(
                TestCheckpoints.conditionalMetadata(3, onnx, TestCheckpoints.SHIP_LABELS), onnx);
        try {
            ModelInterface modelInterface = model.modelInterface();
            assertTrue(modelInterface.conditional());
            assertEquals("label", modelInterface.labelInputName());
            assertEquals(List.of("ship", "no-ship"), modelInterface.labels());
            assertEquals("ship", modelInterface.defaultLabel());

            float[] latents = Latents.forRequest(5L, 1, 100);
            float[] ship = parts.runner.runGenerator(model, latents, new long[] {0}, 1);
            float[] noShip = parts.runner.runGenerator(model, latents, new long[] {1}, 1);
            assertFalse(Arrays.equals(ship, noShip), "the label changes the image");
        } finally {
            model.release();
        }
    }

    @Test
    void acceptsATrainerSizedConditionalGeneratorOfTheBenchmarks() {
        byte[] onnx = GeneratorModels.trainerSized(1).conditional().build();
        assertTrue(onnx.length > 5_000_000 && onnx.length < 6_000_000, "1.34 M float32 values: " + onnx.length);
        LoadedModel model = parts.validator.validateCandidate(
                TestCheckpoints.conditionalMetadata(3, onnx, TestCheckpoints.SHIP_LABELS), onnx);
        try {
            assertTrue(model.modelInterface().conditional());
            float[] latents = Latents.forRequest(5L, 1, 100);
            float[] ship = parts.runner.runGenerator(model, latents, new long[] {0}, 1);
            float[] noShip = parts.runner.runGenerator(model, latents, new long[] {1}, 1);
            assertFalse(Arrays.equals(ship, noShip), "the label changes the image");
        } finally {
            model.release();
        }
    }

    @Test
    void rejectsConditionalMetadataForAGraphWithoutLabelInput() {
        byte[] onnx = GeneratorModels.dcgan(1).build();

        String reason = rejectionOf(TestCheckpoints.conditionalMetadata(3, onnx, TestCheckpoints.SHIP_LABELS), onnx);

        assertEquals("metadata names labels [ship, no-ship] but the graph has no 'label' input (inputs [latent])",
                reason);
    }

    @Test
    void rejectsALabelInputOnAnUnconditionalModel() {
        byte[] onnx = GeneratorModels.dcgan(1).conditional().build();

        String reason = rejectionOf(TestCheckpoints.metadata(3, onnx), onnx);

        assertEquals("graph has a 'label' input but the metadata names no labels; an unconditional model takes "
                + "only 'latent'", reason);
    }

    @Test
    void rejectsALabelInputThatIsNotInt64() {
        byte[] onnx = GeneratorModels.dcgan(1).labelInputAs(TensorProto.DataType.FLOAT).build();

        String reason = rejectionOf(TestCheckpoints.conditionalMetadata(3, onnx, TestCheckpoints.SHIP_LABELS), onnx);

        assertTrue(reason.startsWith("input 'label' is not an int64 tensor ("), reason);
    }

    @Test
    void rejectsAOneHotShapedLabelInput() {
        byte[] onnx = GeneratorModels.dcgan(1).labelInputAs(TensorProto.DataType.INT64, 1).build();

        String reason = rejectionOf(TestCheckpoints.conditionalMetadata(3, onnx, TestCheckpoints.SHIP_LABELS), onnx);

        assertEquals("input 'label' has shape [-1, 1], expected [N]: one label index per sample, batched like "
                + "'latent'", reason);
    }

    @Test
    void rejectsMetadataNamingALabelTwice() {
        byte[] onnx = GeneratorModels.dcgan(1).conditional().build();

        String reason = rejectionOf(TestCheckpoints.conditionalMetadata(3, onnx, List.of("ship", "ship")), onnx);

        assertEquals("metadata labels [ship, ship] name 'ship' twice", reason);
    }

    @Test
    void probeDrawsEveryLabelAndNamesTheOneThatFails() {
        // NaN only for label index 2: two probe samples alone would never draw it.
        byte[] onnx = GeneratorModels.dcgan(1).nanWhenLabelAbove(1.5f).build();

        String reason = rejectionOf(TestCheckpoints.conditionalMetadata(3, onnx, List.of("a", "b", "c")), onnx);

        assertEquals("probe run gave NaN at value " + 2 * 3 * 80 * 80 + "; images must be finite (sample 2, "
                + "label 'c')", reason);
    }

    @Test
    void servesAConditionalGraphWithFixedBatchSizeInRunsOfThatSize() {
        byte[] dynamic = GeneratorModels.dense(4).conditional().build();
        byte[] fixed = GeneratorModels.dense(4).conditional().fixedBatch(2).build();
        List<String> labels = TestCheckpoints.SHIP_LABELS;
        LoadedModel dynamicModel = parts.validator.validateCandidate(
                TestCheckpoints.conditionalMetadata(1, dynamic, labels), dynamic);
        LoadedModel fixedModel = parts.validator.validateCandidate(
                TestCheckpoints.conditionalMetadata(2, fixed, labels), fixed);
        try {
            float[] latents = Latents.forRequest(77L, 3, 100);
            long[] rows = {1, 0, 1};

            float[] fromFixed = parts.runner.runGenerator(fixedModel, latents, rows, 3);

            assertArrayEquals(parts.runner.runGenerator(dynamicModel, latents, rows, 3), fromFixed, 1e-5f);
        } finally {
            dynamicModel.release();
            fixedModel.release();
        }
    }

    private static String rejectionOf(CheckpointMetadata metadata, byte[] onnx) {
        return assertThrows(InvalidCheckpointException.class,
                () -> parts.validator.validateCandidate(metadata, onnx)).getMessage();
    }
}
