// libv4l2 for Swift: v4l2_ioctl is variadic and the VIDIOC_* numbers are _IOWR expressions,
// neither of which Swift imports, so they are wrapped here.
#pragma once
#include <libv4l2.h>
#include <linux/videodev2.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <fcntl.h>
#include <errno.h>

static inline int kiosk_v4l2_ioctl(int fd, unsigned long request, void *arg) {
    int r;
    do { r = v4l2_ioctl(fd, request, arg); } while (r == -1 && errno == EINTR);
    return r;
}
static inline int kiosk_v4l2_open(const char *path) { return v4l2_open(path, O_RDWR | O_NONBLOCK, 0); }

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
