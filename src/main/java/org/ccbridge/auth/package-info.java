/**
 * OAuth 2.0 client-credentials tokens for every outbound client (Genesys Cloud, NICE CXone,
 * gateway targets): cached in the shared store, refreshed by one instance at a time.
 */
package org.ccbridge.auth;
