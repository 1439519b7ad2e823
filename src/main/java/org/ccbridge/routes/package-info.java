/**
 * Live, guarded reload of the YAML route files in {@code routes/}.
 */
package org.ccbridge.routes;
