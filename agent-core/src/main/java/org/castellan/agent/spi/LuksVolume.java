package org.castellan.agent.spi;

/**
 * @param uuid the LUKS header UUID: the volume id the server knows
 * @param device where it is now, e.g. {@code /dev/nvme0n1p3} (or an image file)
 */
public record LuksVolume(String uuid, String device) {}
