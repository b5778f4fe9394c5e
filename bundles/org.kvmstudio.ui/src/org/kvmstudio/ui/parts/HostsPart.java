package org.kvmstudio.ui.parts;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.ui.di.UISynchronize;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.kvmstudio.core.Studio;
import org.kvmstudio.model.Host;
import org.kvmstudio.model.HostStatus;
import org.kvmstudio.ui.jobs.StudioJob;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;

/** The hypervisor hosts: add a libvirt URI, see capacity, KVM or TCG and whether it answers, remove. */
public class HostsPart {

    /** One row: a host and what the backend knows of it now. */
    record Row(Host host, HostStatus status) {
        String state() {
            if (status == null) {
                return "not probed yet";
            }
            return status.up() ? "up" : "down: " + status.reason();
        }
    }

    @Inject
    UISynchronize ui;

    private Studio studio;
    private TableViewer viewer;
    private final List<Button> buttons = new ArrayList<>();
    private volatile boolean disposed;

    @PostConstruct
    public void create(Composite parent) {
        GridLayoutFactory.fillDefaults().margins(6, 6).applyTo(parent);
        viewer = new TableViewer(parent, SWT.BORDER | SWT.FULL_SELECTION | SWT.SINGLE);
        viewer.getTable().setHeaderVisible(true);
        viewer.getTable().setLinesVisible(true);
        Columns.<Row>add(viewer, "Host", 90, r -> r.host().id());
        Columns.<Row>add(viewer, "URI", 200, r -> r.host().uri());
        Columns.<Row>add(viewer, "State", 160, Row::state);
        Columns.<Row>add(viewer, "Virtualization", 100, r -> r.status() == null ? "" : switch (r.status().virtualization()) {
            case "kvm" -> "KVM";
            case "qemu" -> "TCG (emulated)";
            default -> r.status().virtualization();
        });
        Columns.<Row>add(viewer, "CPUs", 50, r -> r.status() == null || !r.status().up() ? "" : String.valueOf(r.status().cpus()));
        Columns.<Row>add(viewer, "Memory", 130, r -> r.status() == null || !r.status().up() ? ""
                : r.status().freeMemoryMiB() + " of " + r.status().memoryMiB() + " MiB free");
        viewer.setContentProvider(ArrayContentProvider.getInstance());
        GridDataFactory.fillDefaults().grab(true, true).applyTo(viewer.getControl());

        // two rows, so that a narrow view keeps room to type a URI
        Composite add = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(3).applyTo(add);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(add);
        new Label(add, SWT.NONE).setText("Id");
        Text id = new Text(add, SWT.BORDER);
        id.setMessage("host2");
        GridDataFactory.fillDefaults().grab(true, false).hint(80, SWT.DEFAULT).applyTo(id);
        Button addButton = new Button(add, SWT.PUSH);
        addButton.setText("Add");
        GridDataFactory.fillDefaults().applyTo(addButton);
        new Label(add, SWT.NONE).setText("libvirt URI");
        Text uri = new Text(add, SWT.BORDER);
        uri.setMessage("qemu+ssh://root@host2/system");
        GridDataFactory.fillDefaults().grab(true, false).hint(120, SWT.DEFAULT).applyTo(uri);
        Button remove = new Button(add, SWT.PUSH);
        remove.setText("Remove");
        GridDataFactory.fillDefaults().applyTo(remove);
        addButton.addListener(SWT.Selection, e -> add(id.getText().strip(), uri.getText().strip()));
        remove.addListener(SWT.Selection, e -> remove());
        buttons.add(addButton);
        buttons.add(remove);
        buttons.forEach(b -> b.setEnabled(studio != null));
        reload();
    }

    /** The studio, when the workspace is open (it opens after the window shows). */
    @Inject
    @Optional
    void setStudio(Studio opened) {
        studio = opened;
        buttons.forEach(b -> b.setEnabled(studio != null));
        if (viewer != null) {
            reload();
        }
    }

    /** Reads the hosts and their statuses off the UI thread (a status may wait on a host), then shows them. */
    void reload() {
        if (studio == null) {
            return;
        }
        Thread.ofVirtual().name("kvmstudio-hosts-view").start(() -> {
            List<HostStatus> statuses = studio.hosts().statuses();
            List<Row> rows = new ArrayList<>();
            for (Host h : studio.hosts().hosts()) {
                rows.add(new Row(h, statuses.stream().filter(s -> s.hostId().equals(h.id())).findFirst().orElse(null)));
            }
            ui.asyncExec(() -> {
                if (!disposed && !viewer.getControl().isDisposed()) {
                    viewer.setInput(rows);
                }
            });
        });
    }

    private void add(String id, String uri) {
        Host host;
        try {
            host = new Host(id, null, uri);
        } catch (RuntimeException e) {
            MessageDialog.openError(viewer.getControl().getShell(), "Add host", e.getMessage());
            return;
        }
        // connecting may take a while (ssh): a Job, and nothing is stored unless the host answers
        StudioJob.schedule("Adding host '" + id + "'", viewer.getControl().getShell(), ui, monitor -> {
            studio.hosts().add(host);
            reload();
        });
    }

    private void remove() {
        if (!(viewer.getStructuredSelection().getFirstElement() instanceof Row row)) {
            return;
        }
        if (MessageDialog.openConfirm(viewer.getControl().getShell(), "Remove host", "Remove host '" + row.host().id()
                + "' from the workspace? (Refused while partitions are placed on it: destroy them first.)")) {
            StudioJob.schedule("Removing host '" + row.host().id() + "'", viewer.getControl().getShell(), ui, monitor -> {
                studio.hosts().remove(row.host().id());
                reload();
            });
        }
    }

    @PreDestroy
    void dispose() {
        disposed = true;
    }
}
