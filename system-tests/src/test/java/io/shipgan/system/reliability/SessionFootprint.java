package io.shipgan.system.reliability;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.shipgan.checkpoint.CheckpointRecord;
import io.shipgan.generator.checkpoint.CheckpointValidator;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How much resident memory one ONNX Runtime session of a trainer-sized checkpoint holds once it has served, measured
 * in this JVM with the generator's CPU settings: what a replica would leak per swap if it never closed the old
 * session. The sustained-load test sizes its memory limit from it, so that the limit catches such a leak.
 */
final class SessionFootprint {

    private static final Pattern VM_RSS = Pattern.compile("^VmRSS:\\s+(\\d+) kB$", Pattern.MULTILINE);
    /** The batch size the dynamic batcher forms under the test's few clients. */
    private static final int LOAD_BATCH = 4;

    private SessionFootprint() {
    }

    /** The mean growth of this process's RSS per session, over {@code sessions} sessions kept open, in KiB. */
    static long kibPerSession(int sessions) throws OrtException, IOException {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        List<byte[]> models = new ArrayList<>();
        for (int i = 0; i < sessions + 1; i++) {
            models.add(CheckpointSender.trainerSizedModel(100 + i));
        }
        List<OrtSession> open = new ArrayList<>();
        try {
            // The first session pays ONNX Runtime's one-off costs (unpacking, thread pools); it is not counted.
            open.add(servedSession(environment, models.get(0)));
            long before = residentKib();
            for (int i = 1; i <= sessions; i++) {
                open.add(servedSession(environment, models.get(i)));
            }
            return (residentKib() - before) / sessions;
        } finally {
            for (OrtSession session : open) {
                session.close();
            }
        }
    }

    /**
     * A session created as the generator creates one and left as a swap leaves it: after the validator's probe run
     * (a batch of {@link CheckpointValidator#PROBE_SAMPLES}) and a run of a small batch, as under load.
     */
    private static OrtSession servedSession(OrtEnvironment environment, byte[] onnx) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(1);
        options.setInterOpNumThreads(1);
        options.addConfigEntry("session.intra_op.allow_spinning", "0");
        options.addConfigEntry("session.inter_op.allow_spinning", "0");
        OrtSession session = environment.createSession(onnx, options);
        options.close();
        run(environment, session, CheckpointValidator.PROBE_SAMPLES);
        run(environment, session, LOAD_BATCH);
        return session;
    }

    private static void run(OrtEnvironment environment, OrtSession session, int batch) throws OrtException {
        try (OnnxTensor latent = OnnxTensor.createTensor(environment, FloatBuffer.wrap(new float[batch * 100]),
                new long[] {batch, 100});
             OnnxTensor label = OnnxTensor.createTensor(environment, LongBuffer.wrap(new long[batch]),
                     new long[] {batch});
             OrtSession.Result ignored = session.run(Map.of(CheckpointRecord.LATENT_INPUT, latent,
                     CheckpointRecord.LABEL_INPUT, label))) {
            // Only the memory the run leaves behind matters.
        }
    }

    private static long residentKib() throws IOException {
        Matcher matcher = VM_RSS.matcher(Files.readString(Path.of("/proc/self/status")));
        if (!matcher.find()) {
            throw new IllegalStateException("no VmRSS in /proc/self/status");
        }
        return Long.parseLong(matcher.group(1));
    }
}
