package org.kvmstudio.ui.dialogs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LineDiffTest {

    @Test
    void aChangedLineShowsAsRemovedAndAddedWithItsContext() {
        String before = "<domain>\n  <name>vm</name>\n  <memory>1024</memory>\n  <vcpu>1</vcpu>\n</domain>";
        String after = "<domain>\n  <name>vm</name>\n  <memory>2048</memory>\n  <vcpu>1</vcpu>\n</domain>";
        String diff = LineDiff.unified(before, after);
        assertTrue(diff.contains("-  <memory>1024</memory>\n+  <memory>2048</memory>\n"), diff);
        assertTrue(diff.contains("   <name>vm</name>\n"), "context around the change: " + diff);
        assertEquals("", LineDiff.unified(before, before), "the same text: nothing");
    }

    @Test
    void changesFarApartAreSeparateHunks() {
        StringBuilder a = new StringBuilder();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            a.append("line ").append(i).append('\n');
            b.append(i == 2 || i == 25 ? "changed " + i : "line " + i).append('\n');
        }
        String diff = LineDiff.unified(a.toString(), b.toString());
        assertTrue(diff.contains("…\n"), diff);
        assertTrue(!diff.contains("line 14"), "lines far from any change are left out: " + diff);
    }
}
