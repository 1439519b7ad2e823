/**
 * Operations: health contributions and the admin API.
 */
package org.ccbridge.ops;
