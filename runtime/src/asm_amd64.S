// asm_amd64.S — the context switch between goroutine stacks (Go: asm_amd64.s gogo,
// gosave and mcall, folded into one symmetric swap).
//
// gmps_swapctx(void** save_sp, void* new_sp)
//   Pushes the System V callee-saved registers (rbp, rbx, r12-r15) and the MXCSR and
//   x87 control words on the current stack, stores the stack pointer in *save_sp,
//   loads new_sp and pops the same frame from there (the control words are loaded
//   only when they differ from the current ones: nearly always they are the same). Caller-saved registers need no
//   saving: the switch is an ordinary call for the compiler.
//
// A new goroutine's stack is prepared (stack.cpp gostartFrame) so that the pops land
// in gmps_gostart with r12 = argument and r13 = function to call.
        .macro PUSH_CALLEE_SAVED
        pushq   %rbp
        pushq   %rbx
        pushq   %r12
        pushq   %r13
        pushq   %r14
        pushq   %r15
        .endm

        .text
        .globl  gmps_swapctx
        .type   gmps_swapctx, @function
        .p2align 4
gmps_swapctx:
        .cfi_startproc
        PUSH_CALLEE_SAVED
        subq    $8, %rsp
        stmxcsr (%rsp)
        fnstcw  4(%rsp)
        movw    $0, 6(%rsp)
        // This context's control words, read back at the sizes they were stored so
        // the loads are forwarded from those stores (rax and rcx are caller-saved).
        // MXCSR's low 6 bits are sticky exception flags, which any inexact division
        // sets and the ABI does not preserve: keep only its control bits, or nearly
        // every switch would see "different" words and pay for ldmxcsr and fldcw.
        movl    (%rsp), %eax
        andl    $-64, %eax
        movl    %eax, (%rsp)
        movzwl  4(%rsp), %ecx
        shlq    $32, %rcx
        orq     %rcx, %rax
        jmp     gmps_swapctx_tail
        .cfi_endproc
        .size   gmps_swapctx, .-gmps_swapctx

// gmps_swapctx_words(void** save_sp, void* new_sp, uint64_t words)
//   The same swap for a context whose control words the caller already knows (g0,
//   the scheduler, which runs with the words its thread had when it entered the
//   scheduler: M.g0words). Reading MXCSR back (stmxcsr) costs ~6 ns on this
//   project's machines, twice the rest of the swap; a goroutine switch (mcall to g0,
//   gogo back) reads the words once, not twice.
        .globl  gmps_swapctx_words
        .type   gmps_swapctx_words, @function
        .p2align 4
gmps_swapctx_words:
        .cfi_startproc
        PUSH_CALLEE_SAVED
        pushq   %rdx
        movq    %rdx, %rax
        // falls through into the common tail
        .cfi_endproc
        .size   gmps_swapctx_words, .-gmps_swapctx_words

// gmps_swapctx_tail: both swaps' second half. The frame is pushed, rax holds its
// control words; save the stack pointer, switch, and pop the other context's frame.
        .type   gmps_swapctx_tail, @function
gmps_swapctx_tail:
        .cfi_startproc
        movq    %rsp, (%rdi)
        movq    %rsi, %rsp
        // ldmxcsr and fldcw are slow (microcoded): load them only when the context
        // we switch to runs with other control words than this one.
        cmpq    (%rsp), %rax
        jne     2f
1:      addq    $8, %rsp
        popq    %r15
        popq    %r14
        popq    %r13
        popq    %r12
        popq    %rbx
        popq    %rbp
        // Not `ret`: the CPU predicts a ret from its return stack buffer, which holds
        // the calls made on the stack we just left, so a ret here always mispredicted
        // (~20 cycles, twice per goroutine switch). An indirect jump is predicted from
        // where it has gone before. rcx is caller-saved: free here.
        popq    %rcx
        jmpq    *%rcx
2:      ldmxcsr (%rsp)
        fldcw   4(%rsp)
        jmp     1b
        .cfi_endproc
        .size   gmps_swapctx_tail, .-gmps_swapctx_tail

// gmps_gostart is where a new goroutine's first switch returns to. It calls
// r13(r12) and never returns (the callee ends in goexit).
        .globl  gmps_gostart
        .type   gmps_gostart, @function
        .p2align 4
gmps_gostart:
        .cfi_startproc
        .cfi_undefined rip
        xorl    %ebp, %ebp
        movq    %r12, %rdi
        callq   *%r13
        ud2
        .cfi_endproc
        .size   gmps_gostart, .-gmps_gostart

        .section .note.GNU-stack,"",@progbits

// gmps_asyncPreempt is where the SIGURG handler sends a goroutine it preempts
// (Go: preempt_amd64.s asyncPreempt). The handler has moved rsp below the 128-byte
// red zone and pushed the interrupted PC. Every register, the flags and the full
// extended state (xsave) are saved, gmps_asyncPreempt2 parks the goroutine on the
// global queue, and when it is scheduled again everything is restored and it
// returns to the interrupted instruction, releasing the red zone with `ret $128`.
        .text
        .globl  gmps_asyncPreempt
        .type   gmps_asyncPreempt, @function
        .p2align 4
gmps_asyncPreempt:
        pushfq
        pushq   %rax
        pushq   %rcx
        pushq   %rdx
        pushq   %rbx
        pushq   %rbp
        pushq   %rsi
        pushq   %rdi
        pushq   %r8
        pushq   %r9
        pushq   %r10
        pushq   %r11
        pushq   %r12
        pushq   %r13
        pushq   %r14
        pushq   %r15
        movq    %rsp, %rbp
        subq    gmps_xsave_size(%rip), %rsp
        andq    $-64, %rsp
        // XSAVE needs the 64-byte header after the legacy area zeroed.
        xorl    %eax, %eax
        movq    %rax, 512(%rsp)
        movq    %rax, 520(%rsp)
        movq    %rax, 528(%rsp)
        movq    %rax, 536(%rsp)
        movq    %rax, 544(%rsp)
        movq    %rax, 552(%rsp)
        movq    %rax, 560(%rsp)
        movq    %rax, 568(%rsp)
        movl    $-1, %eax
        movl    $-1, %edx
        xsave64 (%rsp)
        call    gmps_asyncPreempt2
        movl    $-1, %eax
        movl    $-1, %edx
        xrstor64 (%rsp)
        movq    %rbp, %rsp
        popq    %r15
        popq    %r14
        popq    %r13
        popq    %r12
        popq    %r11
        popq    %r10
        popq    %r9
        popq    %r8
        popq    %rdi
        popq    %rsi
        popq    %rbp
        popq    %rbx
        popq    %rdx
        popq    %rcx
        popq    %rax
        popfq
        ret     $128
        .size   gmps_asyncPreempt, .-gmps_asyncPreempt
        .section .note.GNU-stack,"",@progbits
