package io.shipgan.generator.rest;

/** A query parameter the caller got wrong; the message names it and its allowed values. */
public class InvalidParameterException extends RuntimeException {

    public InvalidParameterException(String detail) {
        super(detail);
    }
}
