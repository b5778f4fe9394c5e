package org.kvmstudio.libvirt.hosts;

import org.libvirt.Connect;
import org.libvirt.ErrorCallback;
import org.libvirt.Library;
import org.libvirt.LibvirtException;

/**
 * libvirt's event loop, once per process, on a daemon thread of its own, for the whole life of every
 * connection: the embedded driver refuses to open without it, lifecycle callbacks arrive on it, and
 * keepalives of remote connections time out during long jobs when it does not run. Callbacks run on
 * this thread: they must hand their work to another thread and never block.
 */
public final class LibvirtEventLoop {

    /**
     * System property a GTK application sets: libvirt's default event loop runs on GLib's default main
     * context, the very one GTK (and so SWT) iterates on the UI thread. A second thread iterating it
     * would dispatch SWT's events off the UI thread ("Invalid thread access"); there, the UI thread's
     * own loop dispatches libvirt's events too, and no thread of ours is started.
     */
    public static final String DISPATCHED_BY_GTK = "kvmstudio.libvirt.dispatchedByGtk";

    private static Thread thread;
    /**
     * Held for the life of the process: JNA hands libvirt a pointer to it, and a callback the garbage
     * collector took would crash the JVM the next time libvirt reports an error.
     */
    private static final ErrorCallback SILENT = new ErrorCallback() {
        @Override
        public void errorCallback(com.sun.jna.Pointer userData, org.libvirt.jna.virError error) {
            // reported by the LibvirtException the failing call throws
        }
    };

    private LibvirtEventLoop() {
    }

    public static synchronized void ensureRunning() throws LibvirtException {
        if (thread != null) {
            return;
        }
        // libvirt prints every error on stderr unless told otherwise; ours are reported where they happen
        Connect.setErrorCallback(SILENT);
        Library.initEventLoop();
        if (Boolean.getBoolean(DISPATCHED_BY_GTK)) {
            thread = Thread.currentThread(); // marks the loop as set up; the UI thread runs it
            return;
        }
        thread = new Thread(() -> {
            try {
                Library.runEventLoop();
            } catch (LibvirtException | InterruptedException e) {
                System.getLogger(LibvirtEventLoop.class.getName()).log(System.Logger.Level.ERROR,
                        "libvirt's event loop stopped: host connections will not hear of domain changes", e);
            }
        }, "libvirt event loop");
        thread.setDaemon(true);
        thread.start();
    }
}
