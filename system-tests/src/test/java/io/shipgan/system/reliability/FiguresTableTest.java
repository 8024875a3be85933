package io.shipgan.system.reliability;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FiguresTableTest {

    @Test
    void aBrokenPromiseFailsAndIsMarkedInTheTable() {
        Promises.Figure broken = new Promises.Figure("5 replica kill", "failed requests", "3.2 %", "≤ 1 %", false);
        AssertionError error = assertThrows(AssertionError.class, () -> Promises.failIfBroken(broken, "12 of 375"));
        assertTrue(error.getMessage().contains("failed requests 3.2 %, allowed ≤ 1 %"), error.getMessage());

        String table = FiguresTable.render(List.of(
                broken,
                new Promises.Figure("6 sustained load", "server errors", "0", "0", true)));

        assertTrue(table.contains(": 1 BROKEN"), table);
        assertTrue(table.contains("| 5 replica kill | failed requests | 3.2 % | ≤ 1 % | **NO** |"), table);
        assertTrue(table.contains("| 6 sustained load | server errors | 0 | 0 | yes |"), table);
    }
}
