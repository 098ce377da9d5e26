package org.castellan.agent.windows.jna;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.platform.win32.NTSecApi;

/** POLICY_ACCOUNT_DOMAIN_INFO (ntsecapi.h): the machine's account domain name and SID. */
@Structure.FieldOrder({"DomainName", "DomainSid"})
public class PolicyAccountDomainInfo extends Structure {
    public NTSecApi.LSA_UNICODE_STRING DomainName;
    public Pointer DomainSid;

    public PolicyAccountDomainInfo() {
        super(ALIGN_DEFAULT);
    }

    public PolicyAccountDomainInfo(Pointer buffer) {
        super(buffer, ALIGN_DEFAULT);
        read();
    }
}
