package io.shipgan.generator.sampling;

/** Running the generator failed or gave something other than the images its interface promises. */
public class SamplingException extends RuntimeException {

    public SamplingException(String message) {
        super(message);
    }

    public SamplingException(String message, Throwable cause) {
        super(message, cause);
    }
}
