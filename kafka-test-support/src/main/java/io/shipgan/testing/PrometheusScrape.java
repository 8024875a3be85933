package io.shipgan.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scrape of a service's Prometheus endpoint over real HTTP, read into samples: what the services' tests use to
 * check that a metric exists under its name and labels, and what it says.
 */
public final class PrometheusScrape {

    /** {@code name{labels} value} or {@code name value}; label values here never hold a quote or a comma. */
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"([^\"]*)\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One line of the exposition: a metric name, its labels and its value. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private final String contentType;
    private final String text;
    private final List<Sample> samples;

    private PrometheusScrape(String contentType, String text, List<Sample> samples) {
        this.contentType = contentType;
        this.text = text;
        this.samples = samples;
    }

    /** GETs {@code url} (e.g. {@code http://127.0.0.1:PORT/q/metrics}), which must answer 200. */
    public static PrometheusScrape scrape(String url) {
        HttpResponse<String> response;
        try {
            response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                    .header("Accept", "text/plain").GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("scraping " + url + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while scraping " + url, e);
        }
        if (response.statusCode() != 200) {
            throw new AssertionError(url + " answered " + response.statusCode() + ": " + response.body());
        }
        return parse(response.headers().firstValue("Content-Type").orElse(""), response.body());
    }

    static PrometheusScrape parse(String contentType, String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            Matcher sample = SAMPLE.matcher(line.trim());
            if (line.startsWith("#") || !sample.matches()) {
                continue;
            }
            Map<String, String> labels = new TreeMap<>();
            if (sample.group(2) != null) {
                Matcher label = LABEL.matcher(sample.group(2));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            samples.add(new Sample(sample.group(1), labels, Double.parseDouble(sample.group(3))));
        }
        return new PrometheusScrape(contentType, text, samples);
    }

    /** The response's content type, e.g. {@code text/plain; version=0.0.4; charset=utf-8}. */
    public String contentType() {
        return contentType;
    }

    /** The exposition as it came. */
    public String text() {
        return text;
    }

    /** Every sample of the metric {@code name}. */
    public List<Sample> all(String name) {
        return samples.stream().filter(sample -> sample.name().equals(name)).toList();
    }

    /** The value of the one sample of {@code name} whose labels include {@code labels}; empty when there is none. */
    public OptionalDouble value(String name, Map<String, String> labels) {
        List<Sample> matching = all(name).stream()
                .filter(sample -> sample.labels().entrySet().containsAll(labels.entrySet()))
                .toList();
        if (matching.size() > 1) {
            throw new AssertionError(matching.size() + " samples of " + name + " match " + labels + ": " + matching);
        }
        return matching.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(matching.get(0).value());
    }

    /** {@link #value(String, Map)}, which must exist. */
    public double require(String name, Map<String, String> labels) {
        return value(name, labels).orElseThrow(() -> new AssertionError("no sample " + name + labels
                + "; samples of that name: " + all(name)));
    }

    /** The value of a metric without labels, or with labels that do not matter; it must exist. */
    public double require(String name) {
        return require(name, Map.of());
    }
}
