package io.omicsbatch.infra;

import io.omicsbatch.batch.BatchNotification;
import io.omicsbatch.batch.BatchNotificationPaths;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.services.events.EventBus;
import software.amazon.awscdk.services.events.EventField;
import software.amazon.awscdk.services.events.IEventBus;
import software.amazon.awscdk.services.events.IRuleTarget;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.RuleTargetInput;
import software.amazon.awscdk.services.events.targets.SnsTopic;
import software.amazon.awscdk.services.events.targets.SnsTopicProps;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.sns.ITopic;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;

/**
 * An e-mail when a batch ends (context {@code notifyEmail}, {@code notifyTopicArn}): a rule on our batch events of
 * the statuses in {@link BatchNotification#STATUSES}, whose input transformer (template and paths from shared, the
 * same the local runner renders) makes a readable message, to a topic of ours (KMS-encrypted with the message key,
 * whose policy lets EventBridge use it; TLS enforced) with the address subscribed, and/or to an existing topic.
 * The message names no run setting, run name or parameter.
 */
public final class BatchNotifications extends Construct {

    private final Topic topic;
    private final Rule rule;

    /**
     * @param eventBus    name or ARN of the bus the batch events go to ("default": the account's default bus)
     * @param eventSource the source of our batch events
     */
    public BatchNotifications(Construct scope, String id, IKey key, String eventBus, String eventSource,
                              StackConfig config) {
        super(scope, id);
        List<IRuleTarget> targets = new ArrayList<>();
        RuleTargetInput message = RuleTargetInput.fromMultilineText(BatchNotification.text(
                name -> EventField.fromPath(BatchNotificationPaths.PATHS.get(name))));
        if (config.notifyEmail() != null) {
            topic = Topic.Builder.create(this, "Topic")
                    .displayName("omics-batch batch ends")
                    .masterKey(key)
                    .enforceSsl(true)
                    .build();
            topic.addSubscription(new EmailSubscription(config.notifyEmail()));
            targets.add(new SnsTopic(topic, SnsTopicProps.builder().message(message).build()));
        } else {
            topic = null;
        }
        if (config.notifyTopicArn() != null) {
            // Its owner's policies must let events.amazonaws.com publish (and use its key, if encrypted).
            ITopic existing = Topic.fromTopicArn(this, "ExistingTopic", config.notifyTopicArn());
            targets.add(new SnsTopic(existing, SnsTopicProps.builder().message(message).build()));
        }
        Rule.Builder builder = Rule.Builder.create(this, "Rule")
                .description("omics-batch: a message when a batch ends")
                .eventPattern(EventPatterns.fromJson(BatchNotification.eventPattern(eventSource)))
                .targets(targets);
        if (!eventBus.equals("default")) {
            IEventBus bus = eventBus.startsWith("arn:") ? EventBus.fromEventBusArn(this, "Bus", eventBus)
                    : EventBus.fromEventBusName(this, "Bus", eventBus);
            builder.eventBus(bus);
        }
        rule = builder.build();
        if (config.notifyTopicArn() != null) {
            Annotations.of(rule).acknowledgeWarning("@aws-cdk/aws-events:ruleUnresolvedEnvironment",
                    "notifyTopicArn names a topic by ARN in the stack's own account and region (the stack is "
                            + "environment-agnostic, the ARN is not); EventBridge rules publish to SNS topics of their region.");
        }
    }

    /** Whether the configuration asks for notifications at all. */
    static boolean wanted(StackConfig config) {
        return config.notifyEmail() != null || config.notifyTopicArn() != null;
    }

    /** Our topic, or null when only an existing topic is notified. */
    public Topic topic() {
        return topic;
    }

    public Rule rule() {
        return rule;
    }
}
