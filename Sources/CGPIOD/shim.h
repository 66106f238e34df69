// libgpiod (v1 API, Debian bookworm's 1.6): the call button on a GPIO line, with edge events.
// Also the evdev and uinput ioctls of the keys' input devices: their request numbers are _IOR/_IOW
// expressions and ioctl is variadic, neither of which Swift imports, so they are wrapped here.
#pragma once
#include <gpiod.h>
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <linux/input.h>
#include <linux/uinput.h>

static inline int kiosk_input_ioctl(int fd, unsigned long request, void *arg) {
    int r;
    do { r = ioctl(fd, request, arg); } while (r == -1 && errno == EINTR);
    return r;
}
static inline int kiosk_input_ioctl_int(int fd, unsigned long request, int value) {
    int r;
    do { r = ioctl(fd, request, value); } while (r == -1 && errno == EINTR);
    return r;
}

// evdev: the driver's version (any evdev device answers; anything else does not), its name, the keys
// held down now, exclusive access, and which clock stamps its events.
static inline int kiosk_evdev_version(int fd, int *version) { return kiosk_input_ioctl(fd, EVIOCGVERSION, version); }
static inline int kiosk_evdev_name(int fd, char *buffer, unsigned int size) { return kiosk_input_ioctl(fd, EVIOCGNAME(size), buffer); }
static inline int kiosk_evdev_key_state(int fd, unsigned char *bits, unsigned int size) { return kiosk_input_ioctl(fd, EVIOCGKEY(size), bits); }
static inline int kiosk_evdev_key_bits(int fd, unsigned char *bits, unsigned int size) { return kiosk_input_ioctl(fd, EVIOCGBIT(EV_KEY, size), bits); }
static inline int kiosk_evdev_grab(int fd, int grab) { return kiosk_input_ioctl_int(fd, EVIOCGRAB, grab); }
static inline int kiosk_evdev_use_monotonic_clock(int fd) {
    int clock = CLOCK_MONOTONIC;
    return kiosk_input_ioctl(fd, EVIOCSCLOCKID, &clock);
}

// uinput: a virtual keyboard, for the technician's input test and the virtual board.
static inline int kiosk_uinput_set_evbit(int fd, int type) { return kiosk_input_ioctl_int(fd, UI_SET_EVBIT, type); }
static inline int kiosk_uinput_set_keybit(int fd, int code) { return kiosk_input_ioctl_int(fd, UI_SET_KEYBIT, code); }
static inline int kiosk_uinput_setup(int fd, const char *name, unsigned short vendor, unsigned short product) {
    struct uinput_setup setup;
    memset(&setup, 0, sizeof setup);
    setup.id.bustype = BUS_VIRTUAL;
    setup.id.vendor = vendor;
    setup.id.product = product;
    strncpy(setup.name, name, UINPUT_MAX_NAME_SIZE - 1);
    return kiosk_input_ioctl(fd, UI_DEV_SETUP, &setup);
}
static inline int kiosk_uinput_create(int fd) { return kiosk_input_ioctl(fd, UI_DEV_CREATE, NULL); }
static inline int kiosk_uinput_destroy(int fd) { return kiosk_input_ioctl(fd, UI_DEV_DESTROY, NULL); }
