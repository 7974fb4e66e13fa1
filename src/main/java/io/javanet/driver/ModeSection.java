package io.javanet.driver;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javanet.store.NetworkRecord;
import java.util.Map;

/**
 * A mode's part of a network record as the mode's own record type: read from the record's section, written back
 * as one. Keys of no field of the type are passed over: a record of an older javanet holds every mode's fields.
 */
public final class ModeSection {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final TypeReference<Map<String, String>> STRINGS = new TypeReference<>() {
    };

    private ModeSection() {
    }

    public static <T extends Record> T read(NetworkRecord network, Class<T> type) {
        return read(network.section(), type);
    }

    public static <T extends Record> T read(Map<String, String> section, Class<T> type) {
        return JSON.convertValue(section, type);
    }

    public static Map<String, String> of(Record section) {
        return JSON.convertValue(section, STRINGS);
    }
}
