package io.shipgan.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs the page test ({@code src/test/browser/page-test.mjs}: npm {@code playwright-core} driving Debian's headless
 * Chromium) against a live gateway. A machine without Node.js 20+, Chromium or the test's npm packages fails here
 * with what to install: the browser checks are never skipped silently.
 */
final class WebPageCheck {

    private static final Duration TIMEOUT = Duration.ofMinutes(4);
    private static final int NODE_MAJOR = 20;
    private static final String INSTALL = "; .ci/run installs what is missing (apt-get install -y chromium nodejs npm, "
            + "then npm ci in system-tests/src/test/browser)";

    private WebPageCheck() {
    }

    /**
     * Runs every check of the page test with the given keys and returns the folder with its screenshots
     * ({@code page.png}, {@code page-narrow.png}) and its log.
     */
    static Path run(String gatewayUrl, String userKey, String adminKey) throws IOException, InterruptedException {
        Path repo = SystemTestPaths.repository();
        Path scripts = repo.resolve("system-tests/src/test/browser");
        Path out = Files.createDirectories(repo.resolve("system-tests/target/browser"));
        Path chromium = Path.of(System.getProperty("shipgan.chromium", "/usr/bin/chromium"));
        requireTools(scripts, chromium);

        Path log = out.resolve("page-test.log");
        ProcessBuilder builder = new ProcessBuilder(List.of("node", "page-test.mjs", "--url", gatewayUrl + "/",
                "--out", out.toString(), "--chromium", chromium.toString()))
                .directory(scripts.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // Keys travel in the environment, not on a command line that every process can list.
        builder.environment().put("SHIPGAN_USER_KEY", userKey);
        builder.environment().put("SHIPGAN_ADMIN_KEY", adminKey);
        Process node = builder.start();
        if (!node.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            node.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail("the page test did not finish within " + TIMEOUT + ":\n" + Files.readString(log));
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println(output);
        assertEquals(0, node.exitValue(), "the page test failed (screenshots in " + out + "):\n" + output);
        return out;
    }

    private static void requireTools(Path scripts, Path chromium) throws InterruptedException {
        String version = nodeVersion();
        Matcher major = Pattern.compile("v(\\d+)\\.").matcher(version);
        if (!major.lookingAt() || Integer.parseInt(major.group(1)) < NODE_MAJOR) {
            fail("the page test needs Node.js " + NODE_MAJOR + " or later; 'node --version' said " + version + INSTALL);
        }
        if (!Files.isExecutable(chromium)) {
            fail("the page test needs Chromium at " + chromium + " (or -Dshipgan.chromium=PATH)" + INSTALL);
        }
        if (!Files.isRegularFile(scripts.resolve("node_modules/playwright-core/package.json"))) {
            fail("the page test needs its npm packages in " + scripts.resolve("node_modules") + INSTALL);
        }
    }

    private static String nodeVersion() throws InterruptedException {
        try {
            Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            if (!node.waitFor(30, TimeUnit.SECONDS)) {
                node.destroyForcibly();
                fail("'node --version' did not answer within 30 s");
            }
            return new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            fail("the page test needs Node.js, but 'node' cannot be run (" + e.getMessage() + ")" + INSTALL);
            throw new UncheckedIOException(e);
        }
    }
}
