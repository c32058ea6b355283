/*
 * A Unix stream socket for the CLI's lean list path (dev.berth.cli.NativeUnixSocket).
 *
 * Why not the JDK's SocketChannel: the first AF_UNIX channel initialises
 * sun.nio.ch.UnixDomainSockets, whose static SecureRandom (for temporary socket names the CLI never
 * binds) brings up the whole security-provider framework: 12-20 ms of a ~85 ms `berth images`
 * (bench/cli/RESULTS.md). This library loads and connects in under a millisecond.
 * Errors come back as a negative errno; nothing here allocates Java objects except strerror's text.
 */
#define _GNU_SOURCE /* the GNU strerror_r, which returns the text */
#include <jni.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

JNIEXPORT jint JNICALL Java_dev_berth_cli_NativeUnixSocket_connect0(JNIEnv *env, jclass cls, jbyteArray path) {
    struct sockaddr_un address;
    memset(&address, 0, sizeof address);
    address.sun_family = AF_UNIX;
    jsize length = (*env)->GetArrayLength(env, path);
    if (length <= 0 || length >= (jsize) sizeof address.sun_path) {
        return -ENAMETOOLONG;
    }
    (*env)->GetByteArrayRegion(env, path, 0, length, (jbyte *) address.sun_path);
    if ((*env)->ExceptionCheck(env)) {
        return -EINVAL;
    }
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return -errno;
    }
    int rc;
    do {
        rc = connect(fd, (struct sockaddr *) &address, sizeof address);
    } while (rc < 0 && errno == EINTR);
    if (rc < 0) {
        int error = errno;
        close(fd);
        return -error;
    }
    return fd;
}

/* send() with MSG_NOSIGNAL: a daemon that went away must be an error, not a SIGPIPE. */
JNIEXPORT jint JNICALL Java_dev_berth_cli_NativeUnixSocket_write0(JNIEnv *env, jclass cls, jint fd, jbyteArray bytes,
                                                                   jint offset, jint length) {
    char chunk[16384];
    if (length > (jint) sizeof chunk) {
        length = sizeof chunk;
    }
    (*env)->GetByteArrayRegion(env, bytes, offset, length, (jbyte *) chunk);
    if ((*env)->ExceptionCheck(env)) {
        return -EINVAL; /* the Java exception (a bad range) is what the caller sees */
    }
    ssize_t n;
    do {
        n = send(fd, chunk, (size_t) length, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    return n < 0 ? -errno : (jint) n;
}

JNIEXPORT jint JNICALL Java_dev_berth_cli_NativeUnixSocket_read0(JNIEnv *env, jclass cls, jint fd, jbyteArray bytes,
                                                                  jint offset, jint length) {
    char chunk[16384];
    if (length > (jint) sizeof chunk) {
        length = sizeof chunk;
    }
    ssize_t n;
    do {
        n = read(fd, chunk, (size_t) length);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        return -errno;
    }
    (*env)->SetByteArrayRegion(env, bytes, offset, (jsize) n, (jbyte *) chunk);
    return (jint) n;
}

JNIEXPORT void JNICALL Java_dev_berth_cli_NativeUnixSocket_close0(JNIEnv *env, jclass cls, jint fd) {
    close(fd);
}

JNIEXPORT jstring JNICALL Java_dev_berth_cli_NativeUnixSocket_describe0(JNIEnv *env, jclass cls, jint error) {
    char text[256];
    const char *message = strerror_r(error, text, sizeof text);
    return (*env)->NewStringUTF(env, message);
}
