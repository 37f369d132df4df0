// go.h — everything a gmpscope program uses: the runtime, channels, select, sync.
#pragma once

#include "gmpscope/chan.h"
#include "gmpscope/net.h"
#include "gmpscope/runtime.h"
#include "gmpscope/select.h"
#include "gmpscope/sync.h"
#include "gmpscope/syscall.h"
