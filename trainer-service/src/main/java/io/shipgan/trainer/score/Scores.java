package io.shipgan.trainer.score;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Score maps as log lines read them. */
public final class Scores {

    private Scores() {
    }

    /** {@code fd_ship=12.3, ship_rate=0.712, ...} in name order, or {@code none}. */
    public static String format(Map<String, Double> scores) {
        if (scores.isEmpty()) {
            return "none";
        }
        return new TreeMap<>(scores).entrySet().stream()
                .map(entry -> entry.getKey() + "=" + String.format("%.4g", entry.getValue()))
                .collect(Collectors.joining(", "));
    }
}
