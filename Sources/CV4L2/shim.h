// libv4l2 for Swift: v4l2_ioctl is variadic and the VIDIOC_* numbers are _IOWR expressions,
// neither of which Swift imports, so they are wrapped here.
#pragma once
#include <libv4l2.h>
#include <linux/videodev2.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <fcntl.h>
#include <errno.h>
#include <stdio.h>

static inline int kiosk_v4l2_ioctl(int fd, unsigned long request, void *arg) {
    int r;
    do { r = v4l2_ioctl(fd, request, arg); } while (r == -1 && errno == EINTR);
    return r;
}
// Opens with the plain system call and hands the descriptor to libv4l2 only once it is known to be a
// V4L2 device: libv4l2 prints its own complaints to stderr about anything else.
static inline int kiosk_v4l2_open(const char *path) { return open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC); }
static inline int kiosk_v4l2_query_raw(int fd, struct v4l2_capability *cap) {
    int r;
    do { r = ioctl(fd, VIDIOC_QUERYCAP, cap); } while (r == -1 && errno == EINTR);
    return r;
}

// libv4l2 writes its own error lines to stderr unless given a log file; the daemon reports each failure
// once in its own words, so the library's log goes to /dev/null.
static inline void kiosk_v4l2_quiet_library_log(void) {
    if (v4l2_log_file == NULL) v4l2_log_file = fopen("/dev/null", "w");
}

static const unsigned long KIOSK_VIDIOC_QUERYCAP = VIDIOC_QUERYCAP;
static const unsigned long KIOSK_VIDIOC_ENUM_FMT = VIDIOC_ENUM_FMT;
static const unsigned long KIOSK_VIDIOC_G_FMT = VIDIOC_G_FMT;
static const unsigned long KIOSK_VIDIOC_S_FMT = VIDIOC_S_FMT;
static const unsigned long KIOSK_VIDIOC_G_PARM = VIDIOC_G_PARM;
static const unsigned long KIOSK_VIDIOC_S_PARM = VIDIOC_S_PARM;
static const unsigned long KIOSK_VIDIOC_REQBUFS = VIDIOC_REQBUFS;
static const unsigned long KIOSK_VIDIOC_QUERYBUF = VIDIOC_QUERYBUF;
static const unsigned long KIOSK_VIDIOC_QBUF = VIDIOC_QBUF;
static const unsigned long KIOSK_VIDIOC_DQBUF = VIDIOC_DQBUF;
static const unsigned long KIOSK_VIDIOC_STREAMON = VIDIOC_STREAMON;
static const unsigned long KIOSK_VIDIOC_STREAMOFF = VIDIOC_STREAMOFF;
static const unsigned long KIOSK_VIDIOC_ENUM_FRAMESIZES = VIDIOC_ENUM_FRAMESIZES;

static const unsigned int KIOSK_V4L2_PIX_FMT_YUV420 = V4L2_PIX_FMT_YUV420;
static const unsigned int KIOSK_V4L2_CAP_VIDEO_CAPTURE = V4L2_CAP_VIDEO_CAPTURE;
static const unsigned int KIOSK_V4L2_CAP_STREAMING = V4L2_CAP_STREAMING;
static const unsigned int KIOSK_V4L2_CAP_DEVICE_CAPS = V4L2_CAP_DEVICE_CAPS;
