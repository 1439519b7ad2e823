/**
 * The broker topology (declared in code, the same on RabbitMQ and the embedded broker),
 * publishing with confirms, and the embedded Qpid Broker-J for the zero-install default.
 */
package org.ccbridge.broker;
