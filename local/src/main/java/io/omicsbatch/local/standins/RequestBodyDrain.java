package io.omicsbatch.local.standins;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.util.EnumSet;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.shaded.org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.gaul.shaded.org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.gaul.shaded.org.eclipse.jetty.server.Server;

/**
 * Makes S3Proxy read every successful request to its last byte before it answers, as S3 does.
 *
 * <p>Why: S3Proxy 4.1.0 decodes an {@code aws-chunked} body (what SDK 2.40.2 sends for PutObject and UploadPart,
 * with a CRC32 trailer) up to the checksum trailer and leaves the trailer signature and final CRLF unread. Jetty then
 * answers and, finding request content it cannot consume at once, closes the kept-alive connection. A client still
 * flushing those last bytes gets "Error writing request body to server" and retries a PUT that S3Proxy already
 * stored: a second object version and a second event notification. Reading the rest before the servlet returns
 * keeps the connection open and each PUT a single request.
 */
final class RequestBodyDrain implements Filter {

    private RequestBodyDrain() {}

    /** Installs the drain in front of the S3Proxy servlet; call before {@link S3Proxy#start()}. */
    static void install(S3Proxy proxy) {
        servletContext(proxy).addFilter(new FilterHolder(new RequestBodyDrain()), "/*", EnumSet.of(DispatcherType.REQUEST));
    }

    /** The servlet context S3Proxy serves from, to put filters in front of it. */
    static ServletContextHandler servletContext(S3Proxy proxy) {
        ServletContextHandler context = jettyServer(proxy).getDescendant(ServletContextHandler.class);
        if (context == null) {
            throw new IllegalStateException("S3Proxy has no servlet context to filter");
        }
        return context;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        chain.doFilter(request, response);
        // Only after success: an early error answers without reading, so the client is not made to send a body
        // that will be rejected (with Expect: 100-continue, reading is what asks the client for the body).
        if (response instanceof HttpServletResponse http && http.getStatus() < 300) {
            try {
                request.getInputStream().transferTo(OutputStream.nullOutputStream());
            } catch (IOException | IllegalStateException e) {
                // The client is gone, or S3Proxy read the body as a reader: nothing left to keep open for.
            }
        }
    }

    private static Server jettyServer(S3Proxy proxy) {
        try {
            Field server = S3Proxy.class.getDeclaredField("server");
            server.setAccessible(true);
            return (Server) server.get(proxy);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("S3Proxy's Jetty server is not reachable; is S3Proxy 4.1.0 in use?", e);
        }
    }
}
