package io.shipgan.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs the external tools the checks rely on (kubectl, docker-compose), with a time limit. */
final class Commands {

    /** What a finished command left: its exit code and everything it printed. */
    record Result(int exitCode, String stdout, String stderr) {

        boolean succeeded() {
            return exitCode == 0;
        }
    }

    private Commands() {
    }

    /** The executable of that name on the PATH, if any. */
    static Optional<Path> find(String tool) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, tool))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /**
     * Runs the command in the folder, with the environment changed as given (entries of {@code set} added,
     * variables named in {@code unset} removed), and waits for it at most {@code timeout}.
     */
    static Result run(List<String> command, Path workDir, Map<String, String> set, Set<String> unset,
            Duration timeout) {
        try {
            Path stdout = Files.createTempFile("shipgan-deploy-", ".out");
            Path stderr = Files.createTempFile("shipgan-deploy-", ".err");
            try {
                ProcessBuilder builder = new ProcessBuilder(command)
                        .directory(workDir.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectOutput(stdout.toFile())
                        .redirectError(stderr.toFile());
                builder.environment().keySet().removeAll(unset);
                builder.environment().putAll(set);
                Process process = builder.start();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(command + " did not finish within " + timeout);
                }
                return new Result(process.exitValue(), Files.readString(stdout), Files.readString(stderr));
            } finally {
                Files.deleteIfExists(stdout);
                Files.deleteIfExists(stderr);
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }
}
