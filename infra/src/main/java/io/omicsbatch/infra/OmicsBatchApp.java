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
 * {@link StackConfig}) and cdk.json's feature flags (among them {@code @aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy}:
 * access logs are delivered by bucket policy, the log bucket having ACLs disabled). With {@code -c nag=true} the
 * cdk-nag AwsSolutions and HIPAA Security packs run too.
 */
public final class OmicsBatchApp {

    public static final String STACK_NAME = io.omicsbatch.resources.ResourceDefinitions.DEFAULT_STACK_NAME;
    public static final String NAG = "nag";

    private OmicsBatchApp() {}

    public static void main(String[] args) {
        App app = newApp(Map.of());
        OmicsBatchStack stack;
        try {
            stack = newStack(app, FunctionsJar.locate());
        } catch (IllegalArgumentException | IllegalStateException e) {
            // A context value or the functions jar: the message says which and what to do.
            System.err.println("omics-batch: " + e.getMessage());
            System.exit(1);
            return;
        }
        if (Boolean.parseBoolean(String.valueOf(app.getNode().tryGetContext(NAG)))) {
            applyNag(stack);
        }
        app.synth();
    }

    /**
     * An app with the given context. The CDK CLI passes cdk.json's context (feature flags included) to the app
     * itself; the tests pass the same file's context here.
     */
    public static App newApp(Map<String, Object> context) {
        return new App(AppProps.builder().context(context).build());
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
