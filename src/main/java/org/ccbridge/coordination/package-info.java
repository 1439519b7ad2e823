/**
 * Coordination services for contact-center flows and for ccbridge's own routes: fenced
 * distributed locks (HTTP and Java), and the API keys that callers of these HTTP APIs present.
 * Stores behind the ports live in {@code org.ccbridge.store}.
 */
package org.ccbridge.coordination;
