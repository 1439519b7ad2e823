/**
 * Event fate: the story of each accepted event (received, duplicate deliveries, published,
 * decided, written, reviewed, dead-lettered, replayed, the notifications it caused), written off
 * the acknowledgment path to the relational store and kept for the dedup window.
 */
package org.ccbridge.fate;
