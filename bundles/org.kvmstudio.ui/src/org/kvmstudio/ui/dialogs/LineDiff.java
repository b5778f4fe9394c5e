package org.kvmstudio.ui.dialogs;

import java.util.ArrayList;
import java.util.List;

/** A unified diff of two texts by lines (longest common subsequence), for a domain XML before and after. */
public final class LineDiff {

    private static final int CONTEXT = 3;
    /** Beyond this many lines on a side, the table of common subsequences would be too big: say so instead. */
    private static final int MAX_LINES = 4000;

    private LineDiff() {
    }

    /** The lines of {@code after} that differ from {@code before}, with three lines around each change; {@code ""} when equal. */
    public static String unified(String before, String after) {
        String[] a = before.split("\n", -1);
        String[] b = after.split("\n", -1);
        if (a.length > MAX_LINES || b.length > MAX_LINES) {
            return "(too long to compare line by line)";
        }
        int[][] common = new int[a.length + 1][b.length + 1];
        for (int i = a.length - 1; i >= 0; i--) {
            for (int j = b.length - 1; j >= 0; j--) {
                common[i][j] = a[i].equals(b[j]) ? common[i + 1][j + 1] + 1 : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        List<String> lines = new ArrayList<>(); // each prefixed ' ', '-' or '+'
        int i = 0;
        int j = 0;
        while (i < a.length || j < b.length) {
            if (i < a.length && j < b.length && a[i].equals(b[j])) {
                lines.add(" " + a[i++]);
                j++;
            } else if (i < a.length && (j == b.length || common[i + 1][j] >= common[i][j + 1])) {
                lines.add("-" + a[i++]); // what goes, before what comes in its place
            } else {
                lines.add("+" + b[j++]);
            }
        }
        StringBuilder out = new StringBuilder();
        int lastShown = -1;
        for (int k = 0; k < lines.size(); k++) {
            if (lines.get(k).charAt(0) == ' ') {
                continue;
            }
            int from = Math.max(lastShown + 1, k - CONTEXT);
            if (from > lastShown + 1 && out.length() > 0) {
                out.append("…\n");
            }
            int to = Math.min(lines.size() - 1, k + CONTEXT);
            for (int m = from; m <= to; m++) {
                out.append(lines.get(m)).append('\n');
            }
            lastShown = to;
            k = Math.max(k, to - CONTEXT);
        }
        return out.toString();
    }
}
