package io.javanet.firewall;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * nft text from a template kept beside this class, readable as nft: {@code ${name}} placeholders, each one
 * filled, none left over.
 */
final class NftTemplate {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z]+)}");

    private final String name;
    private final String text;

    private NftTemplate(String name, String text) {
        this.name = name;
        this.text = text;
    }

    static NftTemplate load(String name) {
        try (InputStream in = NftTemplate.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no nft template " + name);
            }
            return new NftTemplate(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read nft template " + name, e);
        }
    }

    String render(Map<String, String> values) {
        Matcher placeholders = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (placeholders.find()) {
            String value = values.get(placeholders.group(1));
            if (value == null) {
                throw new IllegalStateException("nft template " + name + ": no value for ${" + placeholders.group(1) + "}");
            }
            placeholders.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return placeholders.appendTail(out).toString();
    }
}
