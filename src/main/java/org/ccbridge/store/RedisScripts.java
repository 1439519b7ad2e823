package org.ccbridge.store;

import org.springframework.data.redis.core.script.RedisScript;

/** Scripts more than one Redis adapter runs. */
final class RedisScripts {

    /**
     * Compare-and-delete of a value {@code <prefix>|<name>}: deletes KEYS[1] only while its part
     * after the first {@code |} is ARGV[1] (a lock's owner, a cached token). Returns 1 or 0.
     */
    static final RedisScript<Long> DELETE_IF_NAMED = RedisScript.of("""
            local held = redis.call('GET', KEYS[1])
            if not held then return 0 end
            local sep = string.find(held, '|', 1, true)
            if string.sub(held, sep + 1) ~= ARGV[1] then return 0 end
            return redis.call('DEL', KEYS[1])
            """, Long.class);

    private RedisScripts() {
    }
}
