//go:build linux && amd64

#include "textflag.h"

// func cpuid(leaf, sub uint32) (eax, ebx, ecx, edx uint32)
TEXT ·cpuid(SB), NOSPLIT, $0-24
	MOVL leaf+0(FP), AX
	MOVL sub+4(FP), CX
	CPUID
	MOVL AX, eax+8(FP)
	MOVL BX, ebx+12(FP)
	MOVL CX, ecx+16(FP)
	MOVL DX, edx+20(FP)
	RET

// func rdpid() uint32
TEXT ·rdpid(SB), NOSPLIT, $0-4
	// RDPID RAX (F3 0F C7 /7), spelled out for assemblers that lack it.
	BYTE $0xF3; BYTE $0x0F; BYTE $0xC7; BYTE $0xF8
	MOVL AX, ret+0(FP)
	RET

// func rdtscpAux() uint32
TEXT ·rdtscpAux(SB), NOSPLIT, $0-4
	RDTSCP
	MOVL CX, ret+0(FP)
	RET

// func lsl() uint32
// The segment limit of the per-CPU GDT entry, as the Linux vDSO's getcpu
// reads it when RDPID is missing: selector __CPUNODE_SEG, GDT entry 15,
// ring 3 (15*8 + 3 = 0x7b). LSL sets ZF when the selector is valid; if it
// is not, lsl returns 0xffffffff (CPU 4095), which the start-up check
// rejects. Why in one function: a Go wrapper around the instruction
// would be a second call on every span.
TEXT ·lsl(SB), NOSPLIT, $0-4
	MOVL $0x7b, CX
	MOVL $0xffffffff, AX
	LSLL CX, AX
	MOVL AX, ret+0(FP)
	RET
