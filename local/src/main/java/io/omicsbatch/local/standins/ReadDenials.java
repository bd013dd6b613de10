package io.omicsbatch.local.standins;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.gaul.shaded.org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.gaul.shaded.org.eclipse.jetty.ee10.servlet.ServletContextHandler;

/**
 * Answers reads (GET, HEAD) of objects under denied prefixes with S3's 403 AccessDenied, before S3Proxy sees them.
 *
 * <p>Why: S3Proxy grants its one access key everything, while in the cloud an object can be out of the functions'
 * reach (no IAM grant, a bucket policy, a KMS key they may not use). This is how the local pipeline rehearses that.
 */
final class ReadDenials implements Filter {

    private static final byte[] ACCESS_DENIED = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>").getBytes(StandardCharsets.UTF_8);

    private record Denied(String bucket, String keyPrefix) {}

    private final List<Denied> denied = new CopyOnWriteArrayList<>();

    private ReadDenials() {}

    /** Installs the filter in front of the S3Proxy servlet; call before the proxy starts. */
    static ReadDenials install(ServletContextHandler context) {
        ReadDenials denials = new ReadDenials();
        context.addFilter(new FilterHolder(denials), "/*", EnumSet.of(DispatcherType.REQUEST));
        return denials;
    }

    /** From now on, reads of every object of {@code bucket} whose key starts with {@code keyPrefix} answer 403. */
    void deny(String bucket, String keyPrefix) {
        denied.add(new Denied(bucket, keyPrefix));
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request instanceof HttpServletRequest http && response instanceof HttpServletResponse answer
                && (http.getMethod().equals("GET") || http.getMethod().equals("HEAD")) && isDenied(http.getRequestURI())) {
            answer.setStatus(HttpServletResponse.SC_FORBIDDEN);
            answer.setContentType("application/xml");
            answer.setContentLength(ACCESS_DENIED.length);
            if (http.getMethod().equals("GET")) {
                answer.getOutputStream().write(ACCESS_DENIED);
            }
            return;
        }
        chain.doFilter(request, response);
    }

    /** Path-style: {@code /bucket/key}, percent-encoded. */
    private boolean isDenied(String rawPath) {
        String path;
        try {
            path = URI.create(rawPath).getPath();
        } catch (IllegalArgumentException e) {
            return false; // not a path S3Proxy would serve either
        }
        int slash = path.indexOf('/', 1);
        if (slash < 0) {
            return false; // a bucket, not an object
        }
        String bucket = path.substring(1, slash);
        String key = path.substring(slash + 1);
        return denied.stream().anyMatch(d -> d.bucket().equals(bucket) && key.startsWith(d.keyPrefix()));
    }
}
