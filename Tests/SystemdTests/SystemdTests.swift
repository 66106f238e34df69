import Systemd
import Testing
