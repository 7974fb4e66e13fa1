package io.javanet.net;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import inet.ipaddr.IPAddress;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The typed values as JSON text, for the store, in the shape databases written before these types existed
 * hold: a subnet is {@code {"pool":"10.1.0.0/24","gateway":"10.1.0.1/24","auxAddresses":[…]}}, a published
 * port {@code {"proto":"tcp","hostIp":"","hostPort":8080,"containerIp":"10.1.0.2","containerPort":80}}.
 */
public final class NetJson {

    private NetJson() {
    }

    public static SimpleModule module() {
        return new SimpleModule("javanet-net")
                .addSerializer(Subnet.class, new JsonSerializer<>() {
                    @Override
                    public void serialize(Subnet subnet, JsonGenerator out, SerializerProvider provider) throws IOException {
                        out.writeStartObject();
                        out.writeStringField("pool", subnet.poolText());
                        out.writeStringField("gateway", subnet.gateway().map(IPAddress::toCanonicalString).orElse(""));
                        out.writeArrayFieldStart("auxAddresses");
                        for (IPAddress aux : subnet.auxAddresses()) {
                            out.writeString(aux.toCanonicalString());
                        }
                        out.writeEndArray();
                        out.writeEndObject();
                    }
                })
                .addDeserializer(Subnet.class, new JsonDeserializer<>() {
                    @Override
                    public Subnet deserialize(JsonParser in, DeserializationContext context) throws IOException {
                        JsonNode node = in.readValueAsTree();
                        List<String> aux = new ArrayList<>();
                        node.path("auxAddresses").forEach(a -> aux.add(a.asText()));
                        return Subnet.parse(node.path("pool").asText(), node.path("gateway").asText(""), aux);
                    }
                })
                .addSerializer(PortBinding.class, new JsonSerializer<>() {
                    @Override
                    public void serialize(PortBinding b, JsonGenerator out, SerializerProvider provider) throws IOException {
                        out.writeStartObject();
                        out.writeStringField("proto", b.proto().wireName());
                        out.writeStringField("hostIp", b.hostIpText());
                        out.writeNumberField("hostPort", b.hostPort());
                        out.writeStringField("containerIp", b.containerIpText());
                        out.writeNumberField("containerPort", b.containerPort());
                        out.writeEndObject();
                    }
                })
                .addDeserializer(PortBinding.class, new JsonDeserializer<>() {
                    @Override
                    public PortBinding deserialize(JsonParser in, DeserializationContext context) throws IOException {
                        JsonNode node = in.readValueAsTree();
                        return PortBinding.parse(node.path("proto").asText(), node.path("hostIp").asText(""),
                                node.path("hostPort").asInt(), node.path("containerIp").asText(),
                                node.path("containerPort").asInt());
                    }
                });
    }
}
