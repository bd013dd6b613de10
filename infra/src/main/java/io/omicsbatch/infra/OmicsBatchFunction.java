package io.omicsbatch.infra;

import io.omicsbatch.resources.FunctionJvm;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.ApplicationLogLevel;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.LoggingFormat;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.SystemLogLevel;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

/**
 * One of our Lambda functions with our defaults: java21 on arm64, the shaded jar, SnapStart on a published
 * version behind the alias {@value #ALIAS} (every trigger targets the alias, never $LATEST), its own role
 * (no managed policies: it may write its own log group and nothing else until granted more), an explicit
 * log group encrypted with the data key and kept {@link #LOG_RETENTION}, JSON logs (which carry the functions'
 * metrics in embedded metric format), the JVM options of {@link FunctionJvm} (JAVA_TOOL_OPTIONS). No active X-Ray
 * tracing: nothing in the functions is instrumented for it (Powertools Tracing 2.x is not available to this build),
 * so it would only add a permission on every resource.
 */
public final class OmicsBatchFunction extends Construct {

    public static final String ALIAS = "live";
    public static final Runtime RUNTIME = Runtime.JAVA_21;
    public static final RetentionDays LOG_RETENTION = RetentionDays.ONE_YEAR;

    /**
     * @param functionName    the physical name
     * @param handlerClass    the handler class in the functions jar (its {@code handleRequest} is the entry point)
     * @param timeout         the function's timeout
     * @param memoryMb        memory (and so CPU)
     * @param environment     environment variables
     * @param reservedConcurrency reserved concurrency, or null for none
     * @param deadLetterQueue where failed asynchronous invocations go, or null
     */
    public record Props(String functionName, String description, String handlerClass, java.time.Duration timeout,
                        int memoryMb, Map<String, String> environment, Integer reservedConcurrency,
                        IQueue deadLetterQueue) {}

    private final Function function;
    private final Alias alias;
    private final Role role;
    private final LogGroup logGroup;

    public OmicsBatchFunction(Construct scope, String id, Code code, IKey key, Props props) {
        super(scope, id);
        logGroup = LogGroup.Builder.create(this, "Logs")
                .retention(LOG_RETENTION)
                .encryptionKey(key)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        role = Role.Builder.create(this, "Role")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("omics-batch " + props.functionName() + " function")
                .build();
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .sid("WriteOwnLogs")
                .actions(List.of("logs:CreateLogStream", "logs:PutLogEvents"))
                .resources(List.of(logGroup.getLogGroupArn()))
                .build());

        Map<String, String> environment = new LinkedHashMap<>(props.environment());
        environment.put("POWERTOOLS_SERVICE_NAME", props.functionName());
        environment.put(FunctionJvm.VARIABLE, FunctionJvm.OPTIONS);
        Function.Builder builder = Function.Builder.create(this, "Function")
                .functionName(props.functionName())
                .description(props.description())
                .runtime(RUNTIME)
                .architecture(Architecture.ARM_64)
                .handler(props.handlerClass() + "::handleRequest")
                .code(code)
                .memorySize(props.memoryMb())
                .timeout(Duration.seconds(props.timeout().toSeconds()))
                .environment(environment)
                .role(role)
                .logGroup(logGroup)
                .loggingFormat(LoggingFormat.JSON)
                .applicationLogLevelV2(ApplicationLogLevel.INFO)
                .systemLogLevelV2(SystemLogLevel.INFO)
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS);
        if (props.reservedConcurrency() != null) {
            builder.reservedConcurrentExecutions(props.reservedConcurrency());
        }
        if (props.deadLetterQueue() != null) {
            builder.deadLetterQueue(props.deadLetterQueue());
        }
        function = builder.build();
        alias = Alias.Builder.create(this, "Live")
                .aliasName(ALIAS)
                .version(function.getCurrentVersion())
                .build();
    }

    public Function function() {
        return function;
    }

    /** What triggers invoke: the alias of the current published (SnapStart) version. */
    public Alias alias() {
        return alias;
    }

    public Role role() {
        return role;
    }

    public IGrantable grantee() {
        return role;
    }

    public LogGroup logGroup() {
        return logGroup;
    }
}
