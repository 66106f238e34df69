import KioskFlow
import Testing
