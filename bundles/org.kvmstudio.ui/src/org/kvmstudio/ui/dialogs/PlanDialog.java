package org.kvmstudio.ui.dialogs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.IMessageProvider;
import org.eclipse.jface.dialogs.TitleAreaDialog;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.kvmstudio.core.Plan;
import org.kvmstudio.schema.ParameterSchema;
import org.kvmstudio.ui.parts.ValueText;

/**
 * The review before a request is sent: a new partition or the parameters it changes (before and
 * after), the host it goes to, and the libvirt domain XML that would be defined. Nothing has been
 * touched yet; Request sends it.
 */
public final class PlanDialog extends TitleAreaDialog {

    /** One line of the table: a parameter and its value before and after. */
    record Row(String name, String before, String after) {
    }

    private final Plan plan;
    private final ParameterSchema schema;

    /** @param schema the request's input schema: which parameters are secret (masked here) */
    public PlanDialog(Shell shell, Plan plan, ParameterSchema schema) {
        super(shell);
        this.plan = plan;
        this.schema = schema;
        setShellStyle(getShellStyle() | SWT.RESIZE | SWT.MAX);
    }

    @Override
    protected void configureShell(Shell shell) {
        super.configureShell(shell);
        shell.setText("Review the request of '" + plan.request().reference() + "'");
    }

    @Override
    protected Control createDialogArea(Composite parent) {
        Composite area = (Composite) super.createDialogArea(parent);
        setTitle(switch (plan.kind()) {
            case NEW -> "A new " + plan.request().softwareType() + " partition, " + plan.request().state().slapName();
            case CHANGED -> plan.changes().size() + (plan.changes().size() == 1 ? " parameter changes" : " parameters change");
            case UNCHANGED -> "Nothing changes";
            case DESTROY -> "The partition is destroyed";
        });
        setMessage(plan.host().map(h -> "Placed on host " + h + ". Nothing has been created or changed yet.")
                .orElse(plan.hostNote().isBlank() ? "Nothing has been created or changed yet." : plan.hostNote()),
                plan.host().isPresent() || plan.hostNote().isBlank() ? IMessageProvider.INFORMATION : IMessageProvider.WARNING);

        Composite body = new Composite(area, SWT.NONE);
        GridLayoutFactory.swtDefaults().applyTo(body);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(body);
        Label what = new Label(body, SWT.NONE);
        what.setText(plan.kind() == Plan.Kind.CHANGED ? "Changed parameters:" : "Parameters the instance is deployed with (defaults included):");
        TableViewer table = new TableViewer(body, SWT.BORDER | SWT.FULL_SELECTION);
        table.getTable().setHeaderVisible(true);
        table.getTable().setLinesVisible(true);
        column(table, "Parameter", 180, Row::name);
        if (plan.kind() == Plan.Kind.CHANGED) {
            column(table, "Before", 220, Row::before);
        }
        column(table, plan.kind() == Plan.Kind.CHANGED ? "After" : "Value", 300, Row::after);
        table.setContentProvider(ArrayContentProvider.getInstance());
        table.setInput(rows());
        GridDataFactory.fillDefaults().grab(true, true).hint(700, 160).applyTo(table.getControl());

        Label xmlLabel = new Label(body, SWT.NONE);
        xmlLabel.setText(plan.definition().isPresent() ? "libvirt domain XML that will be defined (secrets left out):"
                : "Nothing is defined in libvirt for this software type.");
        if (plan.definition().isPresent()) {
            xmlText(body, plan.definition().get(), 260);
            if (plan.live().isPresent() && plan.kind() != Plan.Kind.NEW) {
                // libvirt adds what it works out itself (addresses, aliases): those lines show as removed too
                Label diffLabel = new Label(body, SWT.NONE);
                diffLabel.setText("Against what libvirt has defined now (- now, + after the request):");
                String diff = LineDiff.unified(plan.live().get(), plan.definition().get());
                xmlText(body, diff.isEmpty() ? "(the same)" : diff, 160);
            }
        }
        return area;
    }

    private static void xmlText(Composite parent, String text, int height) {
        Text xml = new Text(parent, SWT.MULTI | SWT.READ_ONLY | SWT.V_SCROLL | SWT.H_SCROLL | SWT.BORDER);
        xml.setFont(JFaceResources.getTextFont());
        xml.setText(text);
        GridDataFactory.fillDefaults().grab(true, true).hint(700, height).applyTo(xml);
    }

    private List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        if (plan.kind() == Plan.Kind.CHANGED) {
            new TreeMap<>(plan.changes()).forEach((name, c) -> rows.add(new Row(name, ValueText.of(schema, name, c.before()),
                    ValueText.of(schema, name, c.after()))));
        } else {
            for (Map.Entry<String, Object> e : plan.effectiveParameters().asMap().entrySet()) {
                rows.add(new Row(e.getKey(), "", ValueText.of(schema, e.getKey(), e.getValue())));
            }
        }
        return rows;
    }

    private static void column(TableViewer table, String title, int width, java.util.function.Function<Row, String> text) {
        TableViewerColumn c = new TableViewerColumn(table, SWT.NONE);
        c.getColumn().setText(title);
        c.getColumn().setWidth(width);
        c.setLabelProvider(ColumnLabelProvider.createTextProvider(r -> text.apply((Row) r)));
    }

    @Override
    protected org.eclipse.swt.graphics.Point getInitialSize() {
        org.eclipse.swt.graphics.Point preferred = super.getInitialSize();
        return new org.eclipse.swt.graphics.Point(Math.max(preferred.x, 820), Math.max(preferred.y, 700));
    }

    @Override
    protected void createButtonsForButtonBar(Composite parent) {
        createButton(parent, IDialogConstants.OK_ID, plan.kind() == Plan.Kind.UNCHANGED ? "Request again" : "Request", true);
        createButton(parent, IDialogConstants.CANCEL_ID, IDialogConstants.CANCEL_LABEL, false);
    }
}
