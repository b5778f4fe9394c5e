package org.kvmstudio.ui.parts;

import java.nio.file.Path;
import java.util.List;

import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.core.services.events.IEventBroker;
import org.eclipse.e4.ui.di.UIEventTopic;
import org.eclipse.e4.ui.di.UISynchronize;
import org.eclipse.jface.dialogs.InputDialog;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.window.Window;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Label;
import org.kvmstudio.core.Studio;
import org.kvmstudio.model.Template;
import org.kvmstudio.ui.jobs.StudioJob;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;

/** Saved instance templates: apply one to a new request, rename, delete, import and export JSON files. */
public class TemplatesPart {

    /** Posted when templates changed (saved from the request editor): the view reads them again. */
    public static final String CHANGED_TOPIC = "kvmstudio/templates/changed";
    /** Posted to fill the request editor from a template: the payload is the {@link Template}. */
    public static final String APPLY_TOPIC = "kvmstudio/templates/apply";

    @Inject
    UISynchronize ui;
    @Inject
    IEventBroker events;

    private Studio studio;
    private TableViewer viewer;
    private final List<Button> buttons = new java.util.ArrayList<>();

    @PostConstruct
    public void create(Composite parent) {
        GridLayoutFactory.fillDefaults().margins(6, 6).applyTo(parent);
        Label intro = new Label(parent, SWT.WRAP);
        intro.setText("Saved parameters of a software type. Apply one to fill the request editor; save one from there.");
        GridDataFactory.fillDefaults().grab(true, false).hint(200, SWT.DEFAULT).applyTo(intro);
        viewer = new TableViewer(parent, SWT.BORDER | SWT.FULL_SELECTION | SWT.SINGLE);
        viewer.getTable().setHeaderVisible(true);
        viewer.getTable().setLinesVisible(true);
        Columns.<Template>add(viewer, "Template", 140, Template::name);
        Columns.<Template>add(viewer, "Software type", 110, t -> t.softwareType() + (t.shared() ? " (shared)" : ""));
        Columns.<Template>add(viewer, "Parameters", 200, t -> String.join(", ", t.parameters().names()));
        viewer.setContentProvider(ArrayContentProvider.getInstance());
        viewer.addDoubleClickListener(e -> apply());
        GridDataFactory.fillDefaults().grab(true, true).applyTo(viewer.getControl());
        Composite buttons = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(5).applyTo(buttons);
        button(buttons, "Apply", this::apply);
        button(buttons, "Rename…", this::rename);
        button(buttons, "Delete", this::delete);
        button(buttons, "Import…", this::importFile);
        button(buttons, "Export…", this::exportFile);
        reload();
    }

    private void button(Composite parent, String label, Runnable run) {
        Button b = new Button(parent, SWT.PUSH);
        b.setText(label);
        b.setEnabled(studio != null);
        b.addListener(SWT.Selection, e -> run.run());
        buttons.add(b);
    }

    /** The studio, when the workspace is open (it opens after the window shows). */
    @Inject
    @Optional
    void setStudio(Studio opened) {
        studio = opened;
        buttons.forEach(b -> b.setEnabled(studio != null));
        reload();
    }

    @Inject
    @Optional
    void changed(@UIEventTopic(CHANGED_TOPIC) Object any) {
        reload();
    }

    void reload() {
        if (viewer != null && !viewer.getControl().isDisposed()) {
            viewer.setInput(studio == null ? List.of() : studio.templates().templates());
        }
    }

    private Template selected() {
        return viewer.getStructuredSelection().getFirstElement() instanceof Template t ? t : null;
    }

    private void apply() {
        Template t = selected();
        if (t != null) {
            events.post(APPLY_TOPIC, t);
        }
    }

    private void rename() {
        Template t = selected();
        if (t == null) {
            return;
        }
        InputDialog ask = new InputDialog(viewer.getControl().getShell(), "Rename template", "New name:", t.name(), name -> {
            try {
                Template.checkName(name);
                return studio.templates().template(name).isPresent() && !name.equals(t.name()) ? "a template has that name" : null;
            } catch (RuntimeException e) {
                return e.getMessage();
            }
        });
        if (ask.open() == Window.OK && !ask.getValue().equals(t.name())) {
            Template renamed = new Template(ask.getValue(), t.description(), t.releaseUri(), t.softwareType(), t.shared(), t.parameters());
            StudioJob.schedule("Renaming template '" + t.name() + "'", viewer.getControl().getShell(), ui, monitor -> {
                studio.templates().save(renamed); // saved under the new name first: a failure loses nothing
                studio.templates().delete(t.name());
                events.post(CHANGED_TOPIC, renamed.name());
            });
        }
    }

    private void delete() {
        Template t = selected();
        if (t != null && MessageDialog.openConfirm(viewer.getControl().getShell(), "Delete template",
                "Delete the template '" + t.name() + "'? Instances requested from it are not affected.")) {
            StudioJob.schedule("Deleting template '" + t.name() + "'", viewer.getControl().getShell(), ui, monitor -> {
                studio.templates().delete(t.name());
                events.post(CHANGED_TOPIC, t.name());
            });
        }
    }

    private void importFile() {
        FileDialog dialog = new FileDialog(viewer.getControl().getShell(), SWT.OPEN);
        dialog.setFilterExtensions(new String[] {"*.json", "*"});
        String file = dialog.open();
        if (file != null) {
            StudioJob.schedule("Importing a template", viewer.getControl().getShell(), ui, monitor -> {
                studio.templates().importFrom(Path.of(file), false);
                events.post(CHANGED_TOPIC, file);
            });
        }
    }

    private void exportFile() {
        Template t = selected();
        if (t == null) {
            return;
        }
        FileDialog dialog = new FileDialog(viewer.getControl().getShell(), SWT.SAVE);
        dialog.setFileName(t.name() + ".json");
        dialog.setOverwrite(true);
        String file = dialog.open();
        if (file != null) {
            StudioJob.schedule("Exporting template '" + t.name() + "'", viewer.getControl().getShell(), ui,
                    monitor -> studio.templates().export(t.name(), Path.of(file)));
        }
    }
}
