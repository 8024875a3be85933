package io.shipgan.checkpoint;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the trainer says about one checkpoint: the facts a generator needs to verify it and serve it, and the
 * facts an operator wants to see about it. Travels as JSON in the {@link CheckpointRecord#METADATA_HEADER} header.
 *
 * @param formatVersion version of this record format, {@link CheckpointRecord#FORMAT_VERSION} when written
 * @param modelName     the record key: one model name, many versions
 * @param version       strictly increasing per model name
 * @param sha256        lower-case hex SHA-256 of the ONNX bytes in the record value
 * @param sizeBytes     length of the ONNX bytes
 * @param createdAt     when the trainer exported the checkpoint
 * @param step          training steps (generator updates) done when it was exported
 * @param epoch         passes over the training split done when it was exported, starting at 0
 * @param latentSize    length of each latent vector the model takes
 * @param labels        the class labels the model is conditioned on, in the order of their indices in the
 *                      {@code label} input (e.g. {@code [ship, no-ship]}); empty for an unconditional model
 * @param inputName     name of the ONNX latent input, shape [N, latentSize] float32
 * @param outputName    name of the ONNX image output
 * @param outputShape   shape of one output sample, [channels, height, width], values in [-1, 1]
 * @param losses        the last losses by name ({@code generator}, {@code discriminator})
 * @param scores        quality scores by name, empty when none were computed
 * @param trainingSeed  the seed the training run started from
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record CheckpointMetadata(
        int formatVersion,
        String modelName,
        long version,
        String sha256,
        long sizeBytes,
        Instant createdAt,
        long step,
        int epoch,
        int latentSize,
        List<String> labels,
        String inputName,
        String outputName,
        List<Integer> outputShape,
        Map<String, Double> losses,
        Map<String, Double> scores,
        long trainingSeed) {

    public CheckpointMetadata {
        labels = labels == null ? List.of() : List.copyOf(labels);
        outputShape = outputShape == null ? List.of() : List.copyOf(outputShape);
        losses = losses == null ? Map.of() : Map.copyOf(losses);
        scores = scores == null ? Map.of() : Map.copyOf(scores);
    }

    /** Number of float values in one output sample. */
    public int outputValuesPerSample() {
        return outputShape.stream().reduce(1, (a, b) -> a * b);
    }
}
