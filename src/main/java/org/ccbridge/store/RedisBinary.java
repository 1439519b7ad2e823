package org.ccbridge.store;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;

import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/** Scripts over binary values, run on the raw connection instead of the string serializers. */
final class RedisBinary {

    /** How long {@link #together} waits for each answer; the connection's own timeout ends it first when shorter. */
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

    private RedisBinary() {
    }

    @SuppressWarnings("unchecked")
    static <T> T eval(StringRedisTemplate redis, byte[] script, ReturnType returns, byte[] key, byte[]... args) {
        byte[][] keysAndArgs = new byte[args.length + 1][];
        keysAndArgs[0] = key;
        System.arraycopy(args, 0, keysAndArgs, 1, args.length);
        return CoordinationCalls.redis(() -> redis.execute((RedisCallback<T>) connection ->
                (T) connection.scriptingCommands().eval(script, returns, 1, keysAndArgs)));
    }

    /**
     * Sends one command per request on the shared Lettuce connection and waits for all: one round
     * trip for the lot, each command still atomic on its own keys (Spring's executePipelined would
     * open a dedicated connection per call). Null without Lettuce; the caller then goes one by one.
     */
    @SuppressWarnings("unchecked")
    static <R> List<Object> together(StringRedisTemplate redis, List<R> requests,
                                     BiFunction<RedisClusterAsyncCommands<byte[], byte[]>, R, RedisFuture<?>> command) {
        return CoordinationCalls.redis(() -> redis.execute((RedisCallback<List<Object>>) connection -> {
            if (!(connection.getNativeConnection() instanceof RedisClusterAsyncCommands<?, ?> nativeCommands)) {
                return null;
            }
            RedisClusterAsyncCommands<byte[], byte[]> commands = (RedisClusterAsyncCommands<byte[], byte[]>) nativeCommands;
            List<RedisFuture<?>> futures = new ArrayList<>(requests.size());
            requests.forEach(request -> futures.add(command.apply(commands, request)));
            List<Object> answers = new ArrayList<>(requests.size());
            for (RedisFuture<?> future : futures) {
                answers.add(await(future));
            }
            return answers;
        }));
    }

    private static Object await(RedisFuture<?> future) {
        try {
            return future.get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisException("interrupted while waiting for Redis", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new RedisException("Redis did not answer: " + e.getMessage(), e);
        }
    }

    static byte[] bytes(String text) {
        return (text == null ? "" : text).getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] bytes) {
        return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
    }
}
