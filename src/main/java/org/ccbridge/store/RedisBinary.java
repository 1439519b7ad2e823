package org.ccbridge.store;

import java.nio.charset.StandardCharsets;

import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/** Scripts over binary values, run on the raw connection instead of the string serializers. */
final class RedisBinary {

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

    static byte[] bytes(String text) {
        return (text == null ? "" : text).getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] bytes) {
        return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
    }
}
