package io.omicsbatch.local.lambda;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns AWS-format event JSON into the aws-lambda-java-events types with the Lambda Java runtime's own
 * serialization library, exactly as Lambda does before it calls a handler.
 */
public final class LambdaEvents {

    private static final Map<Class<?>, PojoSerializer<?>> SERIALIZERS = new ConcurrentHashMap<>();

    private LambdaEvents() {}

    @SuppressWarnings("unchecked")
    public static <T> T fromJson(String json, Class<T> type) {
        PojoSerializer<T> serializer = (PojoSerializer<T>) SERIALIZERS.computeIfAbsent(type,
                t -> LambdaEventSerializers.serializerFor(t, LambdaEvents.class.getClassLoader()));
        return serializer.fromJson(json);
    }
}
