package io.shipgan.trainer.export;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.shipgan.trainer.TestSupport;
import io.shipgan.trainer.config.TrainerConfig;
import io.shipgan.trainer.data.ChipBatches;
import io.shipgan.trainer.data.ChipLabel;
import io.shipgan.trainer.data.ChipSet;
import io.shipgan.trainer.data.ShipsNetLoader;
import io.shipgan.trainer.model.Dcgan;
import io.shipgan.trainer.model.GanTrainer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.FloatBuffer;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The exported ONNX generator must compute what DL4J computes, in the real ONNX Runtime. */
class OnnxExporterTest {

    private static final double TOLERANCE = 1e-5;

    private static OrtEnvironment environment;

    @BeforeAll
    static void startRuntime() {
        environment = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING, "shipgan-export-test");
    }

    @Test
    void exportAfterRealTrainingStepsMatchesDl4jWithin1e5() throws OrtException {
        TrainerConfig config = TestSupport.smallModelConfig();
        Nd4j.getRandom().setSeed(config.seed());
        GanTrainer gan = GanTrainer.create(config);
        ChipSet chips = ShipsNetLoader.load(TestSupport.shipsnetFolder(), TestSupport.heldoutScenesFile(),
                EnumSet.of(ChipLabel.SHIP), 16);
        Iterator<INDArray> batches = new ChipBatches(chips.train(), config.batchSize(), new Random(1)).nextEpoch();
        gan.trainStep(batches.next());
        gan.trainStep(batches.next());
        assertTrue(runningMean(gan.generator()).amaxNumber().doubleValue() > 0,
                "two steps leave non-zero running means in batch normalisation");

        double maxDifference = maxDifferenceOfOutputs(gan.generator(), 5);

        assertTrue(maxDifference <= TOLERANCE, "max |DL4J - ONNX Runtime| = " + maxDifference);
    }

    @Test
    void exportOfDefaultGeneratorWithRandomisedBatchNormMatchesDl4jWithin1e5() throws OrtException {
        TrainerConfig config = TestSupport.trainerConfig(Map.of());
        MultiLayerNetwork generator = Dcgan.generator(config);
        randomiseBatchNormalisation(generator, new Random(7));

        double maxDifference = maxDifferenceOfOutputs(generator, 3);

        assertTrue(maxDifference <= TOLERANCE, "max |DL4J - ONNX Runtime| = " + maxDifference);
    }

    @Test
    void exportedModelDeclaresTheGeneratorInterface() throws OrtException {
        byte[] onnx = OnnxExporter.exportGenerator(Dcgan.generator(TestSupport.smallModelConfig()));

        try (OrtSession session = environment.createSession(onnx, new OrtSession.SessionOptions())) {
            assertEquals(Set.of("latent"), session.getInputNames());
            assertEquals(Set.of("image"), session.getOutputNames());
            NodeInfo input = session.getInputInfo().get("latent");
            NodeInfo output = session.getOutputInfo().get("image");
            assertArrayEquals(new long[] {-1, 100}, ((TensorInfo) input.getInfo()).getShape());
            assertArrayEquals(new long[] {-1, 3, 80, 80}, ((TensorInfo) output.getInfo()).getShape());
            assertEquals(17, opset(onnx));
        }
    }

    /** Runs the same latent batch through DL4J (inference mode) and through the exported bytes in ONNX Runtime. */
    private static double maxDifferenceOfOutputs(MultiLayerNetwork generator, int batch) throws OrtException {
        INDArray latent = Nd4j.randn(DataType.FLOAT, batch, 100);
        INDArray expected = generator.output(latent, false);
        byte[] onnx = OnnxExporter.exportGenerator(generator);

        try (OrtSession session = environment.createSession(onnx, new OrtSession.SessionOptions());
             OnnxTensor input = OnnxTensor.createTensor(environment,
                     FloatBuffer.wrap(latent.dup('c').data().asFloat()), new long[] {batch, 100});
             OrtSession.Result result = session.run(Map.of("latent", input))) {
            OnnxTensor image = (OnnxTensor) result.get("image").orElseThrow();
            assertArrayEquals(new long[] {batch, 3, 80, 80}, image.getInfo().getShape());
            float[] actual = image.getFloatBuffer().array();
            float[] wanted = expected.dup('c').data().asFloat();
            assertEquals(wanted.length, actual.length);
            double max = 0;
            for (int i = 0; i < wanted.length; i++) {
                max = Math.max(max, Math.abs(wanted[i] - actual[i]));
            }
            return max;
        }
    }

    /**
     * Gives every batch normalisation layer random gamma and beta, and running statistics near those of its real
     * input (as training leaves them) but off by random factors, so that a mistake in any of the four shows.
     */
    private static void randomiseBatchNormalisation(MultiLayerNetwork generator, Random random) {
        INDArray latent = Nd4j.randn(DataType.FLOAT, 16, 100);
        for (int i = 0; i < generator.getnLayers(); i++) {
            Layer layer = generator.getLayer(i);
            if (!(layer.conf().getLayer() instanceof BatchNormalization)) {
                continue;
            }
            INDArray input = generator.feedForward(latent, false).get(i);
            long channels = layer.getParam(BatchNormalizationParamInitializer.GAMMA).length();
            INDArray perChannel = input.reshape('c', input.size(0), channels, -1);
            INDArray mean = perChannel.mean(0, 2);
            INDArray variance = perChannel.var(false, 0, 2);
            fill(layer.getParam(BatchNormalizationParamInitializer.GAMMA), random, 0.5, 1.5);
            fill(layer.getParam(BatchNormalizationParamInitializer.BETA), random, -0.5, 0.5);
            INDArray runningMean = layer.getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN);
            INDArray log10Std = layer.getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD);
            for (long c = 0; c < channels; c++) {
                double std = Math.sqrt(variance.getDouble(c));
                runningMean.putScalar(c, mean.getDouble(c) + std * (random.nextDouble() - 0.5));
                log10Std.putScalar(c, Math.log10(std * (0.5 + 1.5 * random.nextDouble())));
            }
        }
    }

    private static void fill(INDArray parameter, Random random, double low, double high) {
        for (long i = 0; i < parameter.length(); i++) {
            parameter.putScalar(i, low + (high - low) * random.nextDouble());
        }
    }

    private static INDArray runningMean(MultiLayerNetwork generator) {
        return Nd4j.math().abs(generator.getLayer(1).getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN));
    }

    private static long opset(byte[] onnx) {
        try {
            return ai.onnx.proto.OnnxMl.ModelProto.parseFrom(onnx).getOpsetImport(0).getVersion();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }
}
