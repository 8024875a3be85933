package io.shipgan.trainer.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import io.shipgan.trainer.export.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Losses and scores over the steps of a run, for the curve image and the status API, kept in the state folder as
 * one JSON line per point so that a resumed run continues its curves. Points after the step a run resumes from
 * (written between the last save and a crash) are dropped on resume.
 */
public final class TrainingHistory {

    static final String FILE = "history.jsonl";

    /** Most points kept in memory and on disk; older ones are thinned out, every other one dropped. */
    static final int MAX_POINTS = 4000;

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One point: losses at a logged step, and scores (with the version) at a checkpoint.
     *
     * @param version checkpoint version, only on checkpoint points that were published
     * @param scores  only on checkpoint points
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Point(long step, double generatorLoss, double discriminatorLoss, Long version,
                        Map<String, Double> scores) {
    }

    private final Path file;
    private final List<Point> points = new ArrayList<>();

    private TrainingHistory(Path file) {
        this.file = file;
    }

    /** The history of the state folder up to {@code step}; empty for a fresh run (step 0). */
    public static TrainingHistory resume(Path stateDir, long step) {
        TrainingHistory history = new TrainingHistory(stateDir.resolve(FILE));
        if (step > 0 && Files.exists(history.file)) {
            try {
                for (String line : Files.readAllLines(history.file, StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) {
                        Point point = JSON.readValue(line, Point.class);
                        if (point.step() <= step) {
                            history.points.add(point);
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                Log.warnf("cannot read the training history %s (%s): the curves start afresh", history.file,
                        e.getMessage());
                history.points.clear();
            }
        }
        history.rewrite();
        return history;
    }

    public synchronized void add(Point point) {
        points.add(point);
        if (points.size() > MAX_POINTS) {
            thin();
            rewrite();
            return;
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, JSON.writeValueAsString(point) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            Log.warnf("cannot append to the training history %s: %s", file, e.getMessage());
        }
    }

    public synchronized List<Point> points() {
        return List.copyOf(points);
    }

    /** Drops every other loss point; checkpoint points (those with scores) stay. */
    private void thin() {
        List<Point> kept = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            if (points.get(i).scores() != null || i % 2 == 0) {
                kept.add(points.get(i));
            }
        }
        points.clear();
        points.addAll(kept);
    }

    private void rewrite() {
        StringBuilder lines = new StringBuilder();
        try {
            for (Point point : points) {
                lines.append(JSON.writeValueAsString(point)).append('\n');
            }
            AtomicFiles.write(file, lines.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            Log.warnf("cannot write the training history %s: %s", file, e.getMessage());
        }
    }
}
