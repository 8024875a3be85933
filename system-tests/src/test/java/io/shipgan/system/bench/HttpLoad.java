package io.shipgan.system.bench;

import io.shipgan.system.GatewayKeys;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop HTTP clients on loopback: each asks for one image ({@code count=1}, a new seed every time), waits for
 * the answer and asks again, until closed or until its time limit. Records latencies and failures inside a
 * recording window, and the moment each model version was first served.
 */
final class HttpLoad implements AutoCloseable {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final int FAILURES_KEPT = 5;

    private final HttpClient http;
    private final String imagesUrl;
    private final List<Thread> clients = new ArrayList<>();
    private final List<List<Long>> latencies = new ArrayList<>();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final Map<Long, Long> firstServedNanos = new ConcurrentHashMap<>();
    private final List<String> failureExamples = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong succeeded = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong failedSinceStart = new AtomicLong();
    private volatile long recordingSince = Long.MAX_VALUE;
    private volatile long recordingUntil = Long.MAX_VALUE;

    /**
     * What a recording window saw.
     *
     * @param succeeded       200 answers that completed inside the window
     * @param failed          requests that failed inside it: another status, a timeout, a broken connection
     * @param failedSinceStart requests failed since the clients started, warm-up included
     * @param nanos           latency of each successful request that started and ended inside it
     * @param seconds         length of the window
     * @param failureExamples the first few failures, for the log
     */
    record Window(long succeeded, long failed, long failedSinceStart, long[] nanos, double seconds,
                  List<String> failureExamples) {

        double imagesPerSecond() {
            return succeeded / seconds;
        }
    }

    private HttpLoad(HttpClient http, String baseUrl) {
        this.http = http;
        this.imagesUrl = baseUrl + "/api/v1/images?count=1&seed=";
    }

    /** Starts {@code clients} clients against {@code baseUrl}; each stops by itself after {@code limit}. */
    static HttpLoad start(HttpClient http, String baseUrl, int clients, Duration limit) {
        HttpLoad load = new HttpLoad(http, baseUrl);
        long deadline = System.nanoTime() + limit.toNanos();
        for (int client = 0; client < clients; client++) {
            List<Long> mine = Collections.synchronizedList(new ArrayList<>());
            load.latencies.add(mine);
            long firstSeed = client * 1_000_000_000L;
            Thread thread = new Thread(() -> load.askUntilStopped(firstSeed, deadline, mine), "bench-client-" + client);
            thread.setDaemon(true);
            load.clients.add(thread);
        }
        load.clients.forEach(Thread::start);
        return load;
    }

    /** Opens the recording window now, forgetting what an earlier window saw. */
    void startRecording() {
        latencies.forEach(List::clear);
        failureExamples.clear();
        succeeded.set(0);
        failed.set(0);
        recordingUntil = Long.MAX_VALUE;
        recordingSince = System.nanoTime();
    }

    /** Closes the recording window now and returns what it saw; the clients go on asking. */
    Window stopRecording() {
        long until = System.nanoTime();
        recordingUntil = until;
        long since = recordingSince;
        recordingSince = Long.MAX_VALUE;
        long[] nanos = latencies.stream()
                .flatMap(list -> {
                    synchronized (list) {
                        return new ArrayList<>(list).stream();
                    }
                })
                .mapToLong(Long::longValue)
                .toArray();
        return new Window(succeeded.get(), failed.get(), failedSinceStart.get(), nanos, (until - since) / 1e9,
                List.copyOf(failureExamples));
    }

    /**
     * Waits until some client got an answer from model {@code version} (or a newer one).
     *
     * @return the {@link System#nanoTime()} of that first answer, or empty after {@code timeout}
     */
    OptionalLong awaitVersion(long version, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            OptionalLong served = firstServed(version);
            if (served.isPresent()) {
                return served;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return OptionalLong.empty();
            }
        }
        return OptionalLong.empty();
    }

    private OptionalLong firstServed(long version) {
        return firstServedNanos.entrySet().stream()
                .filter(entry -> entry.getKey() >= version)
                .mapToLong(Map.Entry::getValue)
                .min();
    }

    @Override
    public void close() {
        stopped.set(true);
        for (Thread client : clients) {
            try {
                client.join(TimeUnit.SECONDS.toMillis(REQUEST_TIMEOUT.toSeconds() + 5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void askUntilStopped(long firstSeed, long deadline, List<Long> mine) {
        long seed = firstSeed;
        while (!stopped.get() && System.nanoTime() < deadline) {
            // The gateway needs the key; a generator asked directly does not look at it.
            HttpRequest request = HttpRequest.newBuilder(URI.create(imagesUrl + seed++))
                    .header(GatewayKeys.HEADER, GatewayKeys.USER)
                    .timeout(REQUEST_TIMEOUT)
                    .build();
            long start = System.nanoTime();
            String failure;
            try {
                HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                long end = System.nanoTime();
                if (response.statusCode() == 200) {
                    noteServed(response, end);
                    if (inWindow(end)) {
                        succeeded.incrementAndGet();
                        if (inWindow(start)) {
                            mine.add(end - start);
                        }
                    }
                    continue;
                }
                failure = response.statusCode() + " " + new String(response.body(), 0,
                        Math.min(200, response.body().length));
            } catch (IOException e) {
                failure = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            // A failure outside the window still counts in failedSinceStart, so none goes unseen.
            failedSinceStart.incrementAndGet();
            if (inWindow(System.nanoTime())) {
                failed.incrementAndGet();
            }
            if (failureExamples.size() < FAILURES_KEPT) {
                failureExamples.add(failure);
            }
        }
    }

    private boolean inWindow(long nanos) {
        return nanos >= recordingSince && nanos <= recordingUntil;
    }

    private void noteServed(HttpResponse<?> response, long nanos) {
        response.headers().firstValue("X-Model-Version")
                .map(Long::parseLong)
                .ifPresent(version -> firstServedNanos.merge(version, nanos, Math::min));
    }
}
