package io.shipgan.generator.rollout;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.shipgan.checkpoint.CheckpointMetadata;
import io.shipgan.checkpoint.InvalidCheckpointException;
import io.shipgan.generator.checkpoint.CheckpointActivation.Outcome;
import io.shipgan.generator.checkpoint.CheckpointValidator;
import io.shipgan.generator.checkpoint.RejectedCheckpoint;
import io.shipgan.generator.checkpoint.RejectionLog;
import io.shipgan.generator.config.GeneratorConfig;
import io.shipgan.generator.rollout.PolicyState.Withdrawal;
import io.shipgan.generator.sampling.ActiveModel;
import io.shipgan.generator.sampling.Canary;
import io.shipgan.generator.sampling.LoadedModel;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The rollout policy: decides which validated version serves. By default the newest passing version serves,
 * after a canary trial when canaries are on; an operator can pin a version, unpin, or roll back to the previous
 * good one. Good versions are kept in the local cache, from which a restart serves at once. Every decision is
 * logged, counted, listed by version, and published as a rollout event. Changes run one at a time.
 */
@ApplicationScoped
public class Rollout {

    /** How many withdrawn versions are remembered across restarts. */
    static final int WITHDRAWN_LIMIT = 100;

    private final GeneratorConfig config;
    private final ActiveModel activeModel;
    private final CheckpointValidator validator;
    private final QualityGate gate;
    private final ModelCache cache;
    private final RolloutEvents events;
    private final RejectionLog rejections;
    private final PolicyStore policyStore;
    private final VersionHistory history;
    private final RolloutCounters counters = new RolloutCounters();
    private final Map<Long, Withdrawal> withdrawn = Collections.synchronizedMap(new LinkedHashMap<>());
    private final ScheduledExecutorService canaryTimer;
    private final Clock clock = Clock.systemUTC();
    private volatile Long pinnedVersion;
    private ScheduledFuture<?> canaryDeadline;

    public Rollout(GeneratorConfig config,
                   ActiveModel activeModel,
                   CheckpointValidator validator,
                   QualityGate gate,
                   ModelCache cache,
                   RolloutEvents events,
                   RejectionLog rejections) {
        this.config = config;
        this.activeModel = activeModel;
        this.validator = validator;
        this.gate = gate;
        this.cache = cache;
        this.events = events;
        this.rejections = rejections;
        this.history = new VersionHistory(config.versionHistory());
        this.policyStore = new PolicyStore(cache.enabled() ? cache.dir() : null);
        this.canaryTimer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "canary-verdict");
            thread.setDaemon(true);
            return thread;
        });
        PolicyState policy = policyStore.loadPolicy();
        this.pinnedVersion = policy.pinnedVersion();
        policy.withdrawn().forEach(withdrawal -> withdrawn.put(withdrawal.version(), withdrawal));
    }

    /** Before the checkpoint follower starts (default observer priority), so that the cache serves first. */
    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION) StartupEvent event) {
        restoreFromCache();
    }

    @PreDestroy
    public void stopTimer() {
        canaryTimer.shutdownNow();
    }

    // ---- checkpoints from the topic ------------------------------------------------------------------------

    /** Whether {@code version} is older than the version serving now (none serving: nothing is older). */
    public boolean olderThanActive(long version) {
        return version < activeModel.activeVersion();
    }

    /** Whether a checkpoint of this version is worth validating: newer than the active model and not met yet. */
    public boolean shouldConsider(long version) {
        return version > activeModel.activeVersion() && !history.knows(version) && !withdrawn.containsKey(version);
    }

    /**
     * Refuses a record of a version older than the active one. Listed and counted, but not kept in the version
     * history: that version may be a good one this replica served before.
     */
    public void rejectOlderVersion(long version, String source) {
        rejectRecord(version, source, RejectionCause.OLDER_VERSION, "version " + version
                + " is older than the active version " + activeModel.activeVersion()
                + "; going back is an operator's pin or rollback, not a record's");
    }

    /** Lists a version as a candidate while it is validated. */
    public void beginCandidate(CheckpointMetadata metadata) {
        history.put(VersionRecord.of(metadata, VersionStatus.CANDIDATE, null, clock.instant(), false));
    }

    /** A candidate that failed validation: it never serves. */
    public synchronized void rejectCandidate(CheckpointMetadata metadata, RejectionCause cause, String reason) {
        history.put(VersionRecord.of(metadata, VersionStatus.REJECTED, reason, clock.instant(), false));
        rejectRecord(metadata.version(), null, cause, reason);
    }

    /**
     * A record that cannot serve, e.g. one whose metadata cannot be read: logged, listed, counted, published.
     *
     * @param version its version when known, else null
     * @param source  where it was read, for the log when the version is unknown
     * @param cause   the kind of failure, for counting
     */
    public void rejectRecord(Long version, String source, RejectionCause cause, String reason) {
        counters.countRejection(cause);
        rejections.record(new RejectedCheckpoint(version, reason, clock.instant()));
        publishEvent(RolloutEventType.REJECTED, version, reason);
        String which = version == null ? "record " + source : "checkpoint " + version;
        Log.warnf("%s rejected: %s; %s", which, reason, servingNote());
    }

    /**
     * Takes a validated candidate through the quality gate and the policy: it is activated, started as a canary,
     * or (while a version is pinned) kept on disk only. The rollout owns the candidate's reference from here.
     */
    public synchronized Outcome admitCandidate(LoadedModel candidate, byte[] onnx) {
        CheckpointMetadata metadata = candidate.metadata();
        Optional<String> gateFailure = gate.checkCandidate(metadata, activeModel.current().map(LoadedModel::metadata));
        if (gateFailure.isPresent()) {
            candidate.release();
            rejectCandidate(metadata, RejectionCause.QUALITY_GATE, gateFailure.get());
            return Outcome.REJECTED;
        }
        storeInCache(metadata, onnx);

        Outcome outcome;
        if (pinnedVersion != null) {
            candidate.release();
            markOffDuty(metadata);
            Log.infof("checkpoint %d passed and is kept on disk; version %d stays pinned", metadata.version(),
                    pinnedVersion);
            outcome = Outcome.HELD;
        } else if (config.canary().enabled() && activeModel.current().isPresent()) {
            startCanary(candidate);
            outcome = Outcome.CANARY;
        } else {
            activate(candidate, "newest passing checkpoint");
            outcome = Outcome.ACTIVATED;
        }
        evictCache();
        return outcome;
    }

    // ---- operator actions ----------------------------------------------------------------------------------

    /**
     * Pins a version: it serves every request until unpinned, whatever arrives; newer passing versions are kept
     * on disk. A cached version is loaded and validated again first; a running canary ends.
     *
     * @throws UnknownVersionException    when this replica never met the version
     * @throws RolloutConflictException   when it was rejected, is being validated, or is no longer on disk
     * @throws UnservableVersionException when its cached copy fails validation now
     */
    public synchronized void pinVersion(long version) {
        if (Long.valueOf(version).equals(pinnedVersion) && activeModel.activeVersion() == version) {
            return;
        }
        VersionRecord record = history.find(version).orElseThrow(() -> new UnknownVersionException(version));
        switch (record.status()) {
            case REJECTED -> throw new RolloutConflictException("version " + version + " was rejected ("
                    + record.reason() + "); it cannot be pinned");
            case CANDIDATE -> throw new RolloutConflictException("version " + version
                    + " is still being validated; pin it once it passed");
            case RETIRED -> throw new RolloutConflictException("version " + version + " is no longer kept on "
                    + "disk; only the active, the canary and cached versions can be pinned");
            case ACTIVE -> endCanary("superseded: version " + version + " pinned");
            case CANARY -> promotePinnedCanary();
            case CACHED -> {
                LoadedModel model = loadFromCache(version);
                endCanary("superseded: version " + version + " pinned");
                activate(model, "pinned by operator");
            }
        }
        pinnedVersion = version;
        savePolicy();
        publishEvent(RolloutEventType.PINNED, version, null);
        Log.infof("version %d pinned: it serves until unpinned; newer checkpoints are kept on disk", version);
        evictCache();
    }

    /**
     * Lifts the pin and follows the latest passing version again: the newest cached version newer than the
     * pinned one serves next (as a canary when canaries are on).
     *
     * @throws RolloutConflictException when nothing is pinned
     */
    public synchronized void unpinVersion() {
        Long was = pinnedVersion;
        if (was == null) {
            throw new RolloutConflictException("no version is pinned");
        }
        pinnedVersion = null;
        savePolicy();
        publishEvent(RolloutEventType.UNPINNED, was, null);
        Log.infof("version %d unpinned; following the latest passing version", was);
        followLatest();
        evictCache();
    }

    /**
     * Rolls back: a running canary is dropped; otherwise the active version is withdrawn and the newest good
     * cached version before it serves. A withdrawn version never serves again, and is deleted from the cache;
     * versions after it roll out as usual.
     *
     * @param reason the operator's words, or null
     * @throws RolloutConflictException when nothing is active, a version is pinned, or nothing earlier is cached
     */
    public synchronized void rollBack(String reason) {
        LoadedModel active = activeModel.current()
                .orElseThrow(() -> new RolloutConflictException("no model is active; there is nothing to roll back"));
        String why = "rolled back by operator" + (reason == null || reason.isBlank() ? "" : ": " + reason.strip());
        Optional<Canary> canary = activeModel.canary();
        if (canary.isPresent()) {
            dropCanary(canary.get(), why, RolloutEventType.ROLLED_BACK);
            return;
        }
        if (pinnedVersion != null) {
            throw new RolloutConflictException("version " + pinnedVersion + " is pinned; pin another version, "
                    + "or unpin first");
        }
        long from = active.version();
        LoadedModel target = loadNewestCachedBelow(from).orElseThrow(() -> new RolloutConflictException(
                "no earlier good version is kept on disk to roll back to from version " + from));
        activate(target, "rollback from version " + from);
        withdraw(active.metadata(), why + "; version " + target.version() + " serves instead",
                RolloutEventType.ROLLED_BACK);
        Log.warnf("version %d rolled back (%s); version %d serves", from, why, target.version());
        evictCache();
    }

    // ---- restart -------------------------------------------------------------------------------------------

    /**
     * Serves from the local cache: the pinned version when there is one, else the newest good cached version,
     * each validated again. Runs at start, before the checkpoint follower, so a replica serves even while Kafka
     * is unreachable; the follower then catches up with anything newer.
     */
    public synchronized void restoreFromCache() {
        if (!cache.enabled() || activeModel.current().isPresent()) {
            return;
        }
        List<Long> order = listCachedVersions();
        Long pinned = pinnedVersion;
        if (pinned != null && !order.remove(pinned)) {
            liftMissingPin(pinned, "it is not in the local cache " + cache.dir());
        } else if (pinned != null) {
            order.add(0, pinned);
        }
        for (long version : order) {
            try {
                LoadedModel model = loadFromCache(version);
                activate(model, "restored from the local cache");
                counters.countRestore();
                Log.infof("model %d restored from %s; serving before the checkpoint topic is read", version,
                        cache.dir());
                break;
            } catch (UnservableVersionException e) {
                if (Long.valueOf(version).equals(pinnedVersion)) {
                    liftMissingPin(version, "its cached copy is unusable");
                }
            }
        }
        evictCache();
    }

    /** Lists the cache's good versions in the history, newest first; withdrawn ones are listed as rejected. */
    private List<Long> listCachedVersions() {
        List<Long> servable = new ArrayList<>();
        for (long version : cache.cachedVersions()) {
            Optional<CheckpointMetadata> metadata = cache.readMetadata(version);
            Withdrawal withdrawal = withdrawn.get(version);
            if (metadata.isEmpty()) {
                cache.evict(version);
            } else if (withdrawal != null) {
                history.put(VersionRecord.of(metadata.get(), VersionStatus.REJECTED, withdrawal.reason(),
                        withdrawal.at(), true));
            } else {
                history.put(VersionRecord.of(metadata.get(), VersionStatus.CACHED, null, clock.instant(), true));
                servable.add(version);
            }
        }
        List<Withdrawal> remembered;
        synchronized (withdrawn) {
            remembered = new ArrayList<>(withdrawn.values());
        }
        for (Withdrawal withdrawal : remembered) {
            if (!history.knows(withdrawal.version())) {
                history.put(VersionRecord.bare(withdrawal.version(), VersionStatus.REJECTED, withdrawal.reason(),
                        withdrawal.at()));
            }
        }
        return servable;
    }

    private void liftMissingPin(long version, String why) {
        pinnedVersion = null;
        savePolicy();
        String reason = "pin lifted at start: " + why;
        publishEvent(RolloutEventType.UNPINNED, version, reason);
        Log.warnf("version %d was pinned, but %s; following the latest passing version instead", version, why);
    }

    // ---- canary --------------------------------------------------------------------------------------------

    private void startCanary(LoadedModel candidate) {
        GeneratorConfig.Canary settings = config.canary();
        Instant now = clock.instant();
        Canary canary = new Canary(candidate, settings.share(), settings.requests(), settings.maxErrorRate(), now,
                now.plus(settings.duration()), this::scheduleVerdict);
        activeModel.startCanary(canary).ifPresent(previous -> retireCanary(previous,
                "superseded by canary " + candidate.version()));
        cancelCanaryDeadline();
        canaryDeadline = canaryTimer.schedule(() -> concludeCanary(canary), settings.duration().toMillis(),
                TimeUnit.MILLISECONDS);
        setStatus(candidate.metadata(), VersionStatus.CANARY, null);
        String trial = String.format("%s of requests for up to %s or %d requests", percent(settings.share()),
                settings.duration(), settings.requests());
        publishEvent(RolloutEventType.CANARY_STARTED, candidate.version(), trial);
        Log.infof("model %d is a canary on %s: %s; model %d serves the rest", candidate.version(),
                candidate.device(), trial, activeModel.activeVersion());
    }

    /** Called on a request thread when a trial has its verdict due; the verdict itself runs on the timer. */
    private void scheduleVerdict(Canary canary) {
        try {
            canaryTimer.execute(() -> concludeCanary(canary));
        } catch (RejectedExecutionException e) {
            Log.debugf("canary %d verdict not scheduled: shutting down", canary.model().version());
        }
    }

    /** Promotes or drops the trial by what it served, if it is still the one running. */
    synchronized void concludeCanary(Canary canary) {
        if (activeModel.canary().orElse(null) != canary) {
            return;
        }
        double maxErrorRate = config.canary().maxErrorRate();
        if (canary.healthy(maxErrorRate)) {
            promoteCanary(canary);
        } else {
            String reason = String.format("canary failed %d of %d requests (%s > %s allowed); last failure: %s",
                    canary.failed(), canary.served(), percent((double) canary.failed() / canary.served()),
                    percent(maxErrorRate), canary.lastFailure());
            dropCanary(canary, reason, RolloutEventType.DROPPED);
        }
    }

    private void promoteCanary(Canary canary) {
        cancelCanaryDeadline();
        activeModel.endCanary(canary);
        LoadedModel model = canary.model();
        LoadedModel previous = activeModel.current().orElse(null);
        activeModel.swapActiveModel(model);
        setStatus(model.metadata(), VersionStatus.ACTIVE, null);
        if (previous != null) {
            markOffDuty(previous.metadata());
        }
        String verdict = canary.served() == 0
                ? "no requests during the trial; validation passed"
                : String.format("served %d requests, %d failed", canary.served(), canary.failed());
        publishEvent(RolloutEventType.PROMOTED, model.version(), verdict);
        Log.infof("canary %d promoted (%s)", model.version(), verdict);
        evictCache();
    }

    private void promotePinnedCanary() {
        Canary canary = activeModel.canary().orElseThrow();
        cancelCanaryDeadline();
        activeModel.endCanary(canary);
        activate(canary.model(), "pinned by operator during its canary trial");
    }

    private void dropCanary(Canary canary, String reason, RolloutEventType type) {
        cancelCanaryDeadline();
        activeModel.endCanary(canary);
        canary.model().release();
        withdraw(canary.model().metadata(), reason, type);
        Log.warnf("canary %d %s: %s; %s", canary.model().version(),
                type == RolloutEventType.ROLLED_BACK ? "rolled back" : "dropped", reason, servingNote());
        evictCache();
    }

    /** Ends a running trial without a verdict against the candidate, e.g. for a pin. */
    private void endCanary(String reason) {
        activeModel.canary().ifPresent(canary -> {
            cancelCanaryDeadline();
            if (activeModel.endCanary(canary)) {
                retireCanary(canary, reason);
            }
        });
    }

    private void retireCanary(Canary canary, String reason) {
        canary.model().release();
        markOffDuty(canary.model().metadata());
        publishEvent(RolloutEventType.DROPPED, canary.model().version(), reason);
        Log.infof("canary %d ended: %s", canary.model().version(), reason);
    }

    private void cancelCanaryDeadline() {
        if (canaryDeadline != null) {
            canaryDeadline.cancel(false);
            canaryDeadline = null;
        }
    }

    // ---- shared steps --------------------------------------------------------------------------------------

    private void activate(LoadedModel model, String reason) {
        LoadedModel previous = activeModel.current().orElse(null);
        activeModel.swapActiveModel(model);
        setStatus(model.metadata(), VersionStatus.ACTIVE, null);
        if (previous != null) {
            markOffDuty(previous.metadata());
        }
        publishEvent(RolloutEventType.ACTIVATED, model.version(), reason);
    }

    /** After unpinning: the newest cached version newer than the active one rolls out. */
    private void followLatest() {
        long active = activeModel.activeVersion();
        for (VersionRecord record : history.newestFirst()) {
            if (record.version() <= active) {
                return;
            }
            if (record.status() != VersionStatus.CACHED) {
                continue;
            }
            LoadedModel model;
            try {
                model = loadFromCache(record.version());
            } catch (UnservableVersionException e) {
                continue;
            }
            if (config.canary().enabled() && activeModel.current().isPresent()) {
                startCanary(model);
            } else {
                activate(model, "newest passing version, after unpin");
            }
            return;
        }
    }

    private Optional<LoadedModel> loadNewestCachedBelow(long version) {
        long below = version;
        while (true) {
            Optional<VersionRecord> record = history.newestWithStatus(VersionStatus.CACHED, below);
            if (record.isEmpty()) {
                return Optional.empty();
            }
            try {
                return Optional.of(loadFromCache(record.get().version()));
            } catch (UnservableVersionException e) {
                below = record.get().version();
            }
        }
    }

    /**
     * Loads a cached version and validates it again; a copy that fails is rejected and deleted.
     *
     * @throws UnservableVersionException when it fails
     */
    private LoadedModel loadFromCache(long version) {
        Optional<CheckpointMetadata> metadata = cache.readMetadata(version);
        if (metadata.isEmpty()) {
            throw unusableCacheCopy(version, null, "its cached metadata is missing or unreadable");
        }
        if (metadata.get().version() != version || !config.modelName().equals(metadata.get().modelName())) {
            throw unusableCacheCopy(version, null, "its cached metadata describes model " + metadata.get().modelName()
                    + " version " + metadata.get().version());
        }
        byte[] onnx;
        try {
            onnx = cache.readOnnx(version);
        } catch (IOException e) {
            throw unusableCacheCopy(version, metadata.get(), "its cached ONNX file cannot be read: " + e.getMessage());
        }
        try {
            return validator.validateCandidate(metadata.get(), onnx);
        } catch (InvalidCheckpointException e) {
            throw unusableCacheCopy(version, metadata.get(), e.getMessage());
        } catch (RuntimeException e) {
            Log.errorf(e, "validating cached version %d failed unexpectedly", version);
            throw unusableCacheCopy(version, metadata.get(), "validation failed: " + e.getClass().getSimpleName());
        }
    }

    private UnservableVersionException unusableCacheCopy(long version, CheckpointMetadata metadata, String why) {
        String reason = "cached copy unusable: " + why;
        cache.evict(version);
        if (metadata != null) {
            history.put(VersionRecord.of(metadata, VersionStatus.REJECTED, reason, clock.instant(), false));
        } else {
            history.put(VersionRecord.bare(version, VersionStatus.REJECTED, reason, clock.instant()));
        }
        rejectRecord(version, cache.dir().toString(), RejectionCause.CACHE, reason);
        return new UnservableVersionException("version " + version + " cannot serve: " + reason);
    }

    private void storeInCache(CheckpointMetadata metadata, byte[] onnx) {
        try {
            cache.storeCheckpoint(metadata, onnx);
        } catch (IOException e) {
            Log.warnf("cannot cache checkpoint %d in %s (%s); it can serve, but a restart cannot restore it",
                    metadata.version(), cache.dir(), e.getMessage());
        }
    }

    /**
     * Keeps the newest good cached versions, plus whatever serves or is pinned; marks the deleted ones retired.
     */
    private void evictCache() {
        if (!cache.enabled()) {
            return;
        }
        Set<Long> kept = new HashSet<>();
        activeModel.current().ifPresent(model -> kept.add(model.version()));
        activeModel.canary().ifPresent(canary -> kept.add(canary.model().version()));
        if (pinnedVersion != null) {
            kept.add(pinnedVersion);
        }
        int good = 0;
        for (long version : cache.cachedVersions()) {
            boolean rejected = withdrawn.containsKey(version) || history.find(version)
                    .map(record -> record.status() == VersionStatus.REJECTED).orElse(false);
            if (!rejected && good < cache.keep()) {
                kept.add(version);
                good++;
            }
        }
        Instant now = clock.instant();
        for (long version : cache.retainOnly(kept)) {
            history.find(version).ifPresent(record -> history.put(record.status() == VersionStatus.CACHED
                    ? record.withStatus(VersionStatus.RETIRED, null, now, false)
                    : record.withStatus(record.status(), record.reason(), record.since(), false)));
        }
    }

    private void withdraw(CheckpointMetadata metadata, String reason, RolloutEventType type) {
        Instant now = clock.instant();
        synchronized (withdrawn) {
            withdrawn.put(metadata.version(), new Withdrawal(metadata.version(), reason, now));
            while (withdrawn.size() > WITHDRAWN_LIMIT) {
                withdrawn.remove(withdrawn.keySet().iterator().next());
            }
        }
        savePolicy();
        boolean onDisk = cache.contains(metadata.version());
        history.put(VersionRecord.of(metadata, VersionStatus.REJECTED, reason, now, onDisk));
        rejections.record(new RejectedCheckpoint(metadata.version(), reason, now));
        publishEvent(type, metadata.version(), reason);
    }

    private void markOffDuty(CheckpointMetadata metadata) {
        boolean onDisk = cache.contains(metadata.version());
        setStatus(metadata, onDisk ? VersionStatus.CACHED : VersionStatus.RETIRED, null);
    }

    private void setStatus(CheckpointMetadata metadata, VersionStatus status, String reason) {
        history.put(VersionRecord.of(metadata, status, reason, clock.instant(), cache.contains(metadata.version())));
    }

    private void savePolicy() {
        List<Withdrawal> list;
        synchronized (withdrawn) {
            list = new ArrayList<>(withdrawn.values());
        }
        policyStore.savePolicy(new PolicyState(pinnedVersion, list));
    }

    private void publishEvent(RolloutEventType type, Long version, String reason) {
        counters.countEvent(type);
        events.publish(type, version, reason);
    }

    private String servingNote() {
        return activeModel.current()
                .map(active -> "model " + active.version() + " keeps serving")
                .orElse("no model is serving yet");
    }

    private static String percent(double share) {
        return GateRule.format(share * 100) + "%";
    }

    // ---- what the models API shows -------------------------------------------------------------------------

    /** The pinned version, or null when following the latest. */
    public Long pinnedVersion() {
        return pinnedVersion;
    }

    /** Every version this replica knows, newest first. */
    public List<VersionRecord> versions() {
        return history.newestFirst();
    }

    /** One version's record. */
    public Optional<VersionRecord> version(long version) {
        return history.find(version);
    }

    public RolloutCounters counters() {
        return counters;
    }

    public ModelCache cache() {
        return cache;
    }

    public QualityGate gate() {
        return gate;
    }

    public RolloutEvents events() {
        return events;
    }
}
