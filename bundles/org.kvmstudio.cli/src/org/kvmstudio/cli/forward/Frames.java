package org.kvmstudio.cli.forward;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What the command line and the owner of a workspace say to each other over the owner's socket. A
 * frame is a kind byte, a length and that many bytes. The command line sends one {@link #REQUEST}
 * (its working directory and arguments); the owner runs the command and streams its standard
 * output and error back as it goes, then its {@link #EXIT} code. JDK only: the forwarding client
 * runs without the platform. The start script's native client ({@code native/kvmstudio-forward.c})
 * speaks it too: keep the two in step.
 */
public final class Frames {

    public static final byte REQUEST = 1;
    public static final byte OUT = 2;
    public static final byte ERR = 3;
    public static final byte EXIT = 4;
    /** A request is a few arguments; output comes in chunks. Anything bigger is not ours. */
    static final int MAX_FRAME = 4 << 20;

    /** One frame read. */
    public record Frame(byte kind, byte[] payload) {
    }

    private Frames() {
    }

    public static void write(DataOutputStream out, byte kind, byte[] payload) throws IOException {
        synchronized (out) {
            out.writeByte(kind);
            out.writeInt(payload.length);
            out.write(payload);
            out.flush();
        }
    }

    /** The next frame, or {@code null} at the end of the stream. */
    public static Frame read(DataInputStream in) throws IOException {
        int kind = in.read();
        if (kind < 0) {
            return null;
        }
        int length = in.readInt();
        if (length < 0 || length > MAX_FRAME) {
            throw new IOException("a frame of " + length + " bytes is not one of KVM Studio's");
        }
        byte[] payload = new byte[length];
        in.readFully(payload);
        return new Frame((byte) kind, payload);
    }

    /** A request: the working directory, then the arguments, each as a length and UTF-8 bytes. */
    public static byte[] request(String cwd, List<String> args) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(args.size());
        writeString(out, cwd);
        for (String a : args) {
            writeString(out, a);
        }
        return bytes.toByteArray();
    }

    /** The working directory followed by the arguments. */
    public static List<String> parseRequest(byte[] payload) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(payload));
        int count = in.readInt();
        if (count < 0 || count > 10_000) {
            throw new IOException("a request with " + count + " arguments is not one of KVM Studio's");
        }
        List<String> all = new ArrayList<>(count + 1);
        for (int i = 0; i <= count; i++) {
            all.add(readString(in));
        }
        return all;
    }

    public static byte[] exit(int code) {
        return new byte[] { (byte) (code >>> 24), (byte) (code >>> 16), (byte) (code >>> 8), (byte) code };
    }

    public static int exitCode(byte[] payload) throws IOException {
        if (payload.length != 4) {
            throw new EOFException("an exit frame holds 4 bytes");
        }
        return ((payload[0] & 0xff) << 24) | ((payload[1] & 0xff) << 16) | ((payload[2] & 0xff) << 8) | (payload[3] & 0xff);
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > MAX_FRAME) {
            throw new IOException("an argument of " + length + " bytes is not one of KVM Studio's");
        }
        byte[] b = new byte[length];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
