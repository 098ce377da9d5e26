package org.castellan.packaging;

import java.util.HashMap;
import java.util.Map;

/** What {@code systemctl show -p ActiveState,SubState,Result,NRestarts,MainPID,ExecMainStatus UNIT} says. */
record UnitState(String activeState, String subState, String result, int restarts, long mainPid, int execMainStatus) {
    static final String PROPERTIES = "ActiveState,SubState,Result,NRestarts,MainPID,ExecMainStatus";

    static UnitState of(BootedContainer container, String unit) throws Exception {
        return parse(container.ok("systemctl show -p " + PROPERTIES + " " + unit));
    }

    static UnitState parse(String show) {
        Map<String, String> values = new HashMap<>();
        show.lines().map(l -> l.split("=", 2)).filter(kv -> kv.length == 2).forEach(kv -> values.put(kv[0], kv[1]));
        return new UnitState(values.get("ActiveState"), values.get("SubState"), values.get("Result"),
                Integer.parseInt(values.getOrDefault("NRestarts", "0")), Long.parseLong(values.getOrDefault("MainPID", "0")),
                Integer.parseInt(values.getOrDefault("ExecMainStatus", "0")));
    }

    boolean running() {
        return activeState.equals("active") && subState.equals("running") && mainPid > 0;
    }
}
