package org.castellan.server.tls;

import org.castellan.server.config.ListenAddress;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** The only connector: HTTPS on the listen address. There is no plain-HTTP port. */
public final class HttpsConnector {
    private HttpsConnector() {}

    public static ServerConnector create(Server server, HttpConfiguration base, TlsMaterial tls, ListenAddress listen) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(tls.keyStore());
        ssl.setKeyStorePassword(tls.password());
        ssl.setKeyManagerPassword(tls.password());
        ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");

        HttpConfiguration https = new HttpConfiguration(base);
        https.setSendServerVersion(false);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        // Clients reach the server by IP address (no SNI) and pin the certificate instead.
        secure.setSniHostCheck(false);
        https.addCustomizer(secure);

        ServerConnector connector = new ServerConnector(server,
                new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(https));
        connector.setHost(listen.host());
        connector.setPort(listen.port());
        return connector;
    }
}
