package org.castellan.agent.windows.bitlocker;

import org.castellan.protocol.Secret;

/**
 * One numerical-password key protector of a volume.
 *
 * @param protectorId the VolumeKeyProtectorID, {GUID} in upper case
 * @param numericalPassword the 48-digit recovery password; the receiver closes it
 */
public record ProtectorPassword(String protectorId, Secret numericalPassword) {}
