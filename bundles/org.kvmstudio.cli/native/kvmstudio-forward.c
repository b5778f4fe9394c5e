/*
 * The kvmstudio command's fast path, as the Eclipse launcher is for the platform: when an owner (the
 * GUI, `kvmstudio agent`) holds the workspace, hand it the command over the owner's socket and print
 * what it answers. A JVM only to forward costs a tenth of a second and more per command (ten at once
 * compete with the guests for the CPUs); this costs a millisecond.
 *
 * It speaks the protocol of org.kvmstudio.cli.forward.Frames and finds the workspace as
 * org.kvmstudio.cli.forward.OwnerSocket does (keep the three in step):
 *   frame    = kind (1 byte), length (4 bytes, big-endian), payload
 *   REQUEST  = count of arguments, then the working directory and each argument as length + bytes
 *   OUT, ERR = bytes for standard output, standard error;  EXIT = the exit code (4 bytes)
 * Exits 99 when no owner listens. Started as `kvmstudio-forward --fallback SCRIPT args...` (as the
 * start script execs it, so that signals sent to `kvmstudio` reach it), it then execs SCRIPT with the
 * arguments and KVMSTUDIO_NO_FORWARD=1, and the script runs the command in a platform of its own.
 * Built static (musl), so that it runs on any x86_64 Linux the JVM runs on, whatever its C library.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

enum { REQUEST = 1, OUT = 2, ERR = 3, EXIT = 4 };
enum { NO_OWNER = 99, BUSY = 75, FAILED = 1 };
#define MAX_FRAME (4u << 20)

static void *allocate(size_t size) {
    void *p = malloc(size ? size : 1);
    if (p == NULL) {
        fputs("kvmstudio: out of memory\n", stderr);
        exit(FAILED);
    }
    return p;
}

static int blank(const char *s) {
    for (; *s; s++) {
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r' && *s != '\f' && *s != '\v') {
            return 0;
        }
    }
    return 1;
}

/* path made absolute against cwd and normalised lexically (".", "..", "//"), as java.nio's normalize() does */
static char *absolute(const char *cwd, const char *path) {
    size_t n = strlen(cwd) + strlen(path) + 2;
    char *joined = allocate(n), *out = allocate(n + 1);
    snprintf(joined, n, "%s/%s", path[0] == '/' ? "" : cwd, path);
    size_t len = 0;
    for (char *segment = strtok(joined, "/"); segment; segment = strtok(NULL, "/")) {
        if (strcmp(segment, ".") == 0) {
            continue;
        }
        if (strcmp(segment, "..") == 0) {
            while (len > 0 && out[--len] != '/') {
                /* back to the segment's slash */
            }
            continue;
        }
        out[len++] = '/';
        strcpy(out + len, segment);
        len += strlen(segment);
    }
    if (len == 0) {
        out[len++] = '/';
    }
    out[len] = '\0';
    free(joined);
    return out;
}

/* the workspace: --workspace, else KVMSTUDIO_WORKSPACE, else ~/.kvmstudio (home as Java's user.home: the
   user's entry, unless it is missing or "/", then $HOME) */
static char *workspace(int argc, char **argv, const char *cwd) {
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--workspace") == 0 && i + 1 < argc) {
            return absolute(cwd, argv[i + 1]);
        }
        if (strncmp(argv[i], "--workspace=", 12) == 0) {
            return absolute(cwd, argv[i] + 12);
        }
    }
    const char *given = getenv("KVMSTUDIO_WORKSPACE");
    if (given != NULL && !blank(given)) {
        return absolute(cwd, given);
    }
    struct passwd *user = getpwuid(getuid());
    const char *entry = user != NULL ? user->pw_dir : NULL, *env = getenv("HOME");
    const char *home = entry != NULL && strlen(entry) >= 2 ? entry
            : env != NULL && *env != '\0' ? env : entry != NULL ? entry : "?";
    char *base = absolute(cwd, home);
    size_t n = strlen(base) + sizeof "/.kvmstudio";
    char *ws = allocate(n);
    snprintf(ws, n, "%s/.kvmstudio", strcmp(base, "/") == 0 ? "" : base);
    free(base);
    return ws;
}

static void put_u32(unsigned char *at, uint32_t v) {
    at[0] = v >> 24;
    at[1] = v >> 16;
    at[2] = v >> 8;
    at[3] = v;
}

static uint32_t get_u32(const unsigned char *at) {
    return (uint32_t) at[0] << 24 | (uint32_t) at[1] << 16 | (uint32_t) at[2] << 8 | at[3];
}

static int write_all(int fd, const void *bytes, size_t n) {
    const char *p = bytes;
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            struct pollfd ready = { .fd = fd, .events = POLLOUT }; /* a non-blocking terminal or pipe: wait, lose nothing */
            poll(&ready, 1, -1);
            continue;
        }
        if (w <= 0) {
            return -1;
        }
        p += w;
        n -= (size_t) w;
    }
    return 0;
}

/* 1 when n bytes were read, 0 at the end of the stream before the first byte, -1 otherwise */
static int read_all(int fd, void *bytes, size_t n) {
    char *p = bytes;
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, p + got, n - got);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r < 0) {
            return -1;
        }
        if (r == 0) {
            return got == 0 ? 0 : -1;
        }
        got += (size_t) r;
    }
    return 1;
}

static int send_request(int fd, const char *cwd, int argc, char **argv) {
    size_t size = 5 + 4 + 4 + strlen(cwd);
    for (int i = 1; i < argc; i++) {
        size += 4 + strlen(argv[i]);
    }
    unsigned char *frame = allocate(size), *at = frame + 5;
    frame[0] = REQUEST;
    put_u32(frame + 1, (uint32_t) (size - 5));
    put_u32(at, (uint32_t) (argc - 1));
    at += 4;
    for (int i = 0; i < argc; i++) {
        const char *s = i == 0 ? cwd : argv[i];
        size_t n = strlen(s);
        put_u32(at, (uint32_t) n);
        memcpy(at + 4, s, n);
        at += 4 + n;
    }
    int sent = write_all(fd, frame, size);
    free(frame);
    return sent;
}

/* hands the command argv[1..] to the owner; the owner's exit code, or NO_OWNER */
static int forward(int argc, char **argv) {
    /* a closed standard descriptor would become the socket, and output would go back to the owner */
    for (int fd = open("/dev/null", O_RDWR); fd >= 0; fd = open("/dev/null", O_RDWR)) {
        if (fd > STDERR_FILENO) {
            close(fd);
            break;
        }
    }
    char *cwd = getcwd(NULL, 0);
    if (cwd == NULL) {
        return NO_OWNER; /* the platform says what is wrong with the working directory */
    }
    char *ws = workspace(argc, argv, cwd);
    struct sockaddr_un address = { .sun_family = AF_UNIX };
    int length = snprintf(address.sun_path, sizeof address.sun_path, "%s/run/owner.sock", strcmp(ws, "/") == 0 ? "" : ws);
    struct stat st;
    if (length < 0 || (size_t) length >= sizeof address.sun_path || stat(address.sun_path, &st) != 0) {
        return NO_OWNER; /* no owner could listen there */
    }
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *) &address, sizeof address) != 0) {
        return NO_OWNER; /* a socket left by an owner that died: the command runs here */
    }
    struct ucred peer;
    socklen_t peer_size = sizeof peer;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &peer_size) != 0 || (peer.uid != getuid() && peer.uid != 0)) {
        /* the arguments may hold secrets: only the user's own owner (or root's) is told them */
        fprintf(stderr, "kvmstudio: %s is not served by this user's KVM Studio; the command was not sent\n", address.sun_path);
        return FAILED;
    }
    if (send_request(fd, cwd, argc, argv) != 0) {
        fprintf(stderr, "kvmstudio: talking to the owner of the workspace failed: %s\n", strerror(errno));
        return FAILED;
    }
    unsigned char head[5];
    unsigned char *payload = NULL;
    for (;;) {
        int got = read_all(fd, head, sizeof head);
        if (got == 0) {
            fputs("kvmstudio: the owner of the workspace went away before the command ended\n", stderr);
            return FAILED;
        }
        uint32_t n = got < 0 ? 0 : get_u32(head + 1);
        if (got < 0 || n > MAX_FRAME) {
            fprintf(stderr, "kvmstudio: talking to the owner of the workspace failed: %s\n",
                    got < 0 ? "the stream ended inside a frame" : "a frame too big to be one of KVM Studio's");
            return FAILED;
        }
        free(payload);
        payload = allocate(n);
        if (read_all(fd, payload, n) != 1) {
            fputs("kvmstudio: talking to the owner of the workspace failed: the stream ended inside a frame\n", stderr);
            return FAILED;
        }
        switch (head[0]) {
        case OUT:
            write_all(STDOUT_FILENO, payload, n); /* a closed pipe loses the output, not the exit code */
            break;
        case ERR:
            write_all(STDERR_FILENO, payload, n);
            break;
        case EXIT:
            if (n != 4) {
                fputs("kvmstudio: talking to the owner of the workspace failed: an exit frame holds 4 bytes\n", stderr);
                return FAILED;
            }
            return (int) get_u32(payload);
        default:
            fprintf(stderr, "kvmstudio: talking to the owner of the workspace failed: unknown frame %d\n", head[0]);
            return FAILED;
        }
    }
}

int main(int argc, char **argv) {
    /* output piped into `head`: read on to the exit code, as the JVM client did; what the platform
       inherits is what this process was given */
    void (*given)(int) = signal(SIGPIPE, SIG_IGN);
    if (argc < 4 || strcmp(argv[1], "--fallback") != 0) {
        return forward(argc, argv);
    }
    /* argv[2] stands where argv[0] was: forward() reads the command from argv[1] on */
    int code = forward(argc - 2, argv + 2);
    if (code != NO_OWNER && code != BUSY) {
        return code;
    }
    /* nobody listens (99), or the owner is a short command that the platform waits for (75) */
    signal(SIGPIPE, given == SIG_ERR ? SIG_DFL : given);
    if (setenv("KVMSTUDIO_NO_FORWARD", "1", 1) == 0) {
        execv(argv[2], argv + 2);
        if (errno == EACCES || errno == ENOEXEC) {
            /* a script run as `sh kvmstudio ...` need not be executable itself */
            argv[1] = "sh";
            execv("/bin/sh", argv + 1);
        }
    }
    fprintf(stderr, "kvmstudio: cannot run %s: %s\n", argv[2], strerror(errno));
    return FAILED;
}
