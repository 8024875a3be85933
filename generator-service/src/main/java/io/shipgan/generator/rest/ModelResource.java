package io.shipgan.generator.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shipgan.generator.checkpoint.RejectionLog;
import io.shipgan.generator.config.GeneratorConfig;
import io.shipgan.generator.rollout.ModelCache;
import io.shipgan.generator.rollout.Rollout;
import io.shipgan.generator.rollout.RolloutEvent;
import io.shipgan.generator.sampling.ActiveModel;
import io.shipgan.generator.sampling.DynamicBatcher;
import io.shipgan.generator.sampling.SessionFactory;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestPath;

import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Shows which checkpoints this replica serves, knows and refused, and takes the operator's rollout actions:
 * pin a version, lift the pin, roll back. Each action answers with the models view as it is afterwards.
 */
@Path("/api/v1/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelResource {

    /** Longest reason an operator may give for a rollback. */
    static final int MAX_REASON_LENGTH = 500;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final GeneratorConfig config;
    private final ActiveModel activeModel;
    private final RejectionLog rejections;
    private final Rollout rollout;
    private final DynamicBatcher batcher;
    private final SessionFactory sessions;

    public ModelResource(GeneratorConfig config,
                         ActiveModel activeModel,
                         RejectionLog rejections,
                         Rollout rollout,
                         DynamicBatcher batcher,
                         SessionFactory sessions) {
        this.config = config;
        this.activeModel = activeModel;
        this.rejections = rejections;
        this.rollout = rollout;
        this.batcher = batcher;
        this.sessions = sessions;
    }

    @GET
    public ModelsView describeModels() {
        ModelsView.Active active = activeModel.current()
                .map(model -> new ModelsView.Active(model.version(), model.device(), model.activatedAt(),
                        model.modelInterface().labels(), model.metadata()))
                .orElse(null);
        ModelsView.Canary canary = activeModel.canary()
                .map(trial -> new ModelsView.Canary(trial.model().version(),
                        trial.model().modelInterface().labels(), trial.share(), trial.startedAt(),
                        trial.endsAt(), trial.requestTarget(), trial.served(), trial.failed(), trial.lastFailure()))
                .orElse(null);
        ModelsView.Device device = new ModelsView.Device(config.device().name().toLowerCase(Locale.ROOT),
                active == null ? null : active.device(), firstLine(sessions.cudaFailure()));
        return new ModelsView(config.modelName(), rollout.events().replica(), device, describePolicy(), active,
                canary, rollout.versions(), rollout.counters().snapshot(), describeBatching(), describeCache(),
                rejections.recent());
    }

    /** The recent rollout events of this replica, newest first, as published to the events topic. */
    @GET
    @Path("events")
    public List<RolloutEvent> recentEvents() {
        return rollout.events().recent();
    }

    /** Pins a version: 404 unknown, 409 rejected / being validated / no longer on disk, 422 cached copy bad. */
    @POST
    @Path("{version}/pin")
    public ModelsView pinVersion(@RestPath String version) {
        rollout.pinVersion(QueryParameters.pathLong("version", version, 0, Long.MAX_VALUE));
        return describeModels();
    }

    /** Lifts the pin: 409 when nothing is pinned. */
    @DELETE
    @Path("pin")
    public ModelsView unpinVersion() {
        rollout.unpinVersion();
        return describeModels();
    }

    /**
     * Rolls back the canary, or the active version to the previous good one. The body is optional:
     * {@code {"reason": "..."}}. 409 when nothing is active, a version is pinned, or nothing earlier is cached.
     */
    @POST
    @Path("rollback")
    @Consumes(MediaType.WILDCARD)
    public ModelsView rollBack(String body) {
        rollout.rollBack(readReason(body));
        return describeModels();
    }

    /** The optional rollback reason; anything but an empty body or {@code {"reason": "..."}} is a 400. */
    static String readReason(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (IOException e) {
            throw new InvalidParameterException("the body must be empty or a JSON object like "
                    + "{\"reason\": \"...\"}; it is not valid JSON");
        }
        if (json == null || !json.isObject()) {
            throw new InvalidParameterException("the body must be empty or a JSON object like {\"reason\": \"...\"}");
        }
        for (Iterator<String> fields = json.fieldNames(); fields.hasNext(); ) {
            String field = fields.next();
            if (!field.equals("reason")) {
                throw new InvalidParameterException("unknown field '" + QueryParameters.echo(field)
                        + "' in the body; the only field is 'reason'");
            }
        }
        JsonNode reason = json.get("reason");
        if (reason == null || reason.isNull()) {
            return null;
        }
        if (!reason.isTextual() || reason.asText().length() > MAX_REASON_LENGTH) {
            throw new InvalidParameterException("field 'reason' must be a string of at most " + MAX_REASON_LENGTH
                    + " characters");
        }
        return reason.asText();
    }

    private ModelsView.Policy describePolicy() {
        Long pinned = rollout.pinnedVersion();
        ModelsView.Gate gate = new ModelsView.Gate(rollout.gate().enabled(),
                rollout.gate().rules().stream().map(Object::toString).toList());
        GeneratorConfig.Canary canary = config.canary();
        ModelsView.CanarySettings canarySettings = new ModelsView.CanarySettings(canary.enabled(), canary.share(),
                canary.duration().toString(), canary.requests(), canary.maxErrorRate());
        return new ModelsView.Policy(pinned == null ? "follow-latest" : "pinned", pinned, gate, canarySettings);
    }

    private ModelsView.Batching describeBatching() {
        DynamicBatcher.Stats stats = batcher.stats();
        return new ModelsView.Batching(stats.enabled(), stats.maxBatchSize(), stats.maxWait().toString(),
                stats.runners(), stats.batches(), stats.requests(), stats.samples(), stats.largestBatch(),
                Math.round(stats.meanRequestsPerBatch() * 100) / 100.0);
    }

    private ModelsView.Cache describeCache() {
        ModelCache cache = rollout.cache();
        return new ModelsView.Cache(cache.enabled(), cache.dir().toString(), cache.keep());
    }

    private static String firstLine(String message) {
        if (message == null) {
            return null;
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
