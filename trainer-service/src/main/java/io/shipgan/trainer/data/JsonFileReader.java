package io.shipgan.trainer.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists the chips of ShipsNet's single-file form, {@code shipsnet.json}: parallel lists {@code data} (19200 values
 * per chip, all red, then all green, then all blue, each row-major), {@code labels}, {@code scene_ids} and
 * {@code locations} ([longitude, latitude]). Streamed, and kept as bytes, because the file holds 77 million values.
 */
final class JsonFileReader {

    private static final JsonFactory JSON = new JsonFactory();

    private JsonFileReader() {
    }

    static List<ChipSource> list(Path file) {
        List<byte[]> data = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<String> sceneIds = new ArrayList<>();
        List<double[]> locations = new ArrayList<>();
        try (JsonParser parser = JSON.createParser(file.toFile())) {
            expect(parser, parser.nextToken(), JsonToken.START_OBJECT, "the file");
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken start = parser.nextToken();
                switch (field) {
                    case "data" -> readArray(parser, start, field, () -> data.add(readChipValues(parser)));
                    case "labels" -> readArray(parser, start, field, () -> labels.add(readInt(parser, field)));
                    case "scene_ids" -> readArray(parser, start, field, () -> sceneIds.add(parser.getValueAsString()));
                    case "locations" -> readArray(parser, start, field, () -> locations.add(readLocation(parser)));
                    default -> parser.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read chips from " + file, e);
        }
        if (labels.size() != data.size() || sceneIds.size() != data.size() || locations.size() != data.size()) {
            throw new IllegalArgumentException(file + " has " + data.size() + " data, " + labels.size() + " labels, "
                    + sceneIds.size() + " scene_ids and " + locations.size() + " locations; they must match");
        }
        List<ChipSource> chips = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            byte[] values = data.get(i);
            chips.add(new ChipSource(
                    ChipLabel.fromCode(labels.get(i)),
                    sceneIds.get(i),
                    locations.get(i)[0],
                    locations.get(i)[1],
                    () -> unsigned(values)));
        }
        return chips;
    }

    /** One step of reading an array: called with the parser on each element's first token. */
    private interface ElementReader {
        void read() throws IOException;
    }

    private static void readArray(JsonParser parser, JsonToken start, String field, ElementReader element)
            throws IOException {
        expect(parser, start, JsonToken.START_ARRAY, "'" + field + "'");
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            element.read();
        }
    }

    private static byte[] readChipValues(JsonParser parser) throws IOException {
        expect(parser, parser.currentToken(), JsonToken.START_ARRAY, "a 'data' entry");
        byte[] values = new byte[Chip.VALUES];
        int count = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            int value = readInt(parser, "data");
            if (value < 0 || value > 255 || count == Chip.VALUES) {
                throw new IllegalArgumentException("a 'data' entry must hold " + Chip.VALUES
                        + " values in 0..255, near " + parser.currentLocation());
            }
            values[count++] = (byte) value;
        }
        if (count != Chip.VALUES) {
            throw new IllegalArgumentException("a 'data' entry holds " + count + " values, expected " + Chip.VALUES
                    + ", near " + parser.currentLocation());
        }
        return values;
    }

    private static double[] readLocation(JsonParser parser) throws IOException {
        expect(parser, parser.currentToken(), JsonToken.START_ARRAY, "a 'locations' entry");
        parser.nextToken();
        double longitude = parser.getValueAsDouble();
        parser.nextToken();
        double latitude = parser.getValueAsDouble();
        expect(parser, parser.nextToken(), JsonToken.END_ARRAY, "a 'locations' entry of [longitude, latitude]");
        return new double[] {longitude, latitude};
    }

    private static int readInt(JsonParser parser, String field) throws IOException {
        if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw new IllegalArgumentException("'" + field + "' must hold integers, found " + parser.currentToken()
                    + " near " + parser.currentLocation());
        }
        return parser.getIntValue();
    }

    private static void expect(JsonParser parser, JsonToken actual, JsonToken expected, String what) {
        if (actual != expected) {
            throw new IllegalArgumentException("expected " + expected + " for " + what + ", found " + actual
                    + " near " + parser.currentLocation());
        }
    }

    private static int[] unsigned(byte[] values) {
        int[] rgb = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            rgb[i] = values[i] & 0xff;
        }
        return rgb;
    }
}
