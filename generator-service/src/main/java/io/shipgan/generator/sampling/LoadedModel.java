package io.shipgan.generator.sampling;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.quarkus.logging.Log;
import io.shipgan.checkpoint.CheckpointMetadata;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One validated checkpoint held in an ONNX Runtime session, shared by reference counting: the active-model slot
 * holds one reference and every request in flight holds one more. The session is closed when the last
 * reference is released, so a request that got the model before a swap finishes on it undisturbed.
 */
public final class LoadedModel {

    private final CheckpointMetadata metadata;
    private final LoadedSession loaded;
    private final ModelInterface modelInterface;
    private final AtomicInteger references = new AtomicInteger(1);
    private volatile Instant activatedAt;

    /** Wraps the session with one reference, owned by whoever created it until it is activated or closed. */
    public LoadedModel(CheckpointMetadata metadata, LoadedSession loaded, ModelInterface modelInterface) {
        this.metadata = metadata;
        this.loaded = loaded;
        this.modelInterface = modelInterface;
    }

    public long version() {
        return metadata.version();
    }

    public CheckpointMetadata metadata() {
        return metadata;
    }

    /** {@code cuda:0} or {@code cpu}. */
    public String device() {
        return loaded.device();
    }

    public long loadMillis() {
        return loaded.loadMillis();
    }

    public ModelInterface modelInterface() {
        return modelInterface;
    }

    /** When this model became the active model; null while it is only a candidate. */
    public Instant activatedAt() {
        return activatedAt;
    }

    void markActivated(Instant at) {
        activatedAt = at;
    }

    OrtSession session() {
        return loaded.session();
    }

    /** Whether the session has been closed: every reference, the active one included, was released. */
    public boolean isClosed() {
        return references.get() == 0;
    }

    /**
     * Takes one more reference, unless the count already reached zero; a model at zero is closed for good, so
     * the caller has to look up the active model again.
     */
    boolean tryRetain() {
        while (true) {
            int current = references.get();
            if (current == 0) {
                return false;
            }
            if (references.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    /** Gives one reference back; the last one closes the session. */
    public void release() {
        int remaining = references.decrementAndGet();
        if (remaining == 0) {
            closeSession();
        } else if (remaining < 0) {
            throw new IllegalStateException("model " + version() + " released more often than retained");
        }
    }

    private void closeSession() {
        try {
            loaded.session().close();
            Log.debugf("model %d closed: its last request finished", version());
        } catch (OrtException e) {
            Log.warnf("closing the session of model %d failed: %s", version(), e.getMessage());
        }
    }
}
