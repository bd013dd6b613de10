package io.omicsbatch.infra;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.HIPAASecurityChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import java.nio.file.Path;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;

/**
 * The CDK app ({@code cdk.json}): one stack, {@value #STACK_NAME}, configured from context (see
 * {@link StackConfig}). With {@code -c nag=true} the cdk-nag AwsSolutions and HIPAA Security packs run too.
 */
public final class OmicsBatchApp {

    public static final String STACK_NAME = "OmicsBatch";
    public static final String NAG = "nag";

    /** Feature flags the stack relies on, set here so that the tests synthesize exactly what cdk synth does. */
    static final Map<String, Object> FEATURE_FLAGS = Map.of(
            // Access logs delivered by bucket policy (the log bucket has ACLs disabled).
            "@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy", true);

    private OmicsBatchApp() {}

    public static void main(String[] args) {
        App app = newApp(Map.of());
        OmicsBatchStack stack = newStack(app, FunctionsJar.locate());
        if (Boolean.parseBoolean(String.valueOf(app.getNode().tryGetContext(NAG)))) {
            applyNag(stack);
        }
        app.synth();
    }

    /** An app with our feature flags and the given context (CLI context, as from {@code -c}, wins). */
    public static App newApp(Map<String, Object> context) {
        java.util.Map<String, Object> all = new java.util.HashMap<>(FEATURE_FLAGS);
        all.putAll(context);
        return new App(AppProps.builder().context(all).build());
    }

    public static OmicsBatchStack newStack(App app, Path functionsJar) {
        StackConfig config = StackConfig.fromContext(app.getNode()::tryGetContext);
        OmicsBatchStack stack = new OmicsBatchStack(app, STACK_NAME, StackProps.builder()
                .stackName(STACK_NAME)
                .description("omics-batch: bulk launcher for AWS HealthOmics workflow runs")
                .build(), config, functionsJar);
        Tags.of(stack).add("application", "omics-batch");
        return stack;
    }

    public static void applyNag(OmicsBatchStack stack) {
        Aspects.of(stack).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
        Aspects.of(stack).add(new HIPAASecurityChecks(NagPackProps.builder().verbose(true).build()));
    }
}
