// libqrencode: QR codes for the links and documents the agent sends.
#pragma once
#include <qrencode.h>
