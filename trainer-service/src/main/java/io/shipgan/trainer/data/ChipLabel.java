package io.shipgan.trainer.data;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The two ShipsNet classes, with the code the data set uses and the name the configuration uses. */
public enum ChipLabel {

    NO_SHIP(0, "no-ship"),
    SHIP(1, "ship");

    private final int code;
    private final String configName;

    ChipLabel(int code, String configName) {
        this.code = code;
        this.configName = configName;
    }

    public int code() {
        return code;
    }

    public String configName() {
        return configName;
    }

    /** The label of a ShipsNet class code: 1 = ship, 0 = no ship. */
    public static ChipLabel fromCode(int code) {
        for (ChipLabel label : values()) {
            if (label.code == code) {
                return label;
            }
        }
        throw new IllegalArgumentException("ShipsNet label " + code + " is neither 1 (ship) nor 0 (no ship)");
    }

    /** The label named in {@code shipgan.trainer.train-labels}. */
    public static ChipLabel fromConfigName(String name) {
        for (ChipLabel label : values()) {
            if (label.configName.equalsIgnoreCase(name.trim())) {
                return label;
            }
        }
        String known = Arrays.stream(values()).map(ChipLabel::configName).collect(Collectors.joining(", "));
        throw new IllegalArgumentException("unknown train label '" + name + "': use one or more of " + known);
    }

    /**
     * The labels a conditional model is trained on, in the order of their indices in the model's label input:
     * {@code ship} first (the default of the sampling API), then {@code no-ship}, keeping only those trained.
     */
    public static List<ChipLabel> modelOrder(Set<ChipLabel> trained) {
        return Stream.of(SHIP, NO_SHIP).filter(trained::contains).toList();
    }

    /** The labels named in {@code shipgan.trainer.train-labels}, e.g. {@code [ship]} or {@code [ship, no-ship]}. */
    public static Set<ChipLabel> fromConfigNames(List<String> names) {
        Set<ChipLabel> labels = EnumSet.noneOf(ChipLabel.class);
        names.forEach(name -> labels.add(fromConfigName(name)));
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("shipgan.trainer.train-labels names no label");
        }
        return labels;
    }
}
