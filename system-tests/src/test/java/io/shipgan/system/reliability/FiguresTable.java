package io.shipgan.system.reliability;

import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Prints the reliability figures of the whole test run as one Markdown table when the run ends, and writes it to
 * {@code target/reliability/figures.md} with the date and the machine, ready for the README. Registered with the
 * JUnit Platform's service loader; a run that recorded no figure prints nothing.
 */
public final class FiguresTable implements TestExecutionListener {

    static final Path FILE = Paths.get("target", "reliability", "figures.md");

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        List<Promises.Figure> figures = Promises.figures();
        if (figures.isEmpty()) {
            return;
        }
        String table = render(figures);
        System.out.println();
        System.out.println(table);
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, table, StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.err.println("cannot write " + FILE.toAbsolutePath() + ": " + e);
        }
    }

    static String render(List<Promises.Figure> figures) {
        long broken = figures.stream().filter(figure -> !figure.held()).count();
        StringBuilder table = new StringBuilder()
                .append("Reliability figures, ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                .append(", ").append(machine()).append(": ")
                .append(broken == 0 ? "every promise held" : broken + " BROKEN").append("\n\n")
                .append("| promise | figure | measured | limit | held |\n")
                .append("|---|---|---|---|---|\n");
        for (Promises.Figure figure : figures) {
            table.append("| ").append(figure.promise())
                    .append(" | ").append(figure.figure())
                    .append(" | ").append(figure.measured())
                    .append(" | ").append(figure.limit())
                    .append(" | ").append(figure.held() ? "yes" : "**NO**")
                    .append(" |\n");
        }
        return table.toString();
    }

    /** Cores, CPU model and memory, as far as {@code /proc} tells them. */
    static String machine() {
        String cpu = firstValue(Paths.get("/proc/cpuinfo"), "model name").orElse("unknown CPU");
        String memory = firstValue(Paths.get("/proc/meminfo"), "MemTotal")
                .map(kib -> Math.round(Long.parseLong(kib.replaceAll("[^0-9]", "")) / 1048576.0) + " GiB")
                .orElse("unknown memory");
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), " + memory;
    }

    private static Optional<String> firstValue(Path file, String key) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.filter(line -> line.startsWith(key))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
