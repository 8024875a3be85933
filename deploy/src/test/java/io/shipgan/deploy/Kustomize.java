package io.shipgan.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Renders a kustomization offline, with {@code kubectl kustomize} (kustomize v5) or a standalone kustomize. */
final class Kustomize {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern KUSTOMIZE_MAJOR = Pattern.compile("Kustomize Version: v(\\d+)");

    private static List<String> renderer;

    private Kustomize() {
    }

    /** The YAML the kustomization renders to; a kustomization that does not render is a problem. */
    static String render(Path kustomization) {
        List<String> command = new ArrayList<>(renderer());
        command.add(kustomization.toAbsolutePath().toString());
        Commands.Result result = Commands.run(command, kustomization, Map.of(), Set.of(), TIMEOUT);
        if (!result.succeeded()) {
            throw new DeploymentCheckException("kustomize cannot render " + kustomization,
                    List.of(result.stderr().strip()));
        }
        return result.stdout();
    }

    private static synchronized List<String> renderer() {
        if (renderer == null) {
            renderer = findRenderer();
        }
        return renderer;
    }

    private static List<String> findRenderer() {
        if (Commands.find("kubectl").isPresent() && kubectlHasKustomize5()) {
            return List.of("kubectl", "kustomize");
        }
        if (Commands.find("kustomize").isPresent()) {
            return List.of("kustomize", "build");
        }
        throw new IllegalStateException("The deployment checks render deploy/k8s with `kubectl kustomize`, which "
                + "needs kubectl 1.27 or newer (kustomize v5), or with a standalone `kustomize` v5; neither is on "
                + "the PATH. Debian's kubernetes-client package is too old (kubectl 1.20, kustomize v2).");
    }

    private static boolean kubectlHasKustomize5() {
        Commands.Result version = Commands.run(List.of("kubectl", "version", "--client"), Path.of("."), Map.of(),
                Set.of(), TIMEOUT);
        Matcher major = KUSTOMIZE_MAJOR.matcher(version.stdout());
        return major.find() && Integer.parseInt(major.group(1)) >= 5;
    }
}
