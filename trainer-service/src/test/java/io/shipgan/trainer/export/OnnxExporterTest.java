package io.shipgan.trainer.export;

import ai.onnxruntime.OnnxJavaType;
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
import io.shipgan.trainer.score.ShipClassifier;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The exported ONNX generator must compute what DL4J computes, in the real ONNX Runtime. */
class OnnxExporterTest {

    private static final double TOLERANCE = 1e-5;
    private static final int LABELS = 2;

    private static OrtEnvironment environment;

    @BeforeAll
    static void startRuntime() {
        environment = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING, "shipgan-export-test");
    }

    @Test
    void conditionalExportAfterRealTrainingStepsMatchesDl4jWithin1e5ForEveryLabel() throws OrtException {
        TrainerConfig config = TestSupport.smallModelConfig();
        GanTrainer gan = GanTrainer.create(config, LABELS);
        ChipSet chips = ShipsNetLoader.load(TestSupport.shipsnetFolder(), TestSupport.heldoutScenesFile(),
                EnumSet.allOf(ChipLabel.class), 8);
        ChipBatches batches = new ChipBatches(chips.train(), List.of(ChipLabel.SHIP, ChipLabel.NO_SHIP),
                config.batchSize(), config.seed());
        gan.trainStep(batches.batch(0), 0);
        gan.trainStep(batches.batch(1), 1);
        assertTrue(runningMean(gan.generator()).amaxNumber().doubleValue() > 0,
                "two steps leave non-zero running means in batch normalisation");

        double maxDifference = maxDifferenceOfOutputs(gan.generator(), new long[] {0, 1, 1, 0, 1});

        assertTrue(maxDifference <= TOLERANCE, "max |DL4J - ONNX Runtime| = " + maxDifference);
    }

    @Test
    void exportOfDefaultGeneratorsWithRandomisedBatchNormMatchesDl4jWithin1e5() throws OrtException {
        for (String upsampling : List.of("resize-conv", "transposed")) {
            TrainerConfig config = TestSupport.trainerConfig(Map.of("upsampling", upsampling));
            MultiLayerNetwork generator = Dcgan.generator(config, LABELS);
            randomiseBatchNormalisation(generator, new Random(7));

            double maxDifference = maxDifferenceOfOutputs(generator, new long[] {1, 0, 1});

            assertTrue(maxDifference <= TOLERANCE, upsampling + ": max |DL4J - ONNX Runtime| = " + maxDifference);
        }
    }

    @Test
    void exportedModelDeclaresTheConditionalGeneratorInterface() throws OrtException {
        byte[] onnx = OnnxExporter.exportGenerator(Dcgan.generator(TestSupport.smallModelConfig(), LABELS), LABELS);

        try (OrtSession session = environment.createSession(onnx, new OrtSession.SessionOptions())) {
            assertEquals(Set.of("latent", "label"), session.getInputNames());
            assertEquals(Set.of("image"), session.getOutputNames());
            TensorInfo latent = (TensorInfo) session.getInputInfo().get("latent").getInfo();
            TensorInfo label = (TensorInfo) session.getInputInfo().get("label").getInfo();
            TensorInfo image = (TensorInfo) session.getOutputInfo().get("image").getInfo();
            assertArrayEquals(new long[] {-1, 100}, latent.getShape());
            assertArrayEquals(new long[] {-1}, label.getShape());
            assertEquals(OnnxJavaType.INT64, label.type);
            assertArrayEquals(new long[] {-1, 3, 80, 80}, image.getShape());
            assertEquals(17, opset(onnx));
        }
    }

    @Test
    void unconditionalExportHasOnlyTheLatentInput() throws OrtException {
        MultiLayerNetwork generator = Dcgan.generator(TestSupport.smallModelConfig(), 0);
        byte[] onnx = OnnxExporter.exportGenerator(generator, 0);

        try (OrtSession session = environment.createSession(onnx, new OrtSession.SessionOptions())) {
            assertEquals(Set.of("latent"), session.getInputNames());
        }
    }

    @Test
    void exportedClassifierMatchesDl4jProbabilitiesAndFeatures() throws OrtException {
        TrainerConfig config = TestSupport.smallModelConfig();
        MultiLayerNetwork classifier = ShipClassifier.build(config.classifier(), 3);
        ChipSet chips = ShipsNetLoader.load(TestSupport.shipsnetFolder(), TestSupport.heldoutScenesFile(),
                EnumSet.allOf(ChipLabel.class), 3);
        INDArray images = Nd4j.concat(0, chips.heldout().stream()
                .map(chip -> Nd4j.create(chip.pixels(), new long[] {1, 3, 80, 80}, 'c')).toArray(INDArray[]::new));
        ShipClassifier dl4j = new ShipClassifier(classifier);
        double[] ship = dl4j.shipProbabilities(images);
        double[][] features = dl4j.features(images);
        byte[] onnx = OnnxExporter.exportClassifier(classifier, ShipClassifier.FEATURE_LAYER, 3, 80, 80);

        try (OrtSession session = environment.createSession(onnx, new OrtSession.SessionOptions());
             OnnxTensor input = OnnxTensor.createTensor(environment,
                     FloatBuffer.wrap(images.dup('c').data().asFloat()), images.shape());
             OrtSession.Result result = session.run(Map.of("image", input))) {
            float[][] probabilities = (float[][]) result.get("probabilities").orElseThrow().getValue();
            float[][] onnxFeatures = (float[][]) result.get("features").orElseThrow().getValue();
            assertEquals(ship.length, probabilities.length);
            for (int i = 0; i < ship.length; i++) {
                assertEquals(ship[i], probabilities[i][ShipClassifier.SHIP_OUTPUT], TOLERANCE);
                assertEquals(1.0, probabilities[i][0] + probabilities[i][1], TOLERANCE);
                assertEquals(features[i].length, onnxFeatures[i].length);
                for (int f = 0; f < features[i].length; f++) {
                    assertEquals(features[i][f], onnxFeatures[i][f], TOLERANCE);
                }
            }
        }
    }

    /**
     * Runs the same latent batch with these labels through DL4J (inference mode, one-hot labels appended) and
     * through the exported bytes in ONNX Runtime (label indices).
     */
    private static double maxDifferenceOfOutputs(MultiLayerNetwork generator, long[] labels) throws OrtException {
        int batch = labels.length;
        INDArray latent = Nd4j.randn(DataType.FLOAT, batch, 100);
        int[] labelIndices = java.util.Arrays.stream(labels).mapToInt(label -> (int) label).toArray();
        INDArray expected = generator.output(GanTrainer.generatorInput(latent, labelIndices, LABELS), false);
        byte[] onnx = OnnxExporter.exportGenerator(generator, LABELS);

        try (OrtSession session = environment.createSession(onnx, new OrtSession.SessionOptions());
             OnnxTensor input = OnnxTensor.createTensor(environment,
                     FloatBuffer.wrap(latent.dup('c').data().asFloat()), new long[] {batch, 100});
             OnnxTensor label = OnnxTensor.createTensor(environment, LongBuffer.wrap(labels), new long[] {batch});
             OrtSession.Result result = session.run(Map.of("latent", input, "label", label))) {
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
        INDArray latent = GanTrainer.generatorInput(Nd4j.randn(DataType.FLOAT, 16, 100), new int[16], LABELS);
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
