package org.kvmstudio.ui.jobs;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.jobs.IJobChangeEvent;
import org.eclipse.core.runtime.jobs.IJobChangeListener;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.core.runtime.jobs.JobChangeAdapter;
import org.eclipse.core.runtime.jobs.ProgressProvider;
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
 * the oldest one named, with its progress (as its monitor reports it) and Cancel. (An e4 tool
 * control, in the bottom trim; it is the job manager's progress provider.)
 */
public class JobsControl {

    @Inject
    UISynchronize ui;

    private final List<Job> running = new ArrayList<>();
    private final java.util.Map<Job, Progress> progress = new java.util.concurrent.ConcurrentHashMap<>();
    private Label name;
    private ProgressBar unknown;
    private ProgressBar known;
    private Button cancel;

    /** A job's monitor: what it says of its work, shown in the status line. */
    private final class Progress extends NullProgressMonitor {
        volatile int total = IProgressMonitor.UNKNOWN;
        volatile int done;

        @Override
        public void beginTask(String task, int totalWork) {
            total = totalWork;
            done = 0;
            ui.asyncExec(JobsControl.this::show);
        }

        @Override
        public void worked(int work) {
            done += work;
            ui.asyncExec(JobsControl.this::show);
        }
    }

    private final ProgressProvider provider = new ProgressProvider() {
        @Override
        public IProgressMonitor createMonitor(Job job) {
            if (!job.isUser()) {
                return new NullProgressMonitor();
            }
            Progress p = new Progress();
            progress.put(job, p);
            return p;
        }
    };
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
                progress.remove(event.getJob());
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
        GridLayoutFactory.fillDefaults().numColumns(4).margins(4, 2).applyTo(line);
        name = new Label(line, SWT.NONE);
        GridDataFactory.fillDefaults().hint(320, SWT.DEFAULT).align(SWT.FILL, SWT.CENTER).applyTo(name);
        // SWT fixes a bar's kind at creation: one for work of unknown size, one for counted work
        unknown = new ProgressBar(line, SWT.INDETERMINATE | SWT.HORIZONTAL);
        GridDataFactory.swtDefaults().hint(120, SWT.DEFAULT).applyTo(unknown);
        known = new ProgressBar(line, SWT.SMOOTH | SWT.HORIZONTAL);
        GridDataFactory.swtDefaults().hint(120, SWT.DEFAULT).applyTo(known);
        cancel = new Button(line, SWT.PUSH);
        cancel.setText("Cancel");
        cancel.addListener(SWT.Selection, e -> running.stream().findFirst().ifPresent(Job::cancel));
        show();
        Job.getJobManager().setProgressProvider(provider);
        Job.getJobManager().addJobChangeListener(listener);
    }

    private void show() {
        if (name.isDisposed()) {
            return;
        }
        boolean busy = !running.isEmpty();
        name.setText(busy ? running.get(0).getName() + (running.size() > 1 ? " (and " + (running.size() - 1) + " more)" : "") + "…" : "");
        Progress p = busy ? progress.get(running.get(0)) : null;
        boolean counted = p != null && p.total > 0;
        if (counted) {
            known.setMaximum(p.total);
            known.setSelection(Math.min(p.done, p.total));
        }
        known.setVisible(busy && counted);
        ((org.eclipse.swt.layout.GridData) known.getLayoutData()).exclude = !(busy && counted);
        unknown.setVisible(busy && !counted);
        ((org.eclipse.swt.layout.GridData) unknown.getLayoutData()).exclude = !(busy && !counted);
        cancel.setVisible(busy);
        name.getParent().layout();
    }

    /** For tests: the counted-work bar and the Cancel button. */
    ProgressBar countedBar() {
        return known;
    }

    Button cancelButton() {
        return cancel;
    }

    @PreDestroy
    void dispose() {
        Job.getJobManager().removeJobChangeListener(listener);
        Job.getJobManager().setProgressProvider(null);
    }
}
