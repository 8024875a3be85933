package io.shipgan.generator.sampling;

import ai.onnxruntime.OrtSession;

/**
 * A freshly created ONNX Runtime session and where it runs.
 *
 * @param session    the session; its owner closes it
 * @param device     {@code cuda:0} or {@code cpu}, as shown to operators
 * @param loadMillis how long creating the session took
 */
public record LoadedSession(OrtSession session, String device, long loadMillis) {
}
