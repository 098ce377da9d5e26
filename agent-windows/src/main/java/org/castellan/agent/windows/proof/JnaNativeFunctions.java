package org.castellan.agent.windows.proof;

import com.sun.jna.NativeLibrary;

/** Looks exports up with the Windows loader through JNA, calling nothing (Windows only). */
public final class JnaNativeFunctions implements NativeFunctions {
    @Override
    public boolean exports(String library, String function) {
        NativeLibrary lib = NativeLibrary.getInstance(library);
        try {
            lib.getFunction(function);
            return true;
        } catch (UnsatisfiedLinkError e) {
            return false;
        }
    }
}
