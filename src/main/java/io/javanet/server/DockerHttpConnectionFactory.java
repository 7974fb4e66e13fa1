package io.javanet.server;

import org.eclipse.jetty.http.HostPortHttpField;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.internal.HttpConnection;

/**
 * HTTP/1.1 as Docker's plugin client speaks it on a unix socket: its requests carry {@code Host:} with an empty
 * value, which Jetty 12 refuses with "400 Blank Host" whatever the configuration (its HTTP/1.1 stream checks it
 * before any customizer runs, with no compliance mode to relax it; tried on 12.1.12 and 12.1.13: a server
 * authority, {@code HttpCompliance.LEGACY}, {@code UriCompliance.LEGACY}). Here a blank Host is read as
 * {@code localhost}; everything else is Jetty's own HTTP/1.1. This is the one place that reaches into Jetty's
 * internals: DockerHttpConnectionFactoryTest fails on a Jetty that no longer needs it or that it no longer fits.
 */
final class DockerHttpConnectionFactory extends HttpConnectionFactory {

    DockerHttpConnectionFactory(HttpConfiguration config) {
        super(config);
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        HttpConnection connection = new HttpConnection(getHttpConfiguration(), connector, endPoint) {
            @Override
            protected HttpStreamOverHTTP1 newHttpStream(String method, String uri, HttpVersion version) {
                return new HttpStreamOverHTTP1(method, uri, version) {
                    @Override
                    public void parsedHeader(HttpField field) {
                        boolean blankHost = field.getHeader() == HttpHeader.HOST && field.getValue().isBlank();
                        super.parsedHeader(blankHost ? new HostPortHttpField("localhost") : field);
                    }
                };
            }
        };
        connection.setTransferEncodingChunkMaxLength(getTransferEncodingChunkMaxLength());
        return configure(connection, connector, endPoint);
    }
}
