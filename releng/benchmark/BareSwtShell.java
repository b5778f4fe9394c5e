import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;

/**
 * The floor of the desktop application's cold start (releng/scripts/gui-benchmark.sh): an empty SWT
 * window on the same JVM, with neither OSGi nor e4, timed as KVM Studio's window is. Whatever a Java
 * SWT application does, it starts no faster than this.
 */
public class BareSwtShell {

    public static void main(String[] args) {
        Display display = new Display();
        Shell shell = new Shell(display);
        shell.setText("BareSwtShell");
        shell.setSize(1024, 700);
        shell.open();
        while (!shell.isDisposed()) {
            if (!display.readAndDispatch()) {
                display.sleep();
            }
        }
        display.dispose();
    }
}
