package io.shipgan.generator.rest;

import io.shipgan.generator.imaging.NpyEncoder;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/** What an image request answers with: PNG for people, {@code .npy} float32 tensors for programs. */
enum OutputFormat {
    PNG("image/png"),
    NPY(NpyEncoder.MEDIA_TYPE);

    static final List<String> NAMES = List.of("png", "npy");

    private final MediaType mediaType;

    OutputFormat(String mediaType) {
        this.mediaType = MediaType.valueOf(mediaType);
    }

    String mediaType() {
        return mediaType.toString();
    }

    /**
     * The {@code format} parameter when given; else the first of the Accept header's types (by preference) that
     * names one of the formats; PNG for anything else, {@code *}{@code /*} included.
     */
    static OutputFormat choose(String formatParameter, HttpHeaders headers) {
        if (formatParameter != null) {
            return QueryParameters.choice("format", formatParameter, "png", NAMES).equals("npy") ? NPY : PNG;
        }
        for (MediaType accepted : headers.getAcceptableMediaTypes()) {
            if (!accepted.isWildcardType() && accepted.isCompatible(NPY.mediaType)) {
                return NPY;
            }
            if (accepted.isCompatible(PNG.mediaType)) {
                return PNG;
            }
        }
        return PNG;
    }
}
