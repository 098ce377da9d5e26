/**
 * JSON messages exchanged between agent and server. Records only: no behaviour, no secrets in
 * plaintext (passwords travel as {@link org.castellan.protocol.envelope.Envelope}s).
 */
package org.castellan.protocol.messages;
