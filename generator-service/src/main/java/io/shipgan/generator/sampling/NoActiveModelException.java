package io.shipgan.generator.sampling;

/** A sample was asked for before any checkpoint was activated. */
public class NoActiveModelException extends RuntimeException {

    public NoActiveModelException() {
        super("no checkpoint has been loaded yet");
    }
}
