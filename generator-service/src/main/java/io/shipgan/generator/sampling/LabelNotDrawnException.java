package io.shipgan.generator.sampling;

import java.util.List;

/** A request asked for a label that the model it was routed to does not draw. */
public class LabelNotDrawnException extends RuntimeException {

    private final String label;
    private final long version;
    private final List<String> labels;

    /**
     * @param label   the label asked for
     * @param version the model that cannot draw it
     * @param labels  the labels that model draws; empty when it is unconditional
     */
    public LabelNotDrawnException(String label, long version, List<String> labels) {
        super("model " + version + " does not draw label '" + label + "'; it draws "
                + (labels.isEmpty() ? "no labels (unconditional)" : labels), null, false, false);
        this.label = label;
        this.version = version;
        this.labels = List.copyOf(labels);
    }

    public String label() {
        return label;
    }

    public long version() {
        return version;
    }

    public List<String> labels() {
        return labels;
    }
}
