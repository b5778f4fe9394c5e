package org.kvmstudio.ui.jobs;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.jobs.IJobChangeEvent;
import org.eclipse.core.runtime.jobs.IJobChangeListener;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.core.runtime.jobs.JobChangeAdapter;
import org.eclipse.e4.ui.di.UISynchronize;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.ProgressBar;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;

/**
 * The window's status line of running work: the user's Jobs (a request, a destroy, adding a host),
 * the oldest one named, with a progress bar and Cancel. (An e4 tool control, in the bottom trim.)
 */
public class JobsControl {

    @Inject
    UISynchronize ui;

    private final List<Job> running = new ArrayList<>();
    private Label name;
    private ProgressBar bar;
    private Button cancel;
    private final IJobChangeListener listener = new JobChangeAdapter() {
        @Override
        public void running(IJobChangeEvent event) {
            if (event.getJob().isUser()) {
                ui.asyncExec(() -> {
                    running.add(event.getJob());
                    show();
                });
            }
        }

        @Override
        public void done(IJobChangeEvent event) {
            if (event.getJob().isUser()) {
                ui.asyncExec(() -> {
                    running.remove(event.getJob());
                    show();
                });
            }
        }
    };

    @PostConstruct
    void create(Composite parent) {
        Composite line = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(3).margins(4, 2).applyTo(line);
        name = new Label(line, SWT.NONE);
        GridDataFactory.fillDefaults().hint(320, SWT.DEFAULT).align(SWT.FILL, SWT.CENTER).applyTo(name);
        bar = new ProgressBar(line, SWT.INDETERMINATE | SWT.HORIZONTAL);
        GridDataFactory.swtDefaults().hint(120, SWT.DEFAULT).applyTo(bar);
        cancel = new Button(line, SWT.PUSH);
        cancel.setText("Cancel");
        cancel.addListener(SWT.Selection, e -> running.stream().findFirst().ifPresent(Job::cancel));
        show();
        Job.getJobManager().addJobChangeListener(listener);
    }

    private void show() {
        if (name.isDisposed()) {
            return;
        }
        boolean busy = !running.isEmpty();
        name.setText(busy ? running.get(0).getName() + (running.size() > 1 ? " (and " + (running.size() - 1) + " more)" : "") + "…" : "");
        bar.setVisible(busy);
        cancel.setVisible(busy);
        name.getParent().layout();
    }

    @PreDestroy
    void dispose() {
        Job.getJobManager().removeJobChangeListener(listener);
    }
}
