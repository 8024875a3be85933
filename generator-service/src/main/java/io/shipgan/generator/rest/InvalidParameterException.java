package io.shipgan.generator.rest;

/** A parameter or request body the caller got wrong; the message names it and its allowed values. */
public class InvalidParameterException extends RuntimeException {

    public InvalidParameterException(String detail) {
        super(detail);
    }
}
