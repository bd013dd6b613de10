package io.omicsbatch.local.standins;

import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBRequestHandler;
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBServerHandler;
import com.amazonaws.services.dynamodbv2.local.shared.jobs.JobsRegister;
import java.lang.reflect.Field;
import java.net.URI;
import java.util.Map;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * DynamoDB Local 2.6.1, in memory and shared by all credentials, served over HTTP on 127.0.0.1 and a port the OS
 * chooses.
 *
 * <p>{@code ServerRunner}/{@code DynamoDBProxyServer} always build {@code new Server(port)}, which binds every
 * interface, and offer no host option. This class assembles the same pieces itself: DynamoDB Local's own request
 * and server handlers (the code behind {@code -inMemory}) mounted in a Jetty server whose only connector is bound to
 * the loopback address. Telemetry is never configured (it is only set up by {@code ServerRunner} and
 * {@code DynamoDBEmbedded}), so nothing is sent anywhere.
 *
 * <p>Closing stops Jetty, closes the databases and also stops DynamoDB Local's background jobs: its own shutdown only
 * calls {@code shutdown()} on their pool, which leaves the stream shard-rollover scheduler (a non-daemon thread
 * sleeping for hours) alive; see {@link #stopBackgroundJobs}.
 */
public final class LocalDynamoDb implements AutoCloseable {

    /**
     * sqlite4java (DynamoDB Local's storage) logs through java.util.logging, bypassing the resource files; from the
     * shaded CLI jar it warns at every start that it cannot tell its own jar version. Held here: JUL keeps loggers
     * only weakly, and a collected logger would forget its level.
     */
    private static final java.util.logging.Logger SQLITE_LOG = java.util.logging.Logger.getLogger("com.almworks.sqlite4java");

    static {
        SQLITE_LOG.setLevel(java.util.logging.Level.SEVERE);
    }

    private final Server server;
    private final LocalDynamoDBRequestHandler requestHandler;
    private final LocalDynamoDBServerHandler handler;
    private final URI endpoint;

    private LocalDynamoDb(
            Server server, LocalDynamoDBRequestHandler requestHandler, LocalDynamoDBServerHandler handler, URI endpoint) {
        this.server = server;
        this.requestHandler = requestHandler;
        this.handler = handler;
        this.endpoint = endpoint;
    }

    /** Starts an empty in-memory DynamoDB Local on 127.0.0.1 and an ephemeral port. */
    public static LocalDynamoDb start() {
        LocalDynamoDBRequestHandler requestHandler;
        LocalDynamoDBServerHandler handler;
        try {
            // port (unused by the handler), inMemory, dbPath, sharedDb, delayTransientStatuses: as
            // -inMemory -sharedDb. One database for every access key and region, as one account: without -sharedDb a
            // client with other credentials or another region would silently see a separate, empty database.
            requestHandler = new LocalDynamoDBRequestHandler(0, true, null, true, false);
            handler = new LocalDynamoDBServerHandler(requestHandler, null);
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local could not be created: " + e.getMessage(), e);
        }
        QueuedThreadPool threads = new QueuedThreadPool(32, 2);
        threads.setName("dynamodb-local");
        threads.setDaemon(true);
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(Loopback.HOST);
        connector.setPort(0);
        server.addConnector(connector);
        ContextHandler context = new ContextHandler();
        context.setHandler(handler);
        server.setHandler(new ContextHandlerCollection(context));
        server.setStopAtShutdown(false);
        try {
            server.start();
        } catch (Exception e) {
            stopQuietly(server, requestHandler, handler);
            throw new IllegalStateException("DynamoDB Local could not start: " + e.getMessage(), e);
        }
        return new LocalDynamoDb(server, requestHandler, handler, Loopback.httpUri(connector.getLocalPort()));
    }

    /** {@code http://127.0.0.1:<port>}. */
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        stopQuietly(server, requestHandler, handler);
    }

    private static void stopQuietly(
            Server server, LocalDynamoDBRequestHandler requestHandler, LocalDynamoDBServerHandler handler) {
        try {
            server.stop();
        } catch (Exception e) {
            // stopping is best effort; the handler below still releases the databases
        }
        server.destroy();
        stopBackgroundJobs(requestHandler);
        handler.close();
    }

    /**
     * Interrupts the background jobs of every database DynamoDB Local opened (one, as it is shared). The
     * jobs live in a private {@code JobsRegister} of each {@code LocalDBClient}, reachable only by reflection (plain
     * classpath classes, no module boundary). If DynamoDB Local's internals ever change, this does nothing and a
     * sleeping job thread is all that is left behind.
     */
    private static void stopBackgroundJobs(LocalDynamoDBRequestHandler requestHandler) {
        try {
            Field databases = LocalDynamoDBRequestHandler.class.getDeclaredField("dbRequestHandlers");
            databases.setAccessible(true);
            for (Object database : ((Map<?, ?>) databases.get(requestHandler)).values()) {
                for (Class<?> type = database.getClass(); type != null; type = type.getSuperclass()) {
                    for (Field field : type.getDeclaredFields()) {
                        if (JobsRegister.class.isAssignableFrom(field.getType())) {
                            field.setAccessible(true);
                            JobsRegister jobs = (JobsRegister) field.get(database);
                            if (jobs != null) {
                                jobs.shutdownNow();
                            }
                        }
                    }
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // internals changed: leave the jobs to DynamoDB Local's own shutdown
        }
    }
}
