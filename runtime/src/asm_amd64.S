// asm_amd64.S — the context switch between goroutine stacks (Go: asm_amd64.s gogo,
// gosave and mcall, folded into one symmetric swap).
//
// gmps_swapctx(void** save_sp, void* new_sp)
//   Pushes the System V callee-saved registers (rbp, rbx, r12-r15) and the MXCSR and
//   x87 control words on the current stack, stores the stack pointer in *save_sp,
//   loads new_sp and pops the same frame from there. Caller-saved registers need no
//   saving: the switch is an ordinary call for the compiler.
//
// A new goroutine's stack is prepared (stack.cpp gostartFrame) so that the pops land
// in gmps_gostart with r12 = argument and r13 = function to call.
        .text
        .globl  gmps_swapctx
        .type   gmps_swapctx, @function
        .p2align 4
gmps_swapctx:
        .cfi_startproc
        pushq   %rbp
        pushq   %rbx
        pushq   %r12
        pushq   %r13
        pushq   %r14
        pushq   %r15
        subq    $8, %rsp
        stmxcsr (%rsp)
        fnstcw  4(%rsp)
        movq    %rsp, (%rdi)
        movq    %rsi, %rsp
        ldmxcsr (%rsp)
        fldcw   4(%rsp)
        addq    $8, %rsp
        popq    %r15
        popq    %r14
        popq    %r13
        popq    %r12
        popq    %rbx
        popq    %rbp
        ret
        .cfi_endproc
        .size   gmps_swapctx, .-gmps_swapctx

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
