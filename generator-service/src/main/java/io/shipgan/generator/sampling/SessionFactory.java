package io.shipgan.generator.sampling;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import io.quarkus.logging.Log;
import io.shipgan.generator.config.GeneratorConfig;
import io.shipgan.generator.config.GeneratorConfig.Device;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Creates ONNX Runtime sessions on the configured device, falling back from CUDA to CPU. The outcome of the
 * first CUDA attempt is remembered: a host without CUDA libraries fails the same way every time, and each
 * attempt costs seconds of unpacking. Run the process with {@code ORT_DISABLE_TELEMETRY=1} in its environment
 * (surefire sets it for the tests): newer ONNX Runtime releases otherwise write telemetry under
 * {@code $HOME/.cache}.
 */
@ApplicationScoped
public class SessionFactory {

    static final String CPU = "cpu";
    static final String CUDA = "cuda:0";

    private final GeneratorConfig config;
    private final OrtEnvironment environment;
    private volatile String cudaFailure;

    public SessionFactory(GeneratorConfig config) {
        this.config = config;
        // The first getEnvironment call fixes the native log level for the whole process.
        this.environment = OrtEnvironment.getEnvironment(
                OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING, "shipgan-generator");
    }

    /** The one environment every tensor and session of this process belongs to. */
    public OrtEnvironment environment() {
        return environment;
    }

    /** Why CUDA could not be used, or null when it was never tried or worked. */
    public String cudaFailure() {
        return cudaFailure;
    }

    /**
     * Creates a session for the ONNX bytes: on CUDA when configured and loadable, else on CPU.
     *
     * @throws OrtException when ONNX Runtime cannot load the model at all
     */
    public LoadedSession loadSession(byte[] onnx) throws OrtException {
        long start = System.nanoTime();
        if (config.device() != Device.CPU && cudaFailure == null) {
            OrtSession session = tryCudaSession(onnx);
            if (session != null) {
                return new LoadedSession(session, CUDA, elapsedMillis(start));
            }
        }
        try (SessionOptions options = cpuOptions()) {
            return new LoadedSession(environment.createSession(onnx, options), CPU, elapsedMillis(start));
        }
    }

    private OrtSession tryCudaSession(byte[] onnx) throws OrtException {
        try (SessionOptions options = cpuOptions()) {
            try {
                options.addCUDA(0);
            } catch (OrtException | LinkageError e) {
                rememberCudaFailure(e);
                return null;
            }
            try {
                return environment.createSession(onnx, options);
            } catch (OrtException e) {
                if (isModelFault(e)) {
                    throw e;
                }
                rememberCudaFailure(e);
                return null;
            }
        }
    }

    private void rememberCudaFailure(Throwable e) {
        cudaFailure = e.getMessage();
        if (config.device() == Device.CUDA) {
            Log.warnf("device=cuda but the CUDA provider cannot be used (%s); running on CPU. "
                    + "Install the CUDA 12 and cuDNN 9 libraries, or set shipgan.generator.device=cpu", cudaFailure);
        } else {
            Log.infof("CUDA provider not available (%s); device=auto runs on CPU", cudaFailure);
        }
    }

    /**
     * A model ONNX Runtime cannot parse fails the same way on every provider: that is the candidate's fault and
     * must not be taken for a missing GPU.
     */
    private static boolean isModelFault(OrtException e) {
        return e.getCode() == OrtException.OrtErrorCode.ORT_INVALID_PROTOBUF
                || e.getCode() == OrtException.OrtErrorCode.ORT_INVALID_GRAPH
                || e.getCode() == OrtException.OrtErrorCode.ORT_INVALID_ARGUMENT
                || e.getCode() == OrtException.OrtErrorCode.ORT_NOT_IMPLEMENTED;
    }

    private SessionOptions cpuOptions() throws OrtException {
        SessionOptions options = new SessionOptions();
        options.setIntraOpNumThreads(config.intraOpThreads());
        options.setInterOpNumThreads(1);
        // Spinning threads burn the shared cores between requests and make batch-1 latency jumpy.
        options.addConfigEntry("session.intra_op.allow_spinning", "0");
        options.addConfigEntry("session.inter_op.allow_spinning", "0");
        return options;
    }

    private static long elapsedMillis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
