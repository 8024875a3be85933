package io.shipgan.deploy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import java.io.IOException;

/**
 * Strimzi's enums map an unknown value (an ACL operation "Writ", say) to null instead of failing; the API server's
 * schema would reject it, so this deserializer does too.
 */
final class RejectUnknownEnumValues extends DelegatingDeserializer {

    RejectUnknownEnumValues(JsonDeserializer<?> delegate) {
        super(delegate);
    }

    @Override
    protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> delegate) {
        return new RejectUnknownEnumValues(delegate);
    }

    @Override
    public Object deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        String text = parser.getText();
        Object value = super.deserialize(parser, context);
        if (value == null) {
            return context.handleWeirdStringValue(handledType(), text, "not one of the values the schema allows");
        }
        return value;
    }
}
