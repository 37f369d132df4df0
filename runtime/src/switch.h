// switch.h — switching stacks between a G and its M's g0 (Go: asm_amd64.s gogo and
// mcall's other half). Internal to the runtime: proc.cpp's mcall switches to g0,
// schedule.cpp's execute switches back to a G with gogo.
#pragma once

#include <sanitizer/common_interface_defs.h>

#include <cstdint>

#include "runtime2.h"

namespace gmps::rt {

extern "C" void gmps_swapctx(void** save, void* to);
extern "C" void gmps_swapctx_words(void** save, void* to, uint64_t words);

// switchto saves the current context in *save and resumes the context at to,
// whose stack is tostack. dying says the current stack will never be resumed.
// fromWords: the control words of the context we leave when the caller knows them
// (g0's), else nullptr and the swap reads them.
inline void switchto(void** save, void* to, const Stack& tostack, G* from, bool dying,
                     const uint64_t* fromWords = nullptr) {
#if defined(GMPSCOPE_ASAN)
  __sanitizer_start_switch_fiber(dying ? nullptr : &from->asanFakeStack, tostack.lo,
                                 size_t(tostack.hi - tostack.lo));
#else
  (void)tostack;
  (void)from;
  (void)dying;
#endif
  if (fromWords != nullptr)
    gmps_swapctx_words(save, to, *fromWords);
  else
    gmps_swapctx(save, to);
#if defined(GMPSCOPE_ASAN)
  __sanitizer_finish_switch_fiber(getg()->asanFakeStack, nullptr, nullptr);
#endif
}

// gogo switches from g0 to gp. Returns when gp calls mcall. Go: asm_amd64.s gogo.
inline void gogo(M* mp, G* gp) {
  setg(gp);
  switchto(&mp->g0.sp, gp->sp, gp->stack, &mp->g0, false, &mp->g0words);
}

// fpControlWords reads MXCSR's control bits (low 32 bits) and the x87 control word
// (bits 32-47), in the layout the context switch keeps them.
inline uint64_t fpControlWords() {
  uint32_t mxcsr = 0;
  uint16_t cw = 0;
  asm volatile("stmxcsr %0" : "=m"(mxcsr));
  asm volatile("fnstcw %0" : "=m"(cw));
  return uint64_t(mxcsr & ~0x3Fu) | (uint64_t(cw) << 32);  // without the sticky flags
}

// gentry is every goroutine's first function (proc.cpp).
void gentry(G* gp);

}  // namespace gmps::rt
