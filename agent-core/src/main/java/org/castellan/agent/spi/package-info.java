/**
 * The platform SPI: everything agent-core needs from an operating system, as small interfaces.
 * agent-core knows nothing of JNA, chpasswd or dscl; agent-linux, agent-windows and agent-macos
 * implement these, and {@link org.castellan.agent.spi.Platforms#current()} picks one, once, at start-up.
 */
package org.castellan.agent.spi;
