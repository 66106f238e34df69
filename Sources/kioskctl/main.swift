import KioskCtl

KioskCtl.main()
