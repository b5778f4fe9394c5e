package org.kvmstudio.ui.parts;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.junit.jupiter.api.Test;
import org.kvmstudio.core.Studio;
import org.kvmstudio.model.InstanceRequest;
import org.kvmstudio.model.Parameters;
import org.kvmstudio.release.kvm.KvmRelease;
import org.kvmstudio.testing.swt.Gui;

/**
 * Benchmark, not a test (its name keeps it out of the test run; releng/scripts/gui-benchmark.sh runs
 * it): the Instances view over a workspace of 1,000 partitions — the time to make and paint it, the
 * time to refresh it after a change, and the process's resident memory. Prints figures.
 */
class InstancesBenchmark {

    @Test
    void thousandPartitions() throws Exception {
        Path dir = Files.createTempDirectory("kib");
        Studio studio = Studio.open(dir.resolve("ws"), Clock.systemUTC());
        studio.releases().add(new KvmRelease());
        for (int i = 0; i < 1000; i++) { // recorded only: no backend deploys them
            studio.engine().request(InstanceRequest.of(KvmRelease.URI, "vm-" + i)
                    .withParameters(Parameters.of(Map.of("ram-size", 512 * (1 + i % 4)))));
        }
        studio.engine().process(new NullProgressMonitor());
        Display display = Gui.display();
        TestWindow window = new TestWindow(display, studio);
        List<Double> load = new ArrayList<>();
        List<Double> refresh = new ArrayList<>();
        for (int round = 0; round < 8; round++) {
            Shell shell = Gui.shell("benchmark", 1200, 800);
            shell.setLayout(new FillLayout());
            Composite holder = new Composite(shell, 0);
            holder.setLayout(new FillLayout());
            shell.open();
            Gui.pump(0);
            long t = System.nanoTime();
            InstancesPart part = window.part(InstancesPart.class, holder);
            shell.layout(true, true);
            shell.update();
            double loadMs = (System.nanoTime() - t) / 1e6;
            long r = System.nanoTime();
            part.reload();
            shell.update();
            double refreshMs = (System.nanoTime() - r) / 1e6;
            if (round >= 3) {
                load.add(loadMs);
                refresh.add(refreshMs);
            }
            window.closeParts();
            shell.dispose();
            Gui.pump(0);
        }
        System.gc();
        long rss = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                .map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(0L) / 1024;
        System.out.printf("instances-benchmark: %d partitions; load and paint: median %.1f ms (goal <= 200 ms); "
                + "refresh: median %.1f ms (goal <= 50 ms); process RSS %d MB (goal <= 400 MB)%n",
                studio.engine().partitions().size(), median(load), median(refresh), rss);
        studio.close();
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
