-- The W3C traceparent of the request that asked for a notification (null with tracing off): the
-- relay's send to the provider continues that trace, however much later it runs.
ALTER TABLE ccbridge_notifications ADD COLUMN trace_parent VARCHAR(55);
