package org.castellan.agent.windows.jna;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/** LSA_OBJECT_ATTRIBUTES (ntsecapi.h): LsaOpenPolicy wants it zeroed with Length set. */
@Structure.FieldOrder({"Length", "RootDirectory", "ObjectName", "Attributes", "SecurityDescriptor",
        "SecurityQualityOfService"})
public class LsaObjectAttributes extends Structure {
    public int Length;
    public Pointer RootDirectory;
    public Pointer ObjectName;
    public int Attributes;
    public Pointer SecurityDescriptor;
    public Pointer SecurityQualityOfService;

    public LsaObjectAttributes() {
        super(ALIGN_DEFAULT);
        Length = size();
    }
}
