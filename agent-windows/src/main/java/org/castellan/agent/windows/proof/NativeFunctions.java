package org.castellan.agent.windows.proof;

/** Whether a DLL exports a function; {@link JnaNativeFunctions} asks the loader, tests fake it. */
public interface NativeFunctions {
    /** @throws UnsatisfiedLinkError when the library itself cannot be loaded */
    boolean exports(String library, String function);
}
