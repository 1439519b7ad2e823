package org.ccbridge.ingress;

/** How an HMAC signature is written in its header. */
public enum SignatureEncoding {
    HEX, BASE64
}
