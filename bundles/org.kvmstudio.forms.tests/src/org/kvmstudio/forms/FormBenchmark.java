package org.kvmstudio.forms;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Shell;
import org.junit.jupiter.api.Test;
import org.kvmstudio.release.kvm.KvmRelease;
import org.kvmstudio.schema.ParameterSchema;
import org.kvmstudio.forms.internal.FormTestAccess;
import org.kvmstudio.testing.swt.Gui;

/**
 * Benchmark, not a test (its name keeps it out of the test run; releng/scripts/gui-benchmark.sh runs
 * it): the time from the full kvm schema to a form laid out and painted in a Shell, and the time
 * of one validation round after a keystroke. Prints figures; decides nothing.
 */
class FormBenchmark {

    private static final int WARMUP = 5;
    private static final int ROUNDS = 20;

    @Test
    void schemaToForm() throws Exception {
        ParameterSchema schema = new KvmRelease().load().input(KvmRelease.DEFAULT).orElseThrow();
        Shell shell = Gui.shell("benchmark", 900, 800);
        shell.setLayout(new FillLayout());
        shell.open();
        List<Double> build = new ArrayList<>();
        List<Double> keystroke = new ArrayList<>();
        List<Double> create = new ArrayList<>();
        List<Double> layout = new ArrayList<>();
        List<Double> paint = new ArrayList<>();
        List<Double> all = new ArrayList<>();
        for (int i = 0; i < WARMUP + ROUNDS; i++) {
            long t = System.nanoTime();
            ParameterForm form = new ParameterForm(shell, schema);
            long created = System.nanoTime();
            shell.layout(true, true);
            long laidOut = System.nanoTime();
            shell.update(); // painted
            long painted = System.nanoTime();
            double ms = (painted - t) / 1e6;
            // the fields past the first screen, made at once here (asking for one of them does) rather than
            // on the next turn of the event loop, so that only their own cost is counted
            List<org.kvmstudio.schema.Field> declared = schema.root().properties();
            form.controlAt(declared.get(declared.size() - 1).pointer()).orElseThrow();
            shell.update();
            long whole = System.nanoTime();
            org.eclipse.swt.widgets.Text ram = (org.eclipse.swt.widgets.Text) form.controlAt("/ram-size").orElseThrow();
            long k = System.nanoTime();
            ram.setText(String.valueOf(512 * (i % 4 + 1)));
            double keyMs = (System.nanoTime() - k) / 1e6;
            if (i >= WARMUP) {
                build.add(ms);
                all.add((whole - t) / 1e6);
                create.add((created - t) / 1e6);
                layout.add((laidOut - created) / 1e6);
                paint.add((painted - laidOut) / 1e6);
                keystroke.add(keyMs);
            }
            form.control().dispose();
            Gui.pump(0);
        }
        System.out.printf("form-benchmark: %d fields; schema -> painted form (its first %d fields): median %.1f ms, max %.1f ms "
                + "(goal <= 100 ms); one keystroke (validate + decorate + JSON tab): median %.2f ms%n",
                schema.root().properties().size(), FormTestAccess.firstScreen(), median(build), Collections.max(build), median(keystroke));
        System.out.printf("form-benchmark: of which creating the widgets %.1f ms, the first layout %.1f ms, painting %.1f ms; "
                + "every field made and laid out (the rest just after the first paint): median %.1f ms%n", median(create), median(layout), median(paint), median(all));
        shell.dispose();
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
