package org.ccbridge.fate;

/** What happened to an event at one point of its way. */
public enum FateStage {
    /** A delivery was accepted: the event was claimed, published to its queue and confirmed. */
    RECEIVED,
    /** A later delivery of an event already accepted; answered 200 DUPLICATE. */
    DUPLICATE,
    /** A delivery of a known event id refused: 409 while another delivery holds it, 422 for another payload, 503 when it could not be made durable. */
    REFUSED,
    /** The sync pipeline decided the change: status, reason, and the writes it made. */
    SYNCED,
    /** The event was dead-lettered after its attempts. */
    DEAD_LETTERED,
    /** An operator replayed the dead-lettered event to its queue. */
    REPLAYED,
    /** A notification was accepted on behalf of the event. */
    NOTIFICATION
}
