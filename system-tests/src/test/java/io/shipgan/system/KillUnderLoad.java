package io.shipgan.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Steady, bounded load on one URL from a fixed number of closed-loop clients, with a kill in the middle: what was
 * in flight when the kill came, how many requests failed, and how soon requests succeeded again.
 */
public final class KillUnderLoad {

    /** What the kill does, e.g. SIGKILL to one replica. */
    public interface Kill {
        void run() throws Exception;
    }

    /**
     * The figures of one run.
     *
     * @param requests              requests sent
     * @param failed                requests without a 200 answer (another status, a broken connection, a timeout)
     * @param inFlightAtKill        requests sent before the kill and answered after it
     * @param succeededAfterKill    requests sent after the kill that got a 200
     * @param firstSuccessAfterKill from the kill to the first 200 of a request sent after it; null when none
     * @param longestGap            the longest time without any 200 answer from the kill to the end
     */
    public record Figures(int requests, int failed, int inFlightAtKill, int succeededAfterKill,
                   Duration firstSuccessAfterKill, Duration longestGap) {

        @Override
        public String toString() {
            return requests + " requests, " + failed + " failed, " + inFlightAtKill + " in flight at the kill, "
                    + succeededAfterKill + " succeeded after it, first success " + millis(firstSuccessAfterKill)
                    + " after the kill, longest gap without a success " + millis(longestGap);
        }

        private static String millis(Duration duration) {
            return duration == null ? "never" : duration.toMillis() + " ms";
        }
    }

    private record Outcome(long sentNanos, long answeredNanos, boolean succeeded) {
    }

    private KillUnderLoad() {
    }

    /**
     * Runs {@code clients} closed-loop clients on {@code urlPrefix + randomSeed} for {@code length}, calls
     * {@code kill} after {@code killAfter}, and waits for every client to stop.
     */
    public static Figures run(String urlPrefix, String apiKey, int clients, Duration length, Duration killAfter,
                              Kill kill) throws Exception {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        long start = System.nanoTime();
        long end = start + length.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<List<Outcome>>> results = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            results.add(pool.submit(() -> load(http, urlPrefix, apiKey, end)));
        }
        Thread.sleep(killAfter.toMillis());
        long killNanos = System.nanoTime();
        kill.run();
        List<Outcome> outcomes = new ArrayList<>();
        for (Future<List<Outcome>> result : results) {
            outcomes.addAll(result.get());
        }
        pool.shutdown();
        return figures(outcomes, killNanos, end);
    }

    private static List<Outcome> load(HttpClient http, String urlPrefix, String apiKey, long end) {
        List<Outcome> outcomes = new ArrayList<>();
        while (System.nanoTime() < end) {
            long sent = System.nanoTime();
            boolean succeeded;
            try {
                HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(
                                URI.create(urlPrefix + ThreadLocalRandom.current().nextLong(1_000_000)))
                        .header("X-API-Key", apiKey)
                        .timeout(Duration.ofSeconds(20))
                        .build(), HttpResponse.BodyHandlers.ofByteArray());
                succeeded = response.statusCode() == 200;
            } catch (IOException e) {
                succeeded = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            outcomes.add(new Outcome(sent, System.nanoTime(), succeeded));
        }
        return outcomes;
    }

    private static Figures figures(List<Outcome> outcomes, long killNanos, long end) {
        int failed = (int) outcomes.stream().filter(outcome -> !outcome.succeeded()).count();
        int inFlight = (int) outcomes.stream()
                .filter(outcome -> outcome.sentNanos() < killNanos && outcome.answeredNanos() >= killNanos).count();
        List<Outcome> successesAfter = outcomes.stream()
                .filter(outcome -> outcome.succeeded() && outcome.sentNanos() >= killNanos)
                .sorted(Comparator.comparingLong(Outcome::answeredNanos))
                .toList();
        Duration firstSuccess = successesAfter.isEmpty() ? null
                : Duration.ofNanos(successesAfter.get(0).answeredNanos() - killNanos);
        List<Long> answers = outcomes.stream()
                .filter(outcome -> outcome.succeeded() && outcome.answeredNanos() >= killNanos)
                .map(Outcome::answeredNanos).sorted().toList();
        long longestGap = 0;
        long previous = killNanos;
        for (long answered : answers) {
            longestGap = Math.max(longestGap, answered - previous);
            previous = answered;
        }
        longestGap = Math.max(longestGap, Math.max(0, end - previous));
        return new Figures(outcomes.size(), failed, inFlight, successesAfter.size(), firstSuccess,
                Duration.ofNanos(longestGap));
    }
}
