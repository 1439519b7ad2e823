package org.ccbridge.sync.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.ccbridge.crm.TargetWrite;
import org.ccbridge.fate.EventFate;
import org.ccbridge.fate.FateStage;
import org.ccbridge.sync.SyncOutcome;
import org.ccbridge.sync.SyncPlan;
import org.ccbridge.sync.SyncSystem;
import org.ccbridge.tracing.EventTracing;

/**
 * The sync pipeline's part of an event's story: what was decided for its change and why, the
 * writes made (target, fencing token, idempotency key), the version agreed, and the review item
 * it became.
 */
public class SyncFate {

    private final EventFate fate;
    private final Map<SyncSystem, String> targetNames;

    public SyncFate(EventFate fate, Map<SyncSystem, String> targetNames) {
        this.fate = fate;
        this.targetNames = targetNames;
    }

    void decided(SyncWork work, String status) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("status", status);
        String recordKey = null;
        if (work.change() != null) {
            recordKey = work.change().recordKey();
            detail.put("object", work.change().object());
            detail.put("recordKey", recordKey);
        }
        SyncOutcome outcome = work.outcome();
        if (outcome != null) {
            detail.put("reason", outcome.reason());
            if (outcome.reviewId() > 0) {
                detail.put("reviewId", outcome.reviewId());
            }
        }
        SyncPlan plan = work.plan();
        if (plan != null && plan.next() != null) {
            detail.put("version", plan.next().version());
        }
        if (plan != null && outcome != null && outcome.writes() > 0) {
            detail.put("writes", writes(plan));
        }
        // the event's own trace: in a batch, no span of it is current
        fate.recordInTrace(EventTracing.sampledTraceId(work.traceParent()), work.source(), work.eventId(),
                FateStage.SYNCED, recordKey, detail);
    }

    private List<Map<String, Object>> writes(SyncPlan plan) {
        List<Map<String, Object>> writes = new ArrayList<>();
        plan.writes().forEach((system, write) -> writes.add(write(system, write)));
        return writes;
    }

    private Map<String, Object> write(SyncSystem system, TargetWrite write) {
        Map<String, Object> made = new LinkedHashMap<>();
        made.put("system", system.name());
        made.put("target", targetNames.get(system));
        made.put("object", write.object());
        made.put("recordKey", write.recordKey());
        made.put("fencingToken", write.fencingToken());
        made.put("idempotencyKey", write.idempotencyKey());
        return made;
    }
}
