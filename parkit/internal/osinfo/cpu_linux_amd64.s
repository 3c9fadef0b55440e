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

// func lslCPUNode() (limit uint32, ok bool)
// The segment limit of the per-CPU GDT entry, as the Linux vDSO's getcpu
// reads it when RDPID is missing: selector __CPUNODE_SEG, GDT entry 15,
// ring 3 (15*8 + 3 = 0x7b). LSL sets ZF when the selector is valid.
TEXT ·lslCPUNode(SB), NOSPLIT, $0-5
	MOVL $0x7b, CX
	XORL AX, AX
	LSLL CX, AX
	SETEQ ok+4(FP)
	MOVL AX, limit+0(FP)
	RET
