package io.javanet.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.javalin.json.JsonMapper;
import io.javanet.failure.PluginException;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Javalin's JSON mapper for the plugin protocol: reads requests ({@code ctx.bodyAsClass}) and writes replies
 * ({@code ctx.json}). Unknown fields are ignored (the daemon adds new ones over time), but a known field of the
 * wrong type is an error that names the field, and nothing is coerced: {@code "NetworkID": 5} is refused rather
 * than read as "5".
 */
final class PluginJsonMapper implements JsonMapper {

    private final ObjectMapper mapper = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true)
            .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    PluginJsonMapper() {
        for (LogicalType type : new LogicalType[] {LogicalType.Textual, LogicalType.Boolean, LogicalType.Integer}) {
            mapper.coercionConfigFor(type)
                    .setCoercion(CoercionInputShape.Integer, type == LogicalType.Integer ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, type == LogicalType.Boolean ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.String, type == LogicalType.Textual ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, type == LogicalType.Textual ? CoercionAction.TryConvert : CoercionAction.Fail);
        }
    }

    @Override
    public <T> T fromJsonString(String body, Type type) {
        if (body.isEmpty()) {
            throw PluginException.invalid("request body is empty; expected a JSON object");
        }
        try {
            T value = mapper.readValue(body, mapper.constructType(type));
            if (value == null) {
                throw PluginException.invalid("request body is null; expected a JSON object");
            }
            return value;
        } catch (JsonParseException e) {
            throw PluginException.invalid("malformed JSON at line %d column %d: %s", e.getLocation().getLineNr(),
                    e.getLocation().getColumnNr(), e.getOriginalMessage());
        } catch (MismatchedInputException e) {
            if (e.getOriginalMessage().startsWith("Trailing token")) {
                throw PluginException.invalid("malformed JSON: more content after the request object");
            }
            if (e.getPath().isEmpty()) {
                throw PluginException.invalid("request body must be a JSON object");
            }
            throw PluginException.invalid("field %s: wrong type, expected %s", path(e), describe(e.getTargetType()));
        } catch (JsonMappingException e) {
            throw PluginException.invalid("field %s: %s", path(e), e.getOriginalMessage());
        } catch (IOException e) {
            throw PluginException.invalid("unreadable request body: %s", e.getMessage());
        }
    }

    @Override
    public String toJsonString(Object value, Type type) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "an integer";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord() || type == Object.class) {
            return "an object";
        }
        return type.getSimpleName();
    }
}
