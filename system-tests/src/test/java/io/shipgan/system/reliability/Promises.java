package io.shipgan.system.reliability;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The reliability suite's promises and what each run measured for them. A test states a figure against its limit
 * with {@link #require}: the figure joins the table that {@link FiguresTable} prints and writes at the end of the
 * run, whether it held or not, and a broken promise fails the test. Figures that only inform (no limit) go in
 * with {@link #report}.
 */
public final class Promises {

    /**
     * One line of the table.
     *
     * @param promise  the promise's number and short name, e.g. "5 replica killed under load"
     * @param figure   what was measured, e.g. "failed requests"
     * @param measured the value with its unit, as it should read
     * @param limit    what the promise allows, e.g. "≤ 1 %"; "-" for a figure that only informs
     * @param held     whether the measured value is within the limit
     */
    public record Figure(String promise, String figure, String measured, String limit, boolean held) {
    }

    private static final List<Figure> FIGURES = new CopyOnWriteArrayList<>();

    private Promises() {
    }

    /**
     * Records a figure and fails with {@code detail} when it is outside its limit.
     *
     * @throws AssertionError when {@code held} is false
     */
    public static void require(String promise, String figure, String measured, String limit, boolean held,
                               String detail) {
        Figure recorded = new Figure(promise, figure, measured, limit, held);
        FIGURES.add(recorded);
        failIfBroken(recorded, detail);
    }

    static void failIfBroken(Figure figure, String detail) {
        if (!figure.held()) {
            throw new AssertionError("promise " + figure.promise() + " broken: " + figure.figure() + " "
                    + figure.measured() + ", allowed " + figure.limit()
                    + (detail == null || detail.isEmpty() ? "" : "\n" + detail));
        }
    }

    /** Records a figure that has no limit of its own, e.g. a p99 latency the promise only asks to report. */
    public static void report(String promise, String figure, String measured) {
        FIGURES.add(new Figure(promise, figure, measured, "-", true));
    }

    /** Everything recorded in this run, in the order it was recorded. */
    public static List<Figure> figures() {
        return List.copyOf(FIGURES);
    }
}
