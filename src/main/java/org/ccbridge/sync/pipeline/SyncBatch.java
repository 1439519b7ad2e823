package org.ccbridge.sync.pipeline;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

import org.apache.camel.Message;
import org.ccbridge.coordination.FencedLocks;

/**
 * The events of one batch of the contact-center lane (exchange property {@code syncBatch}) and
 * where each stands: the changes the batch stages carry through together, the events that go
 * down the one-change path ({@code direct:record-sync}) instead, and the events that go back to
 * their queue. Events that reach none of these lists (dropped by a filter, not mapped,
 * dead-lettered, done) are acked with the batch.
 */
public final class SyncBatch {

    /** The exchange property that holds the batch. */
    public static final String PROPERTY = "syncBatch";
    /** Whether a change of the batch goes to review: true or false, set by the decide stage. */
    public static final String REVIEWS = "syncBatchReviews";
    /** Whether the batch writes to the CRM: true or false, set by the decide stage. */
    public static final String WRITES_CRM = "syncBatchWritesCrm";
    /** Whether the batch writes to the contact center: true or false, set by the decide stage. */
    public static final String WRITES_CONTACT_CENTER = "syncBatchWritesContactCenter";

    /** A change being carried through the batch stages, by the position of its event in the batch. */
    record Item(int index, SyncWork work) {
    }

    /** Why a change left the batch stages for the one-change path; a tag of {@code ccbridge.sync.batch.alone}. */
    enum Alone {
        /** Another holder had the record's lock, or the batch had another change of the record. */
        LOCK_BUSY("lock-busy"),
        /** The batch's lock of the record lapsed before its write or commit. */
        LOCK_LAPSED("lock-lapsed"),
        /** The target refused or failed this record of a call. */
        WRITE_FAILED("write-failed"),
        /** A call to the target failed as a whole. */
        CALL_FAILED("call-failed"),
        /** The record's stored state moved between the batch's read and its commit. */
        STATE_MOVED("state-moved"),
        /** The batch stages failed unexpectedly. */
        STAGES_FAILED("stages-failed");

        private final String tag;

        Alone(String tag) {
            this.tag = tag;
        }

        String tag() {
            return tag;
        }
    }

    private final List<Message> events;
    private final List<Item> items = new ArrayList<>();
    private final List<Integer> oneByOne = new ArrayList<>();
    private final Set<Integer> requeue = new TreeSet<>();
    private final Map<Alone, Integer> aloneCounts = new EnumMap<>(Alone.class);
    private final Map<Integer, RuntimeException> writeFailures = new HashMap<>();
    private final Map<Integer, String> statuses = new HashMap<>();
    private final Map<Integer, Exception> requeueCauses = new HashMap<>();
    private FencedLocks.Group locks;

    SyncBatch(List<Message> events) {
        this.events = events;
    }

    /** The change of the event at {@code index} joins the batch stages. */
    void add(int index, SyncWork work) {
        items.add(new Item(index, work));
    }

    List<Item> items() {
        return Collections.unmodifiableList(items);
    }

    /** Whether any change is still carried by the batch stages. */
    boolean isEmpty() {
        return items.isEmpty();
    }

    /**
     * Takes the change out of the batch stages: its event runs through the one-change path, which
     * waits for locks, retries with backoff and dead-letters one event at a time. Its lock, if the
     * batch took one, is released first so that the path can take it.
     */
    void sendOneByOne(Item item, Alone reason) {
        sendOneByOne(item, reason, null);
    }

    /**
     * {@link #sendOneByOne(Item, Alone)} for a change whose write failed: on its own, that failure
     * counts as its first attempt.
     */
    void sendOneByOne(Item item, Alone reason, RuntimeException writeFailure) {
        aloneCounts.merge(reason, 1, Integer::sum);
        if (writeFailure != null) {
            writeFailures.put(item.index(), writeFailure);
        }
        if (item.work().lock() != null) {
            item.work().lock().close();
        }
        oneByOne.add(item.index());
        items.remove(item);
    }

    /** {@link #sendOneByOne} for every change that matches. */
    void sendOneByOne(Predicate<Item> which, Alone reason, RuntimeException writeFailure) {
        for (Item item : new ArrayList<>(items)) {
            if (which.test(item)) {
                sendOneByOne(item, reason, writeFailure);
            }
        }
    }

    /** How many changes left the batch stages, by reason. */
    Map<Alone, Integer> aloneCounts() {
        return Collections.unmodifiableMap(aloneCounts);
    }

    /** The failure of the batch's write of the i-th event of {@link #getOneByOne}, once; then null. */
    RuntimeException takeWriteFailure(int position) {
        return writeFailures.remove(oneByOneIndex(position));
    }

    /** The status an event ended in, for the lane's tests and logs; null while it has none. */
    public String statusOf(int index) {
        return statuses.get(index);
    }

    void status(int index, String status) {
        statuses.put(index, status);
    }

    /** The events to run one by one, for the lane's second split; as received. */
    public List<Message> getOneByOne() {
        List<Message> messages = new ArrayList<>(oneByOne.size());
        oneByOne.forEach(index -> messages.add(events.get(index)));
        return messages;
    }

    /** The batch position of the i-th event of {@link #getOneByOne}. */
    int oneByOneIndex(int position) {
        return oneByOne.get(position);
    }

    /** The event at {@code index} goes back to its queue, for {@code cause}. */
    void requeue(int index, Exception cause) {
        requeue.add(index);
        requeueCauses.put(index, cause);
    }

    /** Why the event at {@code index} goes back to its queue; null when it does not. */
    public Exception requeueCause(int index) {
        return requeueCauses.get(index);
    }

    /** The positions of the events that go back to their queue. */
    public Set<Integer> requeued() {
        return Collections.unmodifiableSet(requeue);
    }

    /** How many events the batch has. */
    public int getSize() {
        return events.size();
    }

    FencedLocks.Group locks() {
        return locks;
    }

    void locks(FencedLocks.Group value) {
        this.locks = value;
    }
}
