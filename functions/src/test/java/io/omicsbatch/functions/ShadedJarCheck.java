package io.omicsbatch.functions;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;

/**
 * Run by {@link ShadedJarIT} on a fresh JVM with the shaded jar first on its class path: constructs every handler the
 * jar holds with its no-argument constructor (as Lambda does), runs every registered SnapStart priming hook, and
 * invokes the handlers whose empty event needs no AWS call. Prints one line per step; exits non-zero on any failure.
 */
public final class ShadedJarCheck {

    private ShadedJarCheck() {}

    public static void main(String[] args) throws Exception {
        List<Object> handlers = new ArrayList<>();
        for (String name : handlerClasses(args[0])) {
            Object handler = Class.forName(name).getConstructor().newInstance();
            handlers.add(handler);
            System.out.println("constructed " + handler.getClass().getSimpleName());
        }
        for (SnapStartPriming priming : SnapStartPriming.registered()) {
            priming.beforeCheckpoint(null);
            System.out.println("check: primed " + priming.prime() + " of " + priming.size());
        }
        for (Object handler : handlers) {
            if (handler instanceof IntakeHandler intake) {
                System.out.println("invoked IntakeHandler: " + intake.handleRequest(emptySqsEvent(), CONTEXT).getBatchItemFailures());
            } else if (handler instanceof SubmitHandler submit) {
                System.out.println("invoked SubmitHandler: " + submit.handleRequest(emptySqsEvent(), CONTEXT).getBatchItemFailures());
            } else if (handler instanceof RunDeadLetterHandler deadLetters) {
                System.out.println("invoked RunDeadLetterHandler: " + deadLetters.handleRequest(emptySqsEvent(), CONTEXT).getBatchItemFailures());
            } else if (handler instanceof StatusHandler status) {
                ScheduledEvent event = new ScheduledEvent().withId("check").withSource("aws.omics")
                        .withDetailType("Run Status Change").withDetail(Map.of());
                System.out.println("invoked StatusHandler: " + status.handleRequest(event, CONTEXT));
            }
        }
        // EMF serialises through Jackson and Powertools classes the minimized jar must have kept.
        io.omicsbatch.functions.aws.EmfPipelineMetrics metrics = new io.omicsbatch.functions.aws.EmfPipelineMetrics();
        metrics.submission(io.omicsbatch.batch.PipelineMetrics.Submission.values()[0]);
        metrics.startRunThrottled();
        metrics.pace(1.5);
        metrics.batchTransition(io.omicsbatch.batch.BatchStatus.PROCESSED);
        metrics.flush();
    }

    /** The handler classes in the jar: top-level classes of this package named *Handler. */
    static List<String> handlerClasses(String jar) throws Exception {
        List<String> names = new ArrayList<>();
        try (ZipFile zip = new ZipFile(jar)) {
            for (var entry : Collections.list(zip.entries())) {
                String name = entry.getName();
                if (name.matches("io/omicsbatch/functions/[A-Za-z]+Handler\\.class")) {
                    names.add(name.substring(0, name.length() - ".class".length()).replace('/', '.'));
                }
            }
        }
        Collections.sort(names);
        return names;
    }

    private static SQSEvent emptySqsEvent() {
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of());
        return event;
    }

    private static final Context CONTEXT = new Context() {
        public String getAwsRequestId() { return "check"; }
        public String getLogGroupName() { return "check"; }
        public String getLogStreamName() { return "check"; }
        public String getFunctionName() { return "check"; }
        public String getFunctionVersion() { return "1"; }
        public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:000000000000:function:check"; }
        public CognitoIdentity getIdentity() { return null; }
        public ClientContext getClientContext() { return null; }
        public int getRemainingTimeInMillis() { return 300_000; }
        public int getMemoryLimitInMB() { return 1024; }
        public LambdaLogger getLogger() {
            return new LambdaLogger() {
                public void log(String message) { System.out.println(message); }
                public void log(byte[] message) { System.out.println(new String(message, StandardCharsets.UTF_8)); }
            };
        }
    };
}
